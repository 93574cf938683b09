"""Inside one unit, op by op: the multiply gates w·x, the add gate z = Σ w·x + b, the activation gate.

The timeline keeps one event per unit; a lecturer opening a unit up (CS231n's gates) needs the ops
inside it. `unit_gates` returns them as a section of events that continues the timeline's numbering
(`t` from len(timeline.events) on), so `sources` cite timeline events and earlier gate events alike:

- `gate` (forward): `op` (multiply, add, or the activation's name), `node` (what it outputs: a product
  `W1[1,2]*x2`, `z1_1`, `h1_1`), `inputs` (ids), `value`, `sources` (None for a parameter).
- `gate_grad` (backward): `op`, `node` (the gate input the gradient is for), `factors` [upstream,
  local] whose product is `value`, `sources`, `rule` (routes, blocks, scales, fused, distributes,
  swaps), and `same_as`: the timeline event that holds the same number (∂L/∂w's param_grad, ∂L/∂x's
  contribution sent back, ∂L/∂z's multiply).

The products are computed here (numpy floats); everything else is read from the timeline. No manim.
"""

from __future__ import annotations

import numpy as np

from backprop.engine.labels import bias_name, input_id, out_id, weight_name, z_id
from backprop.engine.operations import ACTIVATIONS


def product_id(weight: str, source: str) -> str:
    return f"{weight}*{source}"


def default_unit(timeline) -> tuple[int, int]:
    """The lesson's h₁: the first hidden layer's first unit (the output's first unit without one)."""
    return 1, 1


def unit_gates(timeline, layer: int, unit: int, example: int = 0) -> list[dict]:
    """The forward gates of unit `unit` of `layer`, then its backward gates, for one example."""
    if timeline.granularity != "scalar":
        raise ValueError("unit_gates reads a scalar timeline (one event per unit and edge)")
    section = _Section(timeline)
    section.forward(layer, unit, example)
    section.backward(layer, unit, example)
    return section.items


