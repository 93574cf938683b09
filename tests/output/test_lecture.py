"""The lecture: chapters planned from the catalog, rendered as cached segments, joined with chapters and
shifted subtitles; its options checked; and the progress bar, on a terminal only."""

import json
import os
import subprocess
import sys

import av
import pytest
import srt
import webvtt

from backprop.engine.spec import load_network
from backprop.scenes.catalog import SCENES, LectureChapter, SceneInfo
from tests.helpers import run_cli as run

TWO = (LectureChapter("title", "Backpropagation"), LectureChapter("backward", "The whole backward pass"))


@pytest.fixture
def two_chapters(monkeypatch):
    """The lecture cut to its first two chapters (the others are long): title, backward."""
    monkeypatch.setattr("backprop.output.render.lecture.LECTURE", TWO)


def fast_theme(path, **fields):
    path.write_text(json.dumps({"pace": 0.25, **fields}), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("args,field", [
    (["--jobs", "0"], "'--jobs'"), (["--jobs", "two"], "'--jobs'"), (["--jobs", "65"], "'--jobs'"),
    (["--format", "gif"], "format: the lecture is a video"), (["--format", "png"], "format: the lecture is a video"),
    (["backward"], "scene: the lecture renders alone"), (["--param", "W1[1,2]"], "param:"),
    (["--network", "no-such-net"], "network:"),
])
def test_lecture_options_are_checked(capsys, tmp_path, args, field):
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "render", "lecture", *args, "--output-dir", str(out_dir))
    assert code == 2 and out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("backprop: ") and field in err
    assert not out_dir.exists()  # nothing written, not even the folder


def test_a_folder_where_the_lecture_goes_is_refused_before_rendering(capsys, tmp_path, monkeypatch):
    def no_render(*args, **kwargs):
        raise AssertionError("rendered although the lecture could not be written")
    monkeypatch.setattr("backprop.output.render.lecture.multiprocessing.get_context", no_render)
    (tmp_path / "lecture.mp4").mkdir()
    code, out, err = run(capsys, "render", "lecture", "--output-dir", str(tmp_path))
    assert code == 2 and out == "" and err.count("\n") == 1 and f"'{tmp_path / 'lecture.mp4'}' is a folder" in err
    assert os.listdir(tmp_path) == ["lecture.mp4"]


def test_each_chapter_plays_its_own_network_unless_it_can_play_the_given_one(monkeypatch):
    from backprop.output.render.lecture import chapters

    fussy = SceneInfo("backprop.scenes.title", "TitleCard", "plays one output only", network="seed",
                      requires=lambda net: "two outputs" if net.sizes[-1] > 1 else None)
    monkeypatch.setitem(SCENES, "fussy", fussy)
    monkeypatch.setattr("backprop.output.render.lecture.LECTURE",
                        tuple(LectureChapter(s, t) for s, t in (("title", "A"), ("not-written-yet", "B"),
                                                                ("fussy", "C"), ("backward", "D"))))
    own = [(c.scene, c.title, c.network.name) for c in chapters()]
    assert own == [("title", "A", "seed"), ("fussy", "C", "seed"), ("backward", "D", "seed")]
    given = [(c.scene, c.network.name) for c in chapters(load_network("branching"))]
    assert given == [("title", "branching"), ("fussy", "seed"), ("backward", "branching")]


def test_list_offers_the_lecture(capsys):
    code, out, err = run(capsys, "list")
    assert code == 0 and any(line.split()[:1] == ["lecture"] and "teaching order" in line for line in out.splitlines())


def test_the_lecture_list_is_in_teaching_order():
    from backprop.scenes.catalog import LECTURE

    names = [c.scene for c in LECTURE]
    # the lesson's arc: the goal (and why backwards) before the mechanics, the forward values before the
    # nudge uses them, the update right after the gradients it uses (then what else uses them), the
    # skips and the clip after vanishing gradients, the takeaways last
    assert names == ["title", "forward", "nudge", "why-backwards", "chain-rule", "gates", "branch-sum", "backward",
                     "autodiff", "update", "saliency", "optimizers", "matrix-form", "batch", "gradient-check",
                     "vanishing", "residual", "exploding", "confusions", "takeaways"]
    assert len({c.title for c in LECTURE}) == len(LECTURE)


