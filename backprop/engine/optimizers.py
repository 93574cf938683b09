"""What to do with a gradient once backprop has it: one record per optimizer, and clipping by norm.

Backprop only computes ∂L/∂w; how a step uses it is the optimizer's business (the lesson: "you could
compute gradients with backprop and use a different optimizer"). Each record follows PyTorch's
`torch.optim` defaults, so `backprop train --optimizer adam` and `torch.optim.Adam` take the same steps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from backprop.language import N_

Arrays = dict[str, np.ndarray]


@dataclass(frozen=True)
class Optimizer:
    name: str
    display: str
    rule: str  # the update as a card writes it
    hyper: str  # its constants, in words
    # (gradients, state, step number from 1, learning rate) → the step to subtract from each parameter;
    # `state` is the optimizer's memory, kept between steps (empty at the first)
    step: Callable[[Arrays, dict, int, float], Arrays]


def _sgd(grads: Arrays, state: dict, t: int, lr: float) -> Arrays:
    return {k: lr * g for k, g in grads.items()}


MOMENTUM = 0.9


def _momentum(grads: Arrays, state: dict, t: int, lr: float) -> Arrays:
    # torch.optim.SGD(momentum=0.9): the buffer starts as the first gradient, then v ← μv + g
    for k, g in grads.items():
        state[k] = g.copy() if t == 1 else MOMENTUM * state[k] + g
    return {k: lr * state[k] for k in grads}


BETA1, BETA2, EPS = 0.9, 0.999, 1e-8


def _adam(grads: Arrays, state: dict, t: int, lr: float) -> Arrays:
    steps = {}
    for k, g in grads.items():
        m, v = state.get(k, (np.zeros_like(g), np.zeros_like(g)))
        m = BETA1 * m + (1 - BETA1) * g
        v = BETA2 * v + (1 - BETA2) * g * g
        state[k] = (m, v)
        # torch's order of operations: lr / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
        steps[k] = (lr / (1 - BETA1 ** t)) * m / (np.sqrt(v) / math.sqrt(1 - BETA2 ** t) + EPS)
    return steps


OPTIMIZERS: dict[str, Optimizer] = {
    "sgd": Optimizer("sgd", N_("gradient descent"), "w ← w − η·g", "the gradient as it is", _sgd),
    "momentum": Optimizer("momentum", N_("momentum"), "v ← 0.9·v + g;  w ← w − η·v",
                          "a running sum of past gradients (μ = 0.9)", _momentum),
    "adam": Optimizer("adam", "Adam", "w ← w − η·m̂ ÷ (√v̂ + ε)",
                      "running means of g and g² (β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸)", _adam),
}


def global_norm(grads: Arrays) -> float:
    """‖g‖ over every parameter together, as torch.nn.utils.clip_grad_norm_ measures it."""
    return math.sqrt(sum(float(np.sum(g * g)) for g in grads.values()))


def clip_scale(norm: float, max_norm: float) -> float:
    """c/‖g‖ when ‖g‖ > c, else 1 (torch's clip_grad_norm_, with its 10⁻⁶ guard in the divisor)."""
    return min(1.0, max_norm / (norm + 1e-6))


def clip_by_norm(grads: Arrays, max_norm: float) -> tuple[Arrays, float]:
    """g ← g · c/‖g‖ when ‖g‖ > c. Returns the clipped gradients and the norm before clipping."""
    norm = global_norm(grads)
    scale = clip_scale(norm, max_norm)
    return {k: g * scale for k, g in grads.items()}, norm


@dataclass(frozen=True)
class FirstStep:
    """One parameter's first step under an optimizer, from the same gradient."""
    optimizer: str
    grad: float
    old: float
    new: float

    @property
    def step(self) -> float:
        return self.new - self.old


def first_steps(net, param: str) -> list[FirstStep]:
    """`param` (`W1[1,2]`) after one step of each optimizer, all from the network as given."""
    from backprop.engine.backward import backward  # these import training, which imports this module
    from backprop.engine.params import resolve_param
    from backprop.engine.training import train

    array, index = resolve_param(net, param)
    grad = float(backward(net).grads[array][index])
    old = float(net.params()[array][index])
    return [FirstStep(name, grad, old, float(train(net, 1, name).params[array][index])) for name in OPTIMIZERS]


def loss_curves(net, steps: int) -> dict[str, list[float]]:
    """The loss before each step and after the last, per optimizer, over the same steps."""
    from backprop.engine.training import train

    return {name: train(net, steps, name).losses for name in OPTIMIZERS}
