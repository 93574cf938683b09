"""What the `batch` scene says: each example's row, and the mean of the per-example gradients as a
card (written out for a few examples, named for many). Formatting and "=" / "≈" only; the numbers
come from backprop.engine.batch and the timeline."""

from __future__ import annotations

from backprop.engine.labels import sub
from backprop.language import _
from backprop.story.cards import CardText
from backprop.story.texts import grad_text, operand_text, sum_text, value_text, worked_line

WRITTEN_OUT = 4  # examples whose gradients the mean card adds up term by term
INPUTS_SHOWN = 2  # inputs (and targets) listed per example row: a row fits beside its gradient at 16 px


def example_text(n: int, x: list[float], t: list[float]) -> str:
    """`example 1: x = (0.5, 0.8), t = 1.0` (n 0-based; long inputs end in …)."""
    xs = [value_text(v) for v in x[:INPUTS_SHOWN]] + (["…"] if len(x) > INPUTS_SHOWN else [])
    ts = [value_text(v) for v in t[:INPUTS_SHOWN]] + (["…"] if len(t) > INPUTS_SHOWN else [])
    tt = ts[0] if len(t) == 1 else f"({', '.join(ts)})"
    return _("example {n}: x = ({x}), t = {t}").format(n=n + 1, x=", ".join(xs), t=tt)


def example_grad_text(n: int, param_symbol: str, g: float) -> str:
    return f"∂L{sub(n + 1)}/∂{param_symbol} = {grad_text(g)}"


def mean_card(param_symbol: str, per_example: list[float], mean: float) -> CardText:
    n = len(per_example)
    result = grad_text(mean)
    top = _("mean of the {n} gradients").format(n=n)
    if n > WRITTEN_OUT:
        return CardText(top, _("(sum of {n}) ÷ {n} =").format(n=n), result)
    texts, rel = worked_line(per_example, [operand_text(g) for g in per_example], lambda v: sum(v) / n, result)
    return CardText(top, f"= ({sum_text(texts)}) ÷ {n} {rel}", result)


def batch_card(param_symbol: str, batch: float, n: int) -> CardText:
    return CardText(_("backward pass on all {n}").format(n=n), f"∂L/∂{param_symbol} =", grad_text(batch),
                    _("L is the mean of the examples' losses"))

