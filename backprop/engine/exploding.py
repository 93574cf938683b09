"""The exploding chapter's numbers: a gradient that grows layer by layer, the update it makes, and the
same update with the gradients clipped by norm.

Each step back multiplies ∂L/∂z by w × f′(z); where that is above 1 the early layers get the largest
gradients, and one step of gradient descent jumps far past the minimum. Clipping (g ← g · c/‖g‖ when
‖g‖ > c, as torch.nn.utils.clip_grad_norm_) keeps the direction and caps the length.
"""

from __future__ import annotations

from dataclasses import dataclass

from backprop.engine.backward import backward
from backprop.engine.depth import LayerSize, gradient_by_layer, shrinkage
from backprop.engine.optimizers import clip_by_norm, clip_scale
from backprop.engine.spec import Network
from backprop.engine.training import train

CLIP = 1.0  # the usual first choice of c
MIN_LAYERS = 3


@dataclass(frozen=True)
class Overshoot:
    loss: float  # before the step
    after: float  # after one plain step
    norm: float  # ‖g‖ over every parameter
    clip: float  # c
    scale: float  # c / ‖g‖ (1 where ‖g‖ ≤ c)
    after_clipped: float  # after one step with the clipped gradients
    param: str  # the parameter followed (the first weight: its gradient is the largest)
    grad: float  # its gradient
    clipped_grad: float  # its gradient after clipping (grad × scale)
    value: float  # before
    plain_value: float  # after the plain step
    clipped_value: float  # after the clipped step


def exploding_reason(net: Network) -> str | None:
    if len(net.layers) < MIN_LAYERS:
        return f"it has {len(net.layers)} layers; the exploding chapter needs at least {MIN_LAYERS} to show growth"
    sizes = gradient_by_layer(net)
    if shrinkage(sizes) >= 1:
        return "its gradient does not grow from the output back to layer 1 (see the vanishing chapter instead)"
    return None


def growth(net: Network) -> list[LayerSize]:
    """Mean |∂L/∂z| per layer, layer 1 first (the vanishing chapter's measure, here growing)."""
    return gradient_by_layer(net)


def overshoot(net: Network, clip: float = CLIP) -> Overshoot:
    plain, clipped = train(net, 1), train(net, 1, clip_norm=clip)
    grads = backward(net).grads
    short, norm = clip_by_norm(grads, clip)
    first = net.layers[0]
    return Overshoot(loss=plain.losses[0], after=plain.losses[1], norm=norm, clip=clip,
                     scale=clip_scale(norm, clip), after_clipped=clipped.losses[1], param="W1[1,1]",
                     grad=float(grads["W1"][0, 0]), clipped_grad=float(short["W1"][0, 0]), value=float(first.W[0, 0]),
                     plain_value=float(plain.params["W1"][0, 0]), clipped_value=float(clipped.params["W1"][0, 0]))
