"""The spec's `frozen` field: parameters that gradient descent leaves as they are.

Classic worked examples keep the biases fixed, and a lecturer freezes all but one layer to show that
layer learning alone. Frozen parameters still get their gradients (backprop computes every one);
only the update skips them. Names are whole arrays (`b1`) or single entries (`W1[1,2]`).
"""

from __future__ import annotations

import numpy as np

from backprop.engine.params import resolve_param
from backprop.engine.spec import Network, SpecError


def frozen_masks(value, net: Network) -> dict[str, np.ndarray]:
    """The spec's list of names → for each array with a frozen entry, a boolean mask of its shape.
    Every problem is a SpecError naming the entry (`frozen[1]`)."""
    if not isinstance(value, list):
        raise SpecError("frozen", "expected a list of parameter names like [\"b1\", \"W1[1,2]\"]")
    params = net.params()
    masks: dict[str, np.ndarray] = {}
    for k, name in enumerate(value):
        field = f"frozen[{k}]"
        if not isinstance(name, str):
            raise SpecError(field, "expected a parameter name like \"b1\" or \"W1[1,2]\"")
        whole = name.replace(" ", "")
        if whole in params:
            masks.setdefault(whole, np.zeros(params[whole].shape, dtype=bool))[...] = True
            continue
        try:
            array, index = resolve_param(net, name, field)
        except SpecError:
            arrays = ", ".join(params)
            raise SpecError(field, f"unknown parameter '{name[:40]}'; parameters: {arrays} "
                                   "(whole arrays) or one entry like W1[1,2]") from None
        masks.setdefault(array, np.zeros(params[array].shape, dtype=bool))[index] = True
    return masks


def is_frozen(net: Network, array: str, index: tuple[int, ...]) -> bool:
    mask = net.frozen.get(array)
    return bool(mask is not None and mask[index])


def frozen_names(net: Network) -> list[str]:
    """Every frozen entry by name (W1[1,2], b1[1], …), in the parameters' order."""
    from backprop.engine.labels import element_name

    return [element_name(array, tuple(int(i) for i in index))
            for array in net.params() if array in net.frozen
            for index in np.argwhere(net.frozen[array])]