class _Section:
    def __init__(self, timeline):
        self.tl = timeline
        self.events = timeline.events
        self.items: list[dict] = []
        self.depth = len(timeline.network["sizes"]) - 1
        self.value = {p["name"]: p["value"] for p in timeline.params}
        self.many = timeline.network["examples"] > 1

    def add(self, kind: str, **fields) -> dict:
        e = {"t": len(self.events) + len(self.items), "kind": kind, "step": "gates", **fields}
        self.items.append(e)
        return e

    def _mine(self, e: dict, example: int) -> bool:
        return e.get("example", 0) == example

    def find(self, example: int, **match) -> dict:
        return next(e for e in self.events if self._mine(e, example) and all(e.get(k) == v for k, v in match.items()))

    def prev(self, layer: int, i: int) -> str:
        return input_id(i) if layer == 1 else out_id(layer - 1, i, self.depth)

    def forward(self, layer: int, unit: int, example: int):
        fan_in = self.tl.network["sizes"][layer - 1]
        self.products = []
        for i in range(1, fan_in + 1):
            w_name, src = weight_name(layer, unit, i), self.prev(layer, i)
            x = self.find(example, kind="forward", node=src)
            w = self.value[w_name]
            self.products.append(self.add("gate", op="multiply", node=product_id(w_name, src), inputs=[w_name, src],
                                          factors=[w, x["value"]], value=w * x["value"], sources=[None, x["t"]],
                                          example=example))
        b = bias_name(layer, unit)
        z = self.find(example, kind="forward", node=z_id(layer, unit))
        self.add_gate = self.add("gate", op="add", node=z["node"], inputs=[p["node"] for p in self.products] + [b],
                                 terms=[p["value"] for p in self.products] + [self.value[b]], value=z["value"],
                                 sources=[p["t"] for p in self.products] + [None], same_as=z["t"], example=example)
        h = self.find(example, kind="forward", node=out_id(layer, unit, self.depth))
        act = self.tl.network["activations"][layer - 1]
        self.act_gate = self.add("gate", op=act, node=h["node"], inputs=[z["node"]], value=h["value"],
                                 sources=[self.add_gate["t"]], same_as=h["t"], example=example)
        skip = next((e for e in self.tl.edges if e["kind"] == "skip" and e["target"] == h["node"]), None)
        if skip is not None:  # a residual layer: h = h_prev + f(z), the skip's input and f(z) beside h
            prev = self.find(example, kind="forward", node=skip["source"])
            f = float(np.asarray(ACTIVATIONS[act].forward(np.array([z["value"]])))[0])
            self.act_gate["skip"] = {"node": prev["node"], "value": prev["value"], "source": prev["t"], "f": f}

    def backward(self, layer: int, unit: int, example: int):
        z, h = z_id(layer, unit), out_id(layer, unit, self.depth)
        act = self.tl.network["activations"][layer - 1]
        d_z = next(e for e in self.events if self._mine(e, example) and (
            (e["kind"] == "multiply" and e["step"] == "activation" and e["target"] == z)
            or (e["kind"] == "seed" and e["node"] == z)))
        if d_z["kind"] == "seed":  # the loss is fused with the output activation: it starts at z
            grad = self.add("gate_grad", op=act, node=z, factors=[d_z["value"]], value=d_z["value"],
                            sources=[d_z["t"]], rule="fused", same_as=d_z["t"], example=example)
        else:
            upstream, local = (self.events[s] for s in d_z["sources"])
            rule = ("routes" if local["value"] else "blocks") if ACTIVATIONS[act].switch else "scales"
            grad = self.add("gate_grad", op=act, node=z, factors=[upstream["value"], local["value"]],
                            value=upstream["value"] * local["value"], sources=[upstream["t"], local["t"]],
                            rule=rule, same_as=d_z["t"], upstream_of=h, example=example)
        into_sum = {}
        for p in self.add_gate["inputs"]:
            into_sum[p] = self.add("gate_grad", op="add", node=p, factors=[grad["value"], 1.0],
                                   value=grad["value"] * 1.0, sources=[grad["t"], None], rule="distributes",
                                   example=example)
        bias = bias_name(layer, unit)
        into_sum[bias]["same_as"] = self._param_event(bias, example)["t"]
        for prod in self.products:
            w_name, src = prod["inputs"]
            w, x = prod["factors"]
            d_p = into_sum[prod["node"]]
            self.add("gate_grad", op="multiply", node=w_name, factors=[d_p["value"], x], value=d_p["value"] * x,
                     sources=[d_p["t"], prod["sources"][1]], rule="swaps", partner=src,
                     same_as=self._param_event(w_name, example)["t"], example=example)
            back = self.find(example, kind="multiply", step="back", target=src, via=z)
            self.add("gate_grad", op="multiply", node=src, factors=[d_p["value"], w], value=d_p["value"] * w,
                     sources=[d_p["t"], None], rule="swaps", partner=w_name, same_as=back["t"], example=example)

    def _param_event(self, name: str, example: int) -> dict:
        """The timeline's gradient of a parameter for this example: its param_grad, or its share in a batch."""
        if not self.many:
            return self.find(0, kind="param_grad", param=name)
        return self.find(example, kind="multiply", step="params", target=name)


# ---- which networks the unit-level scenes can play (checked before manim loads) ---------------------

MAX_GATE_INPUTS = 4  # multiply gates the gates scene draws side by side and still labels readably


def gates_unplayable(net) -> str | None:
    """Why the gates scene cannot open up `net`'s first unit; None if it can."""
    fan_in = net.sizes[0]
    if fan_in > MAX_GATE_INPUTS:
        return f"its first unit has {fan_in} inputs, and the gates scene draws at most {MAX_GATE_INPUTS}"
    from backprop.engine.timeline import drawn_unit_by_unit

    return drawn_unit_by_unit(net)
