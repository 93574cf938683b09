"""The operations: each activation and loss is one record holding every fact about it that the other
layers branch on — its calculus, its names and symbols, how its cards read, its gate, its kink, the
bound on its local gradient, how its weights start. No other module names an activation or a loss.

This is the one place where an operation's calculus lives (micrograd's `_backward` closures are the
model). The vectorised engine and the scalar timeline both call these objects, so a rule can never
disagree with its explanation. Records are plain callables on numpy arrays or scalars (wrap a float
in np.asarray): `ACTIVATIONS["tanh"].forward(np.asarray(0.5))`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from backprop.language import N_

LEAKY_SLOPE = 0.01  # the leaky ReLU's slope for z ≤ 0


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


_erf = np.vectorize(math.erf, otypes=[float])


def _gauss_cdf(z):
    """Φ(z), the standard normal's cumulative distribution."""
    return 0.5 * (1.0 + _erf(np.asarray(z, dtype=float) / math.sqrt(2.0)))


def _gauss_pdf(z):
    """φ(z), the standard normal's density."""
    return np.exp(-0.5 * np.square(z)) / math.sqrt(2.0 * math.pi)


def _he(fan_in: int, units: int, slope: float = 0.0) -> float:
    """He initialisation for rectifiers (its gain √(2 / (1 + slope²)))."""
    return math.sqrt(2.0 / ((1.0 + slope * slope) * fan_in))


def _glorot(fan_in: int, units: int) -> float:
    return math.sqrt(2.0 / (fan_in + units))


@dataclass(frozen=True)
class Activation:
    """h = f(z), applied unit by unit (softmax: across the layer).

    `formula` and `numbers` are templates a local-gradient card fills: `{out}` is the unit's output
    symbol (h₁, y, …), `{z}` its pre-activation symbol; in `numbers` the same names stand for values
    (and `{cmp}` for > or ≤ against the kink). `reads` is the forward card's line: `{out}`, `{z}` the
    symbols, `{zv}`, `{hv}` their values.
    """

    name: str
    display: str  # in titles and tables: ReLU, sigmoid, …
    phrase: str  # in a sentence: "Through the sigmoid"
    symbol: str  # how the derivative is written: σ′, ReLU′, …
    gate: str  # the name on its gate (and in a gate's sentences): ReLU, σ, tanh
    forward: Callable[[np.ndarray], np.ndarray]
    # ∂h/∂z from z and h (elementwise). Softmax's Jacobian is not diagonal: it is only used fused
    # with cross-entropy, where ∂L/∂z = y − t, and its `local` raises.
    local: Callable[[np.ndarray, np.ndarray], np.ndarray]
    formula: str
    numbers: str
    reads: str
    definition: str = ""  # f itself, in z, for a worksheet: "max(0, z)"
    init: Callable[[int, int], float] = _glorot  # a drawn weight's standard deviation from (fan in, units)
    kink: float | None = None  # the z where f′ jumps (a finite difference across it is meaningless)
    # the local-gradient card's note on each side of the kink (above, at or below)
    kink_notes: tuple[str, str] = ("", "")
    switch: bool = False  # f′ is 1 or 0: its gate routes or blocks the gradient (else it scales it)
    local_max: float = 1.0  # the largest |f′(z)| (σ′ ≤ 0.25): under 1, a deep stack of it shrinks gradients
    elementwise: bool = True  # False: softmax, whose outputs need the whole layer (an output layer only)
    spoken: str = ""  # its symbol's name read aloud (the narration says "sigma prime" for σ′)
    # where f′ comes from, in one line ({d}: the derivative's symbol), for the card where local
    # gradients first appear; "" for none
    origin: str = ""
    torch_node: str = ""  # PyTorch's backward node for it (the autodiff chapter shows both names)
    in_graphs: bool = True  # a function a graph program may call (the identity would teach nothing there)


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("linear", "linear", N_("the linear unit"), "f′", "linear", lambda z: z.copy(),
                   lambda z, h: np.ones_like(z), "f′({z}) = 1", "1", "{out} = {z} = {hv}", definition="z", in_graphs=False),
        Activation("relu", "ReLU", "ReLU", "ReLU′", "ReLU", lambda z: np.maximum(z, 0.0),
                   lambda z, h: (z > 0).astype(float), N_("ReLU′({z}) = 1 if {z} > 0 else 0"), "{z} {cmp} 0",
                   "{out} = max(0, {z}) = max(0, {zv}) = {hv}", definition="max(0, z)", init=_he, kink=0.0, spoken="relu", torch_node="ReluBackward0",
                   origin=N_("ReLU(z) = max(0, z), so {d}(z) = 1 if z > 0, else 0"),
                   kink_notes=(N_("gate open: the gradient passes unchanged"), N_("gate closed: the gradient is blocked")),
                   switch=True),
        Activation("leaky-relu", "leaky ReLU", N_("the leaky ReLU"), "LReLU′", "LReLU",
                   lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
                   lambda z, h: np.where(z > 0, 1.0, LEAKY_SLOPE), f"LReLU′({{z}}) = 1 if {{z}} > 0 else {LEAKY_SLOPE}",
                   "{z} {cmp} 0", f"{{out}} = max({LEAKY_SLOPE}·{{z}}, {{z}}) = max({LEAKY_SLOPE} × {{zv}}, {{zv}}) = {{hv}}",
                   definition=f"max({LEAKY_SLOPE}·z, z)", init=lambda fan_in, units: _he(fan_in, units, LEAKY_SLOPE),
                   kink=0.0, spoken="leaky relu", torch_node="LeakyReluBackward0", kink_notes=(N_("slope 1: the gradient passes unchanged"),
                                         f"slope {LEAKY_SLOPE}: a little of the gradient still passes")),
        Activation("sigmoid", "sigmoid", N_("the sigmoid"), "σ′", "σ", _sigmoid, lambda z, h: h * (1.0 - h),
                   "σ′({z}) = {out}(1 − {out})", "{out} × (1 − {out})", "{out} = σ({z}) = σ({zv}) = {hv}",
                   definition="1 / (1 + e⁻ᶻ)", local_max=0.25, spoken="sigma", torch_node="SigmoidBackward0",
                   origin=N_("σ(z) = 1 ÷ (1 + e⁻ᶻ), so {d}(z) = e⁻ᶻ ÷ (1 + e⁻ᶻ)² = σ(z)(1 − σ(z))")),
        Activation("tanh", "tanh", "tanh", "tanh′", "tanh", np.tanh, lambda z, h: 1.0 - h * h,
                   "tanh′({z}) = 1 − {out}²", "1 − {out}²", "{out} = tanh({z}) = tanh({zv}) = {hv}",
                   definition="(eᶻ − e⁻ᶻ) / (eᶻ + e⁻ᶻ)", spoken="tanh", torch_node="TanhBackward0",
                   origin=N_("tanh(z) = (eᶻ − e⁻ᶻ) ÷ (eᶻ + e⁻ᶻ), so {d}(z) = 1 − tanh(z)²")),
        # the exact GELU (not the tanh approximation): z times the chance a standard normal is below z
        Activation("gelu", "GELU", N_("the GELU"), "GELU′", "GELU", lambda z: z * _gauss_cdf(z),
                   lambda z, h: _gauss_cdf(z) + z * _gauss_pdf(z), "GELU′({z}) = Φ({z}) + {z}·φ({z})",
                   "Φ({z}) + {z} × φ({z})", "{out} = {z}·Φ({z}) = {zv} × Φ({zv}) = {hv}", definition="z·Φ(z)",
                   local_max=1.13, spoken="gelu", torch_node="GeluBackward0"),  # GELU′ peaks at 1.129 (z = √2)
        Activation("softmax", "softmax", "softmax", "softmax′", "softmax", _softmax, _jacobian_not_diagonal,
                   "softmax: ∂y/∂z is a full Jacobian", "", "{out} = e^{z} ÷ Σ e^z over the layer = {hv}",
                   definition="eᶻⁱ / Σⱼ eᶻʲ", elementwise=False),
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
    squares: bool = False  # a sum of squares the forward card works out term by term (else it is named)
    one_output: bool = False  # needs exactly one output unit
    probabilities: bool = False  # its targets are probabilities: each in [0, 1]
    distribution: bool = False  # … and each example's add up to 1
    origin: str = ""  # where ∂L/∂y (or, fused, ∂L/∂z) comes from, in one line

    def starts_at_z(self, activation: str) -> bool:
        return self.fused_activation == activation


