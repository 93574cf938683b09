"""An independent numpy MLP for the lesson scenes' engine tests: its own forward pass and loss, written
from the definitions (no backprop.engine code), differentiated by central finite differences."""

from __future__ import annotations

import numpy as np


def act(name: str, z: np.ndarray) -> np.ndarray:
    if name == "linear":
        return z
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "tanh":
        return np.tanh(z)
    if name == "softmax":
        e = np.exp(z - z.max())
        return e / e.sum()
    raise ValueError(name)


def example_loss(loss: str, y: np.ndarray, t: np.ndarray) -> float:
    if loss == "mse":
        return 0.5 * float(np.sum((y - t) ** 2))
    if loss == "cross_entropy":
        return -float(np.sum(t * np.log(y)))
    if loss == "binary_cross_entropy":
        return -float(np.sum(t * np.log(y) + (1 - t) * np.log(1 - y)))
    raise ValueError(loss)


def from_layer(spec: dict, start: int, value: np.ndarray, t: np.ndarray, pre: bool = False) -> float:
    """One example's loss, the network run from layer `start`'s output (`pre`: its pre-activation)."""
    layers = spec["layers"]
    a = act(layers[start - 1]["activation"], value) if pre and start >= 1 else value
    for layer in layers[start:]:
        a = act(layer["activation"], np.asarray(layer["weights"]) @ a + np.asarray(layer["bias"]))
    return example_loss(spec["loss"], a, t)


def hidden(spec: dict, n: int, upto: int) -> tuple[np.ndarray, np.ndarray]:
    """Example n's (output, pre-activation) of layer `upto` (0: the input, no pre-activation)."""
    a = np.asarray(spec["inputs"][n], dtype=float)
    z = None
    for layer in spec["layers"][:upto]:
        z = np.asarray(layer["weights"]) @ a + np.asarray(layer["bias"])
        a = act(layer["activation"], z)
    return a, z


def numeric(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    g = np.zeros_like(x, dtype=float)
    for i in range(x.size):
        up, down = x.astype(float).copy(), x.astype(float).copy()
        up.flat[i] += eps
        down.flat[i] -= eps
        g.flat[i] = (f(up) - f(down)) / (2 * eps)
    return g


def batch_loss(spec: dict) -> float:
    n = len(spec["inputs"])
    return sum(from_layer(spec, 0, np.asarray(spec["inputs"][k], float), np.asarray(spec["targets"][k], float))
               for k in range(n)) / n


def param_gradient(spec: dict, layer: int, index: tuple, examples=None, eps: float = 1e-6) -> float:
    """∂(mean loss over `examples`)/∂ W{layer}[index] (0-based), by central differences."""
    import copy

    def loss_at(w):
        s = copy.deepcopy(spec)
        s["layers"][layer - 1]["weights"][index[0]][index[1]] = w
        if examples is not None:
            s["inputs"] = [spec["inputs"][k] for k in examples]
            s["targets"] = [spec["targets"][k] for k in examples]
        return batch_loss(s)

    w0 = spec["layers"][layer - 1]["weights"][index[0]][index[1]]
    return (loss_at(w0 + eps) - loss_at(w0 - eps)) / (2 * eps)