@pytest.mark.slow
def test_lecture_transcript_lists_chapters_and_shifts_every_item(capsys, tmp_path, two_chapters):
    """Each chapter played alone at its place in the lecture (its title, its bridge), then shifted."""
    from backprop.engine.timeline import build_timeline
    from backprop.output.render import lecture as lectures
    from backprop.output.render.transcript import transcript
    from backprop.story.theme import load_theme

    theme = fast_theme(tmp_path / "fast.json")
    parts = [transcript(c.scene, build_timeline(c.network), load_theme(theme), network=c.network, lecture=c.place)
             for c in lectures.chapters()]
    code, out, err = run(capsys, "transcript", "lecture", "--theme", theme, "--json")
    assert code == 0, err
    lecture = json.loads(out)
    first = parts[0]["duration"]
    assert lecture["duration"] == pytest.approx(first + parts[1]["duration"], abs=0.002)
    assert [(c["title"], c["scene"], c["network"]) for c in lecture["chapters"]] == [
        ("Backpropagation", "title", "seed"), ("The whole backward pass", "backward", "seed")]
    assert [c["start"] for c in lecture["chapters"]] == [0, pytest.approx(first, abs=0.001)]
    assert [c["end"] for c in lecture["chapters"]] == [pytest.approx(first, abs=0.001),
                                                       pytest.approx(lecture["duration"], abs=0.001)]
    expected = [(0, i["start"], i["end"], i["text"], i["role"]) for i in parts[0]["items"]] + [
        (1, i["start"] + first, i["end"] + first, i["text"], i["role"]) for i in parts[1]["items"]]
    got = [(i["chapter"], i["start"], i["end"], i["text"], i["role"]) for i in lecture["items"]]
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g[0] == e[0] and g[3:] == e[3:] and g[1] == pytest.approx(e[1], abs=0.002)
        assert g[2] == pytest.approx(e[2], abs=0.002)
    # the lesson's title once; the first chapter bridges to the second, which opens with its own title
    titles = [i["text"] for i in lecture["items"] if i["role"] == "title"]
    assert titles.count("Backpropagation: computing gradients layer by layer") == 1
    assert titles[-2:] == ["The whole backward pass", "Chapter 2"]
    captions = [(i["chapter"], i["text"]) for i in lecture["items"] if i["role"] == "caption"]
    assert [t for c, t in captions if c == 0][-1] == "Next: The whole backward pass"
    assert not any(t.startswith("Next:") for c, t in captions if c == 1)
    # alone, a scene keeps its own title and ends without a bridge
    code, out, err = run(capsys, "transcript", "backward", "--theme", theme, "--json")
    alone = json.loads(out)
    assert [i["text"] for i in alone["items"] if i["role"] == "title"][0] == (
        "Backpropagation: computing gradients layer by layer")
    assert not any(i["text"].startswith("Next:") for i in alone["items"] if i["role"] == "caption")
    code, plain, err = run(capsys, "transcript", "lecture", "--theme", theme)
    assert code == 0, err
    lines = plain.splitlines()
    assert lines[0].startswith("lecture, 2 chapters, ")
    assert lines[1].startswith("0:00.0–") and "chapter 1: Backpropagation (title on seed)" in lines[1]
    assert "chapter 2: The whole backward pass (backward on seed)" in lines[2]


def chapters_in(path):
    with av.open(str(path)) as container:
        return [(c["metadata"]["title"], float(c["start"] * c["time_base"]), float(c["end"] * c["time_base"]))
                for c in container.chapters()]


