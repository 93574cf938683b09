"""Renders kept by what made them, for notebooks and documentation builds that ask for the same video
again and again (every re-run of a cell, every `sphinx-build`).

The key is everything the frames depend on: the scene, the timeline (so the spec's content, not its
file name), every theme field, the quality and format, and this package's version. Files are written
by `render_scene`, which moves only finished files into place: a half-done render is never reused.
"""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version

from backprop.engine.spec import load_network
from backprop.engine.timeline import build_timeline
from backprop.output.render.keys import inputs_key
from backprop.output.render.request import RenderRequest
from backprop.output.render.scene import output_paths, output_stem, render_scene
from backprop.scenes.catalog import SCENES, cannot_play
from backprop.story.frame import QUALITIES
from backprop.story.theme import Theme, load_theme


def cache_root() -> str:
    """$BACKPROP_CACHE, else the user's cache folder ($XDG_CACHE_HOME or ~/.cache)/backprop-manim."""
    if os.environ.get("BACKPROP_CACHE"):
        return os.environ["BACKPROP_CACHE"]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "backprop-manim")


def package_version() -> str:
    try:
        return version("backprop-manim")
    except PackageNotFoundError:  # run from a checkout that is not installed
        return "unknown"


def as_theme(theme) -> Theme:
    """None (the default theme), a Theme, or a theme file's path."""
    if theme is None:
        return Theme()
    return theme if isinstance(theme, Theme) else load_theme(os.fspath(theme))


def cache_key(scene: str, timeline_json: str, theme: Theme, quality: str, fmt: str) -> str:
    return inputs_key(scene, timeline_json, theme, quality, fmt, package_version(), length=24)


def cached_render(scene: str = "backward", network: str = "seed", theme=None, quality: str = "low",
                  fmt: str = "mp4", cache_dir: str | None = None, poster: bool = False) -> list[str]:
    """The paths of a render of `scene` (the video or still; beside a video its subtitles, captions,
    chapters and, if asked, its poster): made once per set of inputs, then read from the cache.
    `fmt="pdf"`: the still as vector graphics (`handout_pdf.write_still`), for LaTeX."""
    if scene not in SCENES:
        raise ValueError(f"scene: unknown '{scene}'; scenes: {', '.join(SCENES)}")
    if quality not in QUALITIES:
        raise ValueError(f"quality: unknown '{quality}'; expected one of {', '.join(QUALITIES)}")
    net = load_network(os.fspath(network))
    reason = cannot_play(scene, net)  # the command line's checks, in its words
    if reason:
        raise ValueError(f"network: {reason}")
    timeline = build_timeline(net)
    theme = as_theme(theme)
    folder = os.path.join(cache_dir or cache_root(), cache_key(scene, timeline.to_json(), theme, quality, fmt))
    if fmt == "pdf":
        from backprop.output.material.handout_pdf import write_still

        target = os.path.join(folder, output_stem(scene, timeline.network["name"]) + ".pdf")
        return [target if os.path.isfile(target) else write_still(scene, timeline, theme, target, network=net)]
    paths = output_paths(scene, timeline.network["name"], fmt, folder, poster)
    if all(os.path.isfile(p) for p in paths):
        return paths
    return render_scene(RenderRequest(scene, timeline, network=net, theme=theme, quality=quality, fmt=fmt,
                                      output_dir=folder, poster=poster))
