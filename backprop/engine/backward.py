"""The backward pass, vectorised per layer: δ = ∂L/∂z layer by layer, from the loss to the inputs.

Each step calls the operation's own local rule (backprop.engine.operations); the timeline explains the same
computation unit by unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backprop.engine.forward import ForwardPass, forward
from backprop.engine.operations import ACTIVATIONS, LOSSES
from backprop.engine.spec import Network, SpecError


@dataclass
class BackwardPass:
    delta: list[np.ndarray]  # delta[l] = ∂L/∂z of layer l (examples × units); delta[0] unused
    upstream: list[np.ndarray]  # upstream[l] = ∂L/∂a of layer l's output; upstream[0] = ∂L/∂x
    grads: dict[str, np.ndarray]  # W1, b1, … in the spec's shapes


def backward(net: Network, fwd: ForwardPass | None = None, out: BackwardPass | None = None) -> BackwardPass:
    """`out`: an earlier pass of this network whose matrices are overwritten and returned, for callers
    that run backward again and again. Fresh matrices cost a page fault per 4 KB on every call (glibc
    gives large freed blocks back to the OS), which is more than the arithmetic at this scale."""
    fwd = fwd or forward(net)
    n = net.X.shape[0]
    depth = len(net.layers)
    reuse = out or BackwardPass(delta=[None] * (depth + 1), upstream=[None] * (depth + 1), grads={})  # type: ignore[list-item]
    loss = LOSSES[net.loss]
    delta: list = [None] * (depth + 1)
    upstream: list = [None] * (depth + 1)
    grads = {}
    # The batch loss is a mean, so every example's gradient carries a factor 1/n.
    g = loss.grad(fwd.y, net.T) / n
    last = net.layers[-1]
    if loss.starts_at_z(last.activation):
        delta[depth] = g
    else:
        upstream[depth] = g
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is checked below, and explained
        for l in range(depth, 0, -1):
            layer = net.layers[l - 1]
            if delta[l] is None:
                local = ACTIVATIONS[layer.activation].local(fwd.z[l], fwd.f[l])
                # into the earlier pass's matrix, or else into local's (fresh, not needed after this)
                delta[l] = np.multiply(upstream[l], local, out=local if reuse.delta[l] is None else reuse.delta[l])
            grads[f"W{l}"] = np.matmul(delta[l].T, fwd.a[l - 1], out=reuse.grads.get(f"W{l}"))
            grads[f"b{l}"] = np.sum(delta[l], axis=0, out=reuse.grads.get(f"b{l}"))
            upstream[l - 1] = np.matmul(delta[l], layer.W, out=reuse.upstream[l - 1])
            if layer.residual:  # the skip's local gradient is 1: its contribution adds unchanged
                upstream[l - 1] += upstream[l]
    grads = {name: grads[name] for name in net.params()}  # W1, b1, W2, … order
    # NaN and ±inf show in the min or the max: no boolean matrix the size of the gradients
    if not all(np.isfinite(g.min()) and np.isfinite(g.max()) for g in grads.values()):
        raise SpecError("network", "the gradients overflow (beyond ±1e308); scale the weights or inputs down")
    return BackwardPass(delta=delta, upstream=upstream, grads=grads)


def update(net: Network, grads: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """One gradient-descent step, w − lr·g, as new arrays (the network is left as it was). Entries the
    spec's `frozen` names keep their value exactly."""
    new = {name: value - net.learning_rate * grads[name] for name, value in net.params().items()}
    for name, mask in net.frozen.items():
        new[name] = np.where(mask, net.params()[name], new[name])
    return new
