"""The chain rule along paths (backprop.engine.chain_rule) against the lesson's hand-worked numbers and
finite differences of a hand-written forward pass."""

import math

import numpy as np
import pytest
from hypothesis import given, settings

from backprop.engine.params import element_names
from backprop.engine.chain_rule import chain_rule, why_multiply
from backprop.engine.spec import load_network, parse_spec
from backprop.engine.timeline import build_timeline
from tests import oracle
from tests.helpers import random_specs


def numeric_loss(spec: dict, name: str, h: float) -> float:
    """A hand-written forward pass (no engine code) with parameter `name` shifted by h: the batch mean."""
    acts = oracle.ACTIVATIONS
    net = parse_spec(spec)  # only for the drawn weights; the arithmetic below is ours
    a = np.array(net.X, dtype=float)
    array, index = name.split("[")[0], tuple(int(k) - 1 for k in name[name.index("[") + 1:-1].split(","))
    for l, layer in enumerate(net.layers, start=1):
        W, b = layer.W.copy(), layer.b.copy()
        if array == f"W{l}":
            W[index] += h
        if array == f"b{l}":
            b[index] += h
        a = acts[layer.activation](a @ W.T + b)
    T = np.array(net.T)
    if net.loss == "mse":
        per = 0.5 * ((a - T) ** 2).sum(axis=1)
    elif net.loss == "cross_entropy":
        per = -(T * np.log(a)).sum(axis=1)
    else:
        per = -(T * np.log(a) + (1 - T) * np.log(1 - a)).sum(axis=1)
    return float(per.mean())


def test_the_lessons_path_to_w12():
    """∂L/∂w₁₂ = ∂L/∂y × σ′(z) × w × ReLU′(z₁) × x₂ = −0.391 × 0.238 × 0.6 × 1 × 0.8 = −0.045."""
    tl = build_timeline(load_network("seed"))
    rule = chain_rule(tl, "W1[1,2]")
    assert len(rule.paths) == 1
    path = rule.paths[0]
    assert [f.kind for f in path.factors] == ["seed", "local", "weight", "local", "input"]
    assert [round(f.value, 3) for f in path.factors] == [-0.391, 0.238, 0.6, 1.0, 0.8]
    assert [round(r, 3) for r in path.running] == [-0.391, -0.093, -0.056, -0.056, -0.045]
    # on one path the running product is the timeline's own events, bit for bit
    assert path.events[-1] == rule.gradient and path.product == tl.events[rule.gradient]["value"]
    assert all(t is not None for t in path.events)
    assert path.edges == ["y1->L", "z2_1->y1", "W2[1,1]", "z1_1->h1_1", "W1[1,2]"]


def test_a_bias_path_ends_in_one():
    rule = chain_rule(build_timeline(load_network("seed")), "b1[2]")
    assert rule.paths[0].factors[-1].kind == "bias" and rule.paths[0].factors[-1].value == 1.0
    assert round(rule.paths[0].product, 3) == 0.037


@pytest.mark.parametrize("preset,param,count", [("branching", "W1[1,2]", 2), ("classifier", "W1[2,1]", 3),
                                                ("deep-sigmoid", "W1[1,1]", 1)])
def test_paths_add_up_to_the_finite_difference(preset, param, count):
    from backprop.engine.presets import PRESETS
    tl = build_timeline(load_network(preset))
    rule = chain_rule(tl, param)
    assert len(rule.paths) == count
    h = 1e-6
    numeric = oracle.slope(lambda d: numeric_loss(PRESETS[preset], param, d), 0.0, h)
    assert math.isclose(rule.total, numeric, rel_tol=1e-5, abs_tol=1e-9)
    for p in rule.paths:  # each product is its factors' product
        assert math.isclose(p.product, math.prod(f.value for f in p.factors), rel_tol=1e-12, abs_tol=1e-300)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(random_specs(max_layers=3, max_units=3, max_batch=3))
def test_random_networks_paths_sum_to_the_gradient(spec):
    tl = build_timeline(parse_spec(spec))
    net = parse_spec(spec)
    h = 1e-6
    for param in element_names(net)[:4]:
        n = tl.network["examples"]
        shares = [chain_rule(tl, param, k).total for k in range(n)]
        numeric = oracle.slope(lambda d, param=param: numeric_loss(spec, param, d), 0.0, h)
        assert math.isclose(sum(shares), numeric, rel_tol=1e-4, abs_tol=1e-7), param
        rule = chain_rule(tl, param)
        assert math.isclose(rule.total, tl.events[rule.gradient]["value"], rel_tol=1e-9, abs_tol=1e-15)
        if n > 1:
            assert math.isclose(tl.events[rule.batch]["value"], sum(shares), rel_tol=1e-9, abs_tol=1e-15)


def test_why_multiply_runs_the_nudge_forward():
    """f = 2x, g = 3f: a nudge δ = 0.01 in x changes f by 0.02 and g by 0.06 = 6δ."""
    n = why_multiply()
    assert math.isclose(n.f_change, 0.02, rel_tol=1e-9) and math.isclose(n.g_change, 0.06, rel_tol=1e-9)
    assert n.slope == 6.0 and n.delta == 0.01
