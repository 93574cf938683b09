"""Headless Chromium (Debian's `chromium` + `chromium-driver`) with every network request refused:
what a lecture hall without network shows of a page we made."""

from __future__ import annotations

import contextlib
import shutil


@contextlib.contextmanager
def offline_browser(width: int = 1280, height: int = 720, file_access: bool = True, loopback: bool = False):
    """`file_access=False`: an ordinary Chromium, in which a page from the disk may not read other files
    (the course site must work there; the slides and Sphinx tests still pass the flag). `loopback=True`:
    pages from a server on 127.0.0.1 load, everything else stays refused."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser")
    args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            f"--window-size={width},{height}", "--autoplay-policy=no-user-gesture-required",
            # no name resolves and every request goes to a closed port: nothing can be fetched
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost" + (", EXCLUDE 127.0.0.1" if loopback else ""),
            "--proxy-server=http://127.0.0.1:9"]
    if not loopback:
        args.append("--proxy-bypass-list=<-loopback>")  # loopback through the closed proxy too
    if file_access:
        args.append("--allow-file-access-from-files")
    for arg in args:
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # the console, for console_errors()
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    try:
        driver.set_page_load_timeout(60)
        if not loopback:  # offline emulation refuses 127.0.0.1 too; the proxy rules above refuse the rest
            driver.execute_cdp_cmd("Network.enable", {})
            driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                                   {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0})
        yield driver
    finally:
        driver.quit()


def wait_for(driver, script: str, timeout: float = 60):
    """The value of `script` once it is truthy (polled: a busy machine may take a while)."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.2).until(lambda d: d.execute_script(script))


def network_requests(driver) -> list[str]:
    """Every resource the page asked for that is not inline data."""
    return driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith('data:'))")


def console_errors(driver) -> list[str]:
    """What the page logged as an error (a missing file, a script error, a refused track)."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
