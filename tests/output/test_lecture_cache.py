"""The lecture's segment cache is read back like input (issue 23): a segment truncated, swapped for another
chapter's, with a record that lacks its length or is not JSON, or with subtitles that are not UTF-8, is
rendered again (said in one line), never joined."""

import hashlib
import json
import os
import shutil

import av
import pytest

from backprop.output.render import lecture
from backprop.scenes.catalog import LectureChapter
from tests.helpers import run_cli as run


def write_segment(cache, key, video: bytes, srt: bytes = b"1\n00:00:00,000 --> 00:00:01,000\nhi\n", seconds=3.0):
    """A segment as the renderer leaves it: KEY.mp4, KEY.srt and KEY.json naming the key, the length and
    the SHA-256 of the other two."""
    cache.mkdir(exist_ok=True)
    (cache / f"{key}.mp4").write_bytes(video)
    (cache / f"{key}.srt").write_bytes(srt)
    record = {"key": key, "scene": "title", "seconds": seconds, "beats": [],
              "sha256": {"mp4": hashlib.sha256(video).hexdigest(), "srt": hashlib.sha256(srt).hexdigest()}}
    (cache / f"{key}.json").write_text(json.dumps(record))


def test_a_whole_segment_passes_and_every_kind_of_damage_is_named(tmp_path):
    cache = tmp_path / "cache"
    write_segment(cache, "title-low-mp4-a", b"A" * 1000, seconds=3.0)
    write_segment(cache, "backward-low-mp4-b", b"B" * 1000, seconds=8.3)
    assert lecture.check_segment(str(cache), "title-low-mp4-a", "mp4") == (3.0, "")

    def damaged(change) -> str:
        work = tmp_path / "work"
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(cache, work)
        change(work)
        seconds, why = lecture.check_segment(str(work), "title-low-mp4-a", "mp4")
        assert seconds is None
        return why

    def replace(ext, data):
        return lambda work: (work / f"title-low-mp4-a.{ext}").write_bytes(data)

    def swapped(exts):
        def change(work):
            for ext in exts:
                shutil.copyfile(work / f"backward-low-mp4-b.{ext}", work / f"title-low-mp4-a.{ext}")
        return change

    def record(**fields):
        def change(work):
            data = json.loads((work / "title-low-mp4-a.json").read_text())
            data.update(fields)
            (work / "title-low-mp4-a.json").write_text(json.dumps({k: v for k, v in data.items() if v is not None}))
        return change

    assert damaged(replace("mp4", b"A" * 500)) == "its .mp4 is not the one rendered"  # truncated
    assert damaged(swapped(["mp4"])) == "its .mp4 is not the one rendered"  # another chapter's video
    assert damaged(swapped(["mp4", "srt", "json"])) == "its record is another segment's"  # all of it
    assert damaged(replace("srt", b"1\n00:00:00,000 --> 00:00:01,000\n\xff\xfe\n")) == "its .srt is not the one rendered"
    assert damaged(record(seconds=None)) == "its record has no length"
    assert damaged(record(seconds=True)) == "its record has no length"
    assert damaged(record(seconds=float("inf"))).startswith("its record: ")  # JSON's Infinity: not data
    assert damaged(record(sha256=None)) == "its .mp4 is not the one rendered"
    assert damaged(replace("json", b"{not json")).startswith("its record: ")
    assert damaged(replace("json", b"\xff\xfe")).startswith("its record: ")
    assert damaged(lambda work: (work / "title-low-mp4-a.srt").unlink()) == "its .srt is not the one rendered"


@pytest.mark.slow
def test_a_truncated_segment_is_rendered_again_in_one_line(capsys, tmp_path, monkeypatch):
    """A one-chapter lecture rendered, its cached segment cut in half: the next run says so in one line,
    renders it again, and the lecture is the whole chapter again."""
    monkeypatch.setattr(lecture, "LECTURE", (LectureChapter("title", "Backpropagation"),))
    theme = tmp_path / "fast.json"
    theme.write_text(json.dumps({"pace": 0.25}))
    args = ["render", "lecture", "--theme", str(theme), "--output-dir", str(tmp_path / "out"), "--jobs", "1"]
    code, _, err = run(capsys, *args)
    assert code == 0, err
    cache = tmp_path / "out" / lecture.CACHE
    (segment,) = [cache / n for n in os.listdir(cache) if n.endswith(".mp4")]
    whole = segment.read_bytes()
    segment.write_bytes(whole[: len(whole) // 2])
    code, _, err = run(capsys, *args)
    said = [line for line in err.splitlines() if line.startswith("backprop:")]
    assert code == 0 and said == [f"backprop: lecture: the cached segment of chapter 'Backpropagation' ({segment.stem}) "
                                  "cannot be used: its .mp4 is not the one rendered; rendering it again"], err
    assert lecture.check_segment(str(cache), segment.stem, "mp4")[0] > 1
    with av.open(str(tmp_path / "out" / "lecture.mp4")) as video:
        assert video.streams.video[0].frames > 10
