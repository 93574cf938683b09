"""Where each local gradient comes from, in one line: the card a scene shows where local gradients
first appear (σ′ = σ(1 − σ) from σ = 1 ÷ (1 + e⁻ᶻ), tanh′ = 1 − tanh², softmax with cross-entropy
giving y − t at z), for the activations and the loss of the network shown."""

from __future__ import annotations

from backprop.engine.operations import ACTIVATIONS, LOSSES

# By activation name; the symbol of the derivative is the operation's own (`Activation.symbol`).
ACTIVATION_ORIGINS = {
    "relu": "ReLU(z) = max(0, z), so {d}(z) = 1 if z > 0, else 0",
    "sigmoid": "σ(z) = 1 ÷ (1 + e⁻ᶻ), so {d}(z) = e⁻ᶻ ÷ (1 + e⁻ᶻ)² = σ(z)(1 − σ(z))",
    "tanh": "tanh(z) = (eᶻ − e⁻ᶻ) ÷ (eᶻ + e⁻ᶻ), so {d}(z) = 1 − tanh(z)²",
}
# By loss name: the loss's own derivative, or (fused) the loss and its activation's together at z.
LOSS_ORIGINS = {
    "mse": "L = ½(y − t)², so ∂L/∂y = y − t",
    "cross_entropy": "softmax + cross-entropy: L = −Σ t log y with y = softmax(z), so ∂L/∂z = y − t",
    "binary_cross_entropy": "sigmoid + cross-entropy: L = −[t log y + (1 − t) log(1 − y)], so ∂L/∂z = y − t",
}


def origin_lines(activations: list[str], loss: str) -> list[str]:
    """One line per local rule the network uses, hidden layers first, the loss's last; an output
    activation fused with the loss is said with it (its own derivative is never used)."""
    fused = LOSSES[loss].fused_activation
    used = list(activations[:-1]) + ([] if activations[-1] == fused else [activations[-1]])
    lines = []
    for name in dict.fromkeys(used):
        if name in ACTIVATION_ORIGINS:
            lines.append(ACTIVATION_ORIGINS[name].format(d=ACTIVATIONS[name].symbol))
    return lines + [LOSS_ORIGINS[loss]]
