"""`backprop course`: a course file → an offline site, rendered on worker processes, skipping what is
unchanged, isolating what fails; and `--plan`, a standalone command per job."""

import base64
import contextlib
import dataclasses
import errno
import functools
import http.server
import io
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import threading

import av
import webvtt
import numpy as np
import pytest

from backprop.output.course import build, runner
from backprop.output.course.lessons import read_course
from backprop.output.course.runner import JobResult, render_lesson
from tests.helpers import run_cli as run
from tests.output.courses import (CHAIN, check_page, course_with_a_spoiled_lesson, fake_runner, leftovers, parse, text_of,
                                  write_course)


THREE = """
[[lesson]]
scene = "title"
network = "seed"
formats = ["slides"]

[[lesson]]
scene = "title"
network = "nets/chain.json"
title = "A chain of two units"

[[lesson]]
scene = "title"
network = "branching"
formats = ["gif"]
"""


def files_under(folder):
    return sorted(os.path.relpath(os.path.join(d, f), folder) for d, _, fs in os.walk(folder) for f in fs)


@pytest.mark.parametrize("lessons, head, field", [
    ('[[lesson]]\nscene = "backwards"\n', None, "lesson[1].scene: unknown 'backwards' (did you mean 'backward'?)"),
    ('[[lesson]]\nscene = "title"\nnetwork = "nets/none.json"\n', None, "lesson[1].network: no preset or file"),
    ('[[lesson]]\nscene = "title"\nnetwork = "seed"\ncolour = "red"\n', None, "lesson[1].colour: unknown field"),
    ('[[lesson]]\nscene = "title"\nquality = "ultra"\n', None, "lesson[1].quality: unknown 'ultra'"),
    ('[[lesson]]\nscene = "title"\n', 'quality = "low"\n', "title: missing"),
    ('', 'title = "x"\n', "lesson: missing"),
    ('[[lesson]]\nscene = "title"\nformats = ["avi"]\n', None, "lesson[1].formats[0]: unknown 'avi'"),
    ('[[lesson]]\nscene = "title"\ntheme = "neon"\n', None, "lesson[1].theme: no theme named 'neon'"),
])
def test_a_bad_course_file_is_one_line_naming_the_field(capsys, tmp_path, lessons, head, field):
    path = write_course(tmp_path, lessons, **({"head": head} if head else {}))
    code, out, err = run(capsys, "course", path, "--output-dir", str(tmp_path / "site"))
    assert code == 2 and err.startswith(f"backprop: {field}") and err.count("\n") == 1
    assert not (tmp_path / "site").exists()


def test_the_lesson_networks_spec_errors_name_the_lesson(capsys, tmp_path):
    path = write_course(tmp_path, '[[lesson]]\nscene = "title"\nnetwork = "nets/bad.json"\n')
    (tmp_path / "nets" / "bad.json").write_text(json.dumps({**CHAIN, "loss": "l1"}))
    code, _, err = run(capsys, "course", path, "--output-dir", str(tmp_path / "site"))
    assert code == 2 and err.startswith("backprop: lesson[1].network: loss: unknown 'l1'")


def test_plan_prints_one_standalone_command_per_job(capsys, tmp_path):
    path = write_course(tmp_path, THREE)
    code, out, _ = run(capsys, "course", path, "--output-dir", str(tmp_path / "site"), "--plan")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 5 and not (tmp_path / "site").exists()  # a video (and its poster) per lesson
    args = [shlex.split(line) for line in lines]
    assert args[1][:3] == ["backprop", "slides", "title"]  # lesson 1's slides, asked for
    assert args[4][args[4].index("--format") + 1] == "gif"  # lesson 3's gif
    del args[1]
    assert all(a[:3] == ["backprop", "render", "title"] for a in args)
    # the spec file is named by its absolute path: the command runs from any folder
    assert args[1][args[1].index("--network") + 1] == str(tmp_path / "nets" / "chain.json")
    assert args[1][args[1].index("--output-dir") + 1] == str(tmp_path / "site" / "media" / "02-title-chain")
    assert "--poster" in args[1]


