"""What each worked card says: the symbolic line, the numbers line and its result, as text.

A card's numbers line must be true on the numbers as shown: each operand is written exactly as the
video writes that value elsewhere (a unit's h as on the unit, a weight as on its edge), negative
operands and powers of ten are bracketed, and the line ends in "=" only when the shown operands give
the shown result at its precision, "≈" otherwise. Working that out from the shown operands uses the
operation's own rule (a local gradient through `operations`), never a second copy of it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from backprop.engine.operations import ACTIVATIONS, LOSSES
from backprop.language import _, ngettext
from backprop.story.texts import (bracketed, direction, factor_text, grad_text, operand_text, product_text,
                                  saturated_text, shown, sum_text, unit_value_text, updated_text, value_text,
                                  worked_line)


@dataclass(frozen=True)
class CardText:
    top: str  # the symbolic line
    numbers: str  # the numbers, ending in "=" or "≈" when a result follows
    result: str | None  # the result as shown (None: a sum still gathering its terms)
    note: str | None = None


class CardWriter:
    """Card texts for one timeline's events."""

    def __init__(self, timeline):
        self.events = timeline.events
        self.symbol = {n["id"]: n["symbol"] for n in timeline.nodes}
        self.kind_of = {n["id"]: n["kind"] for n in timeline.nodes}
        self.param_symbol = {p["name"]: p.get("symbol", p["name"]) for p in timeline.params}
        self.loss = LOSSES[timeline.network["loss"]]
        self.examples = timeline.network["examples"]
        self.skips = {e["id"] for e in timeline.edges if e["kind"] == "skip"}  # a skip passes its gradient on × 1

    # ---- operands as the video writes them elsewhere ---------------------------------------------

    def node_value(self, node: str, value: float) -> str:
        return value_text(value) if self.kind_of.get(node) == "input" else unit_value_text(value)

    def factor(self, value: float, source: int | None) -> str:
        """A factor as written where it came from: a gradient, a local gradient, a forward value, or
        (no source) a weight."""
        if source is None:
            return value_text(value)
        producer = self.events[source]
        if producer["kind"] == "forward":
            return self.node_value(producer["node"], value)
        if producer["kind"] == "local":
            return factor_text(value)
        return operand_text(value)

    # ---- the cards --------------------------------------------------------------------------------

    def seed(self, e: dict) -> CardText:
        y, t = e["operands"]["out"], e["operands"]["t"]
        result = grad_text(e["value"])
        (ys, ts), rel = worked_line([y, t], [unit_value_text(y), value_text(t)],
                                    lambda v: float(self.loss.grad(np.array(v[0]), np.array(v[1]))) / self.examples,
                                    result)
        numbers = e["numbers"].format(out=ys, t=bracketed(ts))
        sym, value = self.symbol[e["node"]], e["value"]
        note = direction(value, sym)
        return CardText(e["formula"], f"= {numbers} {rel}", result, note)

    def local(self, e: dict) -> CardText:
        z, h = e["operands"]["z"], e["operands"]["out"]
        zs, hs = unit_value_text(z), unit_value_text(h)
        result = factor_text(e["value"])
        act = ACTIVATIONS[e["activation"]]
        if act.kink is not None:  # which side of the kink z is says which rule applies
            above = e["operands"]["cmp"] == ">"
            cmp = ">" if shown(zs) > act.kink else "≤"  # as shown: 0.0001 shows as 1.0 × 10⁻⁴ > 0
            formula = e["formula"]
            if _(act.formula) != act.formula:  # its words in the language spoken (ReLU′'s "if … else")
                formula = _(act.formula).format(z=self.symbol[e["wrt"]], out=self.symbol[e["node"]])
            line = _("{z} = {value} {cmp} {kink}, so {symbol} =").format(z=self.symbol[e["wrt"]], value=zs, cmp=cmp,
                                                                         kink=f"{act.kink:g}", symbol=act.symbol)
            return CardText(formula, line, result, _(act.kink_notes[0 if above else 1]))
        if e["numbers"] == "1":  # linear: nothing to work out
            return CardText(e["formula"], "=", result)
        # a saturated unit: h with the digits that keep 1 − h at two significant figures (y = 0.9968)
        hs = saturated_text(h) or hs
        (zs, hs), rel = worked_line([z, h], [zs, hs], lambda v: float(act.local(np.array(v[0]), np.array(v[1]))),
                                    result)
        numbers = e["numbers"].format(out=bracketed(hs), z=bracketed(zs))
        return CardText(e["formula"], f"= {numbers} {rel}", result)

    def product(self, e: dict, top: str | None = None) -> CardText:
        """upstream × local factor (multiply, a parameter's gradient, one example's share)."""
        texts = [self.factor(v, s) for v, s in zip(e["factors"], e["sources"])]
        if e.get("edge") in self.skips:  # no weight: the skip's own factor, 1
            texts[1] = factor_text(e["factors"][1])
        result = grad_text(e["value"])
        if len(texts) == 1:
            return CardText(top or e["formula"], "=", result)
        texts, rel = worked_line(e["factors"], texts, math.prod, result)
        note = None
        if e.get("edge") in self.param_symbol and e["factors"][1] < 0 and e["factors"][0] != 0:
            note = _("negative weight: the sign flips")
        return CardText(top or e["formula"], f"= {product_text(texts)} {rel}", result, note)

    def partial_sum(self, target: str, values: list[float]) -> CardText:
        """The sum card while its contributions arrive: no result yet."""
        return CardText(_("∂L/∂{name} = sum of contributions").format(name=self.name(target)),
                        sum_text([operand_text(v) for v in values]), None)

    def total(self, e: dict) -> CardText:
        result = grad_text(e["value"])
        texts, rel = worked_line(e["terms"], [operand_text(v) for v in e["terms"]], sum, result)
        return CardText(ngettext("∂L/∂{name} = sum of {n} contribution", "∂L/∂{name} = sum of {n} contributions",
                                 len(texts)).format(name=self.name(e["target"]), n=len(texts)),
                        f"= {sum_text(texts)} {rel}", result)

    def update(self, u: dict) -> CardText:
        """`W₁[1,2]:  0.3 − 0.1 × (−0.045) = 0.3045`, one gradient-descent step."""
        old, lr, g = value_text(u["old"]), value_text(u["lr"]), operand_text(u["grad"])
        if u.get("frozen"):  # the spec's `frozen`: no step, whatever the gradient says
            return CardText(_("w − learning rate × gradient"),
                            _("{name}:  frozen, step 0, stays {value}").format(name=self.param_symbol[u["param"]],
                                                                                value=old), None)
        result = updated_text(u["value"])
        (old, lr, g), rel = worked_line([u["old"], u["lr"], u["grad"]], [old, lr, g],
                                        lambda v: v[0] - v[1] * v[2], result)
        line = f"{self.param_symbol[u['param']]}:  {old} − {lr} × {bracketed(g)} {rel} {result}"
        return CardText(_("w − learning rate × gradient"), line, None)

    def name(self, target: str) -> str:
        """A node's or a parameter's symbol (h₁, W₁[1,2]; a layer timeline's h⁽¹⁾, W₁)."""
        return self.symbol.get(target) or self.param_symbol.get(target, target)
