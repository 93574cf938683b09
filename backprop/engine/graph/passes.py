"""Forward and backward over a graph, node by node: the engine `gradients`, `check` and `train` use.

Backward visits the nodes in reverse topological order, so a node's gradient is complete (every
consumer has added its contribution, `+=`) before it passes gradient on. Numbers are numpy float64:
an overflow becomes ∞ (then a SpecError naming the line) rather than a Python exception.
"""

from __future__ import annotations

import math

import numpy as np

from backprop.engine.graph.program import where
from backprop.engine.graph.spec import Graph
from backprop.engine.labels import fmt
from backprop.engine.spec import SpecError


def forward(graph: Graph) -> dict[str, float]:
    """Every node's value, by id."""
    values: dict[str, float] = {}
    with np.errstate(all="ignore"):
        for i, node in graph.nodes.items():
            if node.kind != "result":
                values[i] = float(node.value or 0.0)  # a leaf's or constant's: always given
                continue
            v = float(node.rule.forward(*(np.float64(values[u]) for u in node.inputs), node.p))
            if not math.isfinite(v):
                operands = ", ".join(f"{graph.nodes[u].symbol} = {fmt(values[u])}" for u in node.inputs)
                raise SpecError(where(node.line, node.column),
                                f"'{node.symbol}' is not a finite number ({node.rule.name} of {operands})")
            values[i] = v
    return values


def local_gradients(graph: Graph, values: dict[str, float], i: str) -> tuple[float, ...]:
    """∂node/∂operand for each operand of node `i`, from its operation's rule."""
    node = graph.nodes[i]
    with np.errstate(all="ignore"):
        return tuple(float(g) for g in node.rule.local(tuple(np.float64(values[u]) for u in node.inputs),
                                                          np.float64(values[i]), node.p))


def backward(graph: Graph, values: dict[str, float] | None = None) -> dict[str, float]:
    """∂output/∂node for every node but the program's numbers (constants), by id."""
    values = values if values is not None else forward(graph)
    grads: dict[str, float] = {graph.output: 1.0}
    for i in reversed(graph.order):
        node = graph.nodes[i]
        if node.kind != "result":
            continue
        g = grads[i]
        for u, local in zip(node.inputs, local_gradients(graph, values, i)):
            if graph.nodes[u].kind == "constant":
                continue
            grads[u] = grads[u] + g * local if u in grads else g * local
    if not all(math.isfinite(g) for g in grads.values()):
        raise SpecError("graph", "the gradients overflow (beyond ±1e308); use smaller values")
    return {i: grads[i] for i in graph.order if i in grads}
