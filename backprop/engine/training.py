"""Gradient descent: backprop's gradients used, step after step (`backprop train`, the `update` scene).

Backprop only computes gradients; training is the loop around it: forward, backward, update, again.
Each step reuses backward() of backprop.engine.backward; the step itself is the optimizer's
(backprop.engine.optimizers: plain gradient descent by default, as the lesson's update), after an
optional clip of the gradients' norm. A frozen parameter (the spec's `frozen`) stays as it is here too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from threadpoolctl import threadpool_limits

from backprop.engine.backward import BackwardPass, backward
from backprop.engine.forward import forward
from backprop.engine.optimizers import OPTIMIZERS, clip_by_norm
from backprop.engine.spec import Layer, Network, SpecError

MAX_STEPS = 20_000  # a loss curve for a lecture needs hundreds; beyond this it is a training job
# multiply-adds one `train` may do (about 3 per parameter per example per step: forward and the two
# backward products): a few seconds on this project's machine (benchmarks/train_bench.py)
MAX_WORK = 2_000_000_000


@dataclass(frozen=True)
class Training:
    losses: list[float]  # before each step and after the last: steps + 1 values
    params: dict[str, np.ndarray]  # after the last step, the spec's shapes (W1, b1, W2, …)
    learning_rate: float
    optimizer: str = "sgd"
    clip_norm: float | None = None
    norms: list[float] | None = None  # each step's gradient norm before clipping (with clip_norm)

    @property
    def steps(self) -> int:
        return len(self.losses) - 1

    @property
    def drops(self) -> list[float]:
        """How much each step lowered the loss: losses[k] − losses[k + 1] (negative: it rose)."""
        return [a - b for a, b in zip(self.losses, self.losses[1:])]


def with_params(net: Network, params: dict[str, np.ndarray]) -> Network:
    """The same network with other parameter values (the one given is left as it was)."""
    layers = [Layer(layer.units, layer.activation, params[f"W{n}"], params[f"b{n}"], layer.residual)
              for n, layer in enumerate(net.layers, start=1)]
    return replace(net, layers=layers)


def check_steps(net: Network, steps: int, field: str = "steps") -> None:
    """A step count `train` may run: from 0 to MAX_STEPS, and within MAX_WORK for this network."""
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise SpecError(field, f"expected a whole number of steps from 0 to {MAX_STEPS:,}, got {steps}")
    if steps > MAX_STEPS:
        raise SpecError(field, f"at most {MAX_STEPS:,} (a lecture's loss curve needs hundreds), got {steps:,}")
    per_step = 3 * net.n_params * net.X.shape[0]
    if steps * per_step > MAX_WORK:
        most = max(1, MAX_WORK // per_step)
        raise SpecError(field, f"{steps:,} steps of this network are {steps * per_step:.1e} multiply-adds "
                               f"(limit {MAX_WORK:.0e}, a few seconds); at most {most:,} steps here")


def check_optimizer(optimizer: str, clip_norm: float | None) -> None:
    if optimizer not in OPTIMIZERS:
        raise SpecError("optimizer", f"expected one of {', '.join(OPTIMIZERS)}, got '{optimizer}'")
    if clip_norm is not None and not (isinstance(clip_norm, (int, float)) and math.isfinite(clip_norm)
                                      and clip_norm > 0):
        raise SpecError("clip-norm", f"expected a number above 0, got {clip_norm}")


def train(net: Network, steps: int, optimizer: str = "sgd", clip_norm: float | None = None) -> Training:
    """`steps` steps of `optimizer` at the spec's learning rate, the gradients' norm clipped to
    `clip_norm` first when it is given. losses[k] is the loss before step k+1 (losses[0] the network
    as given, losses[-1] after the last step)."""
    check_steps(net, steps)
    check_optimizer(optimizer, clip_norm)
    # one BLAS thread: a loop of small products waits on every hand-off to a second thread when the
    # cores are busy (as `check` does; README, "Speed")
    with threadpool_limits(1, user_api="blas"):
        try:
            return _descend(net, steps, optimizer, clip_norm)
        except SpecError as e:
            try:
                backward(net, forward(net))
            except SpecError:
                raise e from None  # the network as given overflows: its own message
            raise SpecError("learning_rate", f"the descent diverges: within {steps:,} steps the values overflow "
                                             f"at learning rate {net.learning_rate:g}; take a smaller one") from None


def _descend(net: Network, steps: int, optimizer: str, clip_norm: float | None) -> Training:
    current = net
    losses, norms = [], []
    reuse: BackwardPass | None = None
    state: dict = {}
    for t in range(1, steps + 1):
        fwd = forward(current)
        losses.append(fwd.loss)
        reuse = backward(current, fwd, out=reuse)
        # a frozen entry's gradient is left out before the norm and the optimizer's memory see it
        grads = {k: np.where(net.frozen[k], 0.0, g) if k in net.frozen else g for k, g in reuse.grads.items()}
        if clip_norm is not None:
            grads, norm = clip_by_norm(grads, clip_norm)
            norms.append(norm)
        step = OPTIMIZERS[optimizer].step(grads, state, t, net.learning_rate)
        # new arrays: the next backward overwrites `reuse`'s gradients in place
        new = {k: v - step[k] for k, v in current.params().items()}
        for k, mask in net.frozen.items():
            new[k] = np.where(mask, current.params()[k], new[k])  # exactly as they were
        current = with_params(current, new)
    losses.append(forward(current).loss)
    return Training(losses, {k: v.copy() for k, v in current.params().items()}, net.learning_rate,
                    optimizer, clip_norm, norms if clip_norm is not None else None)


def shown_steps(steps: int, rows: int = 12) -> list[int]:
    """Which steps a short loss table lists: 0, 1, 2, 5, 10, 20, 50, … (1-2-5), and the last."""
    picks, scale = [], 1
    if steps >= 0:
        picks.append(0)
    while scale <= steps:
        for m in (1, 2, 5):
            if m * scale < steps:
                picks.append(m * scale)
        scale *= 10
    picks.append(steps)
    picks = sorted(set(picks))
    if len(picks) > rows:  # keep the first few and the last few
        picks = picks[:rows // 2] + picks[-(rows - rows // 2):]
    return picks
