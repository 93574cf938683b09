"""Forks: a value that feeds several units gets one gradient contribution from each, and its gradient
is their sum (`+=`). The classic bug writes each contribution with `=` instead, so only the last one
survives; this module computes both, for the `branch-sum` scene and its tests.
"""

from __future__ import annotations

from dataclasses import dataclass

from backprop.engine.backward import backward
from backprop.engine.forward import forward
from backprop.engine.labels import input_id, out_id
from backprop.engine.spec import Network


@dataclass(frozen=True)
class Fork:
    node: str  # the value's node id in the scalar timeline (x1, h1_2)
    layer: int  # the layer whose units it feeds
    example: int  # 0-based
    contributions: list[float]  # ∂L/∂z_k × w_k,i for each unit k it feeds, in unit order
    right: float  # their sum: ∂L/∂(value) with +=
    overwritten: float  # with = : each contribution replaces the one before, the last is left

    @property
    def off_by(self) -> float:
        """How far the overwritten value is from the right one (overwritten − right)."""
        return self.overwritten - self.right


def fork_reason(net: Network) -> str | None:
    """Why `net` has no fork (None if it has one): every value feeds every unit of the next layer,
    so a fork needs a layer of at least two units."""
    if any(layer.units >= 2 for layer in net.layers):
        return None
    return "no value feeds two or more units (every layer has one unit), so no gradients add up"


def forks(net: Network, example: int = 0) -> list[Fork]:
    """Every value of `example` that feeds two or more units, from the output layer back (the order
    the backward pass reaches them)."""
    fwd = forward(net)
    bwd = backward(net, fwd)
    depth = len(net.layers)
    found = []
    for l in range(depth, 0, -1):
        layer = net.layers[l - 1]
        if layer.units < 2:
            continue
        for i in range(layer.W.shape[1]):
            node = input_id(i + 1) if l == 1 else out_id(l - 1, i + 1, depth)
            contributions = [float(bwd.delta[l][example, k] * layer.W[k, i]) for k in range(layer.units)]
            overwritten = 0.0
            for c in contributions:  # the bug: `grad = c` where `grad += c` belongs
                overwritten = c
            found.append(Fork(node=node, layer=l, example=example, contributions=contributions,
                              right=float(bwd.upstream[l - 1][example, i]), overwritten=overwritten))
    return found
