"""What the `nudge` scene says: one parameter moved by ±ε, the loss again, the change against the
gradient's prediction (formatting only: every number is the engine's nudge, "=" only where the shown
numbers give the shown result, by texts.relation).
"""

from __future__ import annotations

import math

from backprop.engine.labels import fmt
from backprop.language import _
from backprop.story.cards import CardText
from backprop.story.texts import bracketed, grad_text, operand_text, relation, shown, value_text, worked_line


MAX_PLACES = 6  # decimals of a loss that still fit a card as an operand


def loss_places(change: float) -> int:
    """Decimals a nudged loss needs so that its change shows with two significant figures (the
    lesson's four when the change is large or zero)."""
    if change == 0 or not math.isfinite(change):
        return 4
    return max(4, 1 - math.floor(math.log10(abs(change))))


def change_text(x: float) -> str:
    """A change in the loss: a true minus, a power of ten written out (−4.5 × 10⁻⁴)."""
    return fmt(x, 4, plus=True)


class NudgeTexts:
    """The cards of one nudge (backprop.engine.nudge.Nudge); `symbol` is the parameter as shown (W₁[1,2])."""

    def __init__(self, n, symbol: str):
        self.n, self.symbol = n, symbol
        self.places = loss_places(min(abs(n.change_up), abs(n.change_down)) or abs(n.predicted))
        self.w, self.eps = value_text(n.value), value_text(n.epsilon)

    def loss(self, x: float) -> str:
        return fmt(x, self.places)

    def moved(self, up: bool) -> CardText:
        """`W₁[1,2] + ε = 0.3 + 0.01 = 0.31`, then the forward pass's loss."""
        n = self.n
        new = value_text(n.nudged_up if up else n.nudged_down)
        sign = "+" if up else "−"
        worked = shown(self.w) + (1 if up else -1) * shown(self.eps)
        top = f"{self.symbol} {sign} ε = {self.w} {sign} {bracketed(self.eps)} {relation(worked, new)} {new}"
        loss = self.loss(n.loss_up if up else n.loss_down)
        note = _("before the nudge: L = {loss}").format(loss=self.loss(n.loss))
        return CardText(top, _("forward pass again: L ="), loss, note)

    @property
    def operands_fit(self) -> bool:
        """Losses of up to six decimals fit a card as operands; a change smaller than that (a tiny
        gradient) is shown as the engine's difference alone, the losses being on the cards before."""
        return self.places <= MAX_PLACES

    def change(self) -> CardText:
        """What the nudge up did: L(w + ε) − L(w), as the forward passes gave it."""
        n = self.n
        after, before = self.loss(n.loss_up), self.loss(n.loss)
        result = change_text(n.change_up)
        if not self.operands_fit:
            return CardText(_("change in L = L(w + ε) − L(w)"), "=", result, self.direction_note())
        (after, before), rel = worked_line([n.loss_up, n.loss], [after, before], lambda v: v[0] - v[1], result)
        return CardText(_("change in L = L(w + ε) − L(w)"), f"= {after} − {bracketed(before)} {rel}",
                        result, self.direction_note())

    def predicted(self) -> CardText:
        """What the gradient says it does: ∂L/∂w × ε."""
        n = self.n
        result = change_text(n.predicted)
        (g, eps), rel = worked_line([n.gradient, n.epsilon], [operand_text(n.gradient), self.eps], math.prod, result)
        return CardText(_("gradient × ε = ∂L/∂{name} × ε").format(name=self.symbol),
                        f"= {g} × {bracketed(eps)} {rel}", result,
                        _("from one backward pass: no nudge needed"))

    def slope(self) -> CardText:
        """(L(w + ε) − L(w − ε)) ÷ 2ε: the loss's slope measured, ≈ the gradient."""
        n = self.n
        up, down, span = self.loss(n.loss_up), self.loss(n.loss_down), value_text(n.span)
        result = grad_text(n.slope)
        note = _("backprop's ∂L/∂{name} = {value}").format(name=self.symbol, value=grad_text(n.gradient))
        if not self.operands_fit:
            return CardText(_("slope = (L(w + ε) − L(w − ε)) ÷ 2ε"), "=", result, note)
        (up, down, span), rel = worked_line([n.loss_up, n.loss_down, n.span], [up, down, span],
                                            lambda v: (v[0] - v[1]) / v[2], result)
        return CardText(_("slope = (L(w + ε) − L(w − ε)) ÷ 2ε"),
                        f"= ({up} − {bracketed(down)}) ÷ {span} {rel}", result, note)

    def direction_note(self) -> str:
        n = self.n
        if n.change_up < 0:
            return _("the loss fell: increase {name}").format(name=self.symbol)
        if n.change_up > 0:
            return _("the loss rose: decrease {name}").format(name=self.symbol)
        return _("the loss did not move: {name} does not matter here").format(name=self.symbol)

    # ---- the narrator ------------------------------------------------------------------------------

    def said_network(self) -> str:
        return _("Take one weight, {name} = {value}, and ask: if we nudge it, does the loss L = {loss} go up or "
                 "down, and by how much?").format(name=self.symbol, value=self.w, loss=self.loss(self.n.loss))

    def said_moved(self, up: bool) -> str:
        n = self.n
        said = (_("Nudge it up by ε = {eps} and run the forward pass again: now L = {loss}.") if up else
                _("Nudge it down by ε = {eps} and run the forward pass again: now L = {loss}."))
        return said.format(eps=self.eps, loss=self.loss(n.loss_up if up else n.loss_down))

    def said_change(self) -> str:
        n = self.n
        note = self.direction_note()
        return _("The loss changed by {change}; the gradient times ε predicts {predicted}. {note}.").format(
            change=change_text(n.change_up), predicted=change_text(n.predicted), note=note[:1].upper() + note[1:])

    def said_slope(self) -> str:
        return _("A gradient is a sensitivity: how much the loss moves per unit of {name}. Its sign says which way "
                 "to move it.").format(name=self.symbol)
