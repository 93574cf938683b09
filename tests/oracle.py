"""The tests' one reference for the operations: every activation and loss written from its textbook
definition, with no backprop.engine code, and central differences. A new activation in
backprop/engine/operations.py needs its reference here (tests/engine/test_operations.py fails until
it has one).

Activations act on the last axis (softmax across it); `slope` is f′ written out by hand, where the
definition is elementwise.
"""

from __future__ import annotations

import math

import numpy as np

LEAKY = 0.01


def _phi(z):  # the standard normal's cumulative distribution, from math.erf
    return 0.5 * (1.0 + np.vectorize(math.erf)(np.asarray(z, dtype=float) / math.sqrt(2.0)))


def _softmax(z):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


ACTIVATIONS = {
    "linear": lambda z: np.asarray(z, dtype=float),
    "relu": lambda z: np.maximum(z, 0.0),
    "leaky-relu": lambda z: np.where(np.asarray(z) > 0, z, LEAKY * np.asarray(z)),
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float))),
    "tanh": np.tanh,
    "gelu": lambda z: np.asarray(z, dtype=float) * _phi(z),
    "softmax": _softmax,
}

SLOPES = {  # f′ by hand, for the elementwise ones
    "linear": lambda z: np.ones_like(np.asarray(z, dtype=float)),
    "relu": lambda z: (np.asarray(z) > 0).astype(float),
    "leaky-relu": lambda z: np.where(np.asarray(z) > 0, 1.0, LEAKY),
    "sigmoid": lambda z: ACTIVATIONS["sigmoid"](z) * (1.0 - ACTIVATIONS["sigmoid"](z)),
    "tanh": lambda z: 1.0 - np.tanh(z) ** 2,
    "gelu": lambda z: _phi(z) + np.asarray(z, dtype=float) * np.exp(-np.square(z) / 2.0) / math.sqrt(2.0 * math.pi),
}

KINKS = {"relu": 0.0, "leaky-relu": 0.0}  # where f′ jumps


def example_loss(loss: str, y: np.ndarray, t: np.ndarray) -> float:
    if loss == "mse":
        return 0.5 * float(np.sum((y - t) ** 2))
    if loss == "cross_entropy":
        return -float(np.sum(t * np.log(y)))
    if loss == "binary_cross_entropy":
        return -float(np.sum(t * np.log(y) + (1 - t) * np.log(1 - y)))
    raise ValueError(loss)


LOSS_NAMES = ("mse", "cross_entropy", "binary_cross_entropy")


def slope(f, x: float, eps: float = 1e-6) -> float:
    """df/dx by the central difference (f(x + ε) − f(x − ε)) / 2ε: the tests' one finite difference."""
    return (f(x + eps) - f(x - eps)) / (2 * eps)


def central_difference(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """∂f/∂x, entry by entry, each entry moved on a copy of x."""
    g = np.zeros_like(x, dtype=float)
    for i in range(x.size):
        def moved(v, i=i):
            y = x.astype(float).copy()
            y.flat[i] = v
            return f(y)
        g.flat[i] = slope(moved, float(x.flat[i]), eps)
    return g


def entry_slope(array: np.ndarray, idx, loss, eps: float = 1e-6) -> float:
    """∂loss()/∂array[idx] for a loss that reads `array` (a network's parameters): the entry is moved
    by ±ε in place and put back."""
    old = array[idx]

    def moved(v):
        array[idx] = v
        return loss()
    try:
        return slope(moved, old, eps)
    finally:
        array[idx] = old


def in_place_gradient(array: np.ndarray, loss, eps: float = 1e-6) -> np.ndarray:
    """∂loss()/∂array, entry by entry (`entry_slope`)."""
    g = np.zeros_like(array)
    for idx in np.ndindex(array.shape):
        g[idx] = entry_slope(array, idx, loss, eps)
    return g
