"""An independent reader of the lecture's notation, as a student who learnt the README's Notation table:
every "symbol = number" and "∂L/∂symbol = … = number" on screen is looked up by the table's rule (a
subscript is a unit, a superscript ⁽ˡ⁾ a layer) and compared with tests/reference_mlp.py's own forward
pass and finite differences. Shares no code with backprop.engine.labels or the texts it checks."""

from __future__ import annotations

import copy
import re

import numpy as np

from tests import oracle, reference_mlp as ref
from tests.arithmetic import SIGNED, evaluate, expressions, precision

SUBS, SUPS = "₀₁₂₃₄₅₆₇₈₉", "⁰¹²³⁴⁵⁶⁷⁸⁹"
SYMBOL = rf"[xhzyt][{SUBS}]*(?:⁽[{SUPS}]+⁾)?|[Wb][{SUBS}]+\[\d+,?\d*\]"
# a symbol said to equal something: at a line's start, after a space, "(" or ": "; a derivative too
CLAIM = re.compile(rf"(?:^|(?<=[\s:]))(∂L/∂)?({SYMBOL})(ᵀ?) = (.*)$")
FUNCTION_OF_VECTOR = re.compile(rf"\w+′\(({SYMBOL})\) = \[")
LEADING_NUMBER = re.compile(rf"({SIGNED})(?=$|\s*[>≤<,;(]|\s+[a-z])")
LAST_NUMBER = re.compile(rf"(?:=|≈) ({SIGNED})$")


def _digits(text: str, table: str) -> int:
    return int(text.translate(str.maketrans(table, "0123456789")))


