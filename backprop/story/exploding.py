"""The exploding chapter's texts: the growth factor per step back, the overshooting update, the clip."""

from __future__ import annotations

from backprop.engine.exploding import Overshoot
from backprop.engine.labels import fmt
from backprop.language import _
from backprop.story.texts import bracketed, grad_text, loss_text, relation, shown, value_text


def size_text(x: float) -> str:
    return fmt(x, 3)


def loss_after_text(x: float) -> str:
    """A loss that blew up is shown whole (95,601), a small one as usual."""
    return f"{x:,.0f}" if x >= 1000 else loss_text(x)


def update_lines(o: Overshoot, lr: float, symbol: str) -> list[str]:
    g, w = grad_text(o.grad).lstrip("+"), value_text(o.value)
    new = fmt(o.plain_value, 3)
    eta = f"{lr:g}"
    return [_("new {name} = {rest}").format(name=symbol, rest=f"{w} − {eta} × {bracketed(g)} "
                                                               f"{relation(shown(w) - shown(eta) * shown(g), new)} {new}")]


def clip_lines(o: Overshoot, lr: float, symbol: str) -> list[str]:
    norm, c = fmt(o.norm, 1), f"{o.clip:g}"
    scale = f"{o.scale:.3g}"  # three figures: the clipped gradient is then exact as shown
    g = grad_text(o.grad).lstrip("+")
    clipped = fmt(o.clipped_grad, 3)
    w, eta, new = value_text(o.value), f"{lr:g}", fmt(o.clipped_value, 3)
    return [_("‖g‖ = {norm} > c = {c}: every gradient × c ÷ ‖g‖").format(norm=norm, c=c),
            f"{c} ÷ {norm} {relation(shown(c) / shown(norm), scale)} {scale}",
            _("{name}'s gradient, clipped:").format(name=symbol),  # not "∂L/∂w = …": the clipped number is not ∂L/∂w
            f"{g} × {scale} {relation(shown(g) * shown(scale), clipped)} {clipped}",
            _("new {name} = {rest}").format(name=symbol, rest=f"{w} − {eta} × {bracketed(clipped)} "
                                                           f"{relation(shown(w) - shown(eta) * shown(clipped), new)} {new}")]
