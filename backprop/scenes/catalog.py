"""The scenes `backprop render` knows, by name, without importing manim (so `backprop list` is instant)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from backprop.engine.spec import Network
from backprop.engine.timeline import SCALAR_LIMIT


@dataclass(frozen=True)
class SceneInfo:
    module: str  # where the class is defined (manim's CLI loads that file on its own)
    cls: str
    summary: str
    network: str = "seed"  # the network it plays when none is given
    # why the scene cannot play a network (None: it can); checked before manim is imported
    requires: Callable[[Network], str | None] | None = None
    takes_param: bool = False  # follows one parameter (`--param W1[1,2]`)


def unplayable(name: str, net: Network) -> str | None:
    """Why scene `name` cannot play `net`, in one line; None if it can."""
    check = SCENES[name].requires
    return check(net) if check else None


SCENES = {
    "backward": SceneInfo("backprop.scenes.backward", "BackwardPass",
                          "the lesson's backward pass: loss gradient, local gradients, sums at branch points"),
    "title": SceneInfo("backprop.scenes.title", "TitleCard", "the lesson's title card and its network"),
    # gradients add at forks, a batch is an average, the pass as matrices, vanishing gradients
    "branch-sum": SceneInfo("backprop.scenes.branch_sum", "BranchSum",
                            "a value feeding two units: two contributions, summed (and what = instead of += does)",
                            network="branching", requires=lambda net: _fork_reason(net)),
    "batch": SceneInfo("backprop.scenes.batch", "BatchMean",
                       "one parameter's per-example gradients and their mean, the batch gradient",
                       network="batch", requires=lambda net: _batch_reason(net), takes_param=True),
    "matrix-form": SceneInfo("backprop.scenes.matrix_form", "MatrixForm",
                             "the backward pass as matrices, δ = (Wᵀδ) ⊙ f′(z) and ∂L/∂W = δaᵀ, shapes checked"),
    "vanishing": SceneInfo("backprop.scenes.vanishing", "Vanishing",
                           "the gradient's size layer by layer: σ′ ≤ 0.25 shrinks it; a ReLU with z < 0 blocks it",
                           network="deep-sigmoid", requires=lambda net: _depth_reason(net)),
}


def _drawn_unit_by_unit(net: Network) -> str | None:
    if net.n_params * net.X.shape[0] > SCALAR_LIMIT:
        return (f"it has {net.n_params * net.X.shape[0]:,} parameter-examples; this scene draws units one by one "
                f"(at most {SCALAR_LIMIT:,})")
    return None


def _fork_reason(net: Network) -> str | None:
    from backprop.engine.forks import fork_reason

    return fork_reason(net) or _drawn_unit_by_unit(net)


def _batch_reason(net: Network) -> str | None:
    from backprop.engine.batches import batch_reason

    return batch_reason(net)


def _depth_reason(net: Network) -> str | None:
    from backprop.engine.depth import depth_reason

    return depth_reason(net)
