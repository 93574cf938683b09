"""Gradient descent on a graph: its `params` moved against their gradients, the output as the loss."""

from __future__ import annotations

import numpy as np

from backprop.engine.graph.passes import backward, forward
from backprop.engine.graph.spec import Graph
from backprop.engine.spec import SpecError
from backprop.engine.training import MAX_STEPS, Training

MAX_GRAPH_WORK = 2_000_000  # steps × nodes: a few seconds (benchmarks/graph_bench.py)


def check_graph_steps(graph: Graph, steps: int, field: str = "steps") -> None:
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise SpecError(field, f"expected a whole number of steps from 0 to {MAX_STEPS:,}, got {steps}")
    if steps > MAX_STEPS:
        raise SpecError(field, f"at most {MAX_STEPS:,} (a lecture's loss curve needs hundreds), got {steps:,}")
    if not graph.params:
        raise SpecError("graph.params", "train moves the graph's parameters; list them (as in \"params\": [\"a\"])")
    if steps * len(graph.nodes) > MAX_GRAPH_WORK:
        most = max(1, MAX_GRAPH_WORK // len(graph.nodes))
        raise SpecError(field, f"{steps:,} steps of {len(graph.nodes):,} nodes is more than {MAX_GRAPH_WORK:,} "
                               f"node visits (a few seconds); at most {most:,} steps here")


def train_graph(graph: Graph, steps: int) -> Training:
    """`steps` steps of w ← w − η·∂output/∂w over the params; losses[k] is the output before step k+1."""
    check_graph_steps(graph, steps)
    current, losses = graph, []
    for _ in range(steps):
        values = forward(current)
        losses.append(values[graph.output])
        grads = backward(current, values)
        current = current.with_leaves({p: values[p] - graph.learning_rate * grads[p] for p in graph.params})
    losses.append(forward(current)[graph.output])
    final = forward(current)
    return Training(losses, {p: np.array(final[p]) for p in graph.params}, graph.learning_rate)
