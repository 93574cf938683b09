"""The saliency chapter's numbers: ∂L/∂x, which the backward pass computes anyway, read as "which input
matters", and the adversarial nudge x′ = x + ε·sign(∂L/∂x) that it suggests.

To first order the nudge raises the loss by ε·‖∂L/∂x‖₁ (each input moved by ε in the direction that
raises L the most); the forward pass on x′ says by how much it really does. One example: a batch's
first, with its own loss.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from backprop.engine.backward import backward
from backprop.engine.forward import forward
from backprop.engine.spec import Network

EPSILON = 0.1


@dataclass(frozen=True)
class Saliency:
    x: list[float]  # the example's inputs
    grads: list[float]  # ∂L/∂xᵢ
    epsilon: float
    nudged: list[float]  # x + ε·sign(∂L/∂x)
    loss: float  # L(x)
    nudged_loss: float  # L(x′), a real forward pass
    predicted: float  # ε·‖∂L/∂x‖₁: the first-order rise

    @property
    def rise(self) -> float:
        return self.nudged_loss - self.loss


def first_example(net: Network) -> Network:
    return replace(net, X=net.X[:1].copy(), T=net.T[:1].copy())


def saliency(net: Network, epsilon: float = EPSILON) -> Saliency:
    one = first_example(net)
    fwd = forward(one)
    g = backward(one, fwd).upstream[0][0]
    nudged = one.X[0] + epsilon * np.sign(g)
    after = forward(replace(one, X=nudged[None, :]))
    return Saliency(x=one.X[0].tolist(), grads=g.tolist(), epsilon=epsilon, nudged=nudged.tolist(),
                    loss=fwd.loss, nudged_loss=after.loss, predicted=float(epsilon * np.abs(g).sum()))
