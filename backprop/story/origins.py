"""Where each local gradient comes from, in one line: the card a scene shows where local gradients
first appear (σ′ = σ(1 − σ) from σ = 1 ÷ (1 + e⁻ᶻ), tanh′ = 1 − tanh², softmax with cross-entropy
giving y − t at z), for the activations and the loss of the network shown."""

from __future__ import annotations

from backprop.engine.operations import ACTIVATIONS, LOSSES
from backprop.language import _


def origin_lines(activations: list[str], loss: str) -> list[str]:
    """One line per local rule the network uses, hidden layers first, the loss's last; an output
    activation fused with the loss is said with it (its own derivative is never used)."""
    fused = LOSSES[loss].fused_activation
    used = list(activations[:-1]) + ([] if activations[-1] == fused else [activations[-1]])
    lines = []
    for name in dict.fromkeys(used):
        if ACTIVATIONS[name].origin:  # each record says where its f′ comes from (operations.py)
            lines.append(_(ACTIVATIONS[name].origin).format(d=ACTIVATIONS[name].symbol))
    return lines + [_(LOSSES[loss].origin)]
