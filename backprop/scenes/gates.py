"""Gates: one unit opened up, op by op — forward through the multiply gates, the add gate and the
activation, then backward: the activation routes, blocks or scales, the add gate distributes, the
multiply gate swaps. The unit is the lesson's h₁ (the first unit of the first layer).

`backprop render gates [--network NETWORK]`. The numbers are the engine's op-level events
(backprop.engine.gates), formatted by backprop.story.gates.
"""

from __future__ import annotations

from backprop.engine.gates import default_unit, unit_gates
from backprop.engine.operations import ACTIVATIONS
from backprop.language import N_, _
from backprop.scenes.base import LessonScene
from backprop.scenes.steps import Step
from backprop.stage.gates import GateDiagram
from backprop.stage.motion import appear
from backprop.stage.worked import card_zone, lines_card
from backprop.story.gates import GateTexts
from backprop.story.texts import badge_text, grad_text, unit_value_text, value_text

RULE_CAPTION = {
    "routes": N_("The {gate} gate routes: z > 0, so the gradient passes unchanged"),
    "blocks": N_("The {gate} gate blocks: z ≤ 0, so nothing passes back"),
    "scales": N_("The {gate} gate scales the gradient by its local gradient"),
    "fused": N_("{gate} and the loss together start the pass at z: y − t"),
}


