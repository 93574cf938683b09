"""Finite-difference check: the backward pass against the loss itself, one parameter at a time.

A five-point central difference (error O(h⁴)) makes the comparison tight enough to hold at 1e-6 even
where gradients have nearly vanished. ReLU is not differentiable at 0: a parameter whose nudge moves
some ReLU pre-activation across 0 is reported as a kink, not as a failure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from backprop.engine.backward import backward
from backprop.engine.forward import forward
from backprop.engine.labels import element_name
from backprop.engine.spec import Network, SpecError

TOLERANCE = 1e-6
STEP = 1e-3
FLOOR = 1e-6  # below this magnitude, errors are measured against 1e-6 (so absolutely, to 1e-12)
MAX_CHECK_PARAMS = 20_000  # each parameter costs four forward passes
MAX_CHECK_WORK = 10**10  # multiply-adds in all: 4 × parameters × (parameters × examples), ~10 s here


@dataclass
class CheckResult:
    worst_error: float = 0.0
    worst_param: str = ""
    checked: int = 0
    kinks: list[str] = field(default_factory=list)  # parameters whose nudge crosses a ReLU kink

    @property
    def ok(self) -> bool:
        return self.worst_error <= TOLERANCE


def _relu_pattern(net: Network, fwd) -> list[np.ndarray]:
    return [fwd.z[l] > 0 for l, layer in enumerate(net.layers, start=1) if layer.activation == "relu"]


def finite_difference_check(net: Network) -> CheckResult:
    if net.n_params > MAX_CHECK_PARAMS:
        raise SpecError("network", f"check is limited to {MAX_CHECK_PARAMS:,} parameters "
                                   f"(four forward passes each), this one has {net.n_params:,}")
    if 4 * net.n_params * net.n_params * net.X.shape[0] > MAX_CHECK_WORK:
        raise SpecError("inputs", f"check would take too long with {net.X.shape[0]:,} examples and "
                                  f"{net.n_params:,} parameters; check fewer examples")
    base = forward(net)
    grads = backward(net, base).grads
    pattern = _relu_pattern(net, base)
    result = CheckResult()
    for name, array in net.params().items():
        for idx in np.ndindex(array.shape):
            original = array[idx]
            h = STEP * max(1.0, abs(original))
            losses, crosses = [], False
            for k in (2, 1, -1, -2):
                array[idx] = original + k * h
                fwd = forward(net)
                losses.append(fwd.loss)
                crosses = crosses or any((a != b).any() for a, b in zip(_relu_pattern(net, fwd), pattern))
            array[idx] = original
            label = element_name(name, idx)
            if crosses:
                result.kinks.append(label)
                continue
            f2, f1, m1, m2 = losses
            numeric = (-f2 + 8 * f1 - 8 * m1 + m2) / (12 * h)
            analytic = float(grads[name][idx])
            error = abs(numeric - analytic) / max(abs(numeric), abs(analytic), FLOOR)
            result.checked += 1
            if error >= result.worst_error:
                result.worst_error, result.worst_param = error, label
    return result