@pytest.mark.slow
def test_a_plan_line_runs_as_it_is(capsys, tmp_path):
    path = write_course(tmp_path, THREE)
    _, out, _ = run(capsys, "course", path, "--output-dir", str(tmp_path / "site"), "--plan")
    line = out.splitlines()[2]  # lesson 2
    args = shlex.split(line)
    done = subprocess.run([os.path.join(os.path.dirname(sys.executable), "backprop"), *args[1:]],
                          capture_output=True, text=True, cwd="/")
    assert done.returncode == 0, done.stderr
    folder = args[args.index("--output-dir") + 1]
    assert set(done.stdout.split()) >= {os.path.join(folder, "title-chain.mp4"), os.path.join(folder, "title-chain.poster.png")}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The three-lesson course built once with two worker processes (the embedded Dask cluster)."""
    folder = tmp_path_factory.mktemp("course")
    path = write_course(folder, THREE)
    site = folder / "site"
    done = subprocess.run([sys.executable, "-m", "backprop.output.cli", "course", path, "--output-dir", str(site),
                           "--jobs", "2"], capture_output=True, text=True)
    return folder, path, site, done


@pytest.mark.slow
def test_the_site_has_every_lesson_page_with_its_files(built):
    folder, path, site, done = built
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""  # the summary and progress go to stderr
    assert "3 rendered, 0 unchanged, 0 failed" in done.stderr
    index = (site / "index.html").read_text()
    course = read_course(path)
    for job in course.lessons:
        page = (site / f"{job.slug}.html").read_text()
        assert f'href="{job.slug}.html"' in index and f"<h1>{job.title}</h1>" in page
        media = site / "media" / job.slug
        names = sorted(os.listdir(media))
        stem = next(n for n in names if n.endswith(".mp4"))[:-4]
        assert {f"{stem}.mp4", f"{stem}.poster.png", f"{stem}.srt", "transcript.json"} <= set(names)
        assert f'src="media/{job.slug}/{stem}.mp4"' in page and f'poster="media/{job.slug}/{stem}.poster.png"' in page
        assert f'alt="Still of lesson {job.number}: ' in index
        if "slides" in job.formats:  # a presentation to download, asked for by lesson 1
            assert f"{stem}.html" in names and f'href="media/{job.slug}/{stem}.html" download' in page
        with av.open(str(media / f"{stem}.mp4")) as video:
            assert video.streams.video[0].frames > 10
        transcript = json.loads((media / "transcript.json").read_text())
        assert transcript["scene"] == "title" and transcript["network"] in page
    # nothing half-written: no temporary file or folder left anywhere in the site
    assert leftovers(site) == []


def stem_of(site, job) -> str:
    return next(n for n in os.listdir(site / "media" / job.slug) if n.endswith(".mp4"))[:-4]


@pytest.mark.slow
def test_the_index_names_the_course_and_shows_every_lesson_in_order(built):
    folder, path, site, done = built
    assert done.returncode == 0, done.stderr
    course = read_course(path)
    tree = check_page((site / "index.html").read_text())
    assert [text_of(h) for h in tree.iter("h1")] == ["Week 3"]
    items = tree.find(".//ol[@class='lessons']").findall("li")
    assert [li.find("a").get("href") for li in items] == [f"{job.slug}.html" for job in course.lessons]
    for li, job in zip(items, course.lessons):
        assert text_of(li.find("a/span")) == f"{job.number}. {job.title}"
        img = li.find("a/img")
        assert img.get("src") == f"media/{job.slug}/{stem_of(site, job)}.poster.png"
        assert (site / img.get("src")).is_file()
        assert img.get("alt") == f"Still of lesson {job.number}: {job.title}"
    assert text_of(items[1].find("a/span")) == "2. A chain of two units"  # the course file's own title


@pytest.mark.slow
def test_a_lesson_page_has_its_transcript_but_not_the_legend(built):
    folder, path, site, done = built
    legends = 0
    for job in read_course(path).lessons:
        tree = check_page((site / f"{job.slug}.html").read_text())
        assert "Transcript" in [text_of(h) for h in tree.iter("h2")]
        shown = [text_of(dd) for dd in tree.find(".//dl[@class='transcript']").iter("dd")]
        items = json.loads((site / "media" / job.slug / "transcript.json").read_text())["items"]
        captions = [i["text"] for i in items if i["role"] == "caption"]
        legend = [i["text"] for i in items if i["role"] == "legend"]
        legends += len(legend)
        assert captions and set(captions) <= set(shown)
        assert not set(legend) & set(shown) and not {i["text"] for i in items if i["role"] in ("value", "weight")} & set(shown)
        assert any("Backpropagation" in t for t in shown)  # the title card
    assert legends  # some lesson shows a legend, and its page leaves it out


SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")


SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def number(text: str) -> tuple[float, float]:
    """A number as the page writes it (−0.028, 0.0074, 4.4×10⁻⁴) and half a unit of its last digit."""
    m = re.fullmatch(r"([−+]?\d+(?:\.(\d+))?)(?:×10([⁻⁰-⁹]+))?", text)
    assert m, text
    scale = 10.0 ** int(m[3].translate(SUPERSCRIPTS)) if m[3] else 1.0
    return float(m[1].replace("−", "-")) * scale, 0.5 * 10.0 ** -len(m[2] or "") * scale


@pytest.mark.slow
def test_a_lesson_pages_gradient_table_is_the_gradients_commands(built, capsys):
    """Every row's value, gradient and updated value against `backprop gradients --json` for the
    lesson's network, as the video writes them: a value exact or to three decimals, a gradient to
    three decimals, an updated value to four (the update card's 0.3045)."""
    folder, path, site, done = built
    for job in read_course(path).lessons:
        code, out, err = run(capsys, "gradients", job.network_path, "--json")
        assert code == 0, err
        truth = json.loads(out)
        tree = check_page((site / f"{job.slug}.html").read_text())
        loss, within = number(re.search(r"Loss L = (\S+?);", "".join(tree.itertext()))[1])
        assert abs(loss - truth["loss"]) <= within + 1e-12
        rows = [[text_of(td) for td in tr.findall("td")] for tr in tree.find(".//table/tbody").findall("tr")]
        expected = sum(np.size(g) for g in truth["gradients"].values())
        assert len(rows) == expected
        seen = set()
        for symbol, _, value, gradient, updated in rows:
            m = re.fullmatch(r"([Wb])([₀-₉]+)\[([\d,]+)\]", symbol)
            name = m[1] + m[2].translate(SUBSCRIPTS)
            index = tuple(int(i) - 1 for i in m[3].split(","))
            seen.add((name, index))
            layer = job.spec["layers"][int(name[1:]) - 1]
            for shown, true, places in ((value, np.asarray(layer["weights" if name[0] == "W" else "bias"])[index], 3),
                                        (gradient, np.asarray(truth["gradients"][name])[index], 3),
                                        (updated, np.asarray(truth["updated"][name])[index], 4)):
                value_shown, within = number(shown)
                exact = abs(value_shown - true) <= 1e-12  # 0.4, not 0.400
                assert (exact or within <= 0.5 * 10.0 ** -places) and abs(value_shown - true) <= within + 1e-12, \
                    (job.slug, symbol, shown, true)
        assert len(seen) == expected  # every parameter once


@pytest.mark.slow
def test_a_lesson_page_links_every_file_by_what_it_is(built):
    folder, path, site, done = built
    for job in read_course(path).lessons:
        stem = stem_of(site, job)
        tree = check_page((site / f"{job.slug}.html").read_text())
        links = {text_of(a): a.get("href") for a in tree.iter("a") if a.get("download") is not None}
        media = f"media/{job.slug}/"
        expected = {f"video (mp4): {stem}.mp4", f"poster (png): {stem}.poster.png", f"subtitles (srt): {stem}.srt",
                    f"captions (WebVTT): {stem}.vtt", f"chapters (WebVTT): {stem}.chapters.vtt",
                    "transcript (json): transcript.json"}
        if "gif" in job.formats:
            expected.add(f"animation (gif): {stem}.gif")
        if "slides" in job.formats:
            expected.add(f"slides (html): {stem}.html")
        assert set(links) == expected
        assert all(href == media + text.split(": ")[1] and (site / href).is_file() for text, href in links.items())
    assert "gif" in read_course(path).lessons[2].formats  # the course asks for one


def served(site):
    """The site on a static web server on 127.0.0.1 (a thread), as a context manager: its base URL."""
    import contextlib

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    @contextlib.contextmanager
    def serving():
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=30)

    return serving()


