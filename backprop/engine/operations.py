"""The local rules: each activation and loss knows its forward, its local gradient and its formula text.

This is the one place where an operation's calculus lives (micrograd's `_backward` closures are the
model). The vectorised engine and the scalar timeline both call these objects, so a rule can never
disagree with its explanation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np


def _sigmoid(z):
    # exp(-|z|) never overflows, so the sigmoid stays finite for any z.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _softmax(z):
    shifted = z - np.max(z, axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)


def _log_softmax(z):
    shifted = z - np.max(z, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def _jacobian_not_diagonal(z, h):
    raise ValueError("softmax's ∂y/∂z is a full Jacobian: it is only used fused with cross-entropy")


def _softplus(z):
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


@dataclass(frozen=True)
class Activation:
    """h = f(z), applied unit by unit (softmax: across the layer).

    `formula` and `numbers` are templates a scene fills: `{out}` is the unit's output symbol
    (h₁, y, …), `{z}` its pre-activation symbol; in `numbers` the same names stand for values.
    """

    name: str
    display: str  # in titles and tables: ReLU, sigmoid, …
    phrase: str  # in a sentence: "Through the sigmoid"
    symbol: str  # how the derivative is written: σ', ReLU', …
    forward: Callable[[np.ndarray], np.ndarray]
    # ∂h/∂z from z and h (elementwise). Softmax's Jacobian is not diagonal: it is only used fused
    # with cross-entropy, where ∂L/∂z = y − t, and its `local` raises.
    local: Callable[[np.ndarray, np.ndarray], np.ndarray]
    formula: str
    numbers: str
    definition: str = ""  # f itself, in z, for a worksheet: "max(0, z)"
    elementwise: bool = True  # False: softmax, whose outputs need the whole layer (an output layer only)


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("linear", "linear", "the linear unit", "f'", lambda z: z.copy(), lambda z, h: np.ones_like(z),
                   "f'({z}) = 1", "1", definition="z"),
        Activation("relu", "ReLU", "ReLU", "ReLU'", lambda z: np.maximum(z, 0.0), lambda z, h: (z > 0).astype(float),
                   "ReLU'({z}) = 1 if {z} > 0 else 0", "{z} {cmp} 0", definition="max(0, z)"),
        Activation("sigmoid", "sigmoid", "the sigmoid", "σ'", _sigmoid, lambda z, h: h * (1.0 - h),
                   "σ'({z}) = {out}(1 − {out})", "{out} × (1 − {out})", definition="1 / (1 + e⁻ᶻ)"),
        Activation("tanh", "tanh", "tanh", "tanh'", np.tanh, lambda z, h: 1.0 - h * h,
                   "tanh'({z}) = 1 − {out}²", "1 − {out}²", definition="(eᶻ − e⁻ᶻ) / (eᶻ + e⁻ᶻ)"),
        Activation("softmax", "softmax", "softmax", "softmax'", _softmax, _jacobian_not_diagonal,
                   "softmax: ∂y/∂z is a full Jacobian", "", definition="eᶻⁱ / Σⱼ eᶻʲ", elementwise=False),
    )
}


@dataclass(frozen=True)
class Loss:
    """A per-example loss and its gradient; a batch's loss is the mean over examples.

    A loss may be *fused* with the output activation it requires (softmax + cross-entropy,
    sigmoid + binary cross-entropy): then the backward pass starts at z with ∂L/∂z = y − t, which
    is both what lecturers teach and the numerically stable form.
    """

    name: str
    display: str  # in titles: MSE, cross-entropy, …
    formula: str  # the loss itself, for the `loss` event
    # per-example loss from (y, t, z) — z lets the log losses use stable log-softmax / softplus
    forward: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
    grad: Callable[[np.ndarray, np.ndarray], np.ndarray]  # ∂L/∂y (unfused) or ∂L/∂z (fused), per example
    grad_formula: str
    grad_numbers: str
    fused_activation: str | None = None

    def starts_at_z(self, activation: str) -> bool:
        return self.fused_activation == activation


LOSSES: dict[str, Loss] = {
    l.name: l
    for l in (
        Loss("mse", "MSE", "L = ½ Σ (y − t)²",
             lambda y, t, z: 0.5 * np.sum((y - t) ** 2, axis=-1),
             lambda y, t: y - t, "∂L/∂{out} = {out} − {t}", "{out} − {t}"),
        Loss("cross_entropy", "cross-entropy", "L = −Σ t log y",
             lambda y, t, z: -np.sum(t * _log_softmax(z), axis=-1),
             lambda y, t: y - t, "∂L/∂{z} = {out} − {t}  (softmax + cross-entropy)", "{out} − {t}",
             fused_activation="softmax"),
        Loss("binary_cross_entropy", "binary cross-entropy", "L = −[t log y + (1 − t) log(1 − y)]",
             lambda y, t, z: np.sum(_softplus(z) - t * z, axis=-1),
             lambda y, t: y - t, "∂L/∂{z} = {out} − {t}  (sigmoid + cross-entropy)", "{out} − {t}",
             fused_activation="sigmoid"),
    )
}
