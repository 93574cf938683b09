"""The timeline: the backward pass explained as ordered, typed events (schema `backprop-timeline/1`).

For small networks every unit and edge is its own event, in the order a careful lecturer computes
them: the loss gradient (`seed`), then per layer from the output back: local gradients times upstream
(`multiply`), the layer's weight and bias gradients (`param_grad`), and the contributions sent back to
the layer before, added up where a value fed several consumers (`accumulate`). Large networks get the
same kinds at layer granularity: vectors and matrices instead of scalars.

The scalar walk does its own arithmetic with the operations' local rules, so every `multiply` value is
exactly the product of its factors and every `accumulate` value exactly the sum of its terms; the tests
check that it agrees with the vectorised engine.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, fields
from typing import Any, cast

import numpy as np

from backprop.engine.backward import backward, update
from backprop.engine.forward import forward
from backprop.engine.events import AccumulateEvent, Event, Kind, LessonStep, ParamGradEvent
from backprop.engine.frozen import is_frozen
from backprop.engine.labels import Symbols, bias_name, input_id, out_id, sub, weight_name, z_id
from backprop.engine.operations import ACTIVATIONS, LOSSES
from backprop.engine.spec import Network, SpecError

SCHEMA = "backprop-timeline/1"
# Scalar granularity while parameters × examples stays at or under this; above it, layer granularity.
# 2000 keeps the scalar timeline of anything a video can draw unit by unit (6-6-6-6 at a batch of 8
# is 1344) while a 784-256-256-10 network gets a few dozen layer events instead of millions.
SCALAR_LIMIT = 2000
GRANULARITIES = ("auto", "scalar", "layer")
# The largest timelines these allow take ~20 s and under 2 GB of memory to write (benchmarks/limits_bench.py).
SCALAR_MAX = 100_000  # asked for explicitly, a scalar timeline may be larger, up to this
MAX_NUMBERS = 8_000_000  # numbers in one timeline (~200 MB of JSON)


@dataclass
class Timeline:
    network: dict
    granularity: str
    nodes: list[dict]
    edges: list[dict]
    params: list[dict]
    events: list[Event]
    schema: str = SCHEMA

    def to_json(self, indent: int | None = None) -> str:
        # The fields as they are: asdict would deep-copy every number first (most of the time and
        # memory of a large timeline).
        fields_ = {f.name: getattr(self, f.name) for f in fields(self)}
        return json.dumps(fields_, indent=indent, ensure_ascii=False, allow_nan=False)

    @classmethod
    def from_json(cls, text: str) -> "Timeline":
        data = json.loads(text)
        if data.get("schema") != SCHEMA:
            raise ValueError(f"schema: expected {SCHEMA}, got {data.get('schema')!r}")
        return cls(**data)

    def of_kind(self, *kinds: str) -> list[Any]:  # which TypedDict each is depends on `kinds`
        return [e for e in self.events if e["kind"] in kinds]


class _Events:
    """The events in order; `add` returns the new event, whose `t` later events cite as a source."""

    def __init__(self):
        self.items: list[Event] = []

    def add(self, kind: Kind, step: LessonStep, value, **fields) -> Event:
        event = cast(Event, {"t": len(self.items), "kind": kind, "value": value, "step": step, **fields})
        self.items.append(event)
        return event


def build_timeline(net: Network, granularity: str = "auto") -> Timeline:
    """`net` may also be a computational graph (`graph` in the spec): its own walk, granularity `graph`."""
    from backprop.engine.graph.spec import Graph

    if isinstance(net, Graph):
        from backprop.engine.graph.timeline import graph_timeline

        if granularity not in ("auto", "graph"):
            raise SpecError("granularity", f"a graph's timeline is one event per value and operation; "
                                           f"leave out --granularity {granularity}")
        return graph_timeline(net)
    if granularity not in GRANULARITIES:
        raise ValueError(f"granularity: expected one of {', '.join(GRANULARITIES)}, got {granularity!r}")
    if granularity == "auto":
        granularity = "scalar" if net.n_params * net.X.shape[0] <= SCALAR_LIMIT else "layer"
    examples = net.X.shape[0]
    if granularity == "scalar" and net.n_params * examples > SCALAR_MAX:
        raise SpecError("granularity", f"a scalar timeline is limited to {SCALAR_MAX:,} parameter-examples, "
                                       f"this network has {net.n_params * examples:,}; use layer")
    # What a layer timeline holds: each parameter 6 times (value, gradient, matmul factor, update's new,
    # old and gradient), per example each input 3 times and each unit 11 (z, a, local, δ, ∂L/∂a, factors).
    numbers = net.n_params * 6 + examples * (3 * net.sizes[0] + 11 * sum(net.sizes[1:]))
    if numbers > MAX_NUMBERS:
        raise SpecError("inputs", f"the timeline would hold {numbers:,} numbers (limit {MAX_NUMBERS:,}); "
                                  "use fewer examples or a smaller network")
    skips = [n for n, layer in enumerate(net.layers) if layer.residual]
    if skips and granularity == "layer":  # a skip as a block event is not written yet; unit by unit it is
        raise SpecError(f"layers[{skips[0]}].residual", "a network with skip connections has a timeline unit by "
                                                        f"unit only (at most {SCALAR_LIMIT:,} parameter-examples)")
    fwd = forward(net)
    meta = {
        "name": net.name,
        "description": net.description,
        "shape": net.shape_line(),
        "sizes": net.sizes,
        "activations": [layer.activation for layer in net.layers],
        "loss": net.loss,
        "learning_rate": net.learning_rate,
        "examples": int(net.X.shape[0]),
        "targets": net.T.tolist(),
    }
    if granularity == "scalar":
        walk = _ScalarWalk(net, fwd)
        nodes, edges, params, events = walk.nodes, walk.edges, walk.params, walk.events()
    else:
        nodes, edges, params, events = _layered(net, fwd)
    return Timeline(network=meta, granularity=granularity, nodes=nodes, edges=edges, params=params,
                    events=events)


# ---- scalar granularity --------------------------------------------------------------------------

class _ScalarWalk:
    """The backward pass unit by unit, one method per step of the lesson.

    Per example it keeps each gradient with the event that produced it: `d_out[n][i]` is ∂L/∂ of
    unit i's output in the layer being walked, `d_z[n][k]` is ∂L/∂z of unit k (1-based units).
    """

    def __init__(self, net: Network, fwd):
        self.net, self.fwd = net, fwd
        self.sym = Symbols(net.sizes)
        self.depth = len(net.layers)
        self.examples = net.X.shape[0]
        self.loss = LOSSES[net.loss]
        self.fused = self.loss.starts_at_z(net.layers[-1].activation)
        self.ev = _Events()
        self.forward_event: dict[tuple[int, str], Event] = {}  # (example, node) → its forward event
        self._graph()

    def ex(self, n: int) -> dict:
        return {"example": n} if self.examples > 1 else {}

    def prev_id(self, layer: int, i: int) -> str:
        return input_id(i) if layer == 1 else out_id(layer - 1, i, self.depth)

    def _graph(self):
        net, sym, depth = self.net, self.sym, self.depth
        self.nodes = [{"id": input_id(i), "kind": "input", "layer": 0, "unit": i, "symbol": sym.input(i)}
                      for i in range(1, net.sizes[0] + 1)]
        self.edges, self.params = [], []
        for l, layer in enumerate(net.layers, start=1):
            for j in range(1, layer.units + 1):
                self.nodes.append({"id": z_id(l, j), "kind": "z", "layer": l, "unit": j, "symbol": sym.z(l, j)})
                self.nodes.append({"id": out_id(l, j, depth), "kind": "y" if l == depth else "h", "layer": l,
                                   "unit": j, "symbol": sym.out(l, j)})
                if layer.residual:  # h = h_prev + f(z): the skip's local gradient is 1
                    self.edges.append({"id": skip_id(l, j, depth), "source": self.prev_id(l, j),
                                       "target": out_id(l, j, depth), "kind": "skip", "param": None})
                self.edges.append({"id": f"{z_id(l, j)}->{out_id(l, j, depth)}", "source": z_id(l, j),
                                   "target": out_id(l, j, depth), "kind": "activation", "param": None})
                for i in range(1, net.sizes[l - 1] + 1):
                    name = weight_name(l, j, i)
                    self.edges.append({"id": name, "source": self.prev_id(l, i), "target": z_id(l, j),
                                       "kind": "weight", "param": name})
                    self.params.append({"name": name, "kind": "weight", "symbol": sym.param(name),
                                        "path": sym.param_path(name), "value": float(layer.W[j - 1, i - 1]),
                                        "edge": name})
                name = bias_name(l, j)
                self.params.append({"name": name, "kind": "bias", "symbol": sym.param(name),
                                    "path": sym.param_path(name), "value": float(layer.b[j - 1]),
                                    "node": z_id(l, j)})
        self.nodes.append({"id": "L", "kind": "loss", "layer": depth + 1, "unit": 1, "symbol": "L"})
        for k in range(1, net.sizes[-1] + 1):
            self.edges.append({"id": f"{out_id(depth, k, depth)}->L", "source": out_id(depth, k, depth),
                               "target": "L", "kind": "loss", "param": None})

    def events(self) -> list[Event]:
        self.forward_recap()
        d_out = self.start_at_loss()
        for l in range(self.depth, 0, -1):
            d_z = self.through_activation(l, d_out)
            self.param_grads(l, d_z)
            d_out = self.back_to_layer_before(l, d_z, d_out)
        self.updates()
        return self.ev.items

    def forward_recap(self):
        net, fwd, ev, many = self.net, self.fwd, self.ev, self.examples > 1
        for n in range(self.examples):
            for i in range(1, net.sizes[0] + 1):
                self.forward_event[n, input_id(i)] = ev.add("forward", "forward", float(net.X[n, i - 1]),
                                                            node=input_id(i), **self.ex(n))
            for l in range(1, self.depth + 1):
                for j in range(1, net.sizes[l] + 1):
                    for node, values in ((z_id(l, j), fwd.z[l]), (out_id(l, j, self.depth), fwd.a[l])):
                        self.forward_event[n, node] = ev.add("forward", "forward", float(values[n, j - 1]),
                                                             node=node, **self.ex(n))
            if many:
                ev.add("loss", "forward", float(fwd.per_example[n]), formula=self.loss.formula, **self.ex(n))
        ev.add("loss", "forward", fwd.loss,
               formula=self.loss.formula + (" (mean over the batch)" if many else ""))

    def start_at_loss(self) -> list[list]:
        """∂L/∂y for every output (∂L/∂z where the loss is fused with the output activation)."""
        net, sym, depth, N = self.net, self.sym, self.depth, self.examples
        d_out: list[list[Any]] = [[None] * (net.sizes[depth] + 1) for _ in range(N)]
        for n in range(N):
            for k in range(1, net.sizes[depth] + 1):
                y, t = float(self.fwd.a[depth][n, k - 1]), float(net.T[n, k - 1])
                g = float(self.loss.grad(np.array(y), np.array(t))) / N
                node = z_id(depth, k) if self.fused else out_id(depth, k, depth)
                formula = self.loss.grad_formula.format(out=sym.out(depth, k), z=sym.z(depth, k), t=sym.target(k))
                numbers = self.loss.grad_numbers
                if N > 1:
                    formula, numbers = formula + f"  (÷ {N}: mean over the batch)", f"({numbers}) ÷ {N}"
                d_out[n][k] = self.ev.add("seed", "seed", g, node=node, formula=formula, numbers=numbers,
                                          operands={"out": y, "t": t}, layer=depth, **self.ex(n))
        return d_out

    def through_activation(self, l: int, d_out: list[list]) -> list[list]:
        """∂L/∂z = ∂L/∂h × the activation's local gradient, unit by unit."""
        layer = self.net.layers[l - 1]
        act = ACTIVATIONS[layer.activation]
        units, depth = self.net.sizes[l], self.depth
        d_z: list[list[Any]] = [[None] * (units + 1) for _ in range(self.examples)]
        for n in range(self.examples):
            for k in range(1, units + 1):
                if l == depth and self.fused:
                    d_z[n][k] = d_out[n][k]  # the seed already is ∂L/∂z
                    continue
                # f(z): the unit's output itself, or what the layer adds to the skip
                z, h = float(self.fwd.z[l][n, k - 1]), float(self.fwd.f[l][n, k - 1])
                zs, hs = self.sym.z(l, k), self.sym.out(l, k)
                if layer.residual:  # h is h_prev + f(z): the local rule reads f(z), written as such
                    hs = f"{act.gate}({zs})"
                operands: dict[str, float | str] = {"z": z, "out": h}
                if act.kink is not None:  # which side of the kink z is
                    operands["cmp"] = ">" if z > act.kink else "≤"
                local = self.ev.add("local", "activation", float(act.local(np.array(z), np.array(h))),
                                    node=out_id(l, k, depth), wrt=z_id(l, k), layer=l,
                                    formula=act.formula.format(z=zs, out=hs), numbers=act.numbers,
                                    operands=operands, activation=layer.activation, **self.ex(n))
                upstream = d_out[n][k]
                d_z[n][k] = self.ev.add("multiply", "activation", upstream["value"] * local["value"],
                                        target=z_id(l, k), layer=l, factors=[upstream["value"], local["value"]],
                                        sources=[upstream["t"], local["t"]],
                                        edge=f"{z_id(l, k)}->{out_id(l, k, depth)}",
                                        formula=f"∂L/∂{zs} = ∂L/∂{hs} × {act.symbol}({zs})", **self.ex(n))
        return d_z

    def param_grads(self, l: int, d_z: list[list]):
        """∂L/∂w = ∂L/∂z × (the input on that edge); ∂L/∂b = ∂L/∂z."""
        for k in range(1, self.net.sizes[l] + 1):
            zs = self.sym.z(l, k)
            for i in range(1, self.net.sizes[l - 1] + 1):
                name = weight_name(l, k, i)
                src = self.sym.input(i) if l == 1 else self.sym.out(l - 1, i)
                inputs = [self.forward_event[n, self.prev_id(l, i)] for n in range(self.examples)]
                self.param_grad(name, f"∂L/∂{self.sym.param(name)} = ∂L/∂{zs} × {src}",
                                [(d_z[n][k], inputs[n]) for n in range(self.examples)], l)
            name = bias_name(l, k)
            self.param_grad(name, f"∂L/∂{self.sym.param(name)} = ∂L/∂{zs}",
                            [(d_z[n][k],) for n in range(self.examples)], l)

    def param_grad(self, name: str, formula: str, contributions: list[tuple[Event, ...]], layer: int):
        """One parameter's gradient; over a batch, one contribution per example, added up explicitly."""
        ev = self.ev
        if len(contributions) == 1:
            factors = [e["value"] for e in contributions[0]]
            ev.add("param_grad", "params", math.prod(factors), param=name, factors=factors,
                   sources=[e["t"] for e in contributions[0]], formula=formula, layer=layer)
            return
        terms = []
        for n, factor_events in enumerate(contributions):
            factors = [e["value"] for e in factor_events]
            terms.append(ev.add("multiply", "params", math.prod(factors), target=name, factors=factors,
                                sources=[e["t"] for e in factor_events], partial=True,
                                formula=formula.split(" = ", 1)[1], layer=layer, **self.ex(n)))
        total = ev.add("accumulate", "params", sum(e["value"] for e in terms), target=name,
                       terms=[e["value"] for e in terms], sources=[e["t"] for e in terms], layer=layer,
                       formula=f"∂L/∂{name}: sum over {len(terms)} examples")
        ev.add("param_grad", "params", total["value"], param=name, factors=[total["value"]],
               sources=[total["t"]], formula=formula + "  (summed over the batch)", layer=layer)

    def back_to_layer_before(self, l: int, d_z: list[list], d_out: list[list]) -> list[list]:
        """Each unit sends ∂L/∂z × w back along its edge (and, round a skip, ∂L/∂h × 1); a value that
        fed several units gets the sum of their contributions."""
        layer, units, fan_in = self.net.layers[l - 1], self.net.sizes[l], self.net.sizes[l - 1]
        d_prev: list[list[Any]] = [[None] * (fan_in + 1) for _ in range(self.examples)]
        for n in range(self.examples):
            for i in range(1, fan_in + 1):
                target = self.prev_id(l, i)
                ts = self.sym.of_id(target)
                terms = []
                many = units > 1 or layer.residual
                for k in range(1, units + 1):
                    w = float(layer.W[k - 1, i - 1])
                    name = weight_name(l, k, i)
                    formula = f"∂L/∂{self.sym.z(l, k)} × {self.sym.param(name)}"
                    if not many:
                        formula = f"∂L/∂{ts} = " + formula
                    terms.append(self.ev.add("multiply", "back", d_z[n][k]["value"] * w, target=target,
                                             layer=l, factors=[d_z[n][k]["value"], w],
                                             sources=[d_z[n][k]["t"], None], edge=name, via=z_id(l, k),
                                             partial=many, formula=formula, **self.ex(n)))
                if layer.residual:  # the skip hands ∂L/∂h back unchanged: × 1
                    up = d_out[n][i]
                    terms.append(self.ev.add("multiply", "back", up["value"] * 1.0, target=target, layer=l,
                                             factors=[up["value"], 1.0], sources=[up["t"], None],
                                             edge=skip_id(l, i, self.depth), partial=True,
                                             formula=f"∂L/∂{self.sym.out(l, i)} × 1  (the skip)", **self.ex(n)))
                if many:
                    d_prev[n][i] = self.ev.add("accumulate", "back", sum(e["value"] for e in terms),
                                               target=target, terms=[e["value"] for e in terms],
                                               sources=[e["t"] for e in terms], layer=l,
                                               formula=f"∂L/∂{ts} = sum of {len(terms)} contributions",
                                               **self.ex(n))
                else:
                    d_prev[n][i] = terms[0]
        return d_prev

    def updates(self):
        """Gradient descent, w − lr·g, from the param_grad events just emitted."""
        grads = {cast(ParamGradEvent, e)["param"]: e for e in self.ev.items if e["kind"] == "param_grad"}
        lr = self.net.learning_rate
        for l, layer in enumerate(self.net.layers, start=1):
            for j in range(1, layer.units + 1):
                names = [weight_name(l, j, i) for i in range(1, layer.W.shape[1] + 1)] + [bias_name(l, j)]
                values = list(layer.W[j - 1]) + [layer.b[j - 1]]
                for i, (name, old) in enumerate(zip(names, values)):
                    g = cast(float, grads[name]["value"])  # a scalar timeline: one number per event
                    array, index = (f"W{l}", (j - 1, i)) if i < layer.W.shape[1] else (f"b{l}", (j - 1,))
                    if is_frozen(self.net, array, index):  # the spec's `frozen`: the step leaves it
                        self.ev.add("update", "update", float(old), param=name, old=float(old), grad=g,
                                    lr=lr, sources=[grads[name]["t"]], frozen=True)
                        continue
                    self.ev.add("update", "update", float(old) - lr * g, param=name, old=float(old), grad=g,
                                lr=lr, sources=[grads[name]["t"]])


