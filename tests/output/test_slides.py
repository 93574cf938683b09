"""`backprop slides`: the presentation a lecturer opens in a browser with no network, slide by slide."""

import base64
import html
import io
import json
import os
import re
import sys

import av
import numpy as np
import pytest

from backprop.output.material import slides
from tests.browser import network_requests, offline_browser, wait_for
from tests.helpers import run_cli as run

# The title scene plays two beats (TitleCard.construct: the title card, then the network), each
# with its caption as narration.
# the title scene's speaker notes: its beats' sentences (the first two say their captions)
TITLE_BEATS = ["Backpropagation: computing gradients layer by layer", "The network we will train",
               "The goal: for each of the 9 weights and biases, how the loss changes when it is nudged. "
               "That is its gradient, and backpropagation finds them all."]


def test_each_slide_ends_on_its_beats_last_full_frame(tmp_path):
    """A 15 fps video whose frame k is grey level 8k, cut at hand-picked `held` times: each piece holds
    the frames from where the beat before ended up to its own end (a time on a frame: the render's
    clock counts frames), so what follows a beat's last full frame (the title's fade) opens the next."""
    video = str(tmp_path / "counting.mp4")
    with av.open(video, "w") as out:
        stream = out.add_stream("libx264", rate=15, options={"qp": "0"})
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for k in range(30):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), 8 * k, np.uint8), format="rgb24")
            out.mux(stream.encode(frame))
        out.mux(stream.encode())
    # 10 frames, 5 more, none more (shorter than a frame), to frame 27 (the last two frames: after it)
    held = [10 / 15, 1.0, 1.01, 27 / 15]
    pieces = slides.cut_by_beats(video, held, str(tmp_path))
    assert len(pieces) == 4
    levels = []
    for piece in pieces:
        with av.open(piece) as c:
            levels.append([int(round(f.to_ndarray(format="rgb24").mean() / 8)) for f in c.decode(video=0)])
    assert levels == [list(range(0, 10)), list(range(10, 15)), [14], list(range(15, 27))]


def test_the_title_beat_is_held_before_its_fade(capsys):
    """`held` (where a slide ends): the title card's beat before its 0.5 s fade-out; a beat without a
    closing fade, at its end."""
    code, out, err = run(capsys, "transcript", "title", "--json")
    assert code == 0, err
    title, network, goal = json.loads(out)["beats"]
    assert title["held"] == pytest.approx(title["end"] - 0.5) and network["held"] == network["end"]
    assert goal["held"] == goal["end"]


def test_without_the_extra_one_line_names_it(capsys, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "manim_slides", None)  # import now raises ImportError
    code, out, err = run(capsys, "slides", "title", "--output-dir", str(tmp_path / "out"))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "manim-slides is not installed" in err and "[slides]" in err
    assert not (tmp_path / "out").exists()


