"""Names of things, in the lesson's notation: node ids, the symbols shown on screen, parameter names.

Ids are for machines (`z1_2`, `W1[1,2]`); symbols are for the lecture (z₂⁽¹⁾, W₁[1,2]). Indices are 1-based
like the lesson's.
"""

from __future__ import annotations

import math

from backprop.language import _

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
MINUS = "−"  # U+2212: the true minus sign


def sub(*indices: int) -> str:
    """Subscript indices: (1, 2) → ₁₂; a comma only where an index has two digits."""
    parts = [str(i) for i in indices]
    joiner = "," if any(len(p) > 1 for p in parts) else ""
    return joiner.join(parts).translate(_SUB)


def sup(layer: int) -> str:
    """A layer index as a superscript in brackets: 2 → ⁽²⁾ (never a subscript: that is a unit's)."""
    return "⁽" + str(layer).translate(_SUP) + "⁾"


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
    """Display symbols for one network's nodes: one notation in every scene and network.

    A subscript is always a unit's number in its layer, a superscript ⁽ˡ⁾ always a layer. x₁, x₂ for
    inputs; h₁, h₂ for hidden units and z₁, z₂ for their pre-activations, with the layer as a
    superscript when there are several hidden layers (h₂⁽¹⁾: layer 1, unit 2); y or y₁, y₂ for outputs,
    their pre-activations z (one output) or z₁⁽²⁾, z₂⁽²⁾ (the output layer's number); t or t₁, t₂ for
    targets. A layer at once is its letter with the layer and no unit (`layer`: h⁽¹⁾ = [h₁, h₂]); W₁[1,2]
    and b₁[1] name parameters, the layer's matrix by its subscript, the entry in brackets.
    """

    def __init__(self, sizes: list[int]):
        self.sizes = sizes  # [inputs, layer 1 units, …, output units]
        self.n_layers = len(sizes) - 1

    def input(self, i: int) -> str:
        return "x" + sub(i)

    def _hidden(self, letter: str, layer: int, j: int) -> str:
        return letter + sub(j) + (sup(layer) if self.n_layers > 2 else "")

    def z(self, layer: int, j: int) -> str:
        if layer < self.n_layers:
            return self._hidden("z", layer, j)
        return "z" if self.sizes[layer] == 1 else "z" + sub(j) + sup(layer)

    def out(self, layer: int, j: int) -> str:
        if layer == self.n_layers:
            return "y" if self.sizes[layer] == 1 else "y" + sub(j)
        return self._hidden("h", layer, j)

    def layer(self, letter: str, layer: int) -> str:
        """A whole layer as one vector: x (the inputs), h⁽¹⁾, z⁽²⁾, δ⁽²⁾, y⁽²⁾ (the outputs)."""
        return "x" if letter == "x" else letter + sup(layer)

    def target(self, k: int) -> str:
        return "t" if self.sizes[-1] == 1 else "t" + sub(k)

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
        """W1[1,2] → W₁[1,2], b1[2] → b₁[2]: the layer as a subscript, the entry in brackets."""
        layer = int(name[1:name.index("[")])
        return name[0] + sub(layer) + name[name.index("["):]

    def param_path(self, name: str) -> str:
        """What a parameter connects, for tables: W1[1,2] → "x₂ → h₁", b1[2] → "into h₂"."""
        layer = int(name[1:name.index("[")])
        idx = [int(p) for p in name[name.index("[") + 1:-1].split(",")]
        target = self.out(layer, idx[0])
        if name[0] == "b":
            return _("bias of {unit}").format(unit=target)  # in the language spoken (a table on screen, a handout)
        source = self.input(idx[1]) if layer == 1 else self.out(layer - 1, idx[1])
        return f"{source} → {target}"


SIG = 2  # a number never shows fewer significant figures than this
BIG = 1e5  # from here on, scientific form


def fmt(x: float, places: int = 3, *, minus: str = MINUS, plus: bool = False, times: str = " × ",
        figures: int = SIG) -> str:
    """A number as a lecture shows it: `places` decimals (the lesson's three) but never fewer than two
    significant figures (`figures`) — 0.045, 0.0088, 4.4 × 10⁻⁴ — a true minus, and scientific form past 10⁵.

    Rounding to the shown places happens here only; the timeline keeps full precision.
    """
    if not math.isfinite(x):
        return "nan" if math.isnan(x) else ("∞" if x > 0 else minus + "∞")
    a = abs(x)
    if a == 0:
        text = f"{0:.{places}f}"
    elif a >= BIG:
        text = _scientific(a, 3, times)
    else:
        rounded = float(f"{a:.{figures - 1}e}")  # 0.00999 counts as 0.010
        needed = figures - 1 - math.floor(math.log10(rounded))  # decimals for that many significant figures
        text = f"{a:.{max(places, needed)}f}" if needed <= places + 1 else _scientific(a, figures, times)
    if x < 0 and text.strip("0.") != "":  # −0.000 would be a sign with no number
        text = minus + text
    elif plus and x > 0:
        text = "+" + text
    return text


def _scientific(a: float, figures: int, times: str) -> str:
    """4.4 × 10⁻⁴: `figures` significant figures, a real superscript exponent (`times` "e": 4.4e-4)."""
    mantissa, exponent = f"{a:.{figures - 1}e}".split("e")
    if times == "e":
        return f"{mantissa}e{int(exponent)}"
    return f"{mantissa}{times}10{str(int(exponent)).translate(_SUP)}"