def frames_seconds(path) -> float:
    """A video's length counted from its decoded frames (not from what our code wrote down)."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(video=0))
        return frames / float(stream.average_rate)


def vtt_cues(path):
    def seconds(stamp):
        h, m, s = stamp.split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)
    return [(seconds(c.start), seconds(c.end), c.text) for c in webvtt.read(str(path)).captions]


class Recorded:
    """A stand-in progress bar and log that remember what they were told."""
    active = True

    def __init__(self):
        self.calls = []

    def start(self, total):
        self.calls.append(("start", total))

    def advance(self, n=1):
        self.calls.append(("advance", n))


@pytest.mark.slow
def test_the_lecture_video(capsys, tmp_path, two_chapters):
    """Two chapters at a fast pace: chapters in the mp4, subtitles shifted, a re-run renders nothing, a
    changed theme renders again."""
    out_dir = tmp_path / "out"
    theme = fast_theme(tmp_path / "fast.json")
    code, out, err = run(capsys, "render", "lecture", "--theme", theme, "--output-dir", str(out_dir), "--jobs", "2")
    assert code == 0, err
    names = ["lecture.mp4", "lecture.srt", "lecture.vtt", "lecture.chapters.vtt"]
    assert out.split() == [str(out_dir / n) for n in names]
    assert sorted(os.listdir(out_dir)) == sorted(names + [".lecture-cache"])  # no work folder left
    cache = out_dir / ".lecture-cache"
    segments = {name.split("-")[0]: cache / name for name in os.listdir(cache) if name.endswith(".mp4")}
    assert sorted(segments) == ["backward", "title"] and len(os.listdir(cache)) == 6  # .mp4 .srt .json each

    # chapters inside the video: one per scene, starting where the title segment's frames end
    first, second = frames_seconds(segments["title"]), frames_seconds(segments["backward"])
    total = frames_seconds(out_dir / "lecture.mp4")
    assert total == pytest.approx(first + second, abs=0.07) and 30 < total < 60
    marks = chapters_in(out_dir / "lecture.mp4")
    assert [m[0] for m in marks] == ["Backpropagation", "The whole backward pass"]
    assert marks[0][1] == 0 and marks[0][2] == pytest.approx(first, abs=0.002)
    assert marks[1][1] == pytest.approx(first, abs=0.002) and marks[1][2] == pytest.approx(total, abs=0.07)
    assert [(t, s, e) for s, e, t in vtt_cues(out_dir / "lecture.chapters.vtt")] == [
        (t, pytest.approx(s, abs=0.001), pytest.approx(e, abs=0.001)) for t, s, e in marks]

    # ... and as `transcript lecture` lists them, on the scenes' clock: manim gives each animation whole
    # frames, so at this fast pace (many animations shorter than a frame) the backward pass's 37 s of
    # frames run 0.7 s longer than its clock, and the title's (card, network, goal) a frame or two;
    # the video's chapters follow the frames
    code, out, err = run(capsys, "transcript", "lecture", "--theme", theme, "--json")
    listed = json.loads(out)["chapters"]
    assert [c["start"] for c in listed] == [0, pytest.approx(first, abs=3 / 15)]
    assert listed[1]["end"] == pytest.approx(total, rel=0.03)

    # subtitles: each segment's cues, the second's moved by the first segment's length
    def cues(path):
        return [(c.start.total_seconds(), c.end.total_seconds(), c.content) for c in srt.parse(path.read_text("utf-8"))]
    expected = cues(cache / (segments["title"].stem + ".srt")) + [
        (s + first, e + first, text) for s, e, text in cues(cache / (segments["backward"].stem + ".srt"))]
    got = cues(out_dir / "lecture.srt")
    assert len(got) == len(expected) > 10
    for (s, e, text), (s2, e2, text2) in zip(got, expected):
        assert text == text2 and s == pytest.approx(s2, abs=0.002) and e == pytest.approx(e2, abs=0.002)
    assert [(pytest.approx(s, abs=0.001), pytest.approx(e, abs=0.001), t) for s, e, t in got] == vtt_cues(
        out_dir / "lecture.vtt")
    assert got[-1][1] == pytest.approx(total, abs=0.25)

    # a re-run with nothing changed renders no chapter: the segments are untouched
    from backprop.output.render import lecture
    from backprop.story.theme import load_theme

    stamps = {name: os.stat(cache / name).st_mtime_ns for name in os.listdir(cache)}
    bar, log = Recorded(), []
    paths = lecture.render(lecture.chapters(), load_theme(theme), "low", "mp4", str(out_dir), 2, "lecture", bar=bar,
                           log=lambda scene, what: log.append((scene, what)))
    assert paths == [str(out_dir / n) for n in names]
    assert log == [("title", "cached"), ("backward", "cached")] and bar.calls == [("start", 2), ("advance", 2)]
    assert {name: os.stat(cache / name).st_mtime_ns for name in os.listdir(cache)} == stamps
    assert chapters_in(out_dir / "lecture.mp4") == marks

    # another theme: both chapters again, the old segments of this quality and format dropped
    other = fast_theme(tmp_path / "other.json", background="#202020")
    bar, log = Recorded(), []
    lecture.render(lecture.chapters(), load_theme(other), "low", "mp4", str(out_dir), 1, "lecture", bar=bar,
                   log=lambda scene, what: log.append((scene, what)))
    assert sorted(log) == [("backward", "rendered"), ("title", "rendered")]
    assert bar.calls == [("start", 2), ("advance", 0), ("advance", 1), ("advance", 1)]
    assert len(os.listdir(cache)) == 6 and not set(os.listdir(cache)) & set(stamps)


@pytest.mark.slow
def test_progress_bar_on_a_terminal_only(tmp_path):
    """The same render with stderr on a terminal (a pty) and on a pipe: a bar counting the scene's
    plays on the terminal; nothing on the pipe; stdout the written paths both times."""
    import pty

    from backprop.engine.timeline import build_timeline
    from backprop.output.render.request import RenderRequest
    from backprop.output.render.scene import planned_plays
    from backprop.story.theme import load_theme

    theme = fast_theme(tmp_path / "fast.json")
    command = [sys.executable, "-m", "backprop", "render", "title", "--theme", theme]
    piped = subprocess.run(command + ["--output-dir", str(tmp_path / "a")], capture_output=True, text=True,
                           timeout=300)
    assert piped.returncode == 0 and piped.stderr == ""
    assert piped.stdout.split() == [str(tmp_path / "a" / f"title-seed{ext}")
                                    for ext in (".mp4", ".srt", ".vtt", ".chapters.vtt")]

    main, child = pty.openpty()
    proc = subprocess.Popen(command + ["--output-dir", str(tmp_path / "b")], stdout=subprocess.PIPE, stderr=child,
                            env={**os.environ, "COLUMNS": "120", "TERM": "xterm"})
    os.close(child)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    stdout = proc.stdout.read().decode()
    assert proc.wait(timeout=300) == 0
    os.close(main)
    assert stdout == piped.stdout.replace(str(tmp_path / "a"), str(tmp_path / "b"))
    text = shown.decode("utf-8", "replace")
    net = load_network("seed")
    total = planned_plays(RenderRequest("title", build_timeline(net), network=net, theme=load_theme(theme)))
    # counted independently: the scene's own log of what it played, in a dry run
    from manim import tempconfig
    from backprop.scenes.title import TitleCard
    with tempconfig({"dry_run": True, "verbosity": "ERROR", "media_dir": str(tmp_path / "dry")}):
        dry = TitleCard(network=net, theme=load_theme(theme), skip_animations=True)
        dry.render()
    assert total == len(dry.play_log) > 3
    assert f"{total}/{total}" in text and "animations" in text and "title" in text and "left" in text
    assert f"0/{total}" in text or f"1/{total}" in text  # it counted up, not only the end
    assert "title-seed.mp4" not in text  # the paths went to stdout, not to the terminal


@pytest.mark.slow
def test_ctrl_c_stops_every_chapter_and_leaves_nothing_half_written(tmp_path):
    """Ctrl-C on a terminal reaches the lecture's process group; the chapter processes, in groups of
    their own (so one still starting Python prints nothing), are stopped by the lecture."""
    import signal
    import time

    out_dir = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "backprop", "render", "lecture", "--jobs", "2", "--output-dir",
                             str(out_dir)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    children = []
    for _ in range(600):  # until the chapters are rendering (the lecture takes minutes at the default pace)
        children = children_of(proc.pid)
        if len(children) >= 3:  # the chapter processes and multiprocessing's resource tracker
            break
        time.sleep(0.1)
    assert children
    time.sleep(1)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and out == b"" and err == b"backprop: interrupted; nothing was written\n"
    left = [os.path.relpath(os.path.join(root, name), out_dir) for root, dirs, files in os.walk(out_dir)
            for name in dirs + files]
    # no lecture and no work folder; a chapter that finished before Ctrl-C may stay cached, but whole
    cached = [p for p in left if p.startswith(".lecture-cache" + os.sep)]
    assert set(left) - set(cached) <= {".lecture-cache"}, left
    keys = {os.path.basename(p).rsplit(".", 1)[0] for p in cached}
    assert sorted(cached) == sorted(os.path.join(".lecture-cache", f"{k}.{ext}") for k in keys
                                    for ext in ("json", "mp4", "srt")), left
    for _ in range(600):  # every chapter process goes (multiprocessing's resource tracker just after)
        if not any(os.path.exists(f"/proc/{pid}") for pid in children):
            break
        time.sleep(0.1)
    else:
        raise AssertionError("processes of the lecture still running a minute after it ended")


def children_of(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc: they run in process groups of their own)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found
