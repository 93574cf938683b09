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
from dataclasses import dataclass, field, fields

import numpy as np

from engine.backward import backward, update
from engine.forward import forward
from engine.labels import Symbols, bias_name, input_id, out_id, weight_name, z_id
from engine.operations import ACTIVATIONS, LOSSES
from engine.spec import Network, SpecError

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
    events: list[dict]
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

    def of_kind(self, *kinds: str) -> list[dict]:
        return [e for e in self.events if e["kind"] in kinds]


@dataclass
class _Events:
    items: list[dict] = field(default_factory=list)

    def add(self, kind: str, value, **fields) -> float:
        self.items.append({"t": len(self.items), "kind": kind, "value": value, **fields})
        return value


def build_timeline(net: Network, granularity: str = "auto") -> Timeline:
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
    build = _scalar if granularity == "scalar" else _layered
    nodes, edges, params, events = build(net, fwd)
    return Timeline(network=meta, granularity=granularity, nodes=nodes, edges=edges, params=params,
                    events=events)


# ---- scalar granularity --------------------------------------------------------------------------

def _scalar(net: Network, fwd):
    sym = Symbols(net.sizes)
    L = len(net.layers)
    N = net.X.shape[0]
    many = N > 1

    def prev_id(l, i):
        return input_id(i) if l == 1 else out_id(l - 1, i, L)

    nodes = [{"id": input_id(i), "kind": "input", "layer": 0, "unit": i, "symbol": sym.input(i)}
             for i in range(1, net.sizes[0] + 1)]
    edges, params = [], []
    for l, layer in enumerate(net.layers, start=1):
        for j in range(1, layer.units + 1):
            nodes.append({"id": z_id(l, j), "kind": "z", "layer": l, "unit": j, "symbol": sym.z(l, j)})
            nodes.append({"id": out_id(l, j, L), "kind": "y" if l == L else "h", "layer": l, "unit": j,
                          "symbol": sym.out(l, j)})
            edges.append({"id": f"{z_id(l, j)}->{out_id(l, j, L)}", "source": z_id(l, j),
                          "target": out_id(l, j, L), "kind": "activation", "param": None})
            for i in range(1, net.sizes[l - 1] + 1):
                name = weight_name(l, j, i)
                edges.append({"id": name, "source": prev_id(l, i), "target": z_id(l, j),
                              "kind": "weight", "param": name})
                params.append({"name": name, "kind": "weight", "symbol": sym.param(name),
                               "path": sym.param_path(name), "value": float(layer.W[j - 1, i - 1]),
                               "edge": name})
            name = bias_name(l, j)
            params.append({"name": name, "kind": "bias", "symbol": sym.param(name),
                           "path": sym.param_path(name), "value": float(layer.b[j - 1]), "node": z_id(l, j)})
    nodes.append({"id": "L", "kind": "loss", "layer": L + 1, "unit": 1, "symbol": "L"})
    for k in range(1, net.sizes[-1] + 1):
        edges.append({"id": f"{out_id(L, k, L)}->L", "source": out_id(L, k, L), "target": "L",
                      "kind": "loss", "param": None})

    ev = _Events()
    ex = (lambda n: {"example": n}) if many else (lambda n: {})

    # Forward pass recap.
    for n in range(N):
        for i in range(1, net.sizes[0] + 1):
            ev.add("forward", float(net.X[n, i - 1]), node=input_id(i), **ex(n))
        for l in range(1, L + 1):
            for j in range(1, net.sizes[l] + 1):
                ev.add("forward", float(fwd.z[l][n, j - 1]), node=z_id(l, j), **ex(n))
                ev.add("forward", float(fwd.a[l][n, j - 1]), node=out_id(l, j, L), **ex(n))
        if many:
            ev.add("loss", float(fwd.per_example[n]), formula=LOSSES[net.loss].formula, **ex(n))
    ev.add("loss", fwd.loss, formula=LOSSES[net.loss].formula + (" (mean over the batch)" if many else ""))

    loss = LOSSES[net.loss]
    fused = loss.starts_at_z(net.layers[-1].activation)
    d_out = [[None] * (net.sizes[L] + 1) for _ in range(N)]  # ∂L/∂(unit output), per example, 1-based
    d_z = None

    # Step 1: start at the loss.
    for n in range(N):
        for k in range(1, net.sizes[L] + 1):
            y, t = float(fwd.a[L][n, k - 1]), float(net.T[n, k - 1])
            g = float(loss.grad(np.array(y), np.array(t))) / N
            node = z_id(L, k) if fused else out_id(L, k, L)
            formula = loss.grad_formula.format(out=sym.out(L, k), z=sym.z(L, k))
            numbers = loss.grad_numbers
            if many:
                formula, numbers = formula + f" (÷ {N}: mean over the batch)", f"({numbers}) ÷ {N}"
            ev.add("seed", g, node=node, formula=formula, numbers=numbers, operands={"out": y, "t": t},
                   layer=L, **ex(n))
            d_out[n][k] = g

    for l in range(L, 0, -1):
        layer = net.layers[l - 1]
        act = ACTIVATIONS[layer.activation]
        units, fan_in = net.sizes[l], net.sizes[l - 1]
        d_z = [[None] * (units + 1) for _ in range(N)]

        # Through the activation: ∂L/∂z = ∂L/∂h × local.
        for n in range(N):
            for k in range(1, units + 1):
                if l == L and fused:
                    d_z[n][k] = d_out[n][k]
                    continue
                z, h = float(fwd.z[l][n, k - 1]), float(fwd.a[l][n, k - 1])
                local = float(act.local(np.array(z), np.array(h)))
                zs, hs = sym.z(l, k), sym.out(l, k)
                operands = {"z": z, "out": h}
                if layer.activation == "relu":
                    operands["cmp"] = ">" if z > 0 else "≤"
                ev.add("local", local, node=out_id(l, k, L), wrt=z_id(l, k), layer=l,
                       formula=act.formula.format(z=zs, out=hs), numbers=act.numbers, operands=operands,
                       activation=layer.activation, **ex(n))
                upstream = d_out[n][k]
                d_z[n][k] = ev.add("multiply", upstream * local, target=z_id(l, k), layer=l,
                                   factors=[upstream, local], edge=f"{z_id(l, k)}->{out_id(l, k, L)}",
                                   formula=f"∂L/∂{zs} = ∂L/∂{hs} × {act.symbol}({zs})", **ex(n))

        # The layer's weight and bias gradients: ∂L/∂w = ∂L/∂z × (the input on that edge).
        for k in range(1, units + 1):
            zs = sym.z(l, k)
            for i in range(1, fan_in + 1):
                name = weight_name(l, k, i)
                src = sym.input(i) if l == 1 else sym.out(l - 1, i)
                formula = f"∂L/∂{sym.param(name)} = ∂L/∂{zs} × {src}"
                contributions = [(d_z[n][k], float(fwd.a[l - 1][n, i - 1])) for n in range(N)]
                _param_grad(ev, name, formula, contributions, l, ex)
            name = bias_name(l, k)
            _param_grad(ev, name, f"∂L/∂{sym.param(name)} = ∂L/∂{zs}",
                        [(d_z[n][k],) for n in range(N)], l, ex)

        # Back to the layer before: each unit it feeds sends a contribution ∂L/∂z × w along its edge;
        # a value that fed several units gets the sum of their contributions.
        new_out = [[None] * (fan_in + 1) for _ in range(N)]
        for n in range(N):
            for i in range(1, fan_in + 1):
                target = prev_id(l, i)
                ts = sym.of_id(target)
                terms = []
                for k in range(1, units + 1):
                    w = float(layer.W[k - 1, i - 1])
                    name = weight_name(l, k, i)
                    formula = f"∂L/∂{sym.z(l, k)} × {sym.param(name)}"
                    if units == 1:
                        formula = f"∂L/∂{ts} = " + formula
                    terms.append(ev.add("multiply", d_z[n][k] * w, target=target, layer=l,
                                        factors=[d_z[n][k], w], edge=name, via=z_id(l, k),
                                        partial=units > 1, formula=formula, **ex(n)))
                if units > 1:
                    new_out[n][i] = ev.add("accumulate", sum(terms),
                                           target=target, terms=terms, layer=l,
                                           formula=f"∂L/∂{ts} = sum of {units} contributions", **ex(n))
                else:
                    new_out[n][i] = terms[0]
        d_out = new_out

    _updates(ev, net)
    return nodes, edges, params, ev.items


