"""Web captions and chapters: what a course page needs beside a video, and chapters inside it.

Browsers accept only WebVTT in a `<track>` (Moodle and Canvas take it too), so every video gets
`NAME.vtt`, the same cues as its `.srt`, and `NAME.chapters.vtt`, one chapter per beat (per scene for
the lecture). Players that read chapters from the file itself (VLC, mpv, QuickTime) get them inside
the video: the video is remuxed (packets copied, nothing re-encoded) with its chapters.
webvtt-py writes the WebVTT files; PyAV writes the chapters and joins the lecture's segments.
"""

from __future__ import annotations

import io
import os
from datetime import timedelta
from fractions import Fraction
from io import BytesIO

import av
import srt
import webvtt

MS = Fraction(1, 1000)  # chapter times are stored in milliseconds


def chapter_list(beats: list[tuple[str, float, float]], duration: float) -> list[tuple[str, float, float]]:
    """(title, start s, end s) for each beat: a beat that says what the one before said (the same
    caption) joins it, a beat of no length is dropped, and the last chapter ends with the video."""
    chapters: list[list] = []
    for title, start, end in beats:
        title = " ".join(title.split())
        if chapters and chapters[-1][0] == title:
            chapters[-1][2] = end
        elif end > start:
            chapters.append([title, start, end])
    if chapters:
        chapters[-1][2] = max(chapters[-1][2], duration) if duration else chapters[-1][2]
    return [tuple(c) for c in chapters]


def vtt_time(seconds: float) -> str:
    ms = round(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def captions_vtt(srt_text: str) -> str:
    """The .srt's cues as WebVTT, cue for cue."""
    return webvtt.WebVTT.from_buffer(io.StringIO(srt_text), format="srt").content


def chapters_vtt(chapters: list[tuple[str, float, float]]) -> str:
    """A WebVTT chapters track (`<track kind="chapters">`): one cue per chapter, its title."""
    cues = [webvtt.Caption(vtt_time(start), vtt_time(end), title) for title, start, end in chapters]
    return webvtt.WebVTT(captions=cues).content


def shifted_srt(parts: list[tuple[str, float]]) -> str:
    """One subtitle file from several (srt text, offset s): each part's cues moved by its offset."""
    cues = []
    for text, offset in parts:
        for cue in srt.parse(text):
            cues.append(srt.Subtitle(len(cues) + 1, cue.start + timedelta(seconds=offset),
                                     cue.end + timedelta(seconds=offset), cue.content))
    return srt.compose(cues, reindex=True)


def web_files(work: str, srt_text: str | None, chapters, targets: list[str]) -> list[tuple[str, str]]:
    """A video's subtitles, web captions and chapters (`targets`: .srt, .vtt, .chapters.vtt) written in
    the folder `work`: (temporary, final) pairs to move into place with the video."""
    texts = [srt_text, captions_vtt(srt_text) if srt_text else None, chapters_vtt(chapters) if chapters else None]
    moves = []
    for text, target in zip(texts, targets):
        if text is not None:
            tmp = os.path.join(work, "web" + os.path.basename(target))
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(text)
            moves.append((tmp, target))
    return moves


def video_seconds(path: str) -> float:
    """The length of a video as its frames say (what a player shows), in seconds."""
    with av.open(path) as container:
        stream = container.streams.video[0]
        if stream.duration is not None:
            return float(stream.duration * stream.time_base)
        return container.duration / 1e6


def _chapter_dicts(chapters):
    return [{"id": n, "start": round(start * 1000), "end": round(end * 1000), "time_base": MS,
             "metadata": {"title": title}} for n, (title, start, end) in enumerate(chapters)]


def with_chapters(video: str, target: str, chapters: list[tuple[str, float, float]]) -> None:
    """`video` copied to `target` (no re-encoding) with `chapters` inside."""
    _copy(av.open(video), target, chapters)


def join_videos(segments: list[str], target: str, chapters: list[tuple[str, float, float]]) -> None:
    """Segments of the same codec, size and frame rate joined into one video without re-encoding
    (ffmpeg's concat demuxer, as manim joins its own animations), with `chapters` inside."""
    quoted = (path.replace("'", "'\\''") for path in segments)  # ffconcat's quoting: ' is '\''
    manifest = "".join(f"file 'file:{path}'\n" for path in quoted).encode("utf-8")
    _copy(av.open(BytesIO(manifest), format="concat", options={"safe": "0", "an": "1"}), target, chapters)


def _copy(source, target: str, chapters) -> None:
    with source, av.open(target, "w") as out:
        streams = [source.streams.video[0], *source.streams.audio]  # a narrated video's sound too
        copies = {s.index: out.add_stream_from_template(template=s) for s in streams}
        out.set_chapters(_chapter_dicts(chapters))
        for packet in source.demux(*streams):
            if packet.dts is None:  # the demuxer's flushing packets
                continue
            if packet.stream.type == "video":
                packet.dts = None  # consecutive segments' dts need not increase: libav works them out
            packet.stream = copies[packet.stream.index]
            out.mux(packet)
