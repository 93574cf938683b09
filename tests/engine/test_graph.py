"""Graph specs: published figures, the fan-out rule, the lesson's network as a graph, random programs
against PyTorch (float64), and the timeline's invariants."""

import math

import pytest
from hypothesis import given, settings, strategies as st

from backprop.engine.backward import backward as layer_backward
from backprop.engine.graph.gradient_check import graph_check, gradients_document
from backprop.engine.graph.passes import backward, forward
from backprop.engine.graph.presets import GRAPH_PRESETS
from backprop.engine.graph.training import train_graph
from backprop.engine.spec import load_network, parse_spec
from backprop.engine.timeline import Timeline, build_timeline
from tests.graph_programs import random_program
from tests.helpers import check_invariants


def graph(program, values, **more):
    return parse_spec({"name": "g", "graph": {"values": values, "program": program, **more}})


def test_cs231n_figure():
    """CS231n's f = (x + y)·z at x = −2, y = 5, z = −4: q = 3, f = −12, ∂f/∂x = ∂f/∂y = −4, ∂f/∂z = 3."""
    doc = gradients_document(graph("q = x + y\nf = q * z", {"x": -2, "y": 5, "z": -4}))
    assert doc["value"] == -12 and doc["values"]["q"] == 3
    assert doc["gradients"] == {"x": -4, "y": -4, "z": 3, "q": -4, "f": 1}


def test_karpathy_L():
    """micrograd's L = (a·b + c)·f: L = −8, grads a 6, b −4, c −2, f 4, e −2, d −2."""
    doc = gradients_document(load_network("micrograd"))
    assert doc["value"] == -8.0
    assert doc["gradients"] == {"a": 6, "b": -4, "c": -2, "f": 4, "e": -2, "d": -2, "L": 1}


def test_karpathy_tanh_neuron():
    """His neuron: o = 0.7071; ∂o/∂n = 0.5, x₁ −1.5, w₁ 1.0, x₂ 0.5, w₂ 0.0, b 0.5."""
    doc = gradients_document(load_network("neuron"))
    assert doc["value"] == pytest.approx(0.7071, abs=1e-4)
    expected = {"n": 0.5, "x1w1x2w2": 0.5, "x1w1": 0.5, "x2w2": 0.5, "x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0,
                "b": 0.5, "o": 1.0}
    assert doc["gradients"] == pytest.approx(expected, abs=1e-12)


def test_lesson_graph_has_the_lessons_nine_gradients():
    """lesson-graph is seed written as a program: its nine parameters' gradients are the network's."""
    doc = gradients_document(load_network("lesson-graph"))
    seed = load_network("seed")
    g = layer_backward(seed).grads
    names = {"w11": g["W1"][0, 0], "w12": g["W1"][0, 1], "w21": g["W1"][1, 0], "w22": g["W1"][1, 1],
             "b11": g["b1"][0], "b12": g["b1"][1], "v1": g["W2"][0, 0], "v2": g["W2"][0, 1], "b2": g["b2"][0]}
    for name, value in names.items():
        assert doc["gradients"][name] == pytest.approx(float(value), rel=1e-12, abs=1e-15), name
    # and the lesson's rounded figures
    shown = {k: round(doc["gradients"][k], 3) for k in names}
    assert shown == {"w11": -0.028, "w12": -0.045, "w21": 0.019, "w22": 0.030, "b11": -0.056, "b12": 0.037,
                     "v1": -0.050, "v2": -0.019, "b2": -0.093}
    assert round(doc["value"], 4) == 0.0764


def test_fan_out_b_equals_a_plus_a():
    """b = a + a: two contributions of 1 each, summed: ∂b/∂a = 2 (with = instead of +=, 1)."""
    g = graph("b = a + a", {"a": 3.0})
    assert backward(g)["a"] == 2.0
    tl = build_timeline(g)
    acc = tl.of_kind("accumulate")
    assert len(acc) == 1 and acc[0]["target"] == "a" and acc[0]["terms"] == [1.0, 1.0] and acc[0]["value"] == 2.0
    assert acc[0]["running"] == [1.0, 2.0]
    assert [e["edge"] for e in tl.of_kind("multiply")] == ["a->b[1]", "a->b[2]"]
    assert all(e["partial"] for e in tl.of_kind("multiply"))


def test_a_value_used_by_three_operations():
    """y = a·x + a² + tanh(a) at a = 0.5, x = 3: ∂y/∂a = x + 2a + (1 − tanh²a), three contributions."""
    a, x = 0.5, 3.0
    g = graph("p = a * x\nq = a ** 2\nr = tanh(a)\ny = p + q + r", {"a": a, "x": x})
    tl = build_timeline(g)
    (acc,) = [e for e in tl.of_kind("accumulate") if e["target"] == "a"]
    assert acc["terms"] == pytest.approx([1 - math.tanh(a) ** 2, 2 * a, x], rel=1e-15)  # arrival order: r, q, p
    assert acc["value"] == pytest.approx(x + 2 * a + 1 - math.tanh(a) ** 2, rel=1e-15)
    assert acc["running"][-1] == acc["value"] and len(acc["running"]) == 3
    check_invariants_graph(tl, g)


