"""The update scene's key frame against control data: the lesson's network's loss curve over 100 steps.

After a deliberate visual change: look at the still (`backprop render update --format png`), then
`pytest tests/scenes/test_frames_update.py --set_test`.
"""

from manim.utils.testing.frames_comparison import frames_comparison

from backprop.engine.spec import load_network
from backprop.engine.timeline import build_timeline
from backprop.scenes.update import UpdateScene

__module_test__ = "update"


class SeedUpdate(UpdateScene):
    def __init__(self, **kwargs):
        net = load_network("seed")
        super().__init__(timeline=build_timeline(net), network=net, **kwargs)


@frames_comparison(base_scene=SeedUpdate)
def test_seed_loss_curve(scene):
    UpdateScene.construct(scene)