CAPTIONS_ON = """const v = document.querySelector('video'); const t = v && v.textTracks[0];
    return v && v.readyState >= 1 && t && t.cues && t.cues.length
        ? [t.kind, t.mode, t.cues.length, t.cues[0].text, v.duration] : null"""


@pytest.mark.slow
def test_a_lesson_page_plays_in_a_browser_with_its_captions_and_chapters(built, tmp_path):
    """Headless Chromium as a student's (no --allow-file-access-from-files), networking off, opens the
    page from the file system: the video's metadata loads, the captions track is on by default and
    shows the .vtt's cues, the chapters track has one cue per beat, and the console has no error."""
    from tests.browser import console_errors, network_requests, offline_browser, wait_for

    folder, path, site, done = built
    assert done.returncode == 0, done.stderr
    job = read_course(path).lessons[1]
    media = site / "media" / job.slug
    stem = stem_of(site, job)
    cues = webvtt.read(str(media / f"{stem}.vtt"))
    chapters = webvtt.read(str(media / f"{stem}.chapters.vtt"))
    page = parse((site / f"{job.slug}.html").read_text())
    sources = {t.get("kind"): t.get("src") for t in page.iter("track")}
    for kind, name in (("captions", f"{stem}.vtt"), ("chapters", f"{stem}.chapters.vtt")):
        prefix = "data:text/vtt;base64,"  # in the page: a file: URL is refused from a file: page
        assert sources[kind].startswith(prefix) and base64.b64decode(sources[kind][len(prefix):]) == (media / name).read_bytes()
    with offline_browser(file_access=False) as driver:
        driver.get((site / f"{job.slug}.html").as_uri())
        # read before anything sets a mode: the captions are on because the page says so (default)
        kind, mode, count, first, duration = wait_for(driver, CAPTIONS_ON)
        chapter_cues = wait_for(driver, """const t = document.querySelector('video').textTracks[1];
            t.mode = 'hidden';  // a chapters track loads its cues once it is not disabled
            return t.cues && t.cues.length && [t.kind, t.cues.length, t.cues[0].text]""")
        driver.save_screenshot(str(tmp_path / "lesson.png"))
        errors = console_errors(driver)
        requests = [r for r in network_requests(driver) if not r.startswith("file:")]
    with av.open(str(media / f"{stem}.mp4")) as video:
        assert abs(duration - video.duration / 1e6) < 0.2
    assert [kind, mode, count, first] == ["captions", "showing", len(cues), cues[0].text]
    assert chapter_cues == ["chapters", len(chapters), chapters[0].text]
    assert errors == [] and requests == []


