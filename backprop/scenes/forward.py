"""ForwardPass: z = Σ w·x + b term by term, then the activation, unit by unit, then the loss, ending
on the lesson's recap table — where every value the backward pass reuses comes from.

`backprop render forward [--network NETWORK]`. The products w·x are the engine's
(backprop.engine.gates); z, h, y and L are the timeline's forward events. A batch shows example 1.
"""

from __future__ import annotations

from manim import config

from backprop.engine.gates import unit_gates
from backprop.engine.operations import ACTIVATIONS
from backprop.language import _, ngettext
from backprop.scenes.base import LessonScene
from backprop.scenes.steps import Step
from backprop.stage.motion import appear, vanish
from backprop.stage.worked import lines_card, value_table
from backprop.story.forward import ForwardTexts
from backprop.story.gates import GateTexts
from backprop.story.texts import loss_text, unit_value_text, value_text

WORKED_UNITS = 2  # units per layer worked on a card; the layer's others get their values together


class ForwardPass(LessonScene):
    def construct(self):
        tl = self.timeline
        self.gt, self.ft = GateTexts(tl), ForwardTexts(tl)
        examples = tl.network["examples"]
        self.which = " (" + _("example 1 of {examples}").format(examples=examples) + ")" if examples > 1 else ""
        self.title_card(_("The forward pass: where every value comes from"), hold=2.0)
        self.show_network(_("The network: weights and biases, no values yet"), 1.5, 1.0)
        xs = self.ft.nodes("input", 0)
        said = ", ".join(f"{self.gt.name(x)} = {value_text(self.ft.values[x])}" for x in xs[:4])
        self.beat(_("The inputs") + self.which, [Step([appear(m) for m in self.lines(xs)], 0.8, 1.0)],
                  narration=_("The inputs") + f"{self.which}: {said}{', …' if len(xs) > 4 else ''}.")
        depth = len(tl.network["sizes"]) - 1
        for layer in range(1, depth + 1):
            self.layer(layer, depth)
        self.loss_beat()
        self.recap()

    def lines(self, nodes: list[str], which: str = "all") -> list:
        """The value lines drawn in these units' boxes (z is the first of two, the output the last)."""
        st, found = self.stage, []
        for node in nodes:
            uid = st.layout.unit_of.get(node)
            lines = [m for m in st.lines.get(uid, []) if getattr(m, "original_text", None)]
            if which == "z" and len(st.lines.get(uid, [])) == 2:
                lines = lines[:1] if len(lines) == 2 else []
            elif which == "out":
                lines = lines[-1:]
            found += lines
        return found

    def layer(self, layer: int, depth: int):
        tl, st, th = self.timeline, self.stage, self.theme
        act = ACTIVATIONS[tl.network["activations"][layer - 1]]
        shown_act = act.display
        whole_layer = not act.elementwise  # softmax: its outputs come once the layer's z are known
        units = tl.network["sizes"][layer]
        kind = "y" if layer == depth else "h"
        zs, outs = self.ft.nodes("z", layer), self.ft.nodes(kind, layer)

        for j in range(1, min(units, WORKED_UNITS) + 1):
            gates = unit_gates(tl, layer, j, 0)
            products = [g for g in gates if g["kind"] == "gate" and g["op"] == "multiply"]
            add = next(g for g in gates if g["kind"] == "gate" and g["op"] == "add")
            act_gate = next(g for g in gates if g["kind"] == "gate" and g["op"] not in ("multiply", "add"))
            lit = [e for e in (p["inputs"][0] for p in products) if e in st.edges]
            uid = st.layout.unit_of[add["node"]]
            card = self.card(self.gt.sum_lines(add, products))
            anims = st.show_card(card) + [a for e in lit for a in st.light(e, st.max_grad * 0.4, th.muted)]
            anims += st.flash_box(uid) + [appear(m) for m in self.lines([add["node"]], "z")]
            steps = [Step(anims, 0.8, 1.0, shows=[card])]
            zs_name, z_text = self.gt.name(add["node"]), unit_value_text(add["value"])
            if not whole_layer:
                card = self.card(self.gt.skip_lines(act_gate, add["value"]) if "skip" in act_gate
                                 else [self.gt.activation_line(act_gate, add["value"])])
                # a residual unit's skip lights up as its input is added
                skips = [e["id"] for e in tl.edges if e["kind"] == "skip" and e["target"] == act_gate["node"]]
                lit += [e for e in skips if e in st.edges]
                steps.append(Step(st.show_card(card) + [appear(m) for m in self.lines([act_gate["node"]], "out")]
                                  + [a for e in skips if e in st.edges for a in st.light(e, st.max_grad * 0.4, th.muted)],
                                  0.8, 1.0, shows=[card]))
                names = dict(z=zs_name, value=z_text, activation=shown_act, out=self.gt.name(act_gate["node"]),
                             out_value=unit_value_text(act_gate["value"]))
                if "skip" in act_gate:
                    said = _("Each weight times its input, plus the bias: {z} = {value}, then {activation} gives "
                             "{out} = {out_value} with the skip's {skip} added.").format(
                                 skip=self.gt.name(act_gate["skip"]["node"]), **names)
                else:
                    said = _("Each weight times its input, plus the bias: {z} = {value}, then {activation} gives "
                             "{out} = {out_value}.").format(**names)
            else:
                said = _("Each weight times its input, plus the bias: {z} = {value}.").format(z=zs_name, value=z_text)
            unlit = [vanish(st.lit.pop(e)) for e in lit]
            steps.append(Step(unlit, 0.4))
            if whole_layer:
                title = _("{z}: the weighted sum ({activation} comes once the layer's z are known)").format(
                    z=zs_name, activation=shown_act)
            elif "skip" in act_gate:
                title = _("{out}: weighted sum, then {activation}, plus the skip").format(
                    out=self.gt.name(act_gate["node"]), activation=shown_act)
            else:
                title = _("{out}: weighted sum, then {activation}").format(out=self.gt.name(act_gate["node"]),
                                                                           activation=shown_act)
            self.beat(title + self.which, steps, narration=said)
        if units > WORKED_UNITS:
            rest = zs[WORKED_UNITS:] + ([] if whole_layer else outs[WORKED_UNITS:])
            others = units - WORKED_UNITS
            if layer == depth:
                caption = ngettext("The other unit of the output layer, the same way",
                                   "The other {n} units of the output layer, the same way", others).format(n=others)
                said = _("The other units of the output layer do the same with their own weights.")
            else:
                caption = ngettext("The other unit of layer {layer}, the same way",
                                   "The other {n} units of layer {layer}, the same way", others).format(
                                       n=others, layer=layer)
                said = _("The other units of layer {layer} do the same with their own weights.").format(layer=layer)
            self.beat(caption,
                      [Step([appear(m) for m in self.lines(zs[WORKED_UNITS:], "z")]
                            + ([] if whole_layer else [appear(m) for m in self.lines(outs[WORKED_UNITS:], "out")]),
                            1.0, 1.5)] if rest else [],
                      narration=said)
        if whole_layer:
            ys = ", ".join(unit_value_text(self.ft.values[y]) for y in outs[:6]) + (", …" if len(outs) > 6 else "")
            names = ", ".join(self.gt.name(y) for y in outs[:6]) + (", …" if len(outs) > 6 else "")
            card = self.card([_("softmax over the layer: yₖ = e^zₖ ÷ Σ e^z (they add up to 1)"), f"{names} = {ys}"])
            self.beat(_("Softmax turns the layer's z into probabilities") + self.which,
                      [Step(self.stage.show_card(card) + [appear(m) for m in self.lines(outs, "out")], 0.8, 1.0,
                            shows=[card])],
                      narration=_("Softmax turns the whole layer's z into probabilities: {values}.").format(values=ys))

    def loss_beat(self):
        st = self.stage
        lines = self.ft.loss_lines()
        mean = self.ft.mean_line()
        card = self.card(lines + ([mean] if mean else []))
        loss = self.ft.loss["value"]
        self.beat(_("The loss: how far the output is from the target") + self.which,
                  [Step(st.show_card(card) + [appear(m) for m in st.lines.get("L", []) if getattr(m, "original_text", None)],
                        0.8, 1.0, shows=[card])],
                  narration=_("The loss compares the output with the target: L = {loss}.").format(loss=loss_text(loss)))

    def recap(self):
        st = self.stage
        top = config.frame_height / 2 - 1.0
        bottom = -config.frame_height / 2 + 0.6
        note = _("the backward pass reuses every one of these values") + self.which
        table = value_table(st, self.ft.recap_rows(), top, bottom, note=note)
        on_screen = [m for m in self.mobjects if m is not st.caption]
        st.clear_cards()
        st.lit.clear()
        self.beat(_("Recap: every forward value, kept for the backward pass"),
                  [Step([vanish(m) for m in on_screen] + [appear(table)], 1.2, 9.0)],
                  narration=_("Every value of the forward pass is kept: the backward pass multiplies by them."))

    def card(self, lines: list[str], note: str | None = None):
        return lines_card(self.stage, [[(line, None)] for line in lines], note=note)
