"""A graph's timeline, in the event kinds a layered network's uses (granularity `graph`).

Forward values in topological order; the seed ∂out/∂out = 1; then, node by node in reverse
topological order, each operation's local gradient on each operand (`local`, from its record in
`ops`) and the product with the gradient flowing in (`multiply`); where a value is used more than
once, every contribution is its own `multiply` (`partial`) and their sum is an `accumulate` with
its running sums (`+=`, one contribution at a time, in the order they arrived). Parameters end with
`param_grad` and the `update` one gradient-descent step would make.

Like the scalar walk of a network, this does its own arithmetic with the operations' rules, so
every product and sum is exact on the numbers it shows; tests hold it against `passes.backward`
and against PyTorch.
"""

from __future__ import annotations

import re
from typing import cast

from backprop.engine.events import Event
from backprop.engine.graph.ops import OPS
from backprop.engine.graph.passes import forward, local_gradients
from backprop.engine.graph.spec import Graph

GRANULARITY = "graph"


def graph_timeline(graph: Graph):
    from backprop.engine.timeline import Timeline, _Events  # the layers' timeline imports this module

    values = forward(graph)
    nodes, edges = _drawing(graph)
    params = [{"name": p, "kind": "leaf", "symbol": graph.nodes[p].symbol, "value": graph.nodes[p].value, "node": p}
              for p in graph.params]
    ev = _Events()
    _Walk(graph, values, ev).run()
    meta = {"name": graph.name, "description": graph.description, "shape": graph.shape_line(),
            "kind": "graph", "output": graph.output, "learning_rate": graph.learning_rate,
            "program": [line.strip() for line in graph.program.splitlines()]}  # nodes' `line` counts from 1
    return Timeline(network=meta, granularity=GRANULARITY, nodes=nodes, edges=edges, params=params,
                    events=ev.items)


def _drawing(graph: Graph) -> tuple[list[dict], list[dict]]:
    """One node per value (its operation, if any, drawn as a circle in front of it) and one edge per
    operand: `b = a + a` has two edges a → b."""
    nodes, edges = [], []
    for i, node in graph.nodes.items():
        op = OPS[node.op] if node.op else None
        nodes.append({"id": i, "kind": node.kind, "symbol": node.symbol, "named": node.named,
                      "param": i in graph.params, "op": node.op, "op_symbol": op.symbol if op else None,
                      "torch": op.torch if op else None, "inputs": list(node.inputs),
                      **({"p": node.p} if node.p is not None else {}),
                      **({"line": node.line} if node.kind != "leaf" else {})})
        for position, u in enumerate(node.inputs):
            edges.append({"id": _edge(u, i, position, node.inputs), "source": u, "target": i, "kind": "operand",
                          "position": position, "param": u if u in graph.params else None})
    return nodes, edges


def of(symbol: str) -> str:
    """∂L/∂a, ∂L/∂(a·b), 2(y − t): a compound name (or a negative number) in brackets."""
    return symbol if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_₀₁₂₃₄₅₆₇₈₉′]*|[0-9.]+", symbol) else f"({symbol})"


def _number(e: Event) -> float:
    """A graph event's value: always one number."""
    return cast(float, e["value"])


def _edge(u: str, v: str, position: int, inputs: tuple[str, ...]) -> str:
    return f"{u}->{v}" if inputs.count(u) == 1 else f"{u}->{v}[{position + 1}]"


