"""The residual chapter's numbers: the same network with and without its skips, the gradient per layer.

Through a skip, h_l = h_{l−1} + f(z_l), so one step back multiplies ∂L/∂h by 1 + f′(z)·w instead of
f′(z)·w: the "+1" path hands the gradient back unchanged, and a stack of sigmoids (f′ ≤ 0.25) no longer
shrinks it layer by layer. The chapter shows it on a chain (one unit a layer), where the factor is a
number a student can check.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from backprop.engine.backward import backward
from backprop.engine.forward import forward
from backprop.engine.operations import ACTIVATIONS
from backprop.engine.spec import Network

MIN_SKIPS = 3


@dataclass(frozen=True)
class LayerGradient:
    layer: int  # 1-based: the hidden layer whose output h it is
    plain: float  # |∂L/∂h| in the network without skips
    residual: float  # |∂L/∂h| with them


@dataclass(frozen=True)
class SkipStep:
    """One step back through a skip on a chain: ∂L/∂h_{l−1} = ∂L/∂h_l × (1 + f′(z_l)·w_l)."""
    layer: int
    activation: str
    upstream: float  # ∂L/∂h_l
    local: float  # f′(z_l)
    w: float  # w_l
    through: float  # f′(z_l)·w_l: the path through the layer
    factor: float  # 1 + f′(z_l)·w_l
    downstream: float  # ∂L/∂h_{l−1} = upstream × factor


def residual_reason(net: Network) -> str | None:
    skips = [layer for layer in net.layers if layer.residual]
    if len(skips) < MIN_SKIPS:
        return (f"it has {len(skips)} residual layers; the residual chapter compares at least {MIN_SKIPS} "
                "skips with the same layers without them")
    if any(size != 1 for size in net.sizes) or net.X.shape[0] != 1:
        return "the residual chapter spells out one unit's step back: it plays chains (one unit a layer, one example)"
    return None


def without_skips(net: Network) -> Network:
    return replace(net, layers=[replace(layer, residual=False) for layer in net.layers])


def highway(net: Network) -> list[LayerGradient]:
    """|∂L/∂h| of every hidden layer's output, with and without the skips (layer 1 first)."""
    def sizes(n: Network) -> list[float]:
        bwd = backward(n)
        return [float(np.mean(np.abs(bwd.upstream[l]))) for l in range(1, len(n.layers))]

    return [LayerGradient(l, p, r) for l, (p, r) in enumerate(zip(sizes(without_skips(net)), sizes(net)), start=1)]


def skip_steps(net: Network) -> list[SkipStep]:
    """Every residual hidden layer's step back on a chain, from the output back."""
    fwd = forward(net)
    bwd = backward(net, fwd)
    steps = []
    for l in range(len(net.layers) - 1, 1, -1):
        layer = net.layers[l - 1]
        if not layer.residual:
            continue
        local = float(ACTIVATIONS[layer.activation].local(fwd.z[l], fwd.f[l])[0, 0])
        w = float(layer.W[0, 0])
        up = float(bwd.upstream[l][0, 0])
        steps.append(SkipStep(l, layer.activation, up, local, w, local * w, 1 + local * w,
                              float(bwd.upstream[l - 1][0, 0])))
    return steps
