"""engine/depth.py: the gradient's size per layer against finite differences of an independent
network, the σ′ bound, and dead ReLU units."""

import numpy as np
import pytest

from backprop.engine.depth import dead_units, depth_reason, gradient_by_layer, shrink_factors, shrinkage
from backprop.engine.presets import PRESETS
from backprop.engine.spec import load_network, parse_spec
from tests.networks import DEEP_RELU
from tests.reference_mlp import from_layer, hidden, numeric


def test_deep_sigmoid_per_layer_by_finite_differences():
    spec = PRESETS["deep-sigmoid"]
    sizes = gradient_by_layer(load_network("deep-sigmoid"))
    t = np.asarray(spec["targets"][0], float)
    for s in sizes:
        _, z = hidden(spec, 0, s.layer)
        dz = numeric(lambda v, s=s: from_layer(spec, s.layer, v, t, pre=True), z)
        assert s.grad == pytest.approx(float(np.mean(np.abs(dz))), rel=1e-6)
        y = 1 / (1 + np.exp(-z))
        assert s.local == pytest.approx(float(np.mean(y * (1 - y))), rel=1e-12)
        assert s.local <= s.local_max == 0.25
    # a chain: one step back is exactly w × σ′(z) of the layer it arrives at (w = 0.9 throughout)
    factors = shrink_factors(sizes)
    assert factors == pytest.approx([0.9 * sizes[l - 2].local for l in range(6, 1, -1)], rel=1e-9)
    assert all(f < 0.25 for f in factors)
    assert shrinkage(sizes) == pytest.approx(sizes[-1].grad / sizes[0].grad)
    assert shrinkage(sizes) > 1000  # ~5× per layer over five steps


def test_a_relu_with_negative_z_is_dead_and_passes_nothing_back():
    net = parse_spec(DEEP_RELU)
    dead = dead_units(net)
    # z₂₂ = −0.5 × 0.54 + 0.2 × 0.20 + 0.0 = −0.23 (worked by hand from the lesson's h₁ = 0.54, h₂ = 0.20)
    assert [(d.layer, d.unit, d.example) for d in dead] == [(2, 2, 0)]
    assert dead[0].z == pytest.approx(-0.23, abs=1e-9)
    t = np.asarray(DEEP_RELU["targets"][0], float)
    _, z = hidden(DEEP_RELU, 0, 2)
    dz = numeric(lambda v: from_layer(DEEP_RELU, 2, v, t, pre=True), z)
    assert dz[1] == 0.0  # nothing passes back through the dead unit
    assert dead_units(load_network("seed")) == [] and dead_units(load_network("deep-sigmoid")) == []


def test_what_vanishing_can_play():
    assert depth_reason(load_network("deep-sigmoid")) is None
    assert depth_reason(parse_spec(DEEP_RELU)) is None
    reason = depth_reason(load_network("seed"))
    assert "2 layers" in reason and "at least 3" in reason
