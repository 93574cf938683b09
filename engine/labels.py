"""Names of things, in the lesson's notation: node ids, the symbols shown on screen, parameter names.

Ids are for machines (`z1_2`, `W1[1,2]`); symbols are for the lecture (z₁₂, w₁₂). Indices are 1-based
like the lesson's.
"""

from __future__ import annotations

import math

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
MINUS = "−"  # U+2212: the true minus sign


def sub(*indices: int) -> str:
    """Subscript indices: (1, 2) → ₁₂; a comma only where an index has two digits."""
    parts = [str(i) for i in indices]
    joiner = "," if any(len(p) > 1 for p in parts) else ""
    return joiner.join(parts).translate(_SUB)


def input_id(i: int) -> str:
    return f"x{i}"


def z_id(layer: int, j: int) -> str:
    return f"z{layer}_{j}"


def out_id(layer: int, j: int, n_layers: int) -> str:
    return f"y{j}" if layer == n_layers else f"h{layer}_{j}"


def weight_name(layer: int, j: int, i: int) -> str:
    """W{layer}[j,i]: the weight into unit j of `layer` from unit i of the layer before."""
    return f"W{layer}[{j},{i}]"


def element_name(array: str, index: tuple[int, ...]) -> str:
    """One entry of a parameter array by its 0-based numpy index: ("W1", (0, 1)) → W1[1,2]."""
    return f"{array}[{','.join(str(i + 1) for i in index)}]"


def bias_name(layer: int, j: int) -> str:
    return f"b{layer}[{j}]"


class Symbols:
    """Display symbols for one network's nodes, following the lesson: x₁, z₁₂ / z₂, h₁, y, L."""

    def __init__(self, sizes: list[int]):
        self.sizes = sizes  # [inputs, layer 1 units, …, output units]
        self.n_layers = len(sizes) - 1

    def input(self, i: int) -> str:
        return "x" + sub(i)

    def z(self, layer: int, j: int) -> str:
        return "z" + (sub(layer) if self.sizes[layer] == 1 else sub(layer, j))

    def out(self, layer: int, j: int) -> str:
        if layer == self.n_layers:
            return "y" if self.sizes[layer] == 1 else "y" + sub(j)
        if self.n_layers == 2:  # one hidden layer: the lesson's h₁, h₂
            return "h" + sub(j)
        return "h" + sub(layer, j)

    def of_id(self, node_id: str) -> str:
        """Symbol of a node id made by this module."""
        if node_id == "L":
            return "L"
        if node_id.startswith("x"):
            return self.input(int(node_id[1:]))
        if node_id.startswith("y"):
            return self.out(self.n_layers, int(node_id[1:]))
        kind, rest = node_id[0], node_id[1:]
        layer, j = (int(p) for p in rest.split("_"))
        return self.z(layer, j) if kind == "z" else self.out(layer, j)

    def param(self, name: str) -> str:
        """W1[1,2] → W₁[1,2] (layer as a subscript); biases as the lesson writes them: b₁₁, b₂."""
        layer = int(name[1:name.index("[")])
        if name[0] == "b":  # the lesson's b₁₁, b₁₂, b₂
            j = int(name[name.index("[") + 1:-1])
            return "b" + (sub(layer) if self.sizes[layer] == 1 else sub(layer, j))
        return "W" + sub(layer) + name[name.index("["):]

    def param_path(self, name: str) -> str:
        """What a parameter connects, for tables: W1[1,2] → "x₂ → h₁", b1[2] → "into h₂"."""
        layer = int(name[1:name.index("[")])
        idx = [int(p) for p in name[name.index("[") + 1:-1].split(",")]
        target = self.out(layer, idx[0])
        if name[0] == "b":
            return "bias of " + target
        source = self.input(idx[1]) if layer == 1 else self.out(layer - 1, idx[1])
        return f"{source} → {target}"


def fmt(x: float, places: int = 3, *, minus: str = MINUS, plus: bool = False) -> str:
    """A number as a lecture shows it: 3 decimals, a true minus, small and huge values in scientific
    form (a million and up: 1e72 as 72 digits helps nobody).

    Rounding to the shown places happens here only; the timeline keeps full precision.
    """
    if not math.isfinite(x):
        return "nan" if math.isnan(x) else ("∞" if x > 0 else minus + "∞")
    if x != 0 and (abs(x) < 0.5 * 10 ** -places or abs(x) >= 1e6):
        text = f"{x:.2e}".replace("e-0", "e-").replace("e+0", "e+")
    else:
        text = f"{x:.{places}f}"
        if float(text) == 0:
            text = text.lstrip("-")
    if text.startswith("-"):
        text = minus + text[1:]
    elif plus and x > 0:
        text = "+" + text
    return text
