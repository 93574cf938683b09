"""The registry for networks drawn one block per layer (layer-granularity timelines).

Matrices cannot be read on screen, so each card shows the event's formula and the size of the
gradient (its norm, from the timeline); the edge it crossed widens with it.
"""

from __future__ import annotations

from manim import VGroup

from backprop.scenes.steps import Context, Registry, Step
from backprop.stage.blocks import norm_text
from backprop.stage.motion import appear
from backprop.story.texts import loss_text


def _nothing(ctx: Context, e: dict) -> list[Step]:
    return []


def build_loss(ctx: Context, e: dict) -> list[Step]:
    card = ctx.stage.make_card(e["formula"], f"L = {loss_text(e['value'])}", None)
    return [Step(ctx.stage.show_card(card), 0.8, 1.0, event=e, shows=[card])]


def build_bias_total(ctx: Context, e: dict) -> list[Step]:
    """A bias's gradient is the sum of ∂L/∂z: shown once, on its param_grad card, which follows."""
    if e["target"].startswith("b"):
        return [Step([], 0.0, event=e, quiet=True)]  # played (in order), with nothing to show
    return build_gradient(ctx, e)


def build_gradient(ctx: Context, e: dict) -> list[Step]:
    """Any gradient event: its formula and size on a card, a pulse along the edge it crossed."""
    stage = ctx.stage
    target = e.get("param") or e.get("target") or e.get("node")
    # a local gradient is not ∂L/∂ anything: it is named by its own formula's left side, ReLU′(z⁽¹⁾)
    what = e["formula"].split(" = ")[0] if e["kind"] == "local" else f"∂L/∂{ctx.cards.name(target)}"
    card = stage.make_card(e["formula"], f"size of {what}: ‖·‖ = {norm_text(e['norm'])}", None)
    anims = []
    edge = e.get("edge") if e["kind"] != "param_grad" else e["param"]
    if e["kind"] == "seed":
        edge = next(iter(k for k in stage.edges if k.endswith("->L")), None)
    if edge in stage.edges:
        color = stage.theme.text  # a matrix has no one sign: the size shows in the width only
        anims += stage.pulse(edge, 0.0, color) + stage.light(edge, e["norm"], color)
        if e["kind"] == "param_grad":
            th = stage.theme
            name = stage.label(f"‖∂L/∂{ctx.cards.name(e['param'])}‖", th.badge_size, th.muted, (0, 0))
            size = stage.label(norm_text(e["norm"]), th.badge_size, th.text, (0, 0))
            at_name, at_size = stage.badge_spots(edge, name.width, size.width)
            label = VGroup(name.move_to([at_name[0], at_name[1], 0]), size.move_to([at_size[0], at_size[1], 0]))
            anims.append(appear(label))
            stage.badges[edge] = label
    return [Step(stage.show_card(card), 0.8, 0.8, event=e, shows=[card])] + ([Step(anims, 1.0, 0.4)] if anims else [])


BLOCK_BUILDERS: Registry = {
    "forward": _nothing,
    "loss": build_loss,
    "seed": build_gradient,
    "local": build_gradient,
    "multiply": build_gradient,
    "accumulate": build_bias_total,
    "param_grad": build_gradient,
    "update": _nothing,
}
