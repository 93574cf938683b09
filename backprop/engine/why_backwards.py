"""Why backwards: the work of finding every gradient, counted in multiply-adds (numpy only, no manim).

Finite differences nudge one parameter at a time and run the network forward twice for each (the loss
at w + h and at w − h): 2 × parameters forward passes. Backprop runs forward once and backward once for
all of them, and a backward pass costs about two forward passes: per layer it multiplies δ by the
layer's input (the weights' gradients) and by the weights (the gradient sent back), where the forward
pass did one product per weight.

Counted per example, as the engine computes them (backward.py): a forward pass multiplies each weight
by its input (Σ units × fan-in); a backward pass does δ ⊙ f′(z) per unit (skipped at the output where
the loss starts at z: softmax + cross-entropy, sigmoid + BCE), δ·aᵀ per weight and Wᵀδ per weight (the
engine sends the gradient on to the inputs too). Additions of biases and the activations themselves
are not multiply-adds and are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass

from backprop.engine.operations import LOSSES
from backprop.engine.spec import Network

# The networks the scene grows through, from the lesson's to a classic MNIST classifier.
GROWN = ((2, 2, 1), (10, 10, 1), (64, 32, 10), (784, 128, 10))


@dataclass(frozen=True)
class Cost:
    sizes: tuple[int, ...]
    params: int  # weights and biases
    forward: int  # multiply-adds of one forward pass (one example)
    backward: int  # multiply-adds of one backward pass: every parameter's gradient

    @property
    def shape(self) -> str:
        return "-".join(str(n) for n in self.sizes)

    @property
    def difference_passes(self) -> int:
        """Forward passes finite differences need: two per parameter."""
        return 2 * self.params

    @property
    def finite_differences(self) -> int:
        """Multiply-adds of every gradient by finite differences."""
        return self.difference_passes * self.forward

    @property
    def backprop(self) -> int:
        """Multiply-adds of every gradient by backprop: one forward pass and one backward pass."""
        return self.forward + self.backward

    @property
    def backward_in_forwards(self) -> float:
        """A backward pass's work in forward passes (about 2)."""
        return self.backward / self.forward

    @property
    def times_cheaper(self) -> float:
        return self.finite_differences / self.backprop


def multiply_adds(sizes, starts_at_z: bool = False) -> Cost:
    """The counts for a fully connected network of layer sizes `sizes` (inputs first).
    `starts_at_z`: the loss gradient is ∂L/∂z at the output (no f′ multiply there)."""
    sizes = tuple(int(n) for n in sizes)
    weights = sum(a * b for a, b in zip(sizes, sizes[1:]))
    units = sum(sizes[1:])
    elementwise = units - (sizes[-1] if starts_at_z else 0)
    return Cost(sizes=sizes, params=weights + units, forward=weights, backward=2 * weights + elementwise)


def network_cost(net: Network) -> Cost:
    """The counts for `net`'s shape (per example)."""
    return multiply_adds(net.sizes, LOSSES[net.loss].starts_at_z(net.layers[-1].activation))


def grown(net: Network) -> list[Cost]:
    """`net` and the networks the scene grows through, smallest first (the net's own shape once)."""
    costs = {c.sizes: c for c in map(multiply_adds, GROWN)}
    own = network_cost(net)
    costs[own.sizes] = own
    return sorted(costs.values(), key=lambda c: (c.params, c.sizes))
