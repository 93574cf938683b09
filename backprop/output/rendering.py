"""Programmatic renders: one scene, one network, one quality and format → files in the output folder.

manim writes into a private temporary folder inside the output folder; only finished files are moved
to their final names (os.replace on the same file system), so an interrupted or failed render leaves
the previous video intact and nothing half-written under its name.
"""

from __future__ import annotations

import importlib
import os
import shutil
import tempfile

from manim import tempconfig

from backprop.engine.timeline import Timeline
from backprop.output.files import (OutputError, check_target, explain, move_all_into_place, remove_stale,
                                  safe_name, temp_prefix)
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


def video_options(fmt: str, quality: str = "low") -> dict:
    """manim settings for a video render. Up to four animations' segments encode while the next
    animation draws (manim's default of one makes drawing wait for each segment's encoder to drain);
    fewer at 4k, where what waits to be encoded is what bounds memory."""
    options = {"format": fmt, "video_encoder_options": ENCODER_OPTIONS.get(fmt, {}), "max_inflight_encoders": 4,
               **IN_FLIGHT.get(quality, {})}
    if fmt == "mov":
        options["transparent"] = True
    return options


def output_stem(scene: str, network_name: str) -> str:
    return f"{safe_name(scene)}-{safe_name(network_name)}"


def output_paths(scene: str, network_name: str, fmt: str, output_dir: str) -> list[str]:
    """The files a render replaces: the video, GIF or still, and the subtitles beside a video."""
    stem = os.path.join(output_dir, output_stem(scene, network_name))
    return [f"{stem}.{fmt}"] + ([f"{stem}.srt"] if fmt not in STILL_OR_LOOP else [])


def check_targets(scenes: list[str], network_name: str, fmt: str, output_dir: str) -> None:
    """Refuse a folder or special file where an output goes before rendering anything, not after."""
    for scene in scenes:
        for target in output_paths(scene, network_name, fmt, output_dir):
            check_target(target)


def frame_options(aspect: str, quality: str) -> dict:
    """manim settings for a frame of `aspect` at `quality`: its pixels and its size in frame units
    (the short side 8 units, so text keeps its pixel height at every aspect)."""
    width, height = pixel_size(aspect, quality)
    frame = Frame.of(aspect)
    return {"pixel_width": width, "pixel_height": height, "frame_width": frame.width, "frame_height": frame.height}


def render_scene(scene: str, timeline: Timeline, quality: str = "low", fmt: str = "mp4",
                 output_dir: str = "media", theme=None, aspect: str = "16:9") -> list[str]:
    """Render one scene of an already built (so already validated) timeline; return the written
    paths (the video, GIF or still, and the subtitles beside a video)."""
    info = SCENES[scene]
    cls = getattr(importlib.import_module(info.module), info.cls)
    targets = output_paths(scene, timeline.network["name"], fmt, output_dir)
    check_targets([scene], timeline.network["name"], fmt, output_dir)
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
            **frame_options(aspect, quality),
            "media_dir": work,
            "disable_caching": True,
            "verbosity": "ERROR",
            "progress_bar": "none",
            "output_file": "render",
        }
        if fmt == "png":
            options.update(save_last_frame=True, write_to_movie=False)
        else:
            options.update(video_options(fmt, quality))
            if fmt == "gif" and quality in ("high", "4k"):
                options["frame_rate"] = GIF_MAX_FPS
        with tempconfig(options):
            scene_obj = cls(timeline=timeline, theme=theme, end_on_network=(fmt == "png"))
            scene_obj.render()
            writer = scene_obj.renderer.file_writer
            produced = str(writer.image_file_path if fmt == "png" else writer.movie_file_path)
        if not os.path.exists(produced):
            raise OutputError(f"render: manim wrote no {fmt} file")
        moves = [(produced, targets[0])]
        srt = os.path.splitext(produced)[0] + ".srt"
        if fmt not in STILL_OR_LOOP and os.path.exists(srt):
            moves.append((srt, targets[1]))
        move_all_into_place(moves)
        return [final for _, final in moves]
    except OSError as e:  # manim's own writes (frames, partial movies) in the work folder
        raise OutputError(f"output-dir: cannot write in '{output_dir}': {explain(e)}") from None
    finally:
        if scene_obj is not None:  # an interrupted render: its segment encoders stop writing first
            scene_obj.renderer.file_writer.abort_encode_jobs()
        shutil.rmtree(work, ignore_errors=True)