# ---- layer granularity ---------------------------------------------------------------------------

def _layered(net: Network, fwd):
    """The same story with one event per layer: values are matrices (examples × units)."""
    depth = len(net.layers)
    bwd = backward(net, fwd)

    def a_id(l):
        return "x" if l == 0 else ("y" if l == depth else f"h{l}")

    sym = Symbols(net.sizes)

    def a(l):  # a layer's output vector as shown: x, h⁽¹⁾, y⁽²⁾ (never a unit's h₁ or y)
        return sym.layer("y" if l == depth else "h" if l else "x", l)

    def z(l):
        return sym.layer("z", l)

    def w(l):
        return "W" + sub(l)

    def b(l):
        return "b" + sub(l)

    nodes = [{"id": "x", "kind": "input", "layer": 0, "units": net.sizes[0], "symbol": "x"}]
    edges, params = [], []
    for l, layer in enumerate(net.layers, start=1):
        nodes.append({"id": f"z{l}", "kind": "z", "layer": l, "units": layer.units, "symbol": z(l)})
        nodes.append({"id": a_id(l), "kind": "y" if l == depth else "h", "layer": l, "units": layer.units,
                      "symbol": a(l)})
        edges.append({"id": f"W{l}", "source": a_id(l - 1), "target": f"z{l}", "kind": "weight", "param": f"W{l}"})
        edges.append({"id": f"z{l}->{a_id(l)}", "source": f"z{l}", "target": a_id(l), "kind": "activation",
                      "param": None})
        params.append({"name": f"W{l}", "symbol": w(l), "kind": "weight", "value": layer.W.tolist(), "edge": f"W{l}"})
        params.append({"name": f"b{l}", "symbol": b(l), "kind": "bias", "value": layer.b.tolist(), "node": f"z{l}"})
    nodes.append({"id": "L", "kind": "loss", "layer": depth + 1, "units": 1, "symbol": "L"})
    edges.append({"id": "y->L", "source": "y", "target": "L", "kind": "loss", "param": None})

    ev = _Events()
    forward_event = [ev.add("forward", "forward", net.X.tolist(), node="x")]
    for l in range(1, depth + 1):
        ev.add("forward", "forward", fwd.z[l].tolist(), node=f"z{l}")
        forward_event.append(ev.add("forward", "forward", fwd.a[l].tolist(), node=a_id(l)))
    loss = LOSSES[net.loss]
    ev.add("loss", "forward", fwd.loss, formula=loss.formula, per_example=fwd.per_example.tolist())

    fused = loss.starts_at_z(net.layers[-1].activation)
    seed = bwd.delta[depth] if fused else bwd.upstream[depth]
    n = net.X.shape[0]
    # one example needs no word about batches: the formulas say only what happens
    per_batch = f"  (÷ {n}: mean over the batch)" if n > 1 else ""
    summed = "  (summed over the batch)" if n > 1 else ""
    upstream = ev.add("seed", "seed", seed.tolist(), node=f"z{depth}" if fused else "y", layer=depth,
                      formula=loss.grad_formula.format(out=a(depth), z=z(depth), t=sym.layer("t", depth)) + per_batch)
    for l in range(depth, 0, -1):
        layer = net.layers[l - 1]
        act = ACTIVATIONS[layer.activation]
        delta = upstream  # the event whose value is ∂L/∂z of this layer
        if not (l == depth and fused):
            local = act.local(fwd.z[l], fwd.f[l])
            local_event = ev.add("local", "activation", local.tolist(), node=a_id(l), wrt=f"z{l}", layer=l,
                                 activation=layer.activation, formula=act.formula.format(z=z(l), out=a(l)))
            delta = ev.add("multiply", "activation", bwd.delta[l].tolist(), target=f"z{l}", layer=l,
                           op="elementwise", factors=[bwd.upstream[l].tolist(), local.tolist()],
                           sources=[upstream["t"], local_event["t"]], edge=f"z{l}->{a_id(l)}",
                           formula=f"∂L/∂{z(l)} = ∂L/∂{a(l)} ⊙ {act.symbol}({z(l)})")
        ev.add("param_grad", "params", bwd.grads[f"W{l}"].tolist(), param=f"W{l}", op="matmul", layer=l,
               factors=[bwd.delta[l].T.tolist(), fwd.a[l - 1].tolist()],
               sources=[delta["t"], forward_event[l - 1]["t"]],
               formula=f"∂L/∂{w(l)} = (∂L/∂{z(l)})ᵀ · {a(l - 1)}" + summed)
        total = ev.add("accumulate", "params", bwd.grads[f"b{l}"].tolist(), target=f"b{l}", layer=l,
                       terms=bwd.delta[l].tolist(), sources=[delta["t"]],
                       formula=f"∂L/∂{b(l)} = Σ ∂L/∂{z(l)} over the batch" if n > 1 else f"∂L/∂{b(l)} = ∂L/∂{z(l)}")
        ev.add("param_grad", "params", total["value"], param=f"b{l}", factors=[total["value"]],
               sources=[total["t"]], layer=l, formula=cast(AccumulateEvent, total)["formula"])
        upstream = ev.add("multiply", "back", bwd.upstream[l - 1].tolist(), target=a_id(l - 1), layer=l,
                          op="matmul", factors=[bwd.delta[l].tolist(), layer.W.tolist()],
                          sources=[delta["t"], None], edge=f"W{l}",
                          formula=f"∂L/∂{a(l - 1)} = ∂L/∂{z(l)} · {w(l)}  (each unit sums over the units it feeds)")
    for e in ev.items:  # one number per layer event, for scenes that draw layers as blocks
        if e["kind"] in ("seed", "local", "multiply", "accumulate", "param_grad"):
            e["norm"] = float(np.linalg.norm(np.asarray(e["value"])))
    updated = update(net, bwd.grads)
    grad_event = {cast(ParamGradEvent, e)["param"]: e["t"] for e in ev.items if e["kind"] == "param_grad"}
    for name, old in net.params().items():
        frozen = {"frozen": net.frozen[name].tolist()} if name in net.frozen else {}  # the spec's `frozen`
        ev.add("update", "update", updated[name].tolist(), param=name, old=old.tolist(),
               grad=bwd.grads[name].tolist(), lr=net.learning_rate, sources=[grad_event[name]], **frozen)
    return nodes, edges, params, ev.items


def skip_id(layer: int, j: int, depth: int) -> str:
    """The skip round layer `layer`'s unit j: from the unit before to its output (`h1_1=>h2_1`)."""
    return f"{input_id(j) if layer == 1 else out_id(layer - 1, j, depth)}=>{out_id(layer, j, depth)}"


def drawn_unit_by_unit(net: Network) -> str | None:
    """Why `net` cannot be shown unit by unit, as scenes that follow single units and parameters need
    (its timeline is one block per layer); None if it can."""
    size = net.n_params * net.X.shape[0]
    if size > SCALAR_LIMIT:
        return (f"it is drawn one block per layer ({size:,} parameter-examples, more than {SCALAR_LIMIT:,}), "
                "and this scene works unit by unit, parameter by parameter: use a smaller network")
    return None
