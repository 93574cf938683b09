"""What the chain-rule scene says: each factor of a path, the running product, the paths adding up,
and the "why multiply" nudge — the engine's numbers formatted (no arithmetic but choosing "=" or "≈"
from the numbers as shown). No manim here.
"""

from __future__ import annotations

import math

from backprop.engine.operations import ACTIVATIONS
from backprop.language import _
from backprop.engine.chain_rule import ChainRule, Factor, Nudged, Path
from backprop.story.texts import (factor_text, grad_text, operand_text, product_text, relation, shown,
                                  sum_text, unit_value_text, value_text, worked_line)

MAX_SPELLED = 6  # factors a card writes out in one product line; longer paths are named, not spelled


def whole(x: float) -> str:
    """2.0 → "2": the slopes of the why-multiply example as the lesson writes them."""
    return str(int(x)) if float(x).is_integer() else value_text(x)


class ChainTexts:
    def __init__(self, timeline):
        self.tl = timeline
        self.symbol = {n["id"]: n["symbol"] for n in timeline.nodes}
        self.kind = {n["id"]: n["kind"] for n in timeline.nodes}
        self.param_symbol = {p["name"]: p["symbol"] for p in timeline.params}
        self.activation = {n["id"]: timeline.network["activations"][n["layer"] - 1]
                           for n in timeline.nodes if n["kind"] == "z"}
        self.edge = {e["id"]: e for e in timeline.edges}
        self.bias_node = {p["name"]: p.get("node") for p in timeline.params}

    # ---- one factor ---------------------------------------------------------------------------------

    def symbol_of(self, f: Factor) -> str:
        if f.kind == "seed":
            return f"∂L/∂{self.symbol[f.node]}"
        if f.kind == "local":
            return f"{ACTIVATIONS[self.activation[f.node]].symbol}({self.symbol[f.node]})"
        if f.kind == "weight":
            return self.param_symbol[f.param]
        if f.kind == "input":
            return self.symbol[f.node]
        return f"∂{self.symbol[self.bias_node[f.param]]}/∂{self.param_symbol[f.param]}"

    def value_of(self, f: Factor) -> str:
        if f.kind == "seed":
            return operand_text(f.value)
        if f.kind in ("local", "bias"):
            return factor_text(f.value)
        if f.kind == "input" and self.kind.get(f.node) != "input":
            return unit_value_text(f.value)
        return value_text(f.value)

    def what(self, f: Factor) -> str:
        """Why this factor is on the path, in the lesson's words."""
        if f.kind == "seed":
            return _("where the backward pass starts")
        if f.kind == "local":
            return _("the local gradient of {activation}").format(activation=ACTIVATIONS[self.activation[f.node]].display)
        edge = self.edge.get(f.param, {})
        z = self.symbol.get(edge.get("target"), "z")
        if f.kind == "weight":
            return _("∂{z}/∂{x} is the weight").format(z=z, x=self.symbol[edge["source"]])
        if f.kind == "input":
            return _("∂{z}/∂{w} is the input").format(z=z, w=self.param_symbol[f.param])
        return _("a bias is added: its local gradient is 1")

    def factor_lines(self, path: Path, k: int) -> tuple[str, str]:
        """Factor k of a path, and the running product with it: "running product = −0.391 × 0.238 = −0.093"."""
        f, n = path.factors[k], len(path.factors)
        head = _("factor {k} of {n}: {symbol} = {value}  ({what})").format(k=k + 1, n=n, symbol=self.symbol_of(f),
                                                                            value=self.value_of(f), what=self.what(f))
        result = self.running_text(path, k)
        if k == 0:
            return head, _("running product = {product}").format(product=result)
        texts, rel = worked_line([path.running[k - 1], f.value],
                                 [self.running_text(path, k - 1).lstrip("+"), self.value_of(f)], math.prod, result)
        return head, _("running product = {product}").format(product=f"{product_text(texts)} {rel} {result}")

    def running_text(self, path: Path, k: int) -> str:
        return grad_text(path.running[k]) if k == len(path.factors) - 1 else operand_text(path.running[k])

    # ---- whole paths ----------------------------------------------------------------------------------

    def path_lines(self, path: Path, number: int | None) -> tuple[str, str]:
        """The whole path as one product, spelled out when it is short enough to read (number None:
        the only path)."""
        result = grad_text(path.product)
        name = _("the path") if number is None else _("path {number}").format(number=number)
        if len(path.factors) > MAX_SPELLED:
            return (_("{path}: the product of its {n} factors").format(path=name, n=len(path.factors)),
                    f"= {result}")
        texts, rel = worked_line([f.value for f in path.factors], [self.value_of(f) for f in path.factors],
                                 math.prod, result)
        return (f"{name}: " + " × ".join(self.symbol_of(f) for f in path.factors),
                f"= {product_text(texts)} {rel} {result}")

    def gradient_line(self, rule: ChainRule) -> str:
        e = self.tl.events[rule.gradient]
        names = dict(example=rule.example + 1, name=self.param_symbol[rule.param], value=grad_text(e["value"]))
        if self.tl.network["examples"] > 1:
            return _("the backward pass's example {example}'s share of ∂L/∂{name} = {value}").format(**names)
        return _("the backward pass's ∂L/∂{name} = {value}").format(**names)

    def sum_lines(self, rule: ChainRule) -> tuple[str, str]:
        """The paths' products added: equal to the backward pass's gradient."""
        g = grad_text(self.tl.events[rule.gradient]["value"])
        name = self.param_symbol[rule.param]
        n = len(rule.paths)
        if n > MAX_SPELLED:
            return _("∂L/∂{name} = the sum of its {n} paths' products").format(name=name, n=n), f"= {g}"
        texts, rel = worked_line([p.product for p in rule.paths], [operand_text(p.product) for p in rule.paths],
                                 sum, g)
        return (f"∂L/∂{name} = " + " + ".join(_("path {number}").format(number=k + 1) for k in range(n)),
                f"= {sum_text(texts)} {rel} {g}")

    # ---- why multiply ---------------------------------------------------------------------------------

    def nudge_lines(self, n: Nudged) -> list[str]:
        a, b = (whole(s) for s in n.slopes)
        d, df, dg = value_text(n.delta), value_text(n.f_change), value_text(n.g_change)
        return [_("f = {a}x, then g = {b}f: nudge x by ε = {d}").format(a=a, b=b, d=d),
                f"Δf = {a} × {d} {relation(shown(a) * shown(d), df)} {df}",
                _("Δg = {b} × {df} {rel} {dg}, which is {ab}ε").format(b=b, df=df, rel=relation(shown(b) * shown(df), dg),
                                                                    dg=dg, ab=whole(n.slope))]
