"""The forward pass, vectorised per layer over the batch: what every later gradient is computed from."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backprop.engine.operations import ACTIVATIONS, LOSSES
from backprop.engine.spec import Network, SpecError


@dataclass
class ForwardPass:
    a: list[np.ndarray]  # a[0] = X, a[l] = layer l's output (examples × units)
    z: list[np.ndarray]  # z[0] unused (None), z[l] = layer l's pre-activation
    f: list[np.ndarray]  # f[l] = layer l's activation f(z[l]): a[l] itself, or a[l] − a[l−1] with a skip
    per_example: np.ndarray  # loss of each example
    loss: float  # mean over the batch

    @property
    def y(self) -> np.ndarray:
        return self.a[-1]


def forward(net: Network) -> ForwardPass:
    a: list[np.ndarray] = [net.X]
    z: list = [None]  # z[0]: the inputs have no pre-activation
    f: list = [None]
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is checked below, and explained
        for layer in net.layers:
            z_l = a[-1] @ layer.W.T
            z_l += layer.b  # in place: one matrix fewer per layer
            z.append(z_l)
            f.append(ACTIVATIONS[layer.activation].forward(z_l))
            a.append(a[-1] + f[-1] if layer.residual else f[-1])
        per_example = LOSSES[net.loss].forward(a[-1], net.T, z[-1])
    if not (np.isfinite(per_example).all() and all(np.isfinite(v).all() for v in z[1:])):
        raise SpecError("network", "the forward pass overflows (values beyond ±1e308); "
                                   "scale the weights or inputs down")
    return ForwardPass(a=a, z=z, f=f, per_example=per_example, loss=float(np.mean(per_example)))
