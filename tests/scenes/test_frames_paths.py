"""Key frames of the chain-rule, gates and forward scenes against control data (manim's
frames_comparison at 854×480). After a deliberate visual change: look at the stills, then
`pytest tests/scenes/test_frames_paths.py --set_test`."""

from manim.utils.testing.frames_comparison import frames_comparison

from backprop.engine.spec import load_network
from backprop.engine.timeline import build_timeline
from backprop.scenes.chain_rule import ChainRule
from backprop.scenes.forward import ForwardPass
from backprop.scenes.gates import Gates

__module_test__ = "paths"


class SeedPath(ChainRule):
    def __init__(self, **kwargs):
        super().__init__(timeline=build_timeline(load_network("seed")), **kwargs)


class SeedGates(Gates):
    def __init__(self, **kwargs):
        super().__init__(timeline=build_timeline(load_network("seed")), **kwargs)


class SeedRecap(ForwardPass):
    def __init__(self, **kwargs):
        super().__init__(timeline=build_timeline(load_network("seed")), **kwargs)


@frames_comparison(base_scene=SeedPath)
def test_seed_lit_path(scene):
    """The path from L to W₁[1,2] lit along its edges, the forward values on the units."""
    ChainRule.construct(scene)


@frames_comparison(base_scene=SeedGates)
def test_seed_gates_with_every_gradient(scene):
    """h₁ opened up: forward values above the wires, every gate's gradient in a pill below."""
    Gates.construct(scene)


@frames_comparison(base_scene=SeedRecap)
def test_seed_recap_table(scene):
    """The lesson's recap table: every forward value."""
    ForwardPass.construct(scene)
