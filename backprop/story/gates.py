"""What the gates and forward scenes write about one unit's ops: the products w·x, the weighted sum,
the activation, and each gate's backward rule — the engine's numbers (backprop.engine.gates)
formatted, "=" only where the numbers as shown give the result as shown. No manim here.
"""

from __future__ import annotations

import math

from backprop.engine.operations import ACTIVATIONS
from backprop.language import _
from backprop.story.cards import CardWriter
from backprop.story.texts import (bracketed, grad_text, operand_text, product_text, relation, shown, sum_text,
                                  unit_value_text, value_text, worked_line)

MAX_TERMS = 4  # products a weighted-sum line spells out; more are elided (… (n products))


class GateTexts:
    def __init__(self, timeline):
        self.tl = timeline
        self.cards = CardWriter(timeline)
        self.symbol = {n["id"]: n["symbol"] for n in timeline.nodes}
        self.kind = {n["id"]: n["kind"] for n in timeline.nodes}
        self.param_symbol = {p["name"]: p["symbol"] for p in timeline.params}
        self.unit_name = ""  # the unit the gates scene opens up (set by it), for "x₂'s share through h₁"

    def name(self, node: str) -> str:
        """A node, a parameter, or a product w·x by its symbols."""
        if "*" in node:
            w, x = node.split("*")
            return f"{self.param_symbol[w]}·{self.symbol[x]}"
        return self.param_symbol.get(node) or self.symbol[node]

    def value(self, node: str, x: float) -> str:
        """As the video writes that value elsewhere: a parameter or an input plainly, a unit's value
        with two decimals at least."""
        if node in self.param_symbol or self.kind.get(node) == "input":
            return value_text(x)
        return unit_value_text(x)

    # ---- forward ------------------------------------------------------------------------------------

    def product_line(self, g: dict) -> str:
        """`W₁[1,2]·x₂ = 0.3 × 0.8 = 0.24`"""
        (w_name, src), (w, x) = g["inputs"], g["factors"]
        result = value_text(g["value"])
        texts, rel = worked_line([w, x], [self.value(w_name, w), self.value(src, x)], math.prod, result)
        return f"{self.name(g['node'])} = {product_text(texts)} {rel} {result}"

    def sum_lines(self, add: dict, products: list[dict]) -> list[str]:
        """The weighted sum: symbols, products as w × x, then their values adding up to z."""
        terms = add["inputs"]
        bias = terms[-1]
        z = unit_value_text(add["value"])
        zs = self.symbol[add["node"]]
        b_text = bracketed(value_text(add["terms"][-1]))
        if len(products) <= MAX_TERMS:
            symbolic = " + ".join(self.name(t) for t in terms)
            spelled = " + ".join([self._term(p, k > 0) for k, p in enumerate(products)] + [b_text])
            values = [p["value"] for p in products] + [add["terms"][-1]]
            texts, rel = worked_line(values, [value_text(v) for v in values], sum, z)
            return [f"{zs} = {symbolic}", f"= {spelled}", f"= {sum_text(texts)} {rel} {z}"]
        shown_terms = [value_text(p["value"]) for p in products[:2]]
        return [_("{z} = the sum of {n} products w·x, plus {bias}").format(z=zs, n=len(products), bias=self.name(bias)),
                f"= {' + '.join(shown_terms)} + … + {b_text}", f"{zs} = {z}"]

    def _term(self, p: dict, after_first: bool) -> str:
        """w × x inside a sum: after the first term a negative w is bracketed too (+ (−0.6) × (−0.3))."""
        w = self.value(p["inputs"][0], p["factors"][0])
        return product_text([bracketed(w) if after_first else w, self.value(p["inputs"][1], p["factors"][1])])

    def activation_line(self, act_gate: dict, z_value: float) -> str:
        out, z = self.symbol[act_gate["node"]], self.symbol[act_gate["inputs"][0]]
        zt, ht = unit_value_text(z_value), unit_value_text(act_gate["value"])
        return ACTIVATIONS[act_gate["op"]].reads.format(out=out, z=z, zv=zt, hv=ht)

    def skip_lines(self, act_gate: dict, z_value: float) -> list[str]:
        """A residual unit's output: h = h_prev + f(z), symbols then numbers (`act_gate["skip"]`)."""
        skip, act = act_gate["skip"], ACTIVATIONS[act_gate["op"]]
        out, z, prev = (self.symbol[n] for n in (act_gate["node"], act_gate["inputs"][0], skip["node"]))
        result = unit_value_text(act_gate["value"])
        (pt, ft), rel = worked_line([skip["value"], skip["f"]], [self.value(skip["node"], skip["value"]),
                                                                 unit_value_text(skip["f"])], sum, result)
        return [_("{out} = {prev} + {gate}({z})  (the skip adds {prev})").format(out=out, prev=prev, gate=act.gate, z=z),
                f"= {pt} + {act.gate}({unit_value_text(z_value)}) = {pt} + {ft} {rel} {result}"]

    # ---- backward -----------------------------------------------------------------------------------

    def upstream_line(self, e: dict, node: str) -> str:
        said = _("from the loss: ∂L/∂{name} = {gradient}") if e["kind"] == "seed" else \
            _("from the layer above: ∂L/∂{name} = {gradient}")
        return said.format(name=self.symbol[node], gradient=grad_text(e['value']))

    def activation_grad_lines(self, grad: dict, events: list[dict]) -> list[str]:
        """The activation gate: its local gradient and the product (or the fused start at z)."""
        if grad["rule"] == "fused":
            seed = self.cards.seed(events[grad["sources"][0]])
            return [seed.top.split("  ")[0], f"{seed.numbers} {seed.result}"]
        upstream, local = (events[s] for s in grad["sources"])
        loc = self.cards.local(local)
        product = self.cards.product(events[grad["same_as"]])
        return [product.top, f"{loc.numbers} {loc.result}", f"{product.numbers} {product.result}"]

    def add_grad_lines(self, grads: list[dict], z: str) -> list[str]:
        """The add gate hands ∂L/∂z to every input unchanged (its local gradient is 1)."""
        g = grads[0]
        d = operand_text(g["factors"][0])
        result = grad_text(g["value"])
        names = ", ".join(self.name(x["node"]) for x in grads)
        return [_("every input of the sum has local gradient ∂{z}/∂input = 1").format(z=self.symbol[z]),
                _("∂L/∂input = ∂L/∂{z} × 1 = {rest}").format(z=self.symbol[z],
                                                             rest=f"{d} × 1 {relation(shown(d), result)} {result}"),
                _("for each of {names}").format(names=names)]

    def multiply_grad_lines(self, w_grad: dict, x_grad: dict, product: str) -> list[str]:
        """The multiply gate swaps: ∂L/∂w = upstream × x, ∂L/∂x = upstream × w. An input that feeds
        other units too gets only its share here (named so), and the line after it gives the total."""
        lines = []
        for g, partner in ((w_grad, x_grad["node"]), (x_grad, w_grad["node"])):
            up, local = g["factors"]
            result = grad_text(g["value"])
            texts, rel = worked_line([up, local], [operand_text(up), self.value(partner, local)], math.prod, result)
            total = self.total_of(g)
            name = f"∂L/∂{self.name(g['node'])}"
            if total:
                name = _("{name}'s share through {unit}").format(name=self.name(g['node']), unit=self.unit_name)
            elif g["node"] in self.param_symbol and self.tl.network["examples"] > 1:  # a batch: one example's part
                name = _("example {n}'s share of {gradient}").format(n=g.get('example', 0) + 1, gradient=name)
            lines.append(f"{name} = ∂L/∂p × {self.name(partner)} = {product_text(texts)} {rel} {result}")
            if total:
                lines.append(self.total_line(g["node"], total))
        return lines

    def total_of(self, g: dict) -> dict | None:
        """The timeline's sum of an input's shares (it feeds several units), for the gate's example."""
        if g["node"] in self.param_symbol:
            return None
        return next((e for e in self.tl.events if e["kind"] == "accumulate" and e["target"] == g["node"]
                     and e.get("example", 0) == g.get("example", 0)), None)

    def total_line(self, node: str, total: dict) -> str:
        """`x₂ feeds 2 units: ∂L/∂x₂ = −0.0167 + 0.0186 = +0.0019`: every share, this one among them."""
        result = grad_text(total["value"])
        texts, rel = worked_line(total["terms"], [operand_text(v) for v in total["terms"]], sum, result)
        return _("{name} feeds {n} units: ∂L/∂{name} = {rest}").format(
            name=self.name(node), n=len(texts), rest=f"{sum_text(texts)} {rel} {result}")
