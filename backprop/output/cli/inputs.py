"""What a scene command renders, checked before manim is imported: the scenes, each one's network and
timeline (which validates the spec and both passes), the parameter it follows, the theme; the
lecture's chapters."""

from __future__ import annotations

from dataclasses import dataclass

from backprop.engine.labels import element_name
from backprop.engine.params import resolve_param
from backprop.engine.spec import load_network, suggest
from backprop.engine.timeline import build_timeline
from backprop.output.cli.errors import UserError
from backprop.scenes.catalog import SCENES, cannot_play


@dataclass(frozen=True)
class SceneJob:
    scene: str
    network: object  # backprop.engine.spec.Network
    timeline: object  # backprop.engine.timeline.Timeline
    param: str | None  # canonical (`W1[1,2]`), or None: the scene's own choice


def theme_of(theme_file: str | None):
    from backprop.story.theme import Theme, load_theme

    return load_theme(theme_file) if theme_file else Theme()


def scene_inputs(names, network: str | None, theme_file: str | None, param: str | None = None,
                 aspect: str = "16:9"):
    """The scene names checked, each scene's timeline built (which validates the spec and both passes
    before manim is even imported; a network shared by several scenes is built once), checked playable
    by its scene, and the theme read."""
    for name in names:
        if name not in SCENES:
            raise UserError(f"scene: unknown '{name}'{suggest(name, SCENES)}; scenes: {', '.join(SCENES)}")
    if param is not None and not any(SCENES[n].takes_param for n in names):
        takers = ", ".join(n for n, s in SCENES.items() if s.takes_param) or "none"
        raise UserError(f"param: {', '.join(names)} follows no single parameter (scenes that do: {takers})")
    built: dict[str, tuple] = {}
    jobs = []
    for name in names:
        source = network or SCENES[name].network
        if source not in built:
            net = load_network(source)
            built[source] = (net, build_timeline(net))
        net, timeline = built[source]
        reason = cannot_play(name, net, aspect)
        if reason:
            raise UserError(f"network: {reason}")
        canonical = None
        if param is not None and SCENES[name].takes_param:
            canonical = element_name(*resolve_param(net, param))
        jobs.append(SceneJob(name, net, timeline, canonical))
    return jobs, theme_of(theme_file)


def lecture_inputs(scene_names, network, param, theme_file):
    """The lecture's chapters and theme, checked before manim is imported."""
    if len(scene_names) > 1:
        raise UserError("scene: the lecture renders alone (it holds every scene); render the others separately")
    if param is not None:
        raise UserError("param: the lecture's chapters follow their own parameters; --param is for one scene")
    from backprop.output.render.lecture import chapters

    net = load_network(network) if network else None
    if net is not None:
        build_timeline(net)  # validates both passes, as for a scene
    return net, chapters(net), theme_of(theme_file)
