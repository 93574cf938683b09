"""The optimizers chapter's texts: one parameter's first step under each optimizer, and the curves."""

from __future__ import annotations

from backprop.engine.labels import fmt
from backprop.engine.optimizers import OPTIMIZERS, FirstStep
from backprop.language import _
from backprop.story.texts import bracketed, grad_text, relation, shown, value_text


def step_row(step: FirstStep) -> list[str]:
    """[optimizer, the step, the new value, its rule] (the rule last: in a narrow frame it goes on the
    row's second line, under the numbers)."""
    record = OPTIMIZERS[step.optimizer]
    return [_(record.display), fmt(step.step, 3, plus=True), fmt(step.new, 4), record.rule]


def sgd_line(step: FirstStep, lr: float, symbol: str) -> str:
    w, g, eta, new = value_text(step.old), grad_text(step.grad).lstrip("+"), f"{lr:g}", fmt(step.new, 4)
    return _("new {name} = {rest}").format(
        name=symbol, rest=f"{w} − {eta} × {bracketed(g)} {relation(shown(w) - shown(eta) * shown(g), new)} {new}")


def loss_after_text(x: float) -> str:
    return fmt(x, 4)
