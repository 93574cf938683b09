"""Real renders through the command line, at the lowest quality: the files a lecturer gets."""

import json
import os

import av
import pytest
import srt
import webvtt
from PIL import Image

from backprop.engine.spec import load_network
from backprop.engine.timeline import build_timeline
from backprop.story.texts import grad_text, loss_text, operand_text
from tests.helpers import run_cli as run
from tests.output.stand_ins import tiny_construct
from tests.story.cue_checks import assert_readable


@pytest.mark.slow
def test_render_the_default_video(capsys, tmp_path):
    code, out, err = run(capsys, "render", "--output-dir", str(tmp_path))
    assert code == 0, err
    paths = out.split()
    video = tmp_path / "backward-seed.mp4"
    web = ["backward-seed.srt", "backward-seed.vtt", "backward-seed.chapters.vtt"]
    assert paths == [str(video)] + [str(tmp_path / name) for name in web]
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        assert (stream.width, stream.height) == (854, 480)
        seconds = container.duration / 1e6
    # every card long enough to read at ~125 words a minute (issue #6): longer than the storyboard's 70–90 s
    assert 120 <= seconds <= 180
    assert sorted(os.listdir(tmp_path)) == sorted(["backward-seed.mp4"] + web)  # nothing left over
    # The subtitles: readable cues that say the narrator's sentences with the timeline's numbers
    cues = list(srt.parse((tmp_path / "backward-seed.srt").read_text(encoding="utf-8")))
    assert_readable([(c.start.total_seconds(), c.end.total_seconds(), c.content) for c in cues])
    assert cues[0].start.total_seconds() == 0 and abs(cues[-1].end.total_seconds() - seconds) < 0.2
    said = " ".join(c.content.replace("\n", " ") for c in cues)
    timeline = build_timeline(load_network("seed"))
    seed = timeline.of_kind("seed")[0]
    out = next(e for e in timeline.of_kind("multiply") if e["target"] == "z2_1")
    weight = next(e for e in timeline.of_kind("param_grad") if e["param"] == "W2[1,1]")
    x1 = next(e for e in timeline.of_kind("accumulate") if e["target"] == "x1")
    assert f"∂L/∂y = {grad_text(seed['value'])}: the output should go up." in said
    assert f"= {operand_text(out['value'])} at the output unit." in said
    assert f"∂L/∂W₂[1,1] = {grad_text(weight['value'])}." in said
    assert "x₁ fed two units, so its two contributions add up:" in said
    assert f"≈ {operand_text(x1['value'])}." in said  # the shown terms add to −0.0294
    assert f"L = {loss_text(timeline.of_kind('loss')[-1]['value'])}" in said
    assert "Step 1 · Start at the loss" not in said  # the caption is on screen; the subtitle says more
    # Web captions: the same cues as the .srt; chapters: one per beat, where the transcript shows each
    # beat's caption (or the title card), the same inside the mp4
    vtt = webvtt.read(str(tmp_path / "backward-seed.vtt")).captions
    assert [(stamp(c.start), stamp(c.end), c.text) for c in vtt] == [
        (approx(c.start.total_seconds()), approx(c.end.total_seconds()), c.content) for c in cues]
    chapters = [(stamp(c.start), stamp(c.end), c.text) for c in
                webvtt.read(str(tmp_path / "backward-seed.chapters.vtt")).captions]
    code, listed, err = run(capsys, "transcript", "--json")
    shown = [(" ".join(i["text"].split()), i["start"]) for i in json.loads(listed)["items"]
             if i["role"] in ("caption", "title")]
    assert len(chapters) > 10 and chapters[0][0] == 0 and chapters[-1][1] == approx(seconds, abs=0.25)
    for (start, end, title), following in zip(chapters, chapters[1:] + [None]):
        # (the transcript's clock is exact; a render gives each animation whole frames: 0.35 s more by 100 s)
        assert (title, approx(start, abs=0.1 + 0.005 * start)) in shown and end > start
        assert following is None or following[0] == approx(end)  # no gaps, no overlaps
    with av.open(str(video)) as container:
        inside = [(float(c["start"] * c["time_base"]), float(c["end"] * c["time_base"]), c["metadata"]["title"])
                  for c in container.chapters()]
    assert inside == [(approx(s), approx(e), t) for s, e, t in chapters]


def approx(x, abs=0.001):
    return pytest.approx(x, abs=abs)


def stamp(text: str) -> float:
    h, m, s = text.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


@pytest.mark.slow
def test_render_a_still(capsys, tmp_path):
    code, out, err = run(capsys, "render", "--network", "branching", "--format", "png", "--output-dir", str(tmp_path))
    assert code == 0, err
    assert out.split() == [str(tmp_path / "backward-branching.png")]
    image = Image.open(tmp_path / "backward-branching.png")
    assert image.size == (854, 480)
    assert len(set(image.convert("L").tobytes())) > 20  # a drawn network, not a blank frame
    assert os.listdir(tmp_path) == ["backward-branching.png"]


