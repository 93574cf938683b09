"""A nudge: one parameter moved by ±ε and the network run forward again (the `nudge` scene).

The lesson's question — "if I nudge this weight up slightly, will the error go up or down, and by how
much?" — answered by real forward passes, next to what backprop predicts: the change in the loss is
about ∂L/∂w × ε. This is the gradient's meaning (a sensitivity), not how backprop computes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from backprop.engine.backward import backward
from backprop.engine.forward import forward
from backprop.engine.labels import element_name
from backprop.engine.params import resolve_param
from backprop.engine.spec import Network
from backprop.engine.training import with_params

EPSILON = 0.01  # small beside the lesson's weights (0.2–0.6), large enough to show in four decimals


@dataclass(frozen=True)
class Nudge:
    param: str  # W1[1,2]
    value: float  # w as the spec gives it
    epsilon: float
    gradient: float  # ∂L/∂w from the backward pass
    loss: float  # L(w)
    loss_up: float  # L(w + ε), a forward pass with only w changed
    loss_down: float  # L(w − ε)
    outputs: list[list[float]]  # y(w), y(w + ε), y(w − ε) per example
    outputs_up: list[list[float]]
    outputs_down: list[list[float]]

    @property
    def nudged_up(self) -> float:
        """w + ε: the value the second forward pass used."""
        return self.value + self.epsilon

    @property
    def nudged_down(self) -> float:
        return self.value - self.epsilon

    @property
    def span(self) -> float:
        """2ε: from w − ε to w + ε."""
        return 2 * self.epsilon

    @property
    def change_up(self) -> float:
        """L(w + ε) − L(w): what the nudge up did."""
        return self.loss_up - self.loss

    @property
    def change_down(self) -> float:
        return self.loss_down - self.loss

    @property
    def predicted(self) -> float:
        """∂L/∂w × ε: what the gradient says the nudge up does."""
        return self.gradient * self.epsilon

    @property
    def slope(self) -> float:
        """(L(w + ε) − L(w − ε)) / 2ε: the measured sensitivity, ≈ ∂L/∂w."""
        return (self.loss_up - self.loss_down) / (2 * self.epsilon)


def nudge(net: Network, param: str, epsilon: float = EPSILON) -> Nudge:
    """Three forward passes (w, w + ε, w − ε) and one backward pass; `param` like `W1[1,2]`."""
    array, index = resolve_param(net, param)
    fwd = forward(net)
    gradient = float(backward(net, fwd).grads[array][index])

    def moved(delta: float):
        params = {k: v.copy() for k, v in net.params().items()}
        params[array][index] += delta
        return forward(with_params(net, params))

    up, down = moved(epsilon), moved(-epsilon)
    return Nudge(element_name(array, index), float(net.params()[array][index]), epsilon, gradient,
                 fwd.loss, up.loss, down.loss, fwd.y.tolist(), up.y.tolist(), down.y.tolist())
