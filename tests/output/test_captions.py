"""Web captions and chapters: WebVTT files read back with webvtt-py, chapters read back with PyAV,
against hand-worked times."""

import io

import av
import numpy as np
import pytest
import srt
import webvtt

from backprop.output.render.captions import (captions_vtt, chapter_list, chapters_vtt, join_videos, shifted_srt,
                                      video_seconds, vtt_time, with_chapters)

SRT = ("1\n00:00:00,000 --> 00:00:02,500\n∂L/∂y = −0.391: the output\nshould go up.\n\n"
       "2\n00:00:02,500 --> 00:01:05,250\nσ′ scales it.\n\n")


def seconds(stamp: str) -> float:
    h, m, s = stamp.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def test_vtt_times():
    assert vtt_time(0) == "00:00:00.000"
    assert vtt_time(65.25) == "00:01:05.250"
    assert vtt_time(3725.0004) == "01:02:05.000"


def test_captions_are_the_srt_cues():
    vtt = webvtt.from_buffer(io.StringIO(captions_vtt(SRT)))
    assert [(c.start, c.end, c.text) for c in vtt.captions] == [
        ("00:00:00.000", "00:00:02.500", "∂L/∂y = −0.391: the output\nshould go up."),
        ("00:00:02.500", "00:01:05.250", "σ′ scales it.")]


def test_chapters_join_repeated_captions_and_end_with_the_video():
    beats = [("Title", 0.0, 1.0), ("Step 1 ·  Start at the loss", 1.0, 4.0), ("Step 1 · Start at the loss", 4.0, 6.0),
             ("Nothing", 6.0, 6.0), ("Table", 6.0, 9.9)]
    assert chapter_list(beats, 10.0) == [("Title", 0.0, 1.0), ("Step 1 · Start at the loss", 1.0, 6.0),
                                         ("Table", 6.0, 10.0)]
    vtt = webvtt.from_buffer(io.StringIO(chapters_vtt(chapter_list(beats, 10.0))))
    assert [(seconds(c.start), seconds(c.end), c.text) for c in vtt.captions] == [
        (0, 1, "Title"), (1, 6, "Step 1 · Start at the loss"), (6, 10, "Table")]


def test_subtitles_of_parts_are_shifted():
    second = "1\n00:00:01,000 --> 00:00:03,000\nSecond part.\n\n"
    cues = list(srt.parse(shifted_srt([(SRT, 0.0), (second, 65.25)])))
    assert [(c.index, c.start.total_seconds(), c.end.total_seconds(), c.content) for c in cues] == [
        (1, 0.0, 2.5, "∂L/∂y = −0.391: the output\nshould go up."), (2, 2.5, 65.25, "σ′ scales it."),
        (3, 66.25, 68.25, "Second part.")]


def tiny_video(path, frames: int, shade: int):
    """`frames` frames at 15 fps, H.264 as our renders write it."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=15)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(frames):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), shade, np.uint8), format="rgb24")
            frame.pts = i
            out.mux(stream.encode(frame))
        out.mux(stream.encode())


def read_chapters(path):
    with av.open(str(path)) as container:
        return [(c["metadata"]["title"], float(c["start"] * c["time_base"]), float(c["end"] * c["time_base"]))
                for c in container.chapters()]


def test_chapters_go_inside_the_video_unchanged(tmp_path):
    tiny_video(tmp_path / "a.mp4", 45, 10)
    with_chapters(str(tmp_path / "a.mp4"), str(tmp_path / "b.mp4"), [("One", 0, 1.2), ("Two −0.391", 1.2, 3.0)])
    assert read_chapters(tmp_path / "b.mp4") == [("One", 0.0, 1.2), ("Two −0.391", 1.2, 3.0)]
    assert video_seconds(str(tmp_path / "b.mp4")) == pytest.approx(3.0)
    with av.open(str(tmp_path / "a.mp4")) as a, av.open(str(tmp_path / "b.mp4")) as b:
        assert [bytes(p) for p in a.demux(video=0) if p.size] == [bytes(p) for p in b.demux(video=0) if p.size]


def test_segments_join_without_re_encoding(tmp_path):
    tmp_path = tmp_path / "lecturer's notes"  # a quote in the folder's name
    tmp_path.mkdir()
    tiny_video(tmp_path / "a.mp4", 30, 10)
    tiny_video(tmp_path / "b.mp4", 15, 200)
    join_videos([str(tmp_path / "a.mp4"), str(tmp_path / "b.mp4")], str(tmp_path / "ab.mp4"),
                [("A", 0, 2.0), ("B", 2.0, 3.0)])
    assert read_chapters(tmp_path / "ab.mp4") == [("A", 0.0, 2.0), ("B", 2.0, 3.0)]
    with av.open(str(tmp_path / "ab.mp4")) as joined:
        frames = [(float(f.pts * f.time_base), int(f.to_ndarray(format="gray").mean())) for f in joined.decode(video=0)]
    assert len(frames) == 45 and frames[29][0] == pytest.approx(29 / 15) and frames[30][0] == pytest.approx(2.0)
    assert {shade for _, shade in frames[:30]} == {10} and {shade for _, shade in frames[30:]} == {200}
    # copied, not encoded again: each packet is the segment's, keyframes with the parameter sets
    # (SPS, PPS) written into them by the concat demuxer
    pieces = [bytes(p) for name in ("a", "b") for p in av.open(str(tmp_path / f"{name}.mp4")).demux(video=0) if p.size]
    joined = [bytes(p) for p in av.open(str(tmp_path / "ab.mp4")).demux(video=0) if p.size]
    assert len(joined) == len(pieces)
    for piece, packet in zip(pieces, joined):
        assert packet == piece or inserted_into(piece, packet)


def inserted_into(piece: bytes, packet: bytes) -> bool:
    """`packet` is `piece` with bytes inserted at one place."""
    head = next((i for i, (a, b) in enumerate(zip(piece, packet)) if a != b), len(piece))
    return len(packet) > len(piece) and packet[:head] == piece[:head] and packet.endswith(piece[head:])
