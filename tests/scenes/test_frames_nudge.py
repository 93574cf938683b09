"""The nudge scene's key frame against control data: the lesson's w₁₂, the slope card ≈ its gradient.

After a deliberate visual change: look at the still (`backprop render nudge --format png`), then
`pytest tests/scenes/test_frames_nudge.py --set_test`.
"""

from manim.utils.testing.frames_comparison import frames_comparison

from backprop.engine.spec import load_network
from backprop.engine.timeline import build_timeline
from backprop.scenes.nudge import NudgeScene

__module_test__ = "nudge"


class SeedNudge(NudgeScene):
    def __init__(self, **kwargs):
        net = load_network("seed")
        super().__init__(timeline=build_timeline(net), network=net, **kwargs)


@frames_comparison(base_scene=SeedNudge)
def test_seed_nudge_ends_on_the_slope(scene):
    NudgeScene.construct(scene)