def _param_grad(ev: _Events, name: str, formula: str, contributions: list[tuple], layer: int, ex):
    """One parameter's gradient; over a batch, one contribution per example, added up explicitly."""
    if len(contributions) == 1:
        factors = list(contributions[0])
        ev.add("param_grad", math.prod(factors), param=name, factors=factors, formula=formula, layer=layer)
        return
    terms = []
    for n, factors in enumerate(contributions):
        terms.append(ev.add("multiply", math.prod(factors), target=name, factors=list(factors),
                            partial=True, formula=formula.split(" = ", 1)[1], layer=layer, **ex(n)))
    total = ev.add("accumulate", sum(terms), target=name, terms=terms, layer=layer,
                   formula=f"∂L/∂{name}: sum over {len(terms)} examples")
    ev.add("param_grad", total, param=name, factors=[total], formula=formula + " (summed over the batch)",
           layer=layer)


def _updates(ev: _Events, net: Network):
    """Gradient descent, w − lr·g, from the param_grad events just emitted."""
    grads = {e["param"]: e["value"] for e in ev.items if e["kind"] == "param_grad"}
    lr = net.learning_rate
    for l, layer in enumerate(net.layers, start=1):
        for j in range(1, layer.units + 1):
            names = [weight_name(l, j, i) for i in range(1, layer.W.shape[1] + 1)] + [bias_name(l, j)]
            values = list(layer.W[j - 1]) + [layer.b[j - 1]]
            for name, old in zip(names, values):
                g = grads[name]
                ev.add("update", float(old) - lr * g, param=name, old=float(old), grad=g, lr=lr)


