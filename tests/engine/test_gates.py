"""Op-level events inside a unit (backprop.engine.gates) against the lesson's numbers, numpy, and
finite differences of each gate on its own."""

import math

import numpy as np
import pytest
from hypothesis import given, settings

from backprop.engine.gates import unit_gates
from backprop.engine.spec import load_network, parse_spec
from backprop.engine.timeline import build_timeline
from tests import oracle
from tests.helpers import random_specs


def by_node(events, kind):
    return {e["node"]: e for e in events if e["kind"] == kind}


def test_the_lessons_h1_op_by_op():
    tl = build_timeline(load_network("seed"))
    gates = unit_gates(tl, 1, 1)
    fwd, back = by_node(gates, "gate"), by_node(gates, "gate_grad")
    # forward: 0.4 × 0.5 = 0.2, 0.3 × 0.8 = 0.24, z₁ = 0.2 + 0.24 + 0.1 = 0.54, ReLU passes it
    assert [round(fwd[k]["value"], 6) for k in ("W1[1,1]*x1", "W1[1,2]*x2", "z1_1", "h1_1")] == [0.2, 0.24, 0.54, 0.54]
    # backward: ReLU routes −0.056; the add gate hands −0.056 to each input; the multiply gate swaps
    assert back["z1_1"]["rule"] == "routes" and round(back["z1_1"]["value"], 3) == -0.056
    assert all(round(back[k]["value"], 3) == -0.056 for k in ("W1[1,1]*x1", "W1[1,2]*x2", "b1[1]"))
    assert round(back["W1[1,2]"]["value"], 3) == -0.045 and back["W1[1,2]"]["factors"][1] == 0.8  # ∂/∂w = x
    assert round(back["x2"]["value"], 3) == -0.017 and back["x2"]["factors"][1] == 0.3  # ∂/∂x = w
    # the section continues the timeline's numbering, and each gradient is the timeline's own number
    assert gates[0]["t"] == len(tl.events) and [g["t"] for g in gates] == list(range(len(tl.events), len(tl.events) + len(gates)))
    for g in gates:
        if g.get("same_as") is not None:
            assert tl.events[g["same_as"]]["value"] == g["value"]


def test_sources_cite_what_came_before():
    tl = build_timeline(load_network("branching"))
    gates = unit_gates(tl, 1, 2)
    every = {e["t"]: e for e in tl.events + gates}
    for g in gates:
        for s, f in zip(g["sources"], g.get("factors", [])):
            if s is not None:
                assert s < g["t"] and every[s]["value"] == f


@pytest.mark.parametrize("preset,layer,unit,rule", [("seed", 2, 1, "scales"), ("classifier", 2, 2, "fused"),
                                                    ("classifier", 1, 3, "scales"), ("deep-sigmoid", 3, 1, "scales")])
def test_activation_gates(preset, layer, unit, rule):
    tl = build_timeline(load_network(preset))
    back = by_node(unit_gates(tl, layer, unit), "gate_grad")
    z = f"z{layer}_{unit}"
    assert back[z]["rule"] == rule


@settings(max_examples=40, deadline=None, derandomize=True)
@given(random_specs(max_layers=3, max_units=3, max_batch=2))
def test_random_units_by_numpy_and_finite_differences(spec):
    net = parse_spec(spec)
    tl = build_timeline(net)
    layer = len(net.layers)  # the output layer's first unit, and layer 1's first unit
    for l in sorted({1, layer}):
        for example in range(net.X.shape[0]):
            gates = unit_gates(tl, l, 1, example)
            fwd, back = by_node(gates, "gate"), by_node(gates, "gate_grad")
            a = net.X[example]
            for k in range(1, l):  # a hand-written forward pass to the unit's inputs
                a = oracle.ACTIVATIONS[net.layers[k - 1].activation](net.layers[k - 1].W @ a + net.layers[k - 1].b)
            W, b = net.layers[l - 1].W[0], net.layers[l - 1].b[0]
            products = [e for e in gates if e["kind"] == "gate" and e["op"] == "multiply"]
            assert np.allclose([p["value"] for p in products], W * a, rtol=1e-12, atol=1e-15)
            assert math.isclose(fwd[f"z{l}_1"]["value"], float(W @ a + b), rel_tol=1e-9, abs_tol=1e-12)
            # each multiply gate's local gradients by a finite difference of w·x alone
            h = 1e-6
            for p in products:
                w, x = p["factors"]
                d_w = oracle.slope(lambda v, x=x: v * x, w, h)
                d_x = oracle.slope(lambda v, w=w: w * v, x, h)
                upstream = back[p["node"]]["value"]
                w_name, src = p["inputs"]
                assert math.isclose(back[w_name]["value"], upstream * d_w, rel_tol=1e-6, abs_tol=1e-12)
                assert math.isclose(back[src]["value"], upstream * d_x, rel_tol=1e-6, abs_tol=1e-12)
                assert upstream == back[f"z{l}_1"]["value"]  # the add gate passes it on unchanged