def check_invariants_graph(tl, g):
    """The layers' invariants (products, sums, sources), every `+=` running sum, and the walk's
    gradients equal to the engine's."""
    grads = backward(g)
    check_invariants(tl, {})
    for e in tl.of_kind("accumulate"):
        total = 0.0
        for term, running in zip(e["terms"], e["running"]):
            total += term
            assert running == total
    final = {}
    for e in tl.events:
        if e["kind"] in ("multiply", "accumulate"):
            final[e["target"]] = e["value"]  # the last event about a node is its gradient
    for node, value in final.items():
        assert value == grads[node], node
    # forward in topological order, backward in reverse: nothing used before it is made
    seen = set()
    for e in tl.of_kind("forward"):
        node = next(n for n in tl.nodes if n["id"] == e["node"])
        assert all(u in seen for u in node["inputs"])
        seen.add(e["node"])
    assert Timeline.from_json(tl.to_json()) == tl


@pytest.mark.parametrize("preset", list(GRAPH_PRESETS))
def test_timeline_invariants_on_presets(preset):
    g = load_network(preset)
    tl = build_timeline(g)
    assert tl.granularity == "graph" and tl.network["output"] == g.output
    check_invariants_graph(tl, g)
    assert {e["param"] for e in tl.of_kind("param_grad")} == set(g.params)


@pytest.mark.parametrize("preset", list(GRAPH_PRESETS))
def test_check_passes_on_presets(preset):
    result = graph_check(load_network(preset))
    assert result.ok and result.checked + len(result.kinks) == len(load_network(preset).leaves)


def test_readable_names():
    g = graph("L = (a * b + c) * f", {"a": 1, "b": 2, "c": 3, "f": 4})
    assert [n.symbol for n in g.nodes.values()] == ["a", "b", "c", "f", "a·b", "a·b + c", "L"]
    g = graph("L = 0.5 * (y - t) ** 2", {"y": 0.6, "t": 1.0})
    assert [n.symbol for n in g.nodes.values()][2:] == ["0.5", "y − t", "(y − t)²", "L"]
    g = graph("z = a * b + a * b", {"a": 1, "b": 2})  # the same sub-expression twice: two nodes
    assert [n.symbol for n in g.nodes.values()][2:4] == ["a·b", "a·b′"]
    g = graph("z = w1 * x1", {"w1": 1, "x1": 2})
    assert [n.symbol for n in g.nodes.values()] == ["w₁", "x₁", "z"]


def test_train_lowers_the_output():
    g = load_network("lesson-graph")
    result = train_graph(g, 100)
    assert result.losses[-1] < result.losses[0] / 2
    # the first step is gradient descent on the engine's gradients
    grads = backward(g)
    after = forward(g.with_leaves({p: g.nodes[p].value - g.learning_rate * grads[p] for p in g.params}))
    assert result.losses[1] == after["L"]


# ---- random programs against PyTorch (float64) --------------------------------------------------


TORCH_OPS = {"neg": lambda torch, x, y, p: -x, "tanh": lambda torch, x, y, p: torch.tanh(x),
             "sigmoid": lambda torch, x, y, p: torch.sigmoid(x), "relu": lambda torch, x, y, p: torch.relu(x),
             "exp_small": lambda torch, x, y, p: torch.exp(torch.tanh(x)),
             "log_pos": lambda torch, x, y, p: torch.log(x ** 2 + 1), "square": lambda torch, x, y, p: x ** 2,
             "pow": lambda torch, x, y, p: (x ** 2 + 1) ** p, "add": lambda torch, x, y, p: x + y,
             "sub": lambda torch, x, y, p: x - y, "mul": lambda torch, x, y, p: x * y,
             "div_pos": lambda torch, x, y, p: x / (y ** 2 + 1)}


def torch_gradients(values, steps):
    torch = pytest.importorskip("torch")
    env = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in values.items()}
    for name, op, a, b, p in steps:
        if op == "sum":
            r = env[a[0]]
            for other in a[1:]:
                r = r + env[other]
            env[name] = r
            continue
        env[name] = TORCH_OPS[op](torch, env[a], env.get(b), p)
    out = env[steps[-1][0]]
    for t in env.values():
        t.retain_grad()
    out.backward()
    return float(out.detach()), {k: (float(t.grad) if t.grad is not None else 0.0) for k, t in env.items()}


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**6))
def test_random_programs_against_pytorch(seed):
    program, values, steps = random_program(seed)
    g = graph(program, values)
    doc = gradients_document(g)
    value, grads = torch_gradients(values, steps)
    assert doc["value"] == pytest.approx(value, rel=1e-12, abs=1e-14)
    for name in g.named:
        assert doc["gradients"][name] == pytest.approx(grads[name], rel=1e-10, abs=1e-12), (program, name)
    check_invariants_graph(build_timeline(g), g)


def test_the_docs_graph_examples():
    """docs/spec.md's graph examples are real specs: micrograd's L and CS231n's figure."""
    import json
    import re
    import tomllib
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "spec.md").read_text()
    section = doc.split("## Graph spec", 1)[1]
    micro = parse_spec(json.loads(re.search(r"```json\n(.*?)```", section, re.S).group(1)))
    assert backward(micro)["a"] == 6 and backward(micro)["b"] == -4
    cs231n = parse_spec(tomllib.loads(re.search(r"```toml\n(.*?)```", section, re.S).group(1)))
    assert backward(cs231n) == {"x": -4, "y": -4, "z": 3, "q": -4, "f": 1}