@pytest.mark.parametrize("failure,code", [(KeyboardInterrupt(), 130), (RuntimeError("boom"), 1)])
def test_a_failed_render_keeps_the_previous_video(capsys, tmp_path, monkeypatch, failure, code):
    from backprop.scenes.backward import BackwardPass
    monkeypatch.setattr(BackwardPass, "construct", tiny_construct(failure))
    old = tmp_path / "backward-seed.mp4"
    old.write_bytes(b"last week's good video")
    got, out, err = run(capsys, "render", "--output-dir", str(tmp_path))
    assert got == code and err.count("\n") == 1 and "Traceback" not in err
    assert old.read_bytes() == b"last week's good video"
    assert os.listdir(tmp_path) == ["backward-seed.mp4"]  # no partial file, no work folder


def test_a_full_disk_at_the_last_step_keeps_the_previous_video(capsys, tmp_path, monkeypatch):
    import errno

    from backprop.scenes.backward import BackwardPass
    monkeypatch.setattr(BackwardPass, "construct", tiny_construct())

    def full_disk(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr("backprop.output.render.files.os.replace", full_disk)
    old = tmp_path / "backward-seed.mp4"
    old.write_bytes(b"old")
    code, _, err = run(capsys, "render", "--output-dir", str(tmp_path))
    assert code == 2 and "the disk is full" in err and err.count("\n") == 1
    assert old.read_bytes() == b"old" and os.listdir(tmp_path) == ["backward-seed.mp4"]


def frame_hashes(path):
    import hashlib
    with av.open(str(path)) as container:
        return [hashlib.sha256(frame.to_ndarray(format="rgb24").tobytes()).hexdigest()
                for frame in container.decode(video=0)]


@pytest.mark.slow
def test_same_spec_same_frames(capsys, tmp_path):
    """Determinism: two renders of one spec and options give identical frames and identical files, on
    a busy machine too (the encoder reads bytes nobody wrote; see renderer.zero_fresh_buffers). A
    fast-paced theme keeps this test short; --theme is exercised on the way."""
    theme = tmp_path / "fast.toml"
    theme.write_text("pace = 0.25\n", encoding="utf-8")
    videos = []
    for run_dir in ("a", "b"):
        code, out, err = run(capsys, "render", "--network", "branching", "--theme", str(theme),
                             "--output-dir", str(tmp_path / run_dir))
        assert code == 0, err
        videos.append(out.split()[0])
    first, second = frame_hashes(videos[0]), frame_hashes(videos[1])
    assert len(first) > 100 and first == second
    with open(videos[0], "rb") as a, open(videos[1], "rb") as b:
        assert a.read() == b.read()


@pytest.mark.parametrize("fmt,codec,alpha", [("gif", "gif", True), ("webm", "vp9", False), ("mov", "qtrle", True),
                                             ("mp4", "h264", False)])
def test_every_video_format(capsys, tmp_path, monkeypatch, fmt, codec, alpha):
    """The format plumbing, on a one-animation stand-in scene (the real scene is rendered above)."""
    from backprop.scenes.backward import BackwardPass
    monkeypatch.setattr(BackwardPass, "construct", tiny_construct())
    code, out, err = run(capsys, "render", "--format", fmt, "--output-dir", str(tmp_path))
    assert code == 0, err
    path = tmp_path / f"backward-seed.{fmt}"
    assert out.split() == [str(path)]
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == codec and (stream.width, stream.height) == (854, 480)
        assert ("a" in stream.codec_context.pix_fmt) == alpha


@pytest.mark.parametrize("fmt,files", [("mp4", ["backward-seed.mp4", "backward-seed.srt", "backward-seed.vtt",
                                                "backward-seed.chapters.vtt"]),
                                       ("gif", ["backward-seed.gif"]), ("png", ["backward-seed.png"])])
def test_subtitles_only_beside_a_video(capsys, tmp_path, monkeypatch, fmt, files):
    """A one-beat stand-in scene (it has a subtitle): no player shows a .srt beside a GIF or a still."""
    from manim import Circle, FadeIn

    from backprop.scenes.backward import BackwardPass
    from backprop.scenes.steps import Step

    def construct(self):
        self.beat("One beat", [Step([FadeIn(Circle())], 0.3, 1.5)], narration="A sentence to read.")
    monkeypatch.setattr(BackwardPass, "construct", construct)
    code, out, err = run(capsys, "render", "--format", fmt, "--output-dir", str(tmp_path))
    assert code == 0, err
    assert out.split() == [str(tmp_path / f) for f in files] and sorted(os.listdir(tmp_path)) == sorted(files)
    if fmt == "mp4":
        assert [c.content for c in srt.parse((tmp_path / files[1]).read_text(encoding="utf-8"))] == [
            "A sentence to read."]


@pytest.mark.slow
def test_manims_own_command_line(tmp_path):
    """The scene file loads standalone in `manim render` (network from $BACKPROP_NETWORK)."""
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    manim = Path(sys.executable).with_name("manim")
    done = subprocess.run([str(manim), "render", "-ql", "-s", "--disable_caching", "--media_dir", str(tmp_path),
                           str(root / "backprop" / "scenes" / "backward.py"), "BackwardPass"],
                          capture_output=True, text=True, env={**os.environ, "BACKPROP_NETWORK": "branching"},
                          stdin=subprocess.DEVNULL, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    stills = list(tmp_path.rglob("BackwardPass*.png"))
    assert len(stills) == 1 and Image.open(stills[0]).size == (854, 480)


def test_a_high_quality_gif_plays_at_its_speed_in_a_browser(capsys, tmp_path, monkeypatch):
    """Browsers hold frames shorter than 2/100 s for 1/10 s: no frame may be that short."""
    from backprop.scenes.backward import BackwardPass
    monkeypatch.setattr(BackwardPass, "construct", tiny_construct())
    code, out, err = run(capsys, "render", "--format", "gif", "--quality", "high", "--output-dir", str(tmp_path))
    assert code == 0, err
    with av.open(out.split()[0]) as gif:
        stream = gif.streams.video[0]
        assert (stream.width, stream.height) == (1920, 1080)
        delays = [p.duration * stream.time_base for p in gif.demux(stream) if p.size]
    assert len(delays) >= 8 and min(delays) >= 0.02
    assert abs(sum(delays) - 0.3) < 0.05  # the animation's length


def test_a_pause_in_a_gif_costs_almost_nothing(capsys, tmp_path, monkeypatch):
    """Lecture videos are mostly pauses; the GIF a lecturer puts on a course page must not store each
    paused frame whole (manim's own GIF writer does: 174 MB for `seed`)."""
    from manim import Circle, Create

    from backprop.scenes.backward import BackwardPass
    from backprop.story.theme import Theme

    sizes = {}
    for pause in (0, 3):
        def construct(self, pause=pause):
            self.camera.background_color = Theme().background  # a dark grey: no fixed palette has it
            self.play(Create(Circle()), run_time=0.5)
            if pause:
                self.wait(pause)
        monkeypatch.setattr(BackwardPass, "construct", construct)
        out_dir = tmp_path / str(pause)
        code, out, err = run(capsys, "render", "--format", "gif", "--output-dir", str(out_dir))
        assert code == 0, err
        with av.open(out.split()[0]) as gif:
            assert abs(gif.duration / 1e6 - (0.5 + pause)) < 0.1
        sizes[pause] = os.path.getsize(out.split()[0])
    per_paused_frame, per_drawn_frame = (sizes[3] - sizes[0]) / 45, sizes[0] / 8
    assert per_paused_frame < 0.25 * per_drawn_frame  # ~0.12: what the encoder's refinements change


def test_a_4k_render_bounds_what_waits_to_be_encoded(capsys, tmp_path, monkeypatch):
    """A 4k frame is 33 MB, and each segment encoder in flight holds its queued frames and x264's
    lookahead: four encoders in flight took a 4k render to 4.5 GB. Count, during a real 4k render,
    the segment encoders alive at once (ours: made for each segment, finished when it is written)."""
    import threading

    from manim import Circle, Create

    from backprop.stage.renderer import RepeatOnceEncoder
    from backprop.scenes.backward import BackwardPass

    def construct(self):
        for k in range(6):  # drawing a circle outpaces encoding 4k frames: encoders pile up if they may
            self.play(Create(Circle(radius=0.5 + 0.3 * k)), run_time=0.25)
    monkeypatch.setattr(BackwardPass, "construct", construct)
    lock, count = threading.Lock(), {"alive": 0, "most": 0}
    made, finish = RepeatOnceEncoder.__init__, RepeatOnceEncoder.finish

    def counted_init(self, *args, **kwargs):
        made(self, *args, **kwargs)
        with lock:
            count["alive"] += 1
            count["most"] = max(count["most"], count["alive"])

    def counted_finish(self, *args, **kwargs):
        try:
            return finish(self, *args, **kwargs)
        finally:
            with lock:
                count["alive"] -= 1
    monkeypatch.setattr(RepeatOnceEncoder, "__init__", counted_init)
    monkeypatch.setattr(RepeatOnceEncoder, "finish", counted_finish)
    code, out, err = run(capsys, "render", "--quality", "4k", "--output-dir", str(tmp_path))
    assert code == 0, err
    with av.open(out.split()[0]) as video:
        assert (video.streams.video[0].width, video.streams.video[0].height) == (3840, 2160)
    assert count["most"] <= 2
