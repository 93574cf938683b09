"""`backprop transcript`: every text a scene shows, with its times, from the scene played in
skip-animations mode (seconds of work, no frames drawn)."""

from __future__ import annotations

import importlib
import shutil
import tempfile

from manim import tempconfig

from backprop.engine.timeline import Timeline
from backprop.output.render.scene import frame_options
from backprop.scenes.catalog import SCENES
from backprop.stage.renderer import make_renderer


def transcript(scene: str, timeline: Timeline, theme=None, param: str | None = None, network=None,
               aspect: str = "16:9", lecture=None, language: str | None = None) -> dict:
    """The scene played without drawing (as chapter `lecture`, a story.chapters.Place, of a lecture
    if given): every text it shows with its times, and its beats."""
    info = SCENES[scene]
    cls = getattr(importlib.import_module(info.module), info.cls)
    media = tempfile.mkdtemp(prefix="backprop-transcript-")  # manim writes text SVGs even in a dry run
    try:
        with tempconfig({"quality": "low_quality", **frame_options(aspect, "low"), "dry_run": True, "disable_caching": True,
                         "verbosity": "ERROR", "progress_bar": "none", "media_dir": media}):
            played = cls(timeline=timeline, theme=theme, transcribe=True, skip_animations=True, param=param,
                         network=network, lecture=lecture, language=language, renderer=make_renderer(draw=False))
            played.render()
    finally:
        shutil.rmtree(media, ignore_errors=True)
    duration = played.renderer.time
    # each beat with its narrator's sentence (what a recording for `render --narration` says)
    beats = [{**beat, "narration": said} for beat, (said, _, _) in zip(played.beats, played.spoken)]
    return {"scene": scene, "network": timeline.network["name"], "duration": round(duration, 3),
            "items": played.transcript.as_json(duration), "edges": played.transcript.edges_json(duration), "beats": beats}


def clock(s: float) -> str:
    """`m:ss.s`"""
    tenths = round(s * 10)
    return f"{tenths // 600}:{tenths % 600 / 10:04.1f}"


def plain(data: dict) -> str:
    """A readable timed transcript: one line per text, `m:ss.s–m:ss.s  role  text`."""
    lines = [f"{data['scene']} on {data['network']}, {clock(data['duration'])}"]
    for item in data["items"]:
        text = item["text"].replace("\n", " / ")
        lines.append(f"{clock(item['start'])}–{clock(item['end'])}  {item['role']:7}  {text}")
    # the beats, by the number or caption `backprop render --still STEP` takes
    lines += ["", "beats (render --still N or --still CAPTION: the frame at its end):"]
    lines += [f"{b['n']:3}  {clock(b['start'])}–{clock(b['end'])}  {b['name']}" for b in data.get("beats", [])]
    return "\n".join(lines) + "\n"
