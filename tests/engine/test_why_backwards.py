"""The multiply-adds the why-backwards scene shows, against a count of the products a plain loop
implementation of forward, backward and finite differences actually does."""

import numpy as np
import pytest

from backprop.engine.why_backwards import GROWN, grown, multiply_adds, network_cost
from backprop.engine.spec import load_network


class Counted:
    """A number that counts every multiplication it takes part in."""
    count = 0

    def __init__(self, v):
        self.v = v

    def __mul__(self, other):
        Counted.count += 1
        return Counted(self.v * (other.v if isinstance(other, Counted) else other))

    __rmul__ = __mul__

    def __add__(self, other):
        return Counted(self.v + (other.v if isinstance(other, Counted) else other))

    __radd__ = __add__

    def __sub__(self, other):
        return Counted(self.v - (other.v if isinstance(other, Counted) else other))


def sig(z):
    return 1 / (1 + np.exp(-z))


def loop_forward(W, b, x):
    """Unit by unit, scalar by scalar: z = Σ w·a + b, then a sigmoid (its own arithmetic uncounted)."""
    a, zs, acts = list(x), [], [list(x)]
    for Wl, bl in zip(W, b):
        z = []
        for j in range(len(Wl)):
            s = Counted(bl[j])
            for i in range(len(a)):
                s = s + Counted(Wl[j][i]) * a[i]
            z.append(s)
        zs.append(z)
        a = [Counted(sig(s.v)) for s in z]
        acts.append(a)
    return zs, acts


def loop_backward(W, zs, acts, t, starts_at_z):
    """δ = upstream ⊙ f′(z) per unit (not at an output that starts at z), ∂W = δ·a per weight,
    upstream = Wᵀδ per weight (on to the inputs too, as the engine does)."""
    L = len(W)
    upstream = [y - ti for y, ti in zip(acts[-1], t)]
    grads = [None] * L
    for l in range(L - 1, -1, -1):
        if l == L - 1 and starts_at_z:
            delta = upstream
        else:
            delta = [u * Counted(acts[l + 1][j].v * (1 - acts[l + 1][j].v)) for j, u in enumerate(upstream)]
        grads[l] = [[delta[j] * acts[l][i] for i in range(len(acts[l]))] for j in range(len(delta))]
        upstream = [sum((delta[j] * Counted(W[l][j][i]) for j in range(len(delta))), Counted(0.0))
                    for i in range(len(acts[l]))]
    return grads


def shapes():
    return [(2, 2, 1), (3, 1), (1, 4, 2), (3, 5, 4, 2), (2, 3, 3, 3, 1)]


@pytest.mark.parametrize("sizes", shapes())
@pytest.mark.parametrize("starts_at_z", [False, True])
def test_counts_match_a_loop_that_counts_its_products(sizes, starts_at_z):
    rng = np.random.default_rng(0)
    W = [rng.normal(size=(n, m)).tolist() for m, n in zip(sizes, sizes[1:])]
    b = [rng.normal(size=n).tolist() for n in sizes[1:]]
    x = [Counted(v) for v in rng.normal(size=sizes[0])]
    Counted.count = 0
    zs, acts = loop_forward(W, b, x)
    forward = Counted.count
    Counted.count = 0
    loop_backward(W, zs, acts, [0.5] * sizes[-1], starts_at_z)
    backward = Counted.count
    cost = multiply_adds(sizes, starts_at_z)
    assert (cost.forward, cost.backward) == (forward, backward)
    assert cost.params == sum(len(Wl) * len(Wl[0]) + len(bl) for Wl, bl in zip(W, b))


def test_finite_differences_run_two_forward_passes_per_parameter():
    """A central-difference loop over every parameter, counting its forward passes and products."""
    sizes = (2, 3, 1)
    rng = np.random.default_rng(1)
    W = [rng.normal(size=(n, m)) for m, n in zip(sizes, sizes[1:])]
    b = [rng.normal(size=n) for n in sizes[1:]]
    x = [Counted(v) for v in (0.5, 0.8)]
    passes = 0
    Counted.count = 0
    for array in W + b:
        for idx in np.ndindex(array.shape):
            for h in (1e-5, -1e-5):
                array[idx] += h
                loop_forward([w.tolist() for w in W], [v.tolist() for v in b], x)
                passes += 1
                array[idx] -= h
    cost = multiply_adds(sizes)
    assert passes == cost.difference_passes == 2 * 13
    assert Counted.count == cost.finite_differences


def test_hand_counted_shapes():
    # the lesson's network: 6 weights, 3 biases; forward 2·2 + 2·1 products; backward 2 × 6 + 3 units
    seed = network_cost(load_network("seed"))
    assert (seed.params, seed.forward, seed.backward) == (9, 6, 15)
    # the classic MNIST classifier: 784·128 + 128 + 128·10 + 10 parameters
    mnist = multiply_adds((784, 128, 10))
    assert mnist.params == 101_770 and mnist.forward == 101_632
    assert mnist.finite_differences == 2 * 101_770 * 101_632
    assert 1.9 < mnist.backward_in_forwards < 2.1  # the lesson's "about two forward passes"
    assert mnist.times_cheaper > 6e4


def test_softmax_output_has_no_derivative_multiply():
    net = load_network("classifier")  # softmax + cross-entropy starts at z
    assert network_cost(net).backward == 2 * (2 * 3 + 3 * 3) + 3


def test_grown_includes_the_network_once_in_order():
    costs = grown(load_network("seed"))
    assert [c.sizes for c in costs] == list(GROWN)  # seed is 2-2-1, already on the list
    costs = grown(load_network("deep-sigmoid"))
    assert (1, 1, 1, 1, 1, 1, 1) in [c.sizes for c in costs] and len(costs) == len(GROWN) + 1
    assert [c.params for c in costs] == sorted(c.params for c in costs)