class Gates(LessonScene):
    def construct(self):
        tl, st = self.timeline, self.stage
        layer, unit = default_unit(tl)
        self.tx = tx = GateTexts(tl)
        gates = unit_gates(tl, layer, unit, 0)
        events = tl.events + gates  # `t` indexes both: the section continues the timeline
        products = [g for g in gates if g["kind"] == "gate" and g["op"] == "multiply"]
        add = next(g for g in gates if g["kind"] == "gate" and g["op"] == "add")
        act = next(g for g in gates if g["kind"] == "gate" and g["op"] not in ("multiply", "add"))
        tx.unit_name = tx.name(act["node"])
        grads = {g["node"]: g for g in gates if g["kind"] == "gate_grad"}
        z, h, bias = add["node"], act["node"], add["inputs"][-1]
        gate = ACTIVATIONS[act["op"]].gate
        names = {bias: f"{tx.name(bias)} = {value_text(add['terms'][-1])}", h: tx.name(h)}
        for p in products:
            (w, x), (wv, xv) = p["inputs"], p["factors"]
            names[w], names[x] = f"{tx.name(w)} = {tx.value(w, wv)}", f"{tx.name(x)} = {tx.value(x, xv)}"
        g_z = grads[z]
        upstream = events[g_z["sources"][0]] if g_z["rule"] != "fused" else None
        into_sum = [grads[p["node"]] for p in products] + [grads[bias]]
        # every card first: the diagram stays above the tallest (a narrow frame's cards are taller)
        cards = {"products": self.card([tx.product_line(p) for p in products], _("a multiply gate: its output is w × x")),
                 "sum": self.card(tx.sum_lines(add, products)),
                 "act": self.card([tx.activation_line(act, add["value"])]),
                 "rule": self.card(tx.activation_grad_lines(g_z, events)),
                 "distribute": self.card(tx.add_grad_lines(into_sum, z))}
        if upstream is not None:
            cards["upstream"] = self.card([tx.upstream_line(upstream, h)])
        for p in products:
            w, x = p["inputs"]
            cards[p["node"]] = self.card([_("p = {product}: the multiply gate swaps, ∂p/∂w = x and ∂p/∂x = w").format(
                product=tx.name(p['node']))] + tx.multiply_grad_lines(grads[w], grads[x], tx.name(p["node"])))
        zone_y, zone_h = card_zone()
        bottom = max([zone_y + zone_h / 2] + [c.get_top()[1] for c in cards.values()]) + 0.2
        values = [value_text(p["value"]) for p in products] + [unit_value_text(add["value"]),
                                                               unit_value_text(act["value"])]
        pills = [badge_text(g["value"]) for g in grads.values()] + (
            [badge_text(upstream["value"])] if upstream is not None else [])
        self.diagram = d = GateDiagram(st, names, [p["inputs"] for p in products], bias, gate, z, h,
                                       values=values, pills=pills, bottom=bottom)
        many = tl.network["examples"]
        hs = tx.name(h)

        self.title_card(_("Inside one unit: {unit}, gate by gate").format(unit=hs), hold=2.0)
        caption = (_("{unit} as gates: multiply, add, {gate} (example 1 of {n})") if many > 1 else
                   _("{unit} as gates: multiply, add, {gate}")).format(unit=hs, gate=gate, n=many)
        self.beat(caption, [Step([appear(d.static)], 1.2, 2.0)],
                  narration=_("Open up {unit}: each input times its weight, the products and the bias added, "
                              "then {gate}.").format(unit=hs, gate=gate))
        # ---- forward
        self.card_beat(_("Forward: each multiply gate makes w·x"), cards["products"],
                       [d.value(p["node"], value_text(p["value"])) for p in products],
                       narration=_("Forward, each multiply gate makes one product of a weight and an input."))
        self.card_beat(_("Forward: the add gate sums them, with the bias"), cards["sum"],
                       [d.value(z, unit_value_text(add["value"]))],
                       narration=_("The add gate sums the products and the bias: {z} = {value}.").format(
                           z=tx.name(z), value=unit_value_text(add['value'])))
        self.card_beat(_("Forward: the {gate} gate gives {unit}").format(gate=gate, unit=hs), cards["act"],
                       [d.value(h, unit_value_text(act["value"]))],
                       narration=_("The {gate} gate turns {z} into {unit} = {value}.").format(
                           gate=gate, z=tx.name(z), unit=hs, value=unit_value_text(act['value'])))
        # ---- backward
        if upstream is not None:
            self.card_beat(_("Backward: ∂L/∂{unit} arrives at the unit's output").format(unit=hs), cards["upstream"],
                           [d.pill(h, upstream["value"], badge_text(upstream["value"]))],
                           narration=_("Backward, the gradient ∂L/∂{unit} = {gradient} arrives at the unit's "
                                       "output.").format(unit=hs, gradient=grad_text(upstream['value'])))
        rule = g_z["rule"]
        self.card_beat(_(RULE_CAPTION[rule]).format(gate=gate), cards["rule"],
                       [d.pill(z, g_z["value"], badge_text(g_z["value"]))],
                       narration=self.rule_sentence(rule, gate, z, g_z))
        self.card_beat(_("The add gate distributes: each input gets ∂L/∂z unchanged"), cards["distribute"],
                       [d.pill(g["node"], g["value"], badge_text(g["value"])) for g in into_sum],
                       narration=_("The add gate's local gradients are all 1: every input of the sum gets "
                                   "∂L/∂{z} = {gradient} unchanged.").format(z=tx.name(z), gradient=grad_text(g_z['value'])))
        steps = []
        for p in products:
            w, x = p["inputs"]
            card = cards[p["node"]]
            pills = [d.pill(n, grads[n]["value"], badge_text(grads[n]["value"])) for n in (w, x)]
            steps.append(Step(st.show_card(card) + [appear(m) for m in pills], 0.8, 1.0, shows=[card]))
        first = products[0]["inputs"][0]
        self.beat(_("The multiply gate swaps: ∂L/∂w uses x, ∂L/∂x uses w"), steps,
                  narration=_("The multiply gate swaps its inputs: ∂L/∂{name} = {gradient}, the upstream gradient "
                              "times the input.").format(name=tx.name(first), gradient=grad_text(grads[first]['value'])))
        self.beat(_("Local rules are simple and few"), [Step(st.clear_cards(), 0.6, 2.5)],
                  narration=_("Add distributes, multiply swaps, the activation routes or scales: that is all a unit "
                              "does."))

    def card(self, lines: list[str], note: str | None = None):
        return lines_card(self.stage, [[(line, None)] for line in lines], note=note)

    def card_beat(self, caption: str, card, shown: list, narration: str):
        self.beat(caption, [Step(self.stage.show_card(card) + [appear(m) for m in shown], 0.8, 1.0, shows=[card])],
                  narration=narration)

    def rule_sentence(self, rule: str, gate: str, z: str, g: dict) -> str:
        zs, value = self.tx.name(z), grad_text(g["value"])
        said = {"routes": _("{z} is positive, so {gate} routes the gradient through unchanged: ∂L/∂{z} = {value}."),
                "blocks": _("{z} is not positive, so {gate} blocks the gradient: ∂L/∂{z} = {value}."),
                "fused": _("With {gate} and its loss together, the pass starts at {z}: ∂L/∂{z} = y − t = {value}.")}
        return said.get(rule, _("The {gate} gate multiplies the gradient by its local gradient: ∂L/∂{z} = {value}.")
                         ).format(z=zs, gate=gate, value=value)