def test_without_reveal_js_cached_it_says_how_before_rendering(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(slides, "revealjs_cache", lambda: tmp_path / "empty-cache")
    monkeypatch.setattr(slides, "render_scene", lambda *a, **k: pytest.fail("rendered anyway"))
    code, _, err = run(capsys, "slides", "title", "--output-dir", str(tmp_path / "out"))
    assert code == 2 and err.count("\n") == 1
    assert "reveal.js 6.0.1 is not in manim-slides' cache" in err and "npm pack reveal.js@6.0.1" in err
    assert not any((tmp_path / "out").glob("*")) if (tmp_path / "out").exists() else True


def test_a_folder_where_the_html_goes_is_refused_before_rendering(capsys, monkeypatch, tmp_path):
    (tmp_path / "title-seed.html").mkdir()
    monkeypatch.setattr(slides, "render_scene", lambda *a, **k: pytest.fail("rendered anyway"))
    code, _, err = run(capsys, "slides", "title", "--output-dir", str(tmp_path))
    assert code == 2 and "'" + str(tmp_path / "title-seed.html") + "' is a folder" in err


@pytest.mark.parametrize("args, says", [
    (("--network", "sead"), "backprop: network: no preset or file named 'sead'"),
    (("--network", "missing.json"), "backprop: network: file 'missing.json' does not exist"),
    (("--theme", "prnt"), "backprop: theme: unknown 'prnt' (did you mean 'print'?)"),
    (("--theme", "THEME_FILE"), "backprop: theme.positive: "),
    (("--quality", "ultra"), "'--quality': 'ultra' is not one of 'low', 'medium', 'high', '4k'"),
])
def test_bad_input_is_one_line_naming_the_field_and_writes_nothing(capsys, monkeypatch, tmp_path, args, says):
    theme_file = tmp_path / "theme.toml"  # a theme file with one bad field
    theme_file.write_text('base = "light"\npositive = "blue"\n')
    args = tuple(str(theme_file) if a == "THEME_FILE" else a for a in args)
    here = tmp_path / "cwd"
    here.mkdir()
    monkeypatch.chdir(here)  # media/, the default output folder, would be here
    monkeypatch.setattr(slides, "render_scene", lambda *a, **k: pytest.fail("rendered anyway"))
    for out_dir in (("--output-dir", str(tmp_path / "out")), ()):
        code, out, err = run(capsys, "slides", "backward", *args, "--pptx", *out_dir)
        assert code == 2 and out == "" and err.count("\n") == 1 and says in err, err
        assert err.startswith("backprop: ") and "Traceback" not in err
    assert not (tmp_path / "out").exists() and list(here.iterdir()) == []


@pytest.mark.slow
def test_the_backward_scene_has_a_slide_per_beat(capsys, tmp_path):
    """14 beats (`backprop transcript backward --json`), 14 slides, in order: each slide's video is its
    beat's piece of the scene (from the beat before's last full frame to its own: its length, to a few frames: the scene's clock against the
    render's whole frames) and its speaker notes the beat's sentence. Read from the HTML, no browser; the
    PowerPoint's notes (python-pptx) are the same sentences as plain text."""
    code, out, err = run(capsys, "transcript", "backward", "--network", "seed", "--json")
    assert code == 0, err
    beats = json.loads(out)["beats"]
    code, out, err = run(capsys, "slides", "backward", "--network", "seed", "--pptx", "--output-dir", str(tmp_path))
    assert code == 0 and out.split() == [str(tmp_path / "backward-seed.html"), str(tmp_path / "backward-seed.pptx")], err
    page = (tmp_path / "backward-seed.html").read_text(encoding="utf-8")
    shown = re.findall(r'<section [^>]*data-background-video="data:video/mp4;base64,([^"]*)"[^>]*>(.*?)</section>',
                       page, re.S)
    assert len(shown) == len(beats) == 14  # the README: "`seed` at low quality: 14 slides"
    notes = [re.search(r'<aside class="notes"[^>]*>(.*?)</aside>', body, re.S)[1].strip() for _, body in shown]
    assert notes[0] == beats[0]["name"]  # the title card says its caption
    assert notes[4].startswith("∂L/∂y = −0.391") and all(notes) and len(set(notes)) == len(notes)
    for (video, _), beat, before in zip(shown, beats, [{"held": 0.0}] + beats):
        with av.open(io.BytesIO(base64.b64decode(video))) as piece:
            stream = piece.streams.video[0]
            seconds = sum(1 for _ in piece.decode(stream)) / float(stream.average_rate)
        assert seconds == pytest.approx(beat["held"] - before["held"], abs=0.5), beat  # to its last full frame
    from pptx import Presentation

    said = [s.notes_slide.notes_text_frame.text for s in Presentation(str(tmp_path / "backward-seed.pptx")).slides]
    assert said == [html.unescape(n) for n in notes]
    assert any("σ′" in n for n in said) and not any("&#" in n or "&amp;" in n for n in said)  # "σ′ scales it"


@pytest.mark.slow
def test_slides_open_offline_in_a_browser(capsys, tmp_path):
    code, out, err = run(capsys, "slides", "title", "--pptx", "--output-dir", str(tmp_path))
    assert code == 0, err
    html_file, pptx_file = tmp_path / "title-seed.html", tmp_path / "title-seed.pptx"
    assert out.split() == [str(html_file), str(pptx_file)] and err == ""
    assert sorted(os.listdir(tmp_path)) == ["title-seed.html", "title-seed.pptx"]  # nothing left over
    page = html_file.read_text(encoding="utf-8")
    assert not re.search(r'(src|href)="(https?:)?//', page)  # reveal.js inlined, videos as data

    with offline_browser() as browser:
        browser.get(html_file.as_uri())
        assert wait_for(browser, "return window.Reveal && Reveal.isReady()")
        assert browser.execute_script("return Reveal.getTotalSlides()") == len(TITLE_BEATS)
        for i, caption in enumerate(TITLE_BEATS):
            browser.execute_script(f"Reveal.slide({i})")
            notes = browser.execute_script("return Reveal.getSlideNotes(Reveal.getCurrentSlide())")
            assert caption in notes
            # the slide's video: loaded (HAVE_CURRENT_DATA or more), a real length, playing
            state = wait_for(browser, """
                const v = Reveal.getCurrentSlide().slideBackgroundContentElement.querySelector('video');
                return v && v.readyState >= 2 && v.currentTime > 0 ? [v.readyState, v.duration, v.videoWidth] : null""")
            assert state[1] > 0.5 and state[2] == 854
        # the last slide played to its end shows the network, its number and the progress bar
        wait_for(browser, "return Reveal.getCurrentSlide().slideBackgroundContentElement.querySelector('video').ended")
        assert browser.execute_script("return document.querySelector('.slide-number').innerText.replace(/\\s/g, '')") == "3/3"
        assert browser.execute_script("return document.querySelector('.progress span').offsetWidth") > 800
        browser.save_screenshot(str(tmp_path / "slide.png"))
        assert network_requests(browser) == []
    from PIL import Image

    shot = np.asarray(Image.open(tmp_path / "slide.png").convert("L"))
    assert shot.std() > 5  # the network drawn on the slide, not an empty page

    from pptx import Presentation

    deck = Presentation(str(pptx_file))
    assert [s.notes_slide.notes_text_frame.text for s in deck.slides] == TITLE_BEATS
    movies = [next(sh for sh in s.shapes if sh.shape_type == 16) for s in deck.slides]  # MSO_SHAPE_TYPE.MEDIA
    # each slide's video ends on its beat's last full frame, and PowerPoint shows that frame as its preview
    videos = re.findall(r'data-background-video="data:video/mp4;base64,([^"]*)"', page)
    for video, movie, slide in zip(videos, movies, deck.slides):
        with av.open(io.BytesIO(base64.b64decode(video))) as piece:
            last = [f.to_ndarray(format="gray") for f in piece.decode(video=0)][-1].astype(float)
        rid = movie._element.xpath(".//a:blip/@r:embed")[0]
        preview = np.asarray(Image.open(io.BytesIO(slide.part.related_part(rid).blob)).convert("L"), float)
        assert np.abs(preview - last).mean() < 3 and preview.std() > 5  # the frame, not a flat grey
    # the title ends shown in full (its text at the theme's white), not faded towards the background
    with av.open(io.BytesIO(base64.b64decode(videos[0]))) as piece:
        title_end = [f.to_ndarray(format="gray") for f in piece.decode(video=0)][-1]
    assert title_end.max() > 200 and (title_end > 128).sum() > 2000
