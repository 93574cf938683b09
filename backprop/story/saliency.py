"""The saliency chapter's texts: ∂L/∂x per input, the nudged input, the first-order rise and the real."""

from __future__ import annotations

from backprop.engine.labels import fmt
from backprop.engine.saliency import Saliency
from backprop.story.texts import grad_text, loss_text, relation, shown, value_text


def nudge_line(s: Saliency, i: int, symbol: str) -> str:
    """x′ᵢ = xᵢ + ε × sign(∂L/∂xᵢ) = …"""
    sign = "+1" if s.grads[i] > 0 else "−1" if s.grads[i] < 0 else "0"
    x, eps, new = value_text(s.x[i]), f"{s.epsilon:g}", value_text(s.nudged[i])
    value = shown(x) + shown(eps) * (1 if s.grads[i] > 0 else -1 if s.grads[i] < 0 else 0)
    return f"{symbol}′ = {x} + {eps} × ({sign}) {relation(value, new)} {new}"


def predicted_line(s: Saliency) -> str:
    """ε × ‖∂L/∂x‖₁ = ε × (|g₁| + |g₂| + …) = …"""
    mags = [fmt(abs(g), 3) for g in s.grads]
    total = fmt(s.predicted, 3)
    eps = f"{s.epsilon:g}"
    value = shown(eps) * sum(shown(m) for m in mags)
    return f"{eps} × ({' + '.join(mags)}) {relation(value, total)} {total}"


def rise_line(s: Saliency) -> str:
    before, after = loss_text(s.loss), loss_text(s.nudged_loss)
    rise = fmt(s.rise, 3)
    return f"{after} − {before} {relation(shown(after) - shown(before), rise)} {rise}"


def grad_cells(s: Saliency) -> list[str]:
    return [grad_text(g) for g in s.grads]
