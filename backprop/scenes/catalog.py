"""The scenes `backprop render` knows, by name, without importing manim (so `backprop list` is instant)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SceneInfo:
    module: str  # where the class is defined (manim's CLI loads that file on its own)
    cls: str
    summary: str


SCENES = {
    "backward": SceneInfo("backprop.scenes.backward", "BackwardPass",
                          "the lesson's backward pass: loss gradient, local gradients, sums at branch points"),
    "title": SceneInfo("backprop.scenes.title", "TitleCard", "the lesson's title card and its network"),
}
