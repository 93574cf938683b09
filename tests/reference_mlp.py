"""An independent numpy MLP for the lesson scenes' engine tests: its own forward pass and loss, written
from the definitions (no backprop.engine code: tests/oracle.py), differentiated by central finite differences."""

from __future__ import annotations

import numpy as np

from tests.oracle import ACTIVATIONS, central_difference, example_loss, slope


def act(name: str, z: np.ndarray) -> np.ndarray:
    return ACTIVATIONS[name](z)


def from_layer(spec: dict, start: int, value: np.ndarray, t: np.ndarray, pre: bool = False,
               skip: np.ndarray | None = None) -> float:
    """One example's loss, the network run from layer `start`'s output (`pre`: its pre-activation;
    a residual layer's then adds `skip`, the layer's input, held fixed)."""
    layers = spec["layers"]
    residual = pre and start >= 1 and layers[start - 1].get("residual")
    if residual and skip is None:
        raise ValueError("from a residual layer's z: its output needs the layer's input too")
    a = act(layers[start - 1]["activation"], value) if pre and start >= 1 else value
    if residual:
        a = skip + a
    for layer in layers[start:]:
        f = act(layer["activation"], np.asarray(layer["weights"]) @ a + np.asarray(layer["bias"]))
        a = a + f if layer.get("residual") else f  # a skip adds the layer's input
    return example_loss(spec["loss"], a, t)


def hidden(spec: dict, n: int, upto: int) -> tuple[np.ndarray, np.ndarray]:
    """Example n's (output, pre-activation) of layer `upto` (0: the input, no pre-activation)."""
    a = np.asarray(spec["inputs"][n], dtype=float)
    z = None
    for layer in spec["layers"][:upto]:
        z = np.asarray(layer["weights"]) @ a + np.asarray(layer["bias"])
        a = a + act(layer["activation"], z) if layer.get("residual") else act(layer["activation"], z)
    return a, z


numeric = central_difference


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

    return slope(loss_at, spec["layers"][layer - 1]["weights"][index[0]][index[1]], eps)
