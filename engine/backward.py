"""The backward pass, vectorised per layer: δ = ∂L/∂z layer by layer, from the loss to the inputs.

Each step calls the operation's own local rule (engine.operations); the timeline explains the same
computation unit by unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.forward import ForwardPass, forward
from engine.operations import ACTIVATIONS, LOSSES
from engine.spec import Network, SpecError


@dataclass
class BackwardPass:
    delta: list[np.ndarray]  # delta[l] = ∂L/∂z of layer l (examples × units); delta[0] unused
    upstream: list[np.ndarray]  # upstream[l] = ∂L/∂a of layer l's output; upstream[0] = ∂L/∂x
    grads: dict[str, np.ndarray]  # W1, b1, … in the spec's shapes


def backward(net: Network, fwd: ForwardPass | None = None) -> BackwardPass:
    fwd = fwd or forward(net)
    n = net.X.shape[0]
    L = len(net.layers)
    loss = LOSSES[net.loss]
    delta: list = [None] * (L + 1)
    upstream: list = [None] * (L + 1)
    grads = {}
    # The batch loss is a mean, so every example's gradient carries a factor 1/n.
    g = loss.grad(fwd.y, net.T) / n
    last = net.layers[-1]
    if loss.starts_at_z(last.activation):
        delta[L] = g
    else:
        upstream[L] = g
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is checked below, and explained
        for l in range(L, 0, -1):
            layer = net.layers[l - 1]
            if delta[l] is None:
                local = ACTIVATIONS[layer.activation].local(fwd.z[l], fwd.a[l])
                delta[l] = np.multiply(upstream[l], local, out=local)  # local is fresh: no new matrix
            grads[f"W{l}"] = delta[l].T @ fwd.a[l - 1]
            grads[f"b{l}"] = delta[l].sum(axis=0)
            upstream[l - 1] = delta[l] @ layer.W
    grads = {name: grads[name] for name in net.params()}  # W1, b1, W2, … order
    # NaN and ±inf show in the min or the max: no boolean matrix the size of the gradients
    if not all(np.isfinite(g.min()) and np.isfinite(g.max()) for g in grads.values()):
        raise SpecError("network", "the gradients overflow (beyond ±1e308); scale the weights or inputs down")
    return BackwardPass(delta=delta, upstream=upstream, grads=grads)


def update(net: Network, grads: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """One gradient-descent step, w − lr·g, as new arrays (the network is left as it was)."""
    return {name: value - net.learning_rate * grads[name] for name, value in net.params().items()}
