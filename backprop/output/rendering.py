"""Programmatic renders: one scene, one network, one quality and format → files in the output folder.

manim writes into a private temporary folder inside the output folder; only finished files are moved
to their final names (os.replace on the same file system), so an interrupted or failed render leaves
the previous video intact and nothing half-written under its name.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import shutil
import tempfile

from manim import tempconfig
from PIL import Image

from backprop.engine.spec import SpecError
from backprop.engine.timeline import Timeline
from backprop.output.files import (OutputError, check_target, explain, move_all_into_place, remove_stale,
                                  safe_name, temp_prefix)
from backprop.scenes.catalog import SCENES

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
    """The files a render replaces: the video, GIF or still, the subtitles beside a video, its poster."""
    stem = os.path.join(output_dir, output_stem(scene, network_name))
    return ([f"{stem}.{fmt}"] + ([f"{stem}.srt"] if fmt not in STILL_OR_LOOP else [])
            + ([f"{stem}.poster.png"] if poster else []))


def still_path(scene: str, network_name: str, output_dir: str, beat: int) -> str:
    """--still: one beat's last frame, NAME.beat-N.png (N as `backprop transcript` numbers beats)."""
    return os.path.join(output_dir, f"{output_stem(scene, network_name)}.beat-{beat}.png")


def check_targets(scenes: list[str], network_name: str, fmt: str, output_dir: str, poster: bool = False,
                  still: str | None = None) -> None:
    """Refuse a folder or special file where an output goes before rendering anything, not after."""
    for scene in scenes:
        if still is not None:
            if still.strip().isdigit():
                check_target(still_path(scene, network_name, output_dir, int(still)))
            continue
        for target in output_paths(scene, network_name, fmt, output_dir, poster):
            check_target(target)


def render_scene(scene: str, timeline: Timeline, quality: str = "low", fmt: str = "mp4",
                 output_dir: str = "media", theme=None, param: str | None = None, network=None,
                 voice: bool = False, beats: list | None = None, transparent: bool = False,
                 still: str | None = None, poster: bool = False) -> list[str]:
    """Render one scene of an already built (so already validated) timeline; return the written
    paths (the video, GIF or still, the subtitles beside a video, its poster).

    `transparent`: an alpha channel (webm, png; mov always has one). `still`: only the PNG of the
    frame at the end of that beat (number or caption). `poster`: NAME.poster.png beside the video,
    the frame the scene marks (the network with every gradient), else its last. A `beats` list
    receives each beat's (narration, start, end) in seconds of the video: where slides cut it."""
    info = SCENES[scene]
    cls = getattr(importlib.import_module(info.module), info.cls)
    fmt = "png" if still is not None else fmt
    targets = output_paths(scene, timeline.network["name"], fmt, output_dir, poster)
    check_targets([scene], timeline.network["name"], fmt, output_dir, poster, still)
    try:
        os.makedirs(output_dir, exist_ok=True)
        remove_stale(output_dir)
        work = tempfile.mkdtemp(prefix=temp_prefix("render"), dir=output_dir)
    except OSError as e:
        raise OutputError(f"output-dir: cannot write in '{output_dir}': {explain(e)}") from None
    scene_obj = None
    try:
        options = {
            "quality": QUALITIES[quality],  # first: it sets size and frame rate, later keys refine them
            "media_dir": work,
            "disable_caching": True,
            "verbosity": "ERROR",
            "progress_bar": "none",
            "output_file": "render",
        }
        if fmt == "png":
            options.update(save_last_frame=True, write_to_movie=False, transparent=transparent)
        else:
            options.update(video_options(fmt, quality, transparent))
            if fmt == "gif" and quality in ("high", "4k"):
                options["frame_rate"] = GIF_MAX_FPS
        with tempconfig(options):
            narrator = None
            if voice:
                from backprop.output.voice import Voice

                narrator = Voice(work)
            scene_obj = cls(timeline=timeline, theme=theme, end_on_network=(fmt == "png" and still is None),
                            stop_after=still, poster=poster, param=param, network=network, voice=narrator)
            # PyAV would warn on every narrated render that manim passes it options it does not use
            with _quiet(logging.getLogger("av.container.output")):
                scene_obj.render()
            writer = scene_obj.renderer.file_writer
            produced = str(writer.image_file_path if fmt == "png" else writer.movie_file_path)
            if beats is not None:
                beats.extend(scene_obj.spoken)
            if poster:
                frame = scene_obj.poster_frame
                frame = scene_obj.renderer.get_frame() if frame is None else frame
                poster_file = os.path.join(work, "poster.png")
                Image.fromarray(frame).convert("RGBA" if transparent or fmt == "mov" else "RGB").save(poster_file)
        if still is not None:
            if not scene_obj.stopped:
                listed = "; ".join(f"{b['n']} {b['name']}" for b in scene_obj.beats)
                raise SpecError("still", f"no beat '{still}' in {scene}; beats (number or caption): {listed}")
            targets = [still_path(scene, timeline.network["name"], output_dir, scene_obj.beats[-1]["n"])]
            check_target(targets[0])
        if not os.path.exists(produced):
            raise OutputError(f"render: manim wrote no {fmt} file")
        moves = [(produced, targets[0])]
        srt = os.path.splitext(produced)[0] + ".srt"
        if fmt not in STILL_OR_LOOP and os.path.exists(srt):
            moves.append((srt, targets[1]))
        if poster:
            moves.append((poster_file, targets[-1]))
        move_all_into_place(moves)
        return [final for _, final in moves]
    except OSError as e:  # manim's own writes (frames, partial movies) in the work folder
        raise OutputError(f"output-dir: cannot write in '{output_dir}': {explain(e)}") from None
    finally:
        if scene_obj is not None:  # an interrupted render: its segment encoders stop writing first
            scene_obj.renderer.file_writer.abort_encode_jobs()
        shutil.rmtree(work, ignore_errors=True)


@contextlib.contextmanager
def _quiet(logger: logging.Logger):
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
