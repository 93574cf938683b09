"""The scenes `backprop render` knows, by name, without importing manim (so `backprop list` is instant)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from backprop.engine.spec import Network


@dataclass(frozen=True)
class SceneInfo:
    module: str  # where the class is defined (manim's CLI loads that file on its own)
    cls: str
    summary: str
    network: str = "seed"  # the network it plays when none is given
    # why the scene cannot play a network (None: it can); checked before manim is imported
    requires: Callable[[Network], str | None] | None = None
    takes_param: bool = False  # follows one parameter (`--param W1[1,2]`)


def check_refusal(net: Network) -> str | None:
    from backprop.engine.check import refusal
    problem = refusal(net)
    return problem.message if problem else None


def confusions_refusal(net: Network) -> str | None:
    from backprop.engine.confusions import cannot_show
    return cannot_show(net)


def unplayable(name: str, net: Network) -> str | None:
    """Why scene `name` cannot play `net`, in one line; None if it can."""
    check = SCENES[name].requires
    return check(net) if check else None


SCENES = {
    "backward": SceneInfo("backprop.scenes.backward", "BackwardPass",
                          "the lesson's backward pass: loss gradient, local gradients, sums at branch points"),
    "title": SceneInfo("backprop.scenes.title", "TitleCard", "the lesson's title card and its network"),
    "why-backwards": SceneInfo("backprop.scenes.why_backwards", "WhyBackwards",
                               "finite differences vs backprop: multiply-adds counted, the network grown"),
    "gradient-check": SceneInfo("backprop.scenes.gradient_check", "GradientCheck",
                                "numeric vs backprop gradient per parameter, relative error, the verdict",
                                requires=check_refusal),
    "confusions": SceneInfo("backprop.scenes.confusions", "Confusions",
                            "the lesson's three confusions: predict, then the timeline's answer",
                            requires=confusions_refusal),
}
