"""Key frames against control data (manim's frames_comparison, at its 854×480 test resolution).

After a deliberate visual change: render, look at the stills, then `pytest tests/test_frames.py --set_test`.
"""

from manim.utils.testing.frames_comparison import frames_comparison

from backprop.engine.spec import load_network
from backprop.engine.timeline import build_timeline
from backprop.scenes.backward import BackwardPass

__module_test__ = "backward"


class SeedStill(BackwardPass):
    def __init__(self, **kwargs):
        super().__init__(timeline=build_timeline(load_network("seed")), end_on_network=True, **kwargs)


class SeedEnd(BackwardPass):
    def __init__(self, **kwargs):
        super().__init__(timeline=build_timeline(load_network("seed")), **kwargs)


class BranchingStill(BackwardPass):
    def __init__(self, **kwargs):
        super().__init__(timeline=build_timeline(load_network("branching")), end_on_network=True, **kwargs)


@frames_comparison(base_scene=SeedStill)
def test_seed_annotated_network(scene):
    BackwardPass.construct(scene)


@frames_comparison(base_scene=SeedEnd)
def test_seed_gradient_table(scene):
    BackwardPass.construct(scene)


@frames_comparison(base_scene=BranchingStill)
def test_branching_annotated_network(scene):
    BackwardPass.construct(scene)
