"""Parameters by the names a lecturer types (`W1[1,2]`, `b2[1]`, `W1`), for `--param` and the `frozen` field."""

from __future__ import annotations

import re

from backprop.engine.labels import element_name
from backprop.engine.spec import Network, SpecError

_NAME = re.compile(r"^([Wb])(\d+)(?:\[(\d+)(?:,(\d+))?\])?$")


def element_names(net: Network) -> list[str]:
    """Every parameter entry's name, in the table's order: W1[1,1], W1[1,2], …, b1[1], …"""
    names = []
    for array, values in net.params().items():
        names += [element_name(array, index) for index in _indices(values.shape)]
    return names


def _indices(shape):
    if len(shape) == 1:
        return [(i,) for i in range(shape[0])]
    return [(j, i) for j in range(shape[0]) for i in range(shape[1])]


def resolve_param(net: Network, name: str, field: str = "param") -> tuple[str, tuple[int, ...]]:
    """`W1[1,2]` → ("W1", (0, 1)): the array and its 0-based index. Spaces are ignored. An unknown
    name is a SpecError on `field` that lists the valid names."""
    m = _NAME.match(name.replace(" ", ""))
    params = net.params()
    if m:
        array = f"{m[1]}{m[2]}"
        given = [int(g) - 1 for g in (m[3], m[4]) if g is not None]
        if array in params and len(given) == params[array].ndim and all(
                0 <= g < n for g, n in zip(given, params[array].shape)):
            return array, tuple(given)
    valid = element_names(net)
    shown = ", ".join(valid[:12]) + (f", … ({len(valid)} in all)" if len(valid) > 12 else "")
    raise SpecError(field, f"unknown parameter '{name}'; parameters: {shown}")
