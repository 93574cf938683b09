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

from engine.spec import Network
from engine.timeline import build_timeline
from scenes.catalog import SCENES
from scenes.output import OutputError, explain, move_into_place, safe_name

QUALITIES = {"low": "low_quality", "medium": "medium_quality", "high": "high_quality", "4k": "fourk_quality"}
# Faster encoder settings than manim's defaults, measured (benchmarks/): x264's veryfast makes files of
# the same size as its default for these flat, mostly still frames, ~20% sooner at 1080p60.
ENCODER_OPTIONS = {"mp4": {"preset": "veryfast"}, "gif": {"preset": "veryfast"},  # GIF: its mp4 segments
                   "webm": {"deadline": "realtime", "cpu-used": "8"}}

# Browsers show a GIF frame meant for less than 2/100 s for 1/10 s, and at 60 fps every third frame
# gets 1/100 s: a 60 fps GIF plays in slow motion. 30 fps gives 3 and 4/100 s.
GIF_MAX_FPS = 30


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


def output_stem(scene: str, net: Network) -> str:
    return f"{safe_name(scene)}-{safe_name(net.name)}"


def render_scene(scene: str, net: Network, quality: str = "low", fmt: str = "mp4",
                 output_dir: str = "media", theme=None, timeline=None) -> list[str]:
    """Render and return the written paths (the video or still, and the subtitles beside a video)."""
    info = SCENES[scene]
    cls = getattr(importlib.import_module(info.module), info.cls)
    timeline = timeline or build_timeline(net)
    try:
        os.makedirs(output_dir, exist_ok=True)
        work = tempfile.mkdtemp(prefix=".render-", dir=output_dir)
    except OSError as e:
        raise OutputError(f"output-dir: cannot write in '{output_dir}': {explain(e)}") from None
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
        stem = os.path.join(output_dir, output_stem(scene, net))
        written = []
        final = f"{stem}.{fmt}"
        if not os.path.exists(produced):
            raise OutputError(f"render: manim wrote no {fmt} file")
        srt = os.path.splitext(produced)[0] + ".srt"
        move_into_place(produced, final)
        written.append(final)
        if fmt != "png" and os.path.exists(srt):
            move_into_place(srt, f"{stem}.srt")
            written.append(f"{stem}.srt")
        return written
    except OSError as e:  # manim's own writes (frames, partial movies) in the work folder
        raise OutputError(f"output-dir: cannot write in '{output_dir}': {explain(e)}") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