class Reader:
    """One network (a spec dict with every weight) read the README's way."""

    def __init__(self, net):
        self.spec = {"inputs": net.X.tolist(), "targets": net.T.tolist(), "loss": net.loss,
                     "layers": [{"activation": layer.activation, "weights": layer.W.tolist(), "bias": layer.b.tolist(),
                                 "residual": layer.residual} for layer in net.layers]}
        self.sizes = [net.X.shape[1]] + [layer.units for layer in net.layers]
        self.depth = len(net.layers)
        self.n = net.X.shape[0]

    # ---- the table's rule -------------------------------------------------------------------------

    def unit(self, symbol: str) -> tuple[str, int, int] | None | str:
        """(letter, layer, unit index 0-based) for a unit's symbol; None for a layer's vector;
        a string saying why, for a symbol this network cannot read."""
        m = re.fullmatch(rf"([xhzyt])([{SUBS}]*)(?:⁽([{SUPS}]+)⁾)?", symbol)
        letter, sub, sup = m.group(1), m.group(2), m.group(3)
        j = _digits(sub, SUBS) if sub else None
        layer = _digits(sup, SUPS) if sup else None
        if j is None and (layer is not None or letter == "x"):
            return None  # a layer at once: x, h⁽¹⁾, z⁽²⁾, y⁽²⁾
        outputs = self.sizes[-1]
        if letter == "x":
            place = (0, j)
        elif letter in "yt":
            if j is None and outputs > 1:
                return None  # t = (1.0, 0.0): every target at once
            place = (self.depth, 1 if j is None else j)
        elif j is None:  # a bare z: the one output's
            if letter != "z" or outputs != 1:
                return f"{symbol} names no unit here"
            place = (self.depth, 1)
        elif layer is None:  # no layer written: the one hidden layer's
            if self.depth != 2:
                return f"{symbol} needs its layer: this network has {self.depth - 1} hidden layers"
            place = (1, j)
        else:
            place = (layer, j)
        if letter == "h" and place[0] in (0, self.depth):
            return f"{symbol}: h is a hidden unit"
        if not (0 <= place[0] <= self.depth and 1 <= place[1] <= self.sizes[place[0]]):
            return f"{symbol} is outside the network"
        return letter, place[0], place[1] - 1

    # ---- the reference's numbers ------------------------------------------------------------------

    def value(self, letter: str, layer: int, j: int, example: int) -> float:
        if letter == "t":
            return float(self.spec["targets"][example][j])
        a, z = ref.hidden(self.spec, example, layer)
        return float((z if letter == "z" else a)[j])

    def gradient(self, letter: str, layer: int, j: int, example: int) -> float:
        """∂(mean loss)/∂ this example's unit: its own loss's slope ÷ N."""
        a, z = ref.hidden(self.spec, example, layer)
        start = z if letter == "z" else a
        t = np.asarray(self.spec["targets"][example], dtype=float)
        skip = ref.hidden(self.spec, example, layer - 1)[0] if letter == "z" and layer >= 1 else None
        g = ref.numeric(lambda v: ref.from_layer(self.spec, layer, v, t, pre=letter == "z", skip=skip),
                        np.asarray(start, float))
        return float(g[j]) / self.n

    def param_gradient(self, symbol: str) -> float:
        m = re.fullmatch(rf"([Wb])([{SUBS}]+)\[(\d+),?(\d*)\]", symbol)
        kind, layer, row = m.group(1), _digits(m.group(2), SUBS), int(m.group(3)) - 1
        if kind == "W":
            return ref.param_gradient(self.spec, layer, (row, int(m.group(4)) - 1))
        def loss_at(b):
            s = copy.deepcopy(self.spec)
            s["layers"][layer - 1]["bias"][row] = b
            return ref.batch_loss(s)

        return oracle.slope(loss_at, self.spec["layers"][layer - 1]["bias"][row])

    # ---- one line -----------------------------------------------------------------------------------

    def problems(self, line: str) -> list[str]:
        out = []
        example = 0
        m = re.match(r"example (\d+): ", line)
        if m:
            example = int(m.group(1)) - 1
        for f in FUNCTION_OF_VECTOR.finditer(line):
            if isinstance(self.unit(f.group(1)), tuple):
                out.append(f"unit symbol {f.group(1)} holds a vector in {line!r}")
        for start in range(len(line)):
            c = CLAIM.match(line, start)
            if not c or (start and line[start - 1] not in " :"):
                continue
            derivative, symbol, _, rhs = c.groups()
            if rhs.startswith("["):
                if symbol[0] in "xhzyt" and isinstance(self.unit(symbol), tuple):
                    out.append(f"unit symbol {symbol} holds a vector in {line!r}")
                continue
            before = re.split(r"[=≈:,]", line[:start])[-1]
            if re.search(r"[×+−÷·(]", before):
                continue  # the symbol is an operand (… × x₁ = …), not the left side of its "="
            if "share" in before:
                continue  # a part named as a part
            lead, last = LEADING_NUMBER.match(rhs), LAST_NUMBER.search(rhs)
            number = lead.group(1) if lead else last.group(1) if last else None
            if number is None:
                continue
            if symbol[0] in "Wb":
                if not derivative:
                    continue  # a parameter's value, not a gradient
                true = self.param_gradient(symbol)
            else:
                where = self.unit(symbol)
                if isinstance(where, str):
                    out.append(f"{where} in {line!r}")
                    continue
                if where is None:
                    continue
                true = (self.gradient if derivative else self.value)(*where, example)
            shown = evaluate(number)
            if abs(shown - true) > precision(number) * (1 + 1e-6) + 1e-7:
                name = (derivative or "") + symbol
                out.append(f"{name} = {number} on screen, but {name} = {true:.6g} in {line!r}")
        return out


def notation_problems(items: list[dict], reader: Reader) -> list[str]:
    """Every claim of every text on screen (cards, notes, captions, matrices, tables)."""
    problems = []
    for item in items:
        if item["role"] not in ("card", "note", "caption", "value", "table", "title"):
            continue
        if item["text"].startswith("with =, "):  # branch-sum's bug on purpose: the wrong value, said so
            continue
        for line in expressions(item["text"]):
            problems += reader.problems(line)
    return problems
