"""A batch: each example's own gradient of one parameter, and how they make the batch gradient.

The batch loss is the mean of the examples' losses (backprop.engine.forward), so the batch gradient
is the mean of the per-example gradients. Each per-example gradient here comes from a backward pass
on that example alone, so the `batch` scene can show both sides of the equality.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from backprop.engine.backward import backward
from backprop.engine.params import resolve_param
from backprop.engine.spec import Network

REDUCTION = "mean"  # how forward() combines the examples' losses (np.mean)


@dataclass(frozen=True)
class BatchGradient:
    param: str  # W1[1,2]
    per_example: list[float]  # ∂Lₙ/∂param, each example's loss alone
    batch: float  # ∂L/∂param of the batch loss (the backward pass over the whole batch)
    reduction: str = REDUCTION


def batch_reason(net: Network) -> str | None:
    n = net.X.shape[0]
    return None if n >= 2 else f"it has {n} example; a batch needs at least 2"


def one_example(net: Network, n: int) -> Network:
    """The network with example `n` (0-based) as its only input and target."""
    return replace(net, X=net.X[n:n + 1], T=net.T[n:n + 1])


def batch_gradient(net: Network, param: str) -> BatchGradient:
    array, index = resolve_param(net, param)
    per_example = [float(backward(one_example(net, n)).grads[array][index]) for n in range(net.X.shape[0])]
    return BatchGradient(param=param, per_example=per_example, batch=float(backward(net).grads[array][index]))


def default_param(net: Network) -> str:
    """The first layer's weight with the largest batch gradient (the lesson's W1[1,2] on `batch`)."""
    from backprop.engine.labels import element_name

    W = backward(net).grads["W1"]
    j, i = divmod(int(abs(W).argmax()), W.shape[1])
    return element_name("W1", (j, i))
