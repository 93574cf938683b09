"""What the forward scene writes beyond one unit's gates: the loss worked out, and the lesson's recap
table of every forward value — the timeline's numbers formatted. No manim here.
"""

from __future__ import annotations

from backprop.engine.labels import sup
from backprop.engine.operations import ACTIVATIONS, LOSSES
from backprop.language import _
from backprop.story.texts import (bracketed, loss_text, relation, saturated_text, shown, sum_text, unit_value_text,
                                  value_text, worked_line)

MAX_TABLE_UNITS = 6  # values a recap cell lists before it elides the rest
MAX_SPELLED_EXAMPLES = 4


def _listed(values: list[str]) -> str:
    if len(values) > MAX_TABLE_UNITS:
        values = values[:MAX_TABLE_UNITS - 1] + ["…"]
    return "[" + ", ".join(values) + "]"


class ForwardTexts:
    def __init__(self, timeline):
        self.tl = timeline
        self.net = timeline.network
        self.symbol = {n["id"]: n["symbol"] for n in timeline.nodes}
        self.values: dict[str, float] = {}  # node id → its value for example 1
        for e in timeline.of_kind("forward"):
            if e.get("example", 0) == 0:
                self.values[e["node"]] = e["value"]
        self.losses = [e for e in timeline.of_kind("loss") if "example" in e]
        self.loss = timeline.of_kind("loss")[-1]

    def nodes(self, kind: str, layer: int) -> list[str]:
        return [n["id"] for n in self.tl.nodes if n["kind"] == kind and n["layer"] == layer]

    def outputs(self) -> list[tuple[str, float, float]]:
        """(symbol, y, t) per output unit, example 1."""
        depth = len(self.net["sizes"]) - 1
        ys = [n for n in self.tl.nodes if n["kind"] == "y"]
        return [(n["symbol"], self.values[n["id"]], self.net["targets"][0][k]) for k, n in enumerate(ys)
                if n["layer"] == depth]

    def loss_lines(self) -> list[str]:
        """Example 1's loss worked out (MSE) or named with its numbers (the log losses)."""
        first = self.losses[0] if self.losses else self.loss
        result = loss_text(first["value"])
        outs = self.outputs()
        if LOSSES[self.net["loss"]].squares:
            # a saturated y with digits enough that y − t keeps two figures (0.99917, not 0.999)
            y_texts = [saturated_text(y) or unit_value_text(y) for _s, y, _t in outs]
            squares = [f"({y} − {bracketed(value_text(t))})²" for y, (_s, _y, t) in zip(y_texts, outs)]
            inner = squares[0] if len(squares) == 1 else "(" + " + ".join(squares) + ")"
            worked = 0.5 * sum((shown(y) - shown(value_text(t))) ** 2 for y, (_s, _y, t) in zip(y_texts, outs))
            who = _("example 1: L ") if self.losses else ""
            return [self.loss["formula"].removesuffix(" (mean over the batch)"),
                    f"{who}= 0.5 × {inner} {relation(worked, result)} {result}"]
        ys = ", ".join(unit_value_text(y) for _s, y, _t in outs)
        ts = ", ".join(value_text(t) for _s, _y, t in outs)
        many = len(outs) > 1
        return [self.loss["formula"].removesuffix(" (mean over the batch)"),
                _("with y = {y} and t = {t}").format(y="(" + ys + ")" if many else ys, t="(" + ts + ")" if many else ts),
                (_("example 1: L = {loss}") if self.losses else "L = {loss}").format(loss=result)]

    def mean_line(self) -> str | None:
        """A batch's loss: the mean of its examples' losses."""
        if not self.losses:
            return None
        n, result = len(self.losses), loss_text(self.loss["value"])
        if n > MAX_SPELLED_EXAMPLES:
            return _("the mean of the {n} examples' losses: L = {loss}").format(n=n, loss=result)
        values = [e["value"] for e in self.losses]
        texts, rel = worked_line(values, [loss_text(v) for v in values], lambda v: sum(v) / n, result)
        return _("mean over the batch: L = ({terms}) ÷ {n} {rel} {loss}").format(terms=sum_text(texts), n=n, rel=rel,
                                                                                   loss=result)

    def recap_rows(self) -> list[list[str]]:
        """The lesson's table: each layer's pre-activations and values after its activation, then the loss."""
        depth = len(self.net["sizes"]) - 1
        rows = [[_("layer"), _("pre-activation z"), _("after the activation")]]
        xs = [value_text(self.values[i]) for i in self.nodes("input", 0)]
        rows.append([_("input"), "—", f"x = {_listed(xs)}"])
        for l in range(1, depth + 1):
            act = self.net["activations"][l - 1]
            kind = "y" if l == depth else "h"
            zs = [unit_value_text(self.values[z]) for z in self.nodes("z", l)]
            hs = [unit_value_text(self.values[h]) for h in self.nodes(kind, l)]
            name = _("output") if l == depth else (_("hidden") if depth == 2 else _("hidden {layer}").format(layer=l))
            letter = "y" if l == depth else "h"  # the layer at once: z⁽¹⁾ = [z₁, z₂], never a unit's z
            rows.append([f"{name} ({ACTIVATIONS[act].display})", f"z{sup(l)} = {_listed(zs)}",
                         f"{letter}{sup(l)} = {_listed(hs)}"])
        rows.append([_("loss ({name})").format(name=LOSSES[self.net["loss"]].display), "", f"L = {loss_text(self.loss['value'])}"])
        return rows
