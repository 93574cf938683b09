"""The `.. backprop::` directive in a real `sphinx-build` of examples/sphinx, and the built page in a browser."""

import base64
import os
import re
import shutil
import subprocess
import sys

import pytest
import srt

from tests.browser import network_requests, offline_browser, wait_for
from tests.course.sphinx_build import build

EXAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "sphinx")


def test_a_bad_network_is_an_error_naming_it(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "conf.py").write_text('extensions = ["backprop.sphinx"]\n')
    (tmp_path / "src" / "index.rst").write_text("Page\n====\n\n.. backprop::\n   :network: sead\n\n"
                                                ".. backprop::\n   :scene: nosuch\n")
    done = build(tmp_path / "src", tmp_path / "out", tmp_path / "cache")
    assert "index.rst:4: ERROR: backprop: network: no preset or file named 'sead' (did you mean 'seed'?)" \
        in done.stderr, done.stderr
    assert re.search(r"index.rst:\d+: ERROR: .*scene.*nosuch", done.stderr, re.S), done.stderr
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").rglob("*.mp4"))


def test_still_and_video_together_fail_the_build_and_render_nothing(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "conf.py").write_text('extensions = ["backprop.sphinx"]\n')
    (tmp_path / "src" / "index.rst").write_text("Page\n====\n\n.. backprop::\n   :scene: title\n   :still:\n"
                                                "   :video:\n\n.. backprop::\n   :theme: prnt\n\n"
                                                ".. backprop::\n   :quality: ultra\n")
    done = build(tmp_path / "src", tmp_path / "out", tmp_path / "cache", "-W")  # warnings fail the build
    assert done.returncode != 0, done.stderr
    assert "index.rst:4: ERROR: backprop: choose :still: or :video:, not both" in done.stderr, done.stderr
    assert "index.rst:9: ERROR: backprop: theme: unknown 'prnt' (did you mean 'print'?)" in done.stderr, done.stderr
    bad_quality = r'index.rst:12: ERROR: .*option: "quality"; value: \'ultra\'.*choose from "low", "medium"'
    assert re.search(bad_quality, done.stderr, re.S), done.stderr
    assert not (tmp_path / "cache").exists() or not any(p.is_file() for p in (tmp_path / "cache").rglob("*"))
    page = tmp_path / "out" / "index.html"
    assert not page.exists() or "backprop-" not in page.read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_example_site_has_the_video_with_captions(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(EXAMPLE, src)
    done = build(src, tmp_path / "site", tmp_path / "cache")
    assert done.returncode == 0 and "WARNING" not in done.stderr and "ERROR" not in done.stderr, done.stderr
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    video = re.search(r'<video class="backprop-video" controls [^>]*poster="([^"]+\.poster\.png)"[^>]*>\s*'
                      r'<source src="([^"]+)" type="video/mp4">\s*'
                      r'<track kind="captions" src="data:text/vtt;base64,([^"]+)" srclang="en" label="English" default>\s*'
                      r'<track kind="chapters" src="data:text/vtt;base64,([^"]+)" srclang="en" label="Chapters">\s*'
                      r'</video>', page)
    assert video, page
    still = re.search(r'<img class="backprop-still" src="([^"]+\.png)" alt="([^"]+)"', page)
    for path in (video[1], video[2], still[1]):
        assert (tmp_path / "site" / path).is_file()
    # a page one folder down links the same file from there
    nested = (tmp_path / "site" / "notes" / "printed.html").read_text(encoding="utf-8")
    link = re.search(r'<img class="backprop-still" src="([^"]+\.png)"', nested)[1]
    assert link == "../" + still[1] and (tmp_path / "site" / "notes" / link).resolve().is_file()
    # a MyST page (Jupyter Book's markdown) with the directive as a fence: the same video, one folder down
    myst = (tmp_path / "site" / "notes" / "myst.html").read_text(encoding="utf-8")
    assert f'poster="../{video[1]}"' in myst and f'<source src="../{video[2]}" type="video/mp4">' in myst
    # the captions say what the subtitles beside the render say, cue for cue
    cached_srt = next((tmp_path / "cache").rglob("title-seed.srt"))
    cues = list(srt.parse(cached_srt.read_text(encoding="utf-8")))
    vtt = base64.b64decode(video[3]).decode("utf-8")
    assert vtt.startswith("WEBVTT") and vtt.count(" --> ") == len(cues) >= 1
    # the chapters: one per beat of the title scene (its title card, the network, the goal), by caption
    chapters = base64.b64decode(video[4]).decode("utf-8")
    assert chapters.count(" --> ") == 3 and "The network we will train" in chapters

    # :theme: print and :quality: medium: a still 1280 px wide, white, its text pure black (light's is
    # #1A1F26, dark's background #12161C); :video: (the default, said) is the first page's video
    options = (tmp_path / "site" / "notes" / "options.html").read_text(encoding="utf-8")
    printed = re.search(r'<img class="backprop-still" src="([^"]+\.png)" alt="([^"]+)"', options)
    assert printed and "the backward scene on the seed network" in printed[2], options
    assert printed[1] != "../" + still[1]
    from PIL import Image

    with Image.open(tmp_path / "site" / "notes" / printed[1]) as image:
        rgb = image.convert("RGB")
    assert rgb.size == (1280, 720)
    w, h = rgb.size
    assert {rgb.getpixel(p) for p in ((0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1))} == {(255, 255, 255)}
    assert (0, 0, 0) in {c for _, c in rgb.getcolors(w * h)}
    assert '<video class="backprop-video" ' in options
    assert f'<source src="../{video[2]}" type="video/mp4">' in options

    with offline_browser() as browser:
        browser.get((tmp_path / "site" / "index.html").as_uri())
        state = wait_for(browser, """
            const v = document.querySelector('video.backprop-video');
            const t = v && v.textTracks[0];
            return v && v.readyState >= 1 && t && t.cues && t.cues.length
                ? [v.duration, v.videoWidth, t.kind, t.mode, t.cues.length, t.cues[0].text] : null""")
        duration, width, kind, mode, count, first = state
        assert duration > 3 and width == 854 and kind == "captions" and mode == "showing"
        assert count == len(cues) and first == cues[0].content
        # the chapters track loads too (hidden: a browser lists no chapters itself), one cue a beat
        assert wait_for(browser, """
            const t = document.querySelector('video.backprop-video').textTracks[1];
            t.mode = 'hidden';
            return t.kind == 'chapters' && t.cues && t.cues.length""") == 3
        assert wait_for(browser, "const i = document.querySelector('img.backprop-still'); "
                                 "return i.complete && i.naturalWidth") == 854
        browser.save_screenshot(str(tmp_path / "page.png"))
        assert all(r.startswith("file:") for r in network_requests(browser))

    # The same site as LaTeX (the cache from the HTML build: nothing renders again): every directive
    # is the scene's last frame as a one-page PDF of paths, no picture in it, in the print theme
    done = subprocess.run([sys.executable, "-m", "sphinx", "-b", "latex", "-q", str(src), str(tmp_path / "latex")],
                          env={**os.environ, "BACKPROP_CACHE": str(tmp_path / "cache")}, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0 and "WARNING" not in done.stderr, done.stderr
    tex = next((tmp_path / "latex").glob("*.tex")).read_text(encoding="utf-8")
    included = re.findall(r"\\includegraphics\[width=\\linewidth\]\{([^}]+)\}", tex)
    assert len(included) == 6  # index: a video and a still; printed: a still; myst: a video; options: both
    import pypdf

    for name in set(included):
        assert name.endswith(".pdf") and name.count(".") == 1
        pdf = pypdf.PdfReader(str(tmp_path / "latex" / name))
        assert len(pdf.pages) == 1 and not pdf.pages[0].images
        assert [float(v) for v in pdf.pages[0].mediabox[2:]] == [854, 480]
        content = b"".join(f.get_object().get_data() for f in pdf.pages[0]["/Resources"]["/XObject"].values())
        assert content.startswith(b"q\n1 1 1 rg")  # white: the print theme's background
        assert len(re.findall(rb"(?<=\s)c(?=\s)", content)) > 300  # the network's outlines, as curves