@pytest.mark.slow
def test_the_site_works_from_a_static_web_server(built):
    """`python -m http.server` in the site's folder (here a thread on 127.0.0.1): the lesson page's
    video and captions load and the console has no error (no favicon.ico asked for)."""
    from tests.browser import console_errors, network_requests, offline_browser, wait_for

    folder, path, site, done = built
    job = read_course(path).lessons[0]
    with served(site) as base, offline_browser(file_access=False, loopback=True) as driver:
        driver.get(base + f"{job.slug}.html")
        kind, mode, count, first, duration = wait_for(driver, CAPTIONS_ON)
        requests = network_requests(driver)
        driver.get(base)  # then the index, its posters loaded (and the lesson page's favicon asked by now)
        assert wait_for(driver, "return [...document.images].every(i => i.complete && i.naturalWidth)")
        errors = console_errors(driver)
    assert kind == "captions" and mode == "showing" and count == len(webvtt.read(str(next(
        (site / "media" / job.slug).glob("*[!s].vtt")))))
    assert errors == []
    assert requests and all(r.startswith(base) for r in requests)  # the video and poster, from this server only


@contextlib.contextmanager
def backprop_serve(site):
    """`backprop serve SITE --port 0` in its own process on 127.0.0.1: its base URL; stopped after."""
    proc = subprocess.Popen([sys.executable, "-m", "backprop.output.cli", "serve", str(site), "--port", "0"],
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()  # "serving SITE at http://127.0.0.1:PORT/ (Ctrl-C stops)"
        url = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert url, line + proc.stderr.read() if proc.poll() is not None else line
        yield url[0]
    finally:
        proc.terminate()
        assert proc.wait(timeout=30) == 0  # SIGTERM stops it quietly
        proc.stderr.close()


@pytest.mark.slow
def test_chapter_links_seek_the_video_over_backprop_serve(built, tmp_path):
    """Headless Chromium on the lesson page served by `backprop serve`: a click on a chapter link moves
    the video's currentTime to that chapter's start (the server answers the byte ranges a seek asks
    for) and marks that chapter as the one playing; a transcript time seeks too."""
    from tests.browser import console_errors, offline_browser, wait_for

    folder, path, site, done = built
    assert done.returncode == 0, done.stderr
    job = read_course(path).lessons[0]
    cues = webvtt.read(str(site / "media" / job.slug / f"{stem_of(site, job)}.chapters.vtt")).captions
    starts = [sum(float(p) * 60 ** k for k, p in enumerate(reversed(c.start.split(":")))) for c in cues]
    assert len(cues) >= 2 and starts[-1] > 1
    listen = """window.seeks = []; const v = document.querySelector('video'); v.muted = true;
        v.addEventListener('seeking', () => window.seeks.push(v.currentTime));  // the new position"""
    with backprop_serve(site) as base, offline_browser(file_access=False, loopback=True) as driver:
        driver.get(base + f"{job.slug}.html")
        wait_for(driver, "const v = document.querySelector('video'); return v.readyState >= 1")
        links = driver.find_elements("css selector", "ol.chapters a")
        shown = [link.text for link in links]
        driver.execute_script(listen)
        links[-1].click()
        landed = wait_for(driver, "return window.seeks.length ? [window.seeks[0]] : null")[0]
        current = wait_for(driver, "const a = document.querySelector('ol.chapters [aria-current]'); return a && a.textContent")
        driver.save_screenshot(str(tmp_path / "chapters.png"))
        line = driver.find_elements("css selector", "dl.transcript dt a")[1]
        line_start = float(line.get_attribute("data-start"))
        driver.execute_script(listen)
        line.click()
        back = wait_for(driver, "return window.seeks.length ? [window.seeks[0]] : null")[0]
        errors = console_errors(driver)
    clock = [f"{int(t) // 60}:{int(t) % 60:02d}" for t in starts]
    assert shown == [f"{t} {c.text}" for t, c in zip(clock, cues)]
    assert abs(landed - starts[-1]) < 0.05, (landed, starts[-1])
    assert current == shown[-1]
    assert abs(back - line_start) < 0.05 and errors == []


@pytest.mark.slow
def test_the_keyboard_reaches_the_lessons_and_the_video(built):
    """Tab from the top of the index lands on the first lesson's link; on a lesson page, after the link
    back to the index, on the video (its controls then take the keys)."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    from tests.browser import offline_browser

    folder, path, site, done = built
    course = read_course(path)
    focused = "const e = document.activeElement; return [e.tagName, e.getAttribute('href')]"
    with offline_browser(file_access=False) as driver:
        driver.get((site / "index.html").as_uri())
        ActionChains(driver).send_keys(Keys.TAB).perform()
        on_index = driver.execute_script(focused)
        driver.get((site / f"{course.lessons[0].slug}.html").as_uri())
        on_lesson = []
        for _ in range(2):
            ActionChains(driver).send_keys(Keys.TAB).perform()
            on_lesson.append(driver.execute_script(focused))
    assert on_index == ["A", f"{course.lessons[0].slug}.html"]
    assert on_lesson == [["A", "index.html"], ["VIDEO", None]]


@pytest.mark.slow
def test_a_rebuild_with_nothing_changed_renders_nothing(built, capsys):
    folder, path, site, _ = built
    before = {f: os.stat(site / "media" / f).st_mtime_ns for f in files_under(site / "media")}
    code, _, err = run(capsys, "course", path, "--output-dir", str(site))
    assert code == 0 and "0 rendered, 3 unchanged" in err
    assert {f: os.stat(site / "media" / f).st_mtime_ns for f in files_under(site / "media")} == before


@pytest.mark.slow
def test_a_changed_lesson_renders_again_and_only_it(built, capsys, tmp_path):
    folder, path, built_site, _ = built
    site = tmp_path / "site"
    shutil.copytree(built_site, site, copy_function=shutil.copy2)  # the built site stays as built
    before = {f: os.stat(site / "media" / f).st_mtime_ns for f in files_under(site / "media")}
    theme = tmp_path / "slow.toml"
    theme.write_text("pace = 1.5\n")
    text = open(path).read().replace('network = "branching"', f'network = "branching"\ntheme = "{theme}"')
    changed = folder / "changed.toml"
    changed.write_text(text)
    code, _, err = run(capsys, "course", str(changed), "--output-dir", str(site), "--jobs", "1")
    assert code == 0 and "1 rendered, 2 unchanged" in err
    after = {f: os.stat(site / "media" / f).st_mtime_ns for f in files_under(site / "media")}
    moved = {f for f in after if after[f] != before.get(f)}
    assert moved and all(f.startswith("03-title-branching/") for f in moved)


def test_a_failing_lesson_is_named_and_the_others_finish(capsys, tmp_path, monkeypatch):
    """The runner reports one lesson's error; the rest are written, the site marks the failure, exit 1."""
    path = write_course(tmp_path, THREE)

    def runner(jobs, workers, scheduler=None, done=lambda r: None):
        for job in jobs:
            if job.number == 2:
                result = JobResult(job, error="OutputError: output-dir: disk full")
            else:
                out = render_lesson(job)
                result = JobResult(job, out["files"], out["transcript"], worker=out["worker"])
            done(result)
            yield result

    monkeypatch.setattr(build, "run_jobs", runner)
    site = tmp_path / "site"
    code, out, err = run(capsys, "course", path, "--output-dir", str(site))
    assert code == 1
    assert "backprop: lesson 02-title-chain failed: OutputError: output-dir: disk full" in err.splitlines()
    assert "2 rendered, 0 unchanged, 1 failed" in err
    assert "failed to render" in (site / "index.html").read_text()
    failed_page = (site / "02-title-chain.html").read_text()
    assert "This lesson failed to render: OutputError: output-dir: disk full" in failed_page
    check_page(failed_page)
    assert sorted(os.listdir(site / "media")) == ["01-title-seed", "03-title-branching"]
    # the next build tries the failed lesson again, and only it
    monkeypatch.setattr(build, "run_jobs", lambda jobs, *a, **k: iter([JobResult(j, error="again") for j in jobs]))
    code, _, err = run(capsys, "course", path, "--output-dir", str(site))
    assert code == 1 and "0 rendered, 2 unchanged, 1 failed" in err


def test_one_process_renders_one_lesson_at_a_time(monkeypatch, tmp_path):
    """A `dask worker` with several threads calls the job function from each: the second render waits
    for the first (manim's config is the process's). The fake render waits for a second one to start:
    without the lock both would be inside at once."""
    from backprop.output.render import scene as rendering, transcript
    inside, most, lock = [0], [0], threading.Lock()
    second = threading.Event()

    def fake_render(request, **kwargs):
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
            if inside[0] == 2:
                second.set()
        second.wait(1.0)  # long enough for an unlocked second thread to come in
        with lock:
            inside[0] -= 1
        out = os.path.join(request.output_dir, "title-seed.mp4")
        open(out, "wb").close()
        return [out]

    monkeypatch.setattr(rendering, "render_scene", fake_render)
    monkeypatch.setattr(transcript, "transcript", lambda *a, **k: {"items": []})
    job = read_course(write_course(tmp_path, THREE)).lessons[1]
    results = []
    threads = [threading.Thread(target=lambda: results.append(render_lesson(job))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == 2 and all(r["files"] == {"title-seed.mp4": b""} for r in results)
    assert most[0] == 1 and not second.is_set()


def test_a_write_that_fails_half_way_keeps_the_lessons_last_build(monkeypatch, tmp_path):
    """The disk fills while lesson 2's mp4 (its last file) is written: its srt and vtt, already
    written, are not moved into place either; it is a failed lesson with the reason; lesson 1 is
    written; no temporary file is left."""
    course = read_course(write_course(tmp_path, THREE.replace('formats = ["slides"]\n', "")))
    course = dataclasses.replace(course, lessons=course.lessons[:2])
    site = tmp_path / "site"
    monkeypatch.setattr(build, "run_jobs", fake_runner(b"OLD"))
    assert not build.build_course(course, str(site), workers=1).failed
    old = {f: (site / "media" / f).read_bytes() for f in files_under(site / "media")}
    assert old["02-title-chain/title-chain.mp4"] == b"OLD title-chain.mp4"

    class Full:
        """A file whose disk fills half-way through lesson 2's mp4 (whichever way it was opened)."""

        def __init__(self, f):
            self.f = f

        def __getattr__(self, name):
            return getattr(self.f, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

        def write(self, data):
            if isinstance(data, bytes) and data.startswith(b"NEW title-chain.mp4"):
                self.f.write(data[: len(data) // 2])
                raise OSError(errno.ENOSPC, "No space left on device")
            return self.f.write(data)

    import builtins

    for module, name in ((os, "fdopen"), (builtins, "open")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _real=real, **k: Full(_real(*a, **k)))
    monkeypatch.setattr(build, "run_jobs", fake_runner(b"NEW"))
    changed = dataclasses.replace(course, lessons=[dataclasses.replace(j, key=j.key + "-changed") for j in course.lessons])
    summary = build.build_course(changed, str(site), workers=1)
    monkeypatch.undo()
    assert summary.rendered == ["01-title-seed"]
    assert summary.failed == {"02-title-chain": f"output: cannot write in '{site / 'media' / '02-title-chain'}': the disk is full"}
    for f, data in old.items():
        now = (site / "media" / f).read_bytes()
        assert now == (data if f.startswith("02-") else data.replace(b"OLD", b"NEW", 1)), f
    assert leftovers(site) == []
    page = (site / "02-title-chain.html").read_text()
    assert "This lesson failed to render: output: cannot write" in page and "title-chain.mp4" in page  # the old files
    assert json.loads((site / build.MANIFEST).read_text())["02-title-chain"]["key"] == ""  # tried again next time


@pytest.mark.slow
def test_without_dask_a_process_pool_renders_and_a_lessons_real_error_is_one_line(capsys, tmp_path, monkeypatch):
    """Dask missing: the lessons render in a pool of fresh processes. Lesson 2's theme has a colour manim
    cannot read (as if its theme file changed after the course was checked): the exception raised
    inside manim, in the worker, is that lesson's one-line reason; lesson 1 is written; exit 1."""
    monkeypatch.setattr(runner, "have_dask", lambda: False)
    monkeypatch.setattr(runner, "_on_dask", lambda *a, **k: pytest.fail("Dask used"))
    path = course_with_a_spoiled_lesson(tmp_path, monkeypatch)
    site = tmp_path / "site"
    code, out, err = run(capsys, "course", path, "--output-dir", str(site), "--jobs", "2")
    assert code == 1 and out == ""
    assert "backprop: lesson 02-title-chain failed: ValueError: Color mauvish not found" in err.splitlines()
    assert "1 rendered, 0 unchanged, 1 failed" in err
    assert os.listdir(site / "media") == ["01-title-seed"]
    with av.open(str(site / "media" / "01-title-seed" / "title-seed.mp4")) as video:
        assert video.streams.video[0].frames > 10
    check_page((site / "02-title-chain.html").read_text())
    assert leftovers(site) == []


@pytest.mark.parametrize("command", ["course", "exercises"])
def test_a_scheduler_without_dask_names_the_extra_to_install(capsys, tmp_path, monkeypatch, command):
    monkeypatch.setattr(runner, "have_dask", lambda: False)
    if command == "course":
        args = ["course", write_course(tmp_path, THREE)]
    else:
        (tmp_path / "roster.csv").write_text("id\nada\n")
        args = ["exercises", str(tmp_path / "roster.csv"), "--course-seed", "s"]
    code, _, err = run(capsys, *args, "--output-dir", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:1")
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("backprop: scheduler: ") and "pip install 'backprop-manim[cluster]'" in err
    assert not (tmp_path / "out").exists()


def test_an_unreachable_scheduler_is_one_line(capsys, tmp_path, monkeypatch):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setattr(runner, "CONNECT_TIMEOUT", "2s")
    address = f"tcp://127.0.0.1:{port}"
    code, out, err = run(capsys, "course", write_course(tmp_path, THREE), "--output-dir", str(tmp_path / "out"),
                         "--scheduler", address)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"backprop: scheduler: cannot reach a Dask scheduler at '{address}': ")
    assert not (tmp_path / "out").exists()  # nothing written


@pytest.mark.slow
def test_on_a_dask_cluster_the_workers_render_the_same_frames(built, tmp_path, capsys, monkeypatch):
    """A scheduler and two workers started here on 127.0.0.1, `backprop course --scheduler ADDRESS`: the
    lessons render on the workers, the same files as the embedded cluster's, the videos frame for frame."""
    folder, path, site, _ = built
    bin_dir = os.path.dirname(sys.executable)
    address_file = tmp_path / "scheduler.json"
    scheduler = subprocess.Popen([os.path.join(bin_dir, "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                                  "--no-dashboard", "--scheduler-file", str(address_file)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers = []
    try:
        _wait_for(address_file)
        for _ in range(2):
            workers.append(subprocess.Popen(
                [os.path.join(bin_dir, "dask"), "worker", "--scheduler-file", str(address_file), "--host",
                 "127.0.0.1", "--nthreads", "1", "--no-dashboard"], stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, cwd=str(tmp_path)))
        address = json.loads(address_file.read_text())["address"]
        from distributed import Client

        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
            worker_addresses = set(client.scheduler_info()["workers"])
        remote = tmp_path / "remote-site"
        summaries = []
        real_build = build.build_course
        monkeypatch.setattr(build, "build_course", lambda *a, **k: summaries.append(real_build(*a, **k)) or summaries[-1])
        code, _, err = run(capsys, "course", path, "--output-dir", str(remote), "--scheduler", address)
        assert code == 0, err
        (summary,) = summaries
        assert sorted(summary.rendered) == [j.slug for j in read_course(path).lessons]
        assert summary.workers <= worker_addresses  # rendered on the cluster's workers, not here
        assert files_under(remote / "media") == files_under(site / "media")  # the same files, by name
        for slug in summary.rendered:
            stem = next(n for n in os.listdir(site / "media" / slug) if n.endswith(".mp4"))
            assert frames(remote / "media" / slug / stem) == frames(site / "media" / slug / stem)
    finally:
        for p in workers + [scheduler]:
            p.terminate()
        for p in workers + [scheduler]:
            p.wait(timeout=60)


def _wait_for(path, seconds=60):
    import time

    end = time.monotonic() + seconds
    while not (path.exists() and path.stat().st_size):
        assert time.monotonic() < end, "the Dask scheduler did not start"
        time.sleep(0.2)


def frames(path) -> list[bytes]:
    with av.open(str(path)) as video:
        return [np.asarray(f.to_ndarray(format="rgb24")).tobytes() for f in video.decode(video=0)]


def test_scheduler_and_jobs_are_checked(capsys, tmp_path):
    path = write_course(tmp_path, THREE)
    code, _, err = run(capsys, "course", path, "--output-dir", str(tmp_path / "s"), "--jobs", "2",
                       "--scheduler", "tcp://127.0.0.1:1")
    assert code == 2 and err.startswith("backprop: jobs: a cluster at --scheduler has its own workers")
    code, _, err = run(capsys, "course", path, "--output-dir", str(tmp_path / "s"), "--jobs", "0")
    assert code == 2 and "--jobs" in err and err.count("\n") == 1


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_is_one_bar_on_a_terminal_and_plain_lines_elsewhere():
    from backprop.output.course.lessons import LessonJob
    from backprop.output.course.runner import Progress
    from backprop.story.theme import Theme

    jobs = [LessonJob(n, f"0{n}-title-seed", "t", "title", "seed", "seed", {}, Theme(), "dark", "low", ("mp4",))
            for n in (1, 2, 3)]
    plain = io.StringIO()
    progress = Progress(3, plain)
    for job in jobs:
        progress(JobResult(job, error="disk full" if job.number == 2 else None))
    progress.close()
    assert plain.getvalue().splitlines() == ["[1/3] 01-title-seed rendered", "[2/3] 02-title-seed failed: disk full",
                                             "[3/3] 03-title-seed rendered"]
    terminal = _Terminal()
    progress = Progress(3, terminal)
    for job in jobs:
        progress(JobResult(job))
    progress.close()  # the bar's last state is drawn as it stops
    shown = terminal.getvalue()
    assert "0/3" in shown and "3/3" in shown and "ETA" in shown and "[1/3]" not in shown