class _Walk:
    def __init__(self, graph: Graph, values: dict[str, float], ev):
        self.graph, self.values, self.ev = graph, values, ev
        self.uses = {i: sum(1 for u in n.uses) for i, n in graph.nodes.items()}
        self.gradient: dict[str, Event] = {}  # id → the event whose value is ∂out/∂id
        self.arrived: dict[str, list[Event]] = {i: [] for i in graph.nodes}
        self.o = of(graph.nodes[graph.output].symbol)

    def run(self):
        for i in self.graph.order:
            self.ev.add("forward", "forward", self.values[i], node=i)
        o = self.o
        self.gradient[self.graph.output] = self.ev.add("seed", "seed", 1.0, node=self.graph.output,
                                                       formula=f"∂{o}/∂{o} = 1")
        n = 0  # the `layer` of a backward event: the how-manieth operation the walk goes back through
        ops = len(self.graph.operations)
        for i in reversed(self.graph.order):
            node = self.graph.nodes[i]
            if node.kind == "constant":
                continue
            if node.kind == "result":
                n += 1
            self.complete(i, n if node.kind == "result" else ops + 1)  # leaves: one step after the last
            if node.kind == "result":
                self.through(i, n)
        for p in self.graph.params:
            g = self.gradient[p]
            self.ev.add("param_grad", "params", g["value"], param=p, factors=[g["value"]], sources=[g["t"]],
                        formula=f"∂{o}/∂{p}", layer=0)
        lr = self.graph.learning_rate
        for e in [e for e in self.ev.items if e["kind"] == "param_grad"]:
            old = self.graph.nodes[e["param"]].value
            self.ev.add("update", "update", old - lr * e["value"], param=e["param"], old=old, grad=e["value"],
                        lr=lr, sources=[e["t"]])

    def complete(self, i: str, layer: int):
        """Node `i`'s gradient: the seed, its one contribution, or the sum of its contributions (+=)."""
        if i == self.graph.output:
            return
        terms = self.arrived[i]
        if len(terms) == 1:
            self.gradient[i] = terms[0]
            return
        running: list[float] = []
        for e in terms:  # grad += contribution, in the order they arrived
            running.append(_number(e) if not running else running[-1] + _number(e))
        total = running[-1]
        s = of(self.graph.nodes[i].symbol)
        self.gradient[i] = self.ev.add("accumulate", "back", total, target=i, terms=[e["value"] for e in terms],
                                       sources=[e["t"] for e in terms], running=running, layer=layer,
                                       formula=f"∂{self.o}/∂{s} += each of {len(terms)} contributions")

    def through(self, i: str, n: int):
        """Back through node `i`'s operation: per operand, the local gradient and the product."""
        node, o = self.graph.nodes[i], self.o
        op = node.rule
        g = _number(self.gradient[i])
        keys = op.operand_keys()
        operands: dict[str, float | str] = {k: self.values[u] for k, u in zip(keys, node.inputs)}
        operands["out"] = self.values[i]
        # in a formula a compound operand is bracketed: 2(y − t), not 2y − t
        symbols = {k: of(self.graph.nodes[u].symbol) for k, u in zip(keys, node.inputs)} | {"out": of(node.symbol)}
        if node.p is not None:
            operands["p"] = symbols["p"] = f"{node.p:g}"
        if keys == ("z",):
            operands["cmp"] = ">" if self.values[node.inputs[0]] > 0 else "≤"
        for position, (u, local) in enumerate(zip(node.inputs, local_gradients(self.graph, self.values, i))):
            if self.graph.nodes[u].kind == "constant":
                continue
            s, v = of(self.graph.nodes[u].symbol), of(node.symbol)
            edge = _edge(u, i, position, node.inputs)
            le = self.ev.add("local", "back", local, node=i, wrt=u, op=node.op, position=position, edge=edge,
                             formula=f"∂{v}/∂{s} = " + op.formulas[position].format(**symbols),
                             numbers=op.numbers[position], operands=operands, layer=n)
            me = self.ev.add("multiply", "back", g * local, target=u, factors=[g, local],
                             sources=[self.gradient[i]["t"], le["t"]], edge=edge, via=i, partial=self.uses[u] > 1,
                             formula=f"∂{o}/∂{s} {'+' if self.uses[u] > 1 else ''}= "
                                     f"∂{o}/∂{v} × ∂{v}/∂{s}", layer=n)
            self.arrived[u].append(me)
