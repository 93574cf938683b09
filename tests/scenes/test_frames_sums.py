"""Key frames of branch-sum, batch, matrix-form and vanishing against control data (manim's
frames_comparison at its 854×480 test resolution): each scene's still (`--format png`).

After a deliberate visual change: look at the stills (`backprop render SCENE --format png`), then
`pytest tests/scenes/test_frames_sums.py --set_test`.
"""

from manim.utils.testing.frames_comparison import frames_comparison

from backprop.engine.spec import load_network
from backprop.engine.timeline import build_timeline
from backprop.scenes.batch import BatchMean
from backprop.scenes.branch_sum import BranchSum
from backprop.scenes.matrix_form import MatrixForm
from backprop.scenes.vanishing import Vanishing

__module_test__ = "sums"


def still(cls, network: str):
    class Still(cls):
        def __init__(self, **kwargs):
            net = load_network(network)
            super().__init__(timeline=build_timeline(net), network=net, end_on_network=True, **kwargs)
    Still.__name__ = f"{cls.__name__}Still"
    return Still


@frames_comparison(base_scene=still(BranchSum, "branching"))
def test_branch_sum_the_bug(scene):
    BranchSum.construct(scene)


@frames_comparison(base_scene=still(BatchMean, "batch"))
def test_batch_the_mean(scene):
    BatchMean.construct(scene)


@frames_comparison(base_scene=still(MatrixForm, "seed"))
def test_matrix_form_weight_gradient(scene):
    MatrixForm.construct(scene)


@frames_comparison(base_scene=still(Vanishing, "deep-sigmoid"))
def test_vanishing_bars(scene):
    Vanishing.construct(scene)
