"""Depth: how big the gradient is layer by layer, and what shrinks it (vanishing gradients).

Going back one layer multiplies ∂L/∂z by a weight and by the activation's local gradient; sigmoid's
σ′(z) = σ(z)(1 − σ(z)) is at most 0.25, so through a stack of sigmoids the gradient shrinks at least
~4× per layer unless the weights are large. A ReLU unit with z < 0 has ReLU′ = 0: it passes nothing
back and its weights get no gradient (a dead unit, if it stays so for every example).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backprop.engine.backward import backward
from backprop.engine.forward import forward
from backprop.engine.operations import ACTIVATIONS
from backprop.engine.spec import Network

MIN_LAYERS = 3  # two hidden layers at least: a single hidden layer has one step back, no trend


@dataclass(frozen=True)
class LayerSize:
    layer: int  # 1-based
    activation: str
    grad: float  # mean |∂L/∂z| over the layer's units and the batch
    local: float | None  # mean local gradient f′(z) over the same (σ′ for sigmoid); None for softmax
    local_max: float  # the largest f′(z) the activation can have (0.25 for sigmoid, 1 for ReLU, tanh)


@dataclass(frozen=True)
class DeadUnit:
    layer: int
    unit: int  # 1-based
    example: int  # 0-based
    z: float  # < 0 (ReLU′ = 0 there)


def depth_reason(net: Network) -> str | None:
    if len(net.layers) >= MIN_LAYERS:
        return None
    return (f"it has {len(net.layers)} layers of weights; vanishing needs at least {MIN_LAYERS} "
            "(two hidden layers) to show the gradient shrinking from layer to layer")


def gradient_by_layer(net: Network) -> list[LayerSize]:
    """Layer 1 first. The output layer's local gradient is its activation's even where the loss
    starts at z (softmax + cross-entropy): only hidden layers' factors matter for the shrinking."""
    fwd = forward(net)
    bwd = backward(net, fwd)
    sizes = []
    for l, layer in enumerate(net.layers, start=1):
        act = ACTIVATIONS[layer.activation]  # softmax has no unit-by-unit local gradient (only an output)
        local = float(np.mean(act.local(fwd.z[l], fwd.f[l]))) if act.elementwise else None
        sizes.append(LayerSize(layer=l, activation=layer.activation, grad=float(np.mean(np.abs(bwd.delta[l]))),
                               local=local, local_max=act.local_max))
    return sizes


def shrink_factors(sizes: list[LayerSize]) -> list[float]:
    """grad[l-1] / grad[l] for l = depth … 2: by how much one step back scales the gradient."""
    return [sizes[l - 2].grad / sizes[l - 1].grad if sizes[l - 1].grad else 0.0
            for l in range(len(sizes), 1, -1)]


def dead_units(net: Network) -> list[DeadUnit]:
    """Units of hidden layers below their activation's kink where its local gradient is 0 (ReLU with
    z < 0: nothing passes back), example by example. A leaky ReLU's never is."""
    fwd = forward(net)
    found = []
    for l, layer in enumerate(net.layers[:-1], start=1):
        act = ACTIVATIONS[layer.activation]
        if act.kink is None:
            continue
        dead = (fwd.z[l] < act.kink) & (act.local(fwd.z[l], fwd.f[l]) == 0)
        for n, k in zip(*np.nonzero(dead)):
            found.append(DeadUnit(layer=l, unit=int(k) + 1, example=int(n), z=float(fwd.z[l][n, k])))
    return sorted(found, key=lambda d: (d.example, d.layer, d.unit))


def shrinkage(sizes: list[LayerSize]) -> float:
    """How many times smaller layer 1's gradient is than the output layer's (inf if layer 1's is 0)."""
    return sizes[-1].grad / sizes[0].grad if sizes[0].grad else float("inf")
