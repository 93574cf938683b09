"""Programmatic renders: one scene, one network, one quality and format → files in the output folder.

manim writes into a private temporary folder inside the output folder; only finished files are moved
to their final names (os.replace on the same file system), so an interrupted or failed render leaves
the previous video intact and nothing half-written under its name.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field

from manim import tempconfig
from PIL import Image

from backprop.engine.spec import SpecError
from backprop.output.render.captions import chapter_list, video_seconds, web_files, with_chapters
from backprop.output.render.files import (OutputError, check_target, move_all_into_place, private_folder, safe_name,
                                          sha256_of)
from backprop.output.render.request import RenderRequest
from backprop.scenes.catalog import SCENES
from backprop.story.frame import Frame, pixel_size

QUALITIES = {"low": "low_quality", "medium": "medium_quality", "high": "high_quality", "4k": "fourk_quality"}
# Faster encoder settings than manim's defaults, measured (benchmarks/): x264's veryfast makes files of
# the same size as its default for these flat, mostly still frames, ~20% sooner at 1080p60.
ENCODER_OPTIONS = {"mp4": {"preset": "veryfast"}, "gif": {"preset": "veryfast"},  # GIF: its mp4 segments
                   "webm": {"deadline": "realtime", "cpu-used": "8"}}

# Browsers show a GIF frame meant for less than 2/100 s for 1/10 s, and at 60 fps every third frame
# gets 1/100 s: a 60 fps GIF plays in slow motion. 30 fps gives 3 and 4/100 s.
GIF_MAX_FPS = 30
# No player shows subtitles beside a GIF (a course page's loop) or a still: only videos get a .srt.
STILL_OR_LOOP = ("png", "gif")


# Each segment encoder in flight holds its queue of RGBA frames (33 MB each at 4k) and x264's lookahead:
# at 4k, four encoders with manim's queue of 8 frames peaked at 4.5 GB (benchmarks/render_memory.py).
IN_FLIGHT = {"4k": {"max_inflight_encoders": 2, "encoder_queue_size": 2}}


def video_options(fmt: str, quality: str = "low", transparent: bool = False) -> dict:
    """manim settings for a video render. Up to four animations' segments encode while the next
    animation draws (manim's default of one makes drawing wait for each segment's encoder to drain);
    fewer at 4k, where what waits to be encoded is what bounds memory."""
    options = {"format": fmt, "video_encoder_options": ENCODER_OPTIONS.get(fmt, {}), "max_inflight_encoders": 4,
               **IN_FLIGHT.get(quality, {})}
    if fmt == "mov" or (transparent and fmt == "webm"):  # webm: VP9 with an alpha plane (yuva420p)
        options["transparent"] = True
    return options


def output_stem(scene: str, network_name: str) -> str:
    return f"{safe_name(scene)}-{safe_name(network_name)}"


def output_paths(scene: str, network_name: str, fmt: str, output_dir: str, poster: bool = False) -> list[str]:
    """The files a render replaces: the video, GIF or still; beside a video its subtitles (.srt), web
    captions (.vtt) and chapters (.chapters.vtt); last, its poster if asked."""
    stem = os.path.join(output_dir, output_stem(scene, network_name))
    return stem_paths(stem, fmt) + ([f"{stem}.poster.png"] if poster else [])


def stem_paths(stem: str, fmt: str) -> list[str]:
    return [f"{stem}.{fmt}"] + ([f"{stem}{ext}" for ext in WEB_FILES] if fmt not in STILL_OR_LOOP else [])


WEB_FILES = (".srt", ".vtt", ".chapters.vtt")  # beside every video, in this order


def still_path(scene: str, network_name: str, output_dir: str, beat: int) -> str:
    """--still: one beat's last frame (a title beat's: before its title fades), NAME.beat-N.png (N as
    `backprop transcript` numbers beats)."""
    return os.path.join(output_dir, f"{output_stem(scene, network_name)}.beat-{beat}.png")


def check_targets(request: RenderRequest) -> None:
    """Refuse a folder or special file where an output goes before rendering anything, not after."""
    name = request.timeline.network["name"]
    if request.still is not None:
        if request.still.strip().isdigit():
            check_target(still_path(request.scene, name, request.output_dir, int(request.still)))
        return
    for target in output_paths(request.scene, name, request.fmt, request.output_dir, request.poster):
        check_target(target)


def frame_options(aspect: str, quality: str) -> dict:
    """manim settings for a frame of `aspect` at `quality`: its pixels and its size in frame units
    (the short side 8 units, so text keeps its pixel height at every aspect)."""
    width, height = pixel_size(aspect, quality)
    frame = Frame.of(aspect)
    return {"pixel_width": width, "pixel_height": height, "frame_width": frame.width, "frame_height": frame.height}


def render_scene(request: RenderRequest, bar=None, beats: list | None = None) -> list[str]:
    """Render the request's scene; return the written paths (the video, GIF or still; beside a video
    its subtitles, web captions and chapters, and its poster if asked). A `beats` list receives each
    beat's {"narration", "start", "end", "held"} in seconds of the video (slides end each on its `held`
    frame, the last one before anything fades it). `bar` (backprop.output.render.progress.Bar) counts
    the animations played."""
    scene, fmt, output_dir = request.scene, request.fmt, request.output_dir
    name = request.timeline.network["name"]
    targets = output_paths(scene, name, fmt, output_dir, request.poster)
    check_targets(request)
    with work_folder(output_dir) as work:
        made = _render_into(work, request, bar)
        if beats is not None:
            beats.extend(made.spoken)
        if request.still is not None:
            target = still_path(scene, name, output_dir, made.still_beat)
            check_target(target)
            move_all_into_place([(made.video, target)])
            return [target]
        moves = [(made.video, targets[0])]
        if fmt not in STILL_OR_LOOP:
            chapters = chapter_list(made.captions, video_seconds(made.video))
            chaptered = os.path.join(work, "chaptered." + fmt)
            with_chapters(made.video, chaptered, chapters)
            moves = [(chaptered, targets[0])]
            moves += web_files(work, made.srt_text, chapters, targets[1:1 + len(WEB_FILES)])
        if request.poster:
            moves.append((made.poster, targets[-1]))
        move_all_into_place(moves)
        return [final for _, final in moves]


def render_segment(request: RenderRequest, key: str) -> None:
    """One chapter of the lecture (at its place, `request.lecture`) into `request.output_dir` (the
    lecture's cache) as KEY.<fmt>, KEY.srt and KEY.json (its key, beats, length and the other two
    files' SHA-256), all or none."""
    scene, fmt, folder = request.scene, request.fmt, request.output_dir
    with work_folder(folder) as work:
        made = _render_into(work, request, None)
        srt_file = os.path.join(work, "segment.srt")
        with open(srt_file, "w", encoding="utf-8") as f:
            f.write(made.srt_text or "")
        record = os.path.join(work, "segment.json")
        with open(record, "w", encoding="utf-8") as f:  # the key and content hashes: the cache is checked on reuse
            json.dump({"key": key, "scene": scene, "seconds": video_seconds(made.video), "beats": made.captions,
                       "sha256": {fmt: sha256_of(made.video), "srt": sha256_of(srt_file)}}, f)
        moves = [(made.video, os.path.join(folder, f"{key}.{fmt}"))]
        moves += [(srt_file, os.path.join(folder, f"{key}.srt")), (record, os.path.join(folder, f"{key}.json"))]
        move_all_into_place(moves)


@dataclass
class Made:
    video: str  # the video, GIF or still manim wrote, in the work folder
    srt_text: str | None  # its subtitles (a video with beats)
    captions: list  # (caption, start s, end s) of every beat played
    spoken: list = field(default_factory=list)  # {"narration", "start", "end", "held"} of every beat
    poster: str | None = None  # the poster PNG, in the work folder
    still_beat: int | None = None  # --still: the number of the beat it shows


def work_folder(output_dir: str):
    """A private folder inside `output_dir` for a render, removed afterwards whatever happens (manim's
    own writes in it, frames and partial movies, failing: one line naming --output-dir)."""
    return private_folder(output_dir, "render", "output-dir")


def _scene_class(scene: str):
    info = SCENES[scene]
    return getattr(importlib.import_module(info.module), info.cls)


def planned_plays(request: RenderRequest, media_dir: str | None = None) -> int:
    """How many plays (animations and pauses) the scene will make: it is played once without drawing,
    for a progress bar's total. Given the render's `media_dir`, the texts it makes (Pango's SVGs, most
    of a dry run's work) are there for the render to reuse."""
    media = media_dir or tempfile.mkdtemp(prefix="backprop-count-")
    try:
        with tempconfig({"quality": "low_quality", **frame_options(request.aspect, "low"), "dry_run": True,
                         "disable_caching": True, "verbosity": "ERROR", "progress_bar": "none", "media_dir": media}):
            played = _scene_class(request.scene)(timeline=request.timeline, theme=request.theme,
                                                 skip_animations=True, param=request.param, network=request.network,
                                                 language=request.language)
            count = [0]
            _count_plays(played, lambda: count.__setitem__(0, count[0] + 1))
            played.render()
    finally:
        if media_dir is None:
            shutil.rmtree(media, ignore_errors=True)
    return count[0]


def _count_plays(scene_obj, tick) -> None:
    """Call `tick` after every play of `scene_obj` (manim's `wait` is a play too)."""
    play = scene_obj.play

    def counted(*args, **kwargs):
        play(*args, **kwargs)
        tick()

    scene_obj.play = counted


def _render_into(work: str, request: RenderRequest, bar) -> Made:
    scene, quality, fmt, voice = request.scene, request.quality, request.fmt, request.voice
    cls = _scene_class(scene)
    if bar is not None and bar.active:
        bar.start(planned_plays(request, media_dir=work))
    scene_obj = None
    try:
        options = {
            "quality": QUALITIES[quality],  # first: it sets size and frame rate, later keys refine them
            **frame_options(request.aspect, quality),
            "media_dir": work,
            "disable_caching": True,
            "verbosity": "ERROR",
            "progress_bar": "none",
            "output_file": "render",
        }
        if fmt == "png":
            options.update(save_last_frame=True, write_to_movie=False, transparent=request.transparent)
        else:
            options.update(video_options(fmt, quality, request.transparent))
            if fmt == "gif" and quality in ("high", "4k"):
                options["frame_rate"] = GIF_MAX_FPS
        with tempconfig(options):
            narrator = None
            if voice:  # True: espeak-ng as it comes; a Narration: a voice and speed, or recordings
                from backprop.output.render.recordings import Narration

                narrator = (voice if isinstance(voice, Narration) else Narration()).narrator(work)
            scene_obj = cls(timeline=request.timeline, theme=request.theme,
                            end_on_network=(fmt == "png" and request.still is None), param=request.param,
                            network=request.network, voice=narrator, stop_after=request.still,
                            poster=request.poster, lecture=request.lecture, language=request.language)
            if bar is not None and bar.active:
                _count_plays(scene_obj, bar.advance)
            # PyAV would warn on every narrated render that manim passes it options it does not use
            with _quiet(logging.getLogger("av.container.output")):
                scene_obj.render()
            if narrator is not None:
                narrator.finish()
            writer = scene_obj.renderer.file_writer
            produced = str(writer.image_file_path if fmt == "png" else writer.movie_file_path)
            poster_file = None
            if request.poster:
                frame = scene_obj.poster_frame
                frame = scene_obj.renderer.get_frame() if frame is None else frame
                poster_file = os.path.join(work, "poster.png")
                keep_alpha = request.transparent or fmt == "mov"
                Image.fromarray(frame).convert("RGBA" if keep_alpha else "RGB").save(poster_file)
        still_beat = None
        if request.still is not None:
            if not scene_obj.stopped:
                listed = "; ".join(f"{b['n']} {b['name']}" for b in scene_obj.beats)
                raise SpecError("still", f"no beat '{request.still}' in {scene}; beats (number or caption): {listed}")
            still_beat = scene_obj.beats[-1]["n"]
        if not os.path.exists(produced):
            raise OutputError(f"render: manim wrote no {fmt} file")
        srt_file = os.path.splitext(produced)[0] + ".srt"
        srt_text = None
        if fmt not in STILL_OR_LOOP and os.path.exists(srt_file):
            with open(srt_file, encoding="utf-8") as f:
                srt_text = f.read()
        spoken = [{"narration": said, "start": start, "end": end, "held": beat["held"]}
                  for (said, start, end), beat in zip(scene_obj.spoken, scene_obj.beats)]
        return Made(produced, srt_text, list(scene_obj.captions), spoken, poster_file, still_beat)
    finally:
        if scene_obj is not None:  # an interrupted render: its segment encoders stop writing first
            scene_obj.renderer.file_writer.abort_encode_jobs()


@contextlib.contextmanager
def _quiet(logger: logging.Logger):
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
