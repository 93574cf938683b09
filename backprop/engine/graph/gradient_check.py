"""The finite-difference check of a graph: every leaf nudged, the output's slope against backprop's.

The same five-point stencil, tolerance and verdicts as a network's check (backprop.engine.gradient_check),
so `backprop check` words both alike: a nudge that moves some ReLU's input across 0 is a kink, a
difference within the output's rounding error is inconclusive.
"""

from __future__ import annotations

from backprop.engine.gradient_check import STEP, CheckResult
from backprop.engine.graph.passes import backward, forward
from backprop.engine.graph.ops import function_name
from backprop.engine.graph.spec import Graph
from backprop.engine.operations import ACTIVATIONS
from backprop.engine.spec import SpecError

MAX_CHECK_WORK = 2_000_000  # leaves × nodes: four forward passes per leaf


def _relu_signs(graph: Graph, values: dict[str, float]) -> list[bool]:
    """Which side of its kink each kinked activation's input is (ReLU: > 0)."""
    kinks = {function_name(name): act.kink for name, act in ACTIVATIONS.items() if act.kink is not None}
    return [values[n.inputs[0]] > kinks[n.op] for n in graph.nodes.values() if n.op in kinks]


def graph_check(graph: Graph) -> CheckResult:
    leaves = graph.leaves
    if len(leaves) * len(graph.nodes) > MAX_CHECK_WORK:
        raise SpecError("graph", f"check would run {4 * len(leaves):,} forward passes of {len(graph.nodes):,} "
                                 "nodes; check a smaller graph")
    values = forward(graph)
    grads = backward(graph, values)
    signs = _relu_signs(graph, values)
    # the output's rounding error: eps × the sizes of the values it is computed from
    magnitude = sum(abs(v) for v in values.values())
    result = CheckResult(loss_magnitude=magnitude)
    for leaf in leaves:
        original = values[leaf]
        h = STEP * max(1.0, abs(original))
        outputs: list[float] = []
        for k in (2, 1, -1, -2):
            try:
                after = forward(graph.with_leaves({leaf: original + k * h}))
            except SpecError:  # the nudge left the function's domain (log of a value near 0): a kink too
                break
            if _relu_signs(graph, after) != signs:
                break
            outputs.append(after[graph.output])
        result.compare(leaf, outputs if len(outputs) == 4 else None, h, float(grads[leaf]))
    return result


def gradients_document(graph: Graph) -> dict:
    """`backprop gradients GRAPH --json`: the output's value, every named value and its gradient."""
    values = forward(graph)
    grads = backward(graph, values)
    return {
        "network": graph.name,
        "output": graph.output,
        "value": values[graph.output],
        "values": {name: values[name] for name in graph.named},
        "gradients": {name: grads[name] for name in graph.named},
        "params": graph.params,
        "learning_rate": graph.learning_rate,
        "updated": {p: values[p] - graph.learning_rate * grads[p] for p in graph.params},
    }
