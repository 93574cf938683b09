"""The scenes `backprop render` knows, by name, without importing manim (so `backprop list` is instant)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from backprop.engine.gates import gates_unplayable
from backprop.engine.spec import Network
from backprop.engine.timeline import build_timeline, drawn_unit_by_unit
from backprop.language import N_


@dataclass(frozen=True)
class SceneInfo:
    module: str  # where the class is defined (manim's CLI loads that file on its own)
    cls: str
    summary: str  # marked N_: a handout of the scene alone is headed with it, in its language
    network: str = "seed"  # the network it plays when none is given
    # why the scene cannot play a network (None: it can); checked before manim is imported
    requires: Callable[[Network], str | None] | None = None
    takes_param: bool = False  # follows one parameter (`--param W1[1,2]`)
    graphs: bool = False  # plays a computational graph (a spec with `graph`) instead of layers
    # why it cannot draw a network readably in a frame of this aspect (None: it can); checked before manim
    fits: Callable[[Network, str], str | None] | None = None
    skips: bool = False  # plays networks with skip connections (draws no network, or draws their skips)


def check_refusal(net: Network) -> str | None:
    from backprop.engine.gradient_check import refusal
    problem = refusal(net)
    return problem.message if problem else None


def confusions_refusal(net: Network) -> str | None:
    from backprop.engine.confusions import cannot_show
    return cannot_show(net)


def cannot_play(name: str, net: Network, aspect: str = "16:9") -> str | None:
    """The one message (the CLI's, a course's, the notebook's, Sphinx's) when scene `name` cannot play
    `net` (in a frame of `aspect`): `scene 'batch' cannot play seed: …`; None if it can."""
    reason = unplayable(name, net, aspect)
    return f"scene '{name}' cannot play {net.name}: {reason}" if reason else None


def unplayable(name: str, net: Network, aspect: str = "16:9") -> str | None:
    """Why scene `name` cannot play `net` (in a frame of `aspect`), in one line; None if it can."""
    from backprop.engine.graph.spec import Graph

    scene = SCENES[name]
    graphs = [n for n, s in SCENES.items() if s.graphs]
    if isinstance(net, Graph) and not scene.graphs:
        return (f"it is a computational graph (a program), and this scene plays layers; scenes that play "
                f"graphs: {', '.join(graphs) or 'none yet'}")
    if scene.graphs and not isinstance(net, Graph):
        return "it is a layered network, and this scene plays a computational graph (a spec with 'graph')"
    if not scene.skips and not isinstance(net, Graph) and any(layer.residual for layer in net.layers):
        return (f"this scene does not show skip connections yet; scenes that play them: "
                f"{', '.join(n for n, s in SCENES.items() if s.skips)}")
    if scene.fits is not None and (reason := scene.fits(net, aspect)):
        return reason
    return scene.requires(net) if scene.requires else None


SCENES = {
    "backward": SceneInfo("backprop.scenes.backward", "BackwardPass",
                          N_("the lesson's backward pass: loss gradient, local gradients, sums at branch points"),
                          skips=True),
    "title": SceneInfo("backprop.scenes.title", "TitleCard", N_("the lesson's title card and its network"), skips=True),
    "nudge": SceneInfo("backprop.scenes.nudge", "NudgeScene",
                       N_("one weight nudged by ±ε, forward again: the loss changes by ≈ gradient × ε"),
                       requires=drawn_unit_by_unit, takes_param=True, skips=True),
    "update": SceneInfo("backprop.scenes.update", "UpdateScene",
                        N_("w ← w − η·g for every parameter, forward again, then the loss curve over many steps"),
                        requires=drawn_unit_by_unit, skips=True),
    "chain-rule": SceneInfo("backprop.scenes.chain_rule", "ChainRule",
                            N_("one path from L to one weight, factor by factor; several paths add up"),
                            requires=drawn_unit_by_unit, takes_param=True),
    "gates": SceneInfo("backprop.scenes.gates", "Gates",
                       N_("inside one unit: the add gate distributes, the multiply gate swaps, ReLU routes"),
                       requires=lambda net: gates_unplayable(net)),
    "forward": SceneInfo("backprop.scenes.forward", "ForwardPass",
                         N_("z = Σ w·x + b term by term, the activation, the loss: the recap table"),
                         requires=drawn_unit_by_unit, skips=True),
    "why-backwards": SceneInfo("backprop.scenes.why_backwards", "WhyBackwards",
                               N_("finite differences vs backprop: multiply-adds counted, the network grown"),
                               skips=True),
    "gradient-check": SceneInfo("backprop.scenes.gradient_check", "GradientCheck",
                                N_("numeric vs backprop gradient per parameter, relative error, the verdict"),
                                requires=check_refusal, skips=True),
    "confusions": SceneInfo("backprop.scenes.confusions", "Confusions",
                            N_("the lesson's three confusions: predict, then the timeline's answer"),
                            requires=confusions_refusal),
    # gradients add at forks, a batch is an average, the pass as matrices, vanishing gradients
    "branch-sum": SceneInfo("backprop.scenes.branch_sum", "BranchSum",
                            N_("a value feeding two units: two contributions, summed (and what = instead of += does)"),
                            network="branching", requires=lambda net: _fork_reason(net)),
    "batch": SceneInfo("backprop.scenes.batch", "BatchMean",
                       N_("one parameter's per-example gradients and their mean, the batch gradient"),
                       network="batch", requires=lambda net: _batch_reason(net), takes_param=True),
    "matrix-form": SceneInfo("backprop.scenes.matrix_form", "MatrixForm",
                             N_("the backward pass as matrices, δ = (Wᵀδ) ⊙ f′(z) and ∂L/∂W = δaᵀ, shapes checked")),
    "graph": SceneInfo("backprop.scenes.graph", "GraphWalk",
                       N_("any computational graph: forward node by node, backward with += where a value forks"),
                       network="micrograd", graphs=True, fits=lambda net, aspect: _graph_reason(net, aspect)),
    "autodiff": SceneInfo("backprop.scenes.autodiff", "Autodiff",
                          N_("what a library does: the recorded graph, loss.backward() node by node (PyTorch's names)"),
                          network="lesson-graph", graphs=True),
    "vanishing": SceneInfo("backprop.scenes.vanishing", "Vanishing",
                           N_("the gradient's size layer by layer: σ′ ≤ 0.25 shrinks it; a ReLU with z < 0 blocks it"),
                           network="deep-dead", requires=lambda net: _depth_reason(net)),
    # why it matters: skips, exploding gradients and clipping, saliency, other optimizers
    "residual": SceneInfo("backprop.scenes.residual", "Residual",
                          N_("the same deep net with and without skips: the +1 path keeps the gradient's size"),
                          network="deep-residual", requires=lambda net: _residual_reason(net), skips=True),
    "exploding": SceneInfo("backprop.scenes.exploding", "Exploding",
                           N_("a gradient that grows layer by layer, the update that overshoots, clipping by norm"),
                           network="exploding", requires=lambda net: _exploding_reason(net), skips=True),
    "saliency": SceneInfo("backprop.scenes.saliency", "Saliency",
                          N_("∂L/∂x as which input matters, and the adversarial nudge x + ε·sign(∂L/∂x)"), skips=True),
    "optimizers": SceneInfo("backprop.scenes.optimizers", "Optimizers",
                            N_("one gradient, three optimizers: SGD, momentum and Adam's steps and loss curves"),
                            skips=True, takes_param=True),
    "takeaways": SceneInfo("backprop.scenes.takeaways", "Takeaways",
                           N_("the lesson's seven key takeaways, each pointing at the lecture's chapter that showed it")),
}

# The lecture (`backprop render lecture`): the scenes in teaching order, each a chapter with its title
# (the learning objective) and the key takeaways it shows (`backprop.story.chapters.TAKEAWAYS`' keys:
# the closing chapter points each takeaway at the chapters naming it). Scenes not in SCENES are left
# out, so the list names the whole lecture. Each chapter ends with a bridge naming the next one.
# Each chapter plays its scene's own network, or --network where given and the scene can play it.
@dataclass(frozen=True)
class LectureChapter:
    scene: str
    title: str
    shows: tuple[str, ...] = ()


LECTURE = (
    LectureChapter("title", N_("Backpropagation"), ("every weight",)),
    LectureChapter("forward", N_("The forward pass")),
    LectureChapter("nudge", N_("A gradient is a sensitivity"), ("sign",)),
    LectureChapter("why-backwards", N_("Why backwards: one pass for every gradient"), ("one pass",)),
    LectureChapter("chain-rule", N_("The chain rule: a product of local factors"), ("chain rule",)),
    LectureChapter("gates", N_("Local rules are simple and few"), ("local gradients",)),
    LectureChapter("branch-sum", N_("Gradients add at forks"), ("paths add",)),
    LectureChapter("backward", N_("The whole backward pass"), ("every weight", "chain rule", "paths add")),
    LectureChapter("autodiff", N_("What a library does: automatic differentiation"), ("autodiff",)),
    LectureChapter("update", N_("Gradient descent uses the gradients"), ("sign",)),
    LectureChapter("saliency", N_("Gradients of the input: saliency"), ("autodiff",)),
    LectureChapter("optimizers", N_("Other optimizers use the same gradients")),
    LectureChapter("matrix-form", N_("The same pass as matrices"), ("autodiff",)),
    LectureChapter("batch", N_("A batch gradient is an average")),
    LectureChapter("gradient-check", N_("How to trust a gradient"), ("autodiff",)),
    LectureChapter("vanishing", N_("Vanishing gradients and dead units"), ("autodiff",)),
    LectureChapter("residual", N_("Skip connections keep the gradient"), ("autodiff",)),
    LectureChapter("exploding", N_("Exploding gradients, and clipping"), ("autodiff",)),
    LectureChapter("confusions", N_("Three common confusions")),
    LectureChapter("takeaways", N_("Key takeaways")),
)


def lecture_chapters(lecture=None) -> list[LectureChapter]:
    """The chapters of `lecture` (the catalog's by default) whose scene exists, in order."""
    return [c for c in (LECTURE if lecture is None else lecture) if c.scene in SCENES]


def lecture_place(number: int, parts: list[LectureChapter], networks: list[str]):
    """Chapter `number` (from 1) of the lecture `parts`, each playing the network named in `networks`."""
    from backprop.story.chapters import Place

    return Place(number, tuple(c.title for c in parts), tuple(c.scene for c in parts), tuple(networks),
                 tuple(c.shows for c in parts))


def _fork_reason(net: Network) -> str | None:
    from backprop.engine.branch_sum import fork_reason

    return fork_reason(net) or drawn_unit_by_unit(net)


def _batch_reason(net: Network) -> str | None:
    from backprop.engine.batch import batch_reason

    return batch_reason(net)


def _residual_reason(net: Network) -> str | None:
    from backprop.engine.residual import residual_reason

    return residual_reason(net)


def _exploding_reason(net: Network) -> str | None:
    from backprop.engine.exploding import exploding_reason

    return exploding_reason(net)


def _depth_reason(net: Network) -> str | None:
    from backprop.engine.depth import depth_reason

    return depth_reason(net)


def _graph_reason(net, aspect: str) -> str | None:
    """Why the graph scene cannot draw `net` readably in a frame of `aspect`; None if it can."""
    from backprop.story.frame import Frame
    from backprop.story.graph_layout import graph_unreadable
    from backprop.story.theme import Theme

    return graph_unreadable(build_timeline(net), Theme(), Frame.of(aspect), aspect)