LOSSES: dict[str, Loss] = {
    l.name: l
    for l in (
        Loss("mse", "MSE", "L = ½ Σ (y − t)²",
             lambda y, t, z: 0.5 * np.sum((y - t) ** 2, axis=-1),
             lambda y, t: y - t, "∂L/∂{out} = {out} − {t}", "{out} − {t}", squares=True,
             origin=N_("L = ½(y − t)², so ∂L/∂y = y − t")),
        Loss("cross_entropy", "cross-entropy", "L = −Σ t log y",
             lambda y, t, z: -np.sum(t * _log_softmax(z), axis=-1),
             lambda y, t: y - t, "∂L/∂{z} = {out} − {t}  (softmax + cross-entropy)", "{out} − {t}",
             fused_activation="softmax", probabilities=True, distribution=True,
             origin=N_("softmax + cross-entropy: L = −Σ t log y with y = softmax(z), so ∂L/∂z = y − t")),
        Loss("binary_cross_entropy", "binary cross-entropy", "L = −[t log y + (1 − t) log(1 − y)]",
             lambda y, t, z: np.sum(_softplus(z) - t * z, axis=-1),
             lambda y, t: y - t, "∂L/∂{z} = {out} − {t}  (sigmoid + cross-entropy)", "{out} − {t}",
             fused_activation="sigmoid", one_output=True, probabilities=True,
             origin=N_("sigmoid + cross-entropy: L = −[t log y + (1 − t) log(1 − y)], so ∂L/∂z = y − t")),
    )
}
DEFAULT_LOSS = "mse"
