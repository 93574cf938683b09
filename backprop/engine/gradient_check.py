"""Finite-difference check: the backward pass against the loss itself, one parameter at a time.

A five-point central difference (error O(h⁴)) makes the comparison tight enough to hold at 1e-6 even
where gradients have nearly vanished. ReLU is not differentiable at 0: a parameter whose nudge moves
some ReLU pre-activation across 0 is reported as a kink, not as a failure.

Rounding limits what a finite difference can resolve: each loss value is only known to about
eps × (its magnitude), and the difference divides that by the step. When the loss is huge (or made
of huge terms that cancel), a parameter whose difference exceeds the tolerance but stays within that
rounding error is reported as inconclusive: neither a pass nor a failure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from threadpoolctl import threadpool_limits

from backprop.engine.backward import backward
from backprop.engine.forward import forward
from backprop.engine.labels import element_name
from backprop.engine.operations import ACTIVATIONS
from backprop.engine.spec import Network, SpecError

TOLERANCE = 1e-6
STEP = 1e-3
ROUNDING = 4 * np.finfo(float).eps  # relative rounding error of a computed loss: a few ulps
FLOOR = 1e-6  # below this magnitude, errors are measured against 1e-6 (so absolutely, to 1e-12)
MAX_CHECK_PARAMS = 20_000  # each parameter costs four forward passes
MAX_CHECK_SECONDS = 10  # a check estimated to take longer is refused


@dataclass(frozen=True)
class CheckRow:
    """One parameter as the check saw it (the gradient-check scene's table)."""
    param: str
    numeric: float | None  # the finite difference (None at a kink)
    analytic: float  # backprop's gradient
    error: float | None  # |numeric − analytic| / max(|numeric|, |analytic|, FLOOR); None: not compared
    status: str  # "ok", "failed", "kink", "inconclusive"


@dataclass
class CheckResult:
    worst_error: float = 0.0
    worst_param: str = ""
    checked: int = 0
    kinks: list[str] = field(default_factory=list)  # parameters whose nudge crosses a ReLU kink
    inconclusive: list[str] = field(default_factory=list)  # differences within the rounding error
    loss_magnitude: float = 0.0  # what the loss's rounding error scales with (see _loss_magnitude)
    rows: list[CheckRow] = field(default_factory=list)  # every parameter: W1 row by row, b1, W2, …

    @property
    def ok(self) -> bool:
        return self.worst_error <= TOLERANCE

    def compare(self, label: str, losses: list[float] | None, h: float, analytic: float) -> None:
        """One parameter's verdict from the loss at w + 2h, w + h, w − h, w − 2h (None: the nudge
        crossed a kink): the five-point slope against backprop's gradient, within the rounding error
        `loss_magnitude` allows."""
        if losses is None:
            self.kinks.append(label)
            self.rows.append(CheckRow(label, None, analytic, None, "kink"))
            return
        f2, f1, m1, m2 = losses
        numeric = (-f2 + 8 * f1 - 8 * m1 + m2) / (12 * h)
        scale = max(abs(numeric), abs(analytic), FLOOR)
        error = abs(numeric - analytic) / scale
        # the stencil's weights (1 + 8 + 8 + 1) / 12 on values each off by a few eps × magnitude
        rounding = 1.5 * ROUNDING * self.loss_magnitude / h
        if error > TOLERANCE and abs(numeric - analytic) <= TOLERANCE * scale + rounding:
            self.inconclusive.append(label)
            self.rows.append(CheckRow(label, numeric, analytic, error, "inconclusive"))
            return
        self.rows.append(CheckRow(label, numeric, analytic, error, "ok" if error <= TOLERANCE else "failed"))
        self.checked += 1
        if error >= self.worst_error:
            self.worst_error, self.worst_param = error, label


def _kink_pattern(net: Network, fwd) -> list[np.ndarray]:
    """Which side of its kink each kinked unit's z is on (ReLU: z > 0): a nudge that changes a side
    crosses the kink, where a finite difference means nothing."""
    return [fwd.z[l] > act.kink for l, layer in enumerate(net.layers, start=1)
            if (act := ACTIVATIONS[layer.activation]).kink is not None]


def _loss_magnitude(net: Network, fwd, bwd) -> float:
    """|L| plus the size of the terms behind it: each pre-activation is a sum of a·w terms whose
    rounding (eps × Σ|a·w|) reaches L through |∂L/∂z|. eps times this is the loss's rounding error."""
    total = abs(fwd.loss)
    for l, layer in enumerate(net.layers, start=1):
        terms = np.abs(fwd.a[l - 1]) @ np.abs(layer.W).T + np.abs(layer.b)
        total += float(np.sum(np.abs(bwd.delta[l]) * terms))
    return total


def estimated_seconds(net: Network) -> float:
    """Four forward passes per parameter. A pass costs, as measured on this project's 2-core machine
    (benchmarks/limits_bench.py, on the safe side): its multiply-adds, every unit value it computes
    (elementwise steps; at large batches the fresh memory costs more than the arithmetic), and a few
    numpy calls per layer and per pass whatever their size (what makes deep narrow networks slow)."""
    n, p = net.X.shape[0], net.n_params
    per_pass = 1e-10 * p * n + 3e-8 * n * sum(net.sizes[1:]) + 1e-5 * len(net.layers) + 3e-5
    return 4 * p * per_pass


def finite_difference_check(net: Network) -> CheckResult:
    # Thousands of passes over small matrices: BLAS threads only add synchronisation, and on a busy
    # machine a pass waiting for its second thread stalls for a scheduler slice (~30 ms instead of ~70 µs).
    with threadpool_limits(1, user_api="blas"):
        return _check(net)


def refusal(net: Network) -> SpecError | None:
    """Why the check would refuse `net` (too many parameters, too slow), or None."""
    if net.n_params > MAX_CHECK_PARAMS:
        return SpecError("network", f"check is limited to {MAX_CHECK_PARAMS:,} parameters "
                                    f"(four forward passes each), this one has {net.n_params:,}")
    if estimated_seconds(net) > MAX_CHECK_SECONDS:
        return SpecError("inputs", f"check would take too long (~{estimated_seconds(net):,.0f} s) with "
                                   f"{net.X.shape[0]:,} examples, "
                                   f"{net.n_params:,} parameters and {len(net.layers)} layers; "
                                   "check fewer examples or a smaller network")
    return None


def _check(net: Network) -> CheckResult:
    problem = refusal(net)
    if problem is not None:
        raise problem
    base = forward(net)
    bwd = backward(net, base)
    grads = bwd.grads
    pattern = _kink_pattern(net, base)
    result = CheckResult(loss_magnitude=_loss_magnitude(net, base, bwd))
    for name, array in net.params().items():
        for idx in np.ndindex(array.shape):
            original = array[idx]
            h = STEP * max(1.0, abs(float(original)))
            losses, crosses = [], False
            for k in (2, 1, -1, -2):
                array[idx] = original + k * h
                fwd = forward(net)
                losses.append(fwd.loss)
                crosses = crosses or any((a != b).any() for a, b in zip(_kink_pattern(net, fwd), pattern))
            array[idx] = original
            result.compare(element_name(name, idx), None if crosses else losses, h, float(grads[name][idx]))
    return result