# ---- layer granularity ---------------------------------------------------------------------------

def _layered(net: Network, fwd):
    """The same story with one event per layer: values are matrices (examples × units)."""
    L = len(net.layers)
    bwd = backward(net, fwd)

    def a_id(l):
        return "x" if l == 0 else ("y" if l == L else f"h{l}")

    nodes = [{"id": "x", "kind": "input", "layer": 0, "units": net.sizes[0], "symbol": "x"}]
    edges, params = [], []
    for l, layer in enumerate(net.layers, start=1):
        nodes.append({"id": f"z{l}", "kind": "z", "layer": l, "units": layer.units, "symbol": f"z{l}"})
        nodes.append({"id": a_id(l), "kind": "y" if l == L else "h", "layer": l, "units": layer.units,
                      "symbol": a_id(l)})
        edges.append({"id": f"W{l}", "source": a_id(l - 1), "target": f"z{l}", "kind": "weight", "param": f"W{l}"})
        edges.append({"id": f"z{l}->{a_id(l)}", "source": f"z{l}", "target": a_id(l), "kind": "activation",
                      "param": None})
        params.append({"name": f"W{l}", "kind": "weight", "value": layer.W.tolist(), "edge": f"W{l}"})
        params.append({"name": f"b{l}", "kind": "bias", "value": layer.b.tolist(), "node": f"z{l}"})
    nodes.append({"id": "L", "kind": "loss", "layer": L + 1, "units": 1, "symbol": "L"})
    edges.append({"id": "y->L", "source": "y", "target": "L", "kind": "loss", "param": None})

    ev = _Events()
    ev.add("forward", net.X.tolist(), node="x")
    for l in range(1, L + 1):
        ev.add("forward", fwd.z[l].tolist(), node=f"z{l}")
        ev.add("forward", fwd.a[l].tolist(), node=a_id(l))
    ev.add("loss", fwd.loss, formula=LOSSES[net.loss].formula, per_example=fwd.per_example.tolist())

    loss = LOSSES[net.loss]
    fused = loss.starts_at_z(net.layers[-1].activation)
    seed = bwd.delta[L] if fused else bwd.upstream[L]
    ev.add("seed", seed.tolist(), node=f"z{L}" if fused else "y", layer=L,
           formula=loss.grad_formula.format(out="y", z=f"z{L}") + " ÷ examples")
    for l in range(L, 0, -1):
        layer = net.layers[l - 1]
        act = ACTIVATIONS[layer.activation]
        if not (l == L and fused):
            local = act.local(fwd.z[l], fwd.a[l])
            ev.add("local", local.tolist(), node=a_id(l), wrt=f"z{l}", layer=l, activation=layer.activation,
                   formula=act.formula.format(z=f"z{l}", out=a_id(l)))
            ev.add("multiply", bwd.delta[l].tolist(), target=f"z{l}", layer=l, op="elementwise",
                   factors=[bwd.upstream[l].tolist(), local.tolist()], edge=f"z{l}->{a_id(l)}",
                   formula=f"∂L/∂z{l} = ∂L/∂{a_id(l)} ⊙ {act.symbol}(z{l})")
        ev.add("param_grad", bwd.grads[f"W{l}"].tolist(), param=f"W{l}", op="matmul", layer=l,
               factors=[bwd.delta[l].T.tolist(), fwd.a[l - 1].tolist()],
               formula=f"∂L/∂W{l} = (∂L/∂z{l})ᵀ · {a_id(l - 1)}  (sums over the batch)")
        total = ev.add("accumulate", bwd.grads[f"b{l}"].tolist(), target=f"b{l}", layer=l,
                       terms=bwd.delta[l].tolist(), formula=f"∂L/∂b{l}: sum of ∂L/∂z{l} over the batch")
        ev.add("param_grad", total, param=f"b{l}", factors=[total], layer=l, formula=f"∂L/∂b{l} = Σ ∂L/∂z{l}")
        ev.add("multiply", bwd.upstream[l - 1].tolist(), target=a_id(l - 1), layer=l, op="matmul",
               factors=[bwd.delta[l].tolist(), layer.W.tolist()], edge=f"W{l}",
               formula=f"∂L/∂{a_id(l - 1)} = ∂L/∂z{l} · W{l}  (each unit sums over the units it feeds)")
    for e in ev.items:  # one number per layer event, for scenes that draw layers as blocks
        if e["kind"] in ("seed", "local", "multiply", "accumulate", "param_grad"):
            e["norm"] = float(np.linalg.norm(np.asarray(e["value"])))
    updated = update(net, bwd.grads)
    for name, old in net.params().items():
        ev.add("update", updated[name].tolist(), param=name, old=old.tolist(), grad=bwd.grads[name].tolist(),
               lr=net.learning_rate)
    return nodes, edges, params, ev.items
