"""engine/branch_sum.py: a fork's contributions, their sum and the overwritten value, against the lesson's
hand-worked numbers and finite differences of an independent numpy network."""

import numpy as np
import pytest
from hypothesis import given, settings

from backprop.engine.branch_sum import fork_reason, forks
from backprop.engine.presets import PRESETS
from backprop.engine.spec import load_network, parse_spec
from tests.helpers import random_specs
from tests.reference_mlp import from_layer, hidden, numeric


def test_seed_x1_as_the_lesson_works_it():
    """x₁ feeds h₁ and h₂: −0.056 × 0.4 and 0.037 × (−0.2) (the lesson's ∂L/∂z₁₁, ∂L/∂z₁₂ and W₁)."""
    x1 = next(f for f in forks(load_network("seed")) if f.node == "x1")
    assert x1.layer == 1
    assert x1.contributions == pytest.approx([-0.0558 * 0.4, 0.0372 * -0.2], abs=2e-4)
    assert x1.right == pytest.approx(-0.0558 * 0.4 + 0.0372 * -0.2, abs=2e-4)
    assert x1.overwritten == pytest.approx(0.0372 * -0.2, abs=1e-4)  # the last one: from h₂
    assert x1.off_by == pytest.approx(0.0558 * 0.4, abs=2e-4)  # what was lost: h₁'s contribution


def test_branching_h1_against_finite_differences():
    spec = PRESETS["branching"]
    h1 = next(f for f in forks(load_network("branching")) if f.node == "h1_1")
    h, _ = hidden(spec, 0, 1)
    t = np.asarray(spec["targets"][0], float)
    assert h1.right == pytest.approx(numeric(lambda v: from_layer(spec, 1, v, t), h)[0], abs=1e-7)
    # each contribution: ∂L/∂z₂ₖ (finite differences at layer 2's pre-activations) × W₂[k,1]
    _, z2 = hidden(spec, 0, 2)
    dz = numeric(lambda v: from_layer(spec, 2, v, t, pre=True), z2)
    w = np.asarray(spec["layers"][1]["weights"])
    assert h1.contributions == pytest.approx(list(dz * w[:, 0]), abs=1e-7)
    assert h1.overwritten == pytest.approx(dz[-1] * w[-1, 0], abs=1e-7)
    assert h1.off_by == pytest.approx(-dz[0] * w[0, 0], abs=1e-7)
    assert h1.off_by != pytest.approx(0.0, abs=1e-3)  # the bug is visible here


@settings(max_examples=40, deadline=None, derandomize=True)
@given(random_specs(max_layers=3, max_units=3, max_batch=3))
def test_every_fork_on_random_networks(spec):
    net = parse_spec(spec)
    found = forks(net)
    assert (fork_reason(net) is None) == bool(found)
    for f in found:
        assert len(f.contributions) == net.layers[f.layer - 1].units >= 2
        assert f.right == pytest.approx(sum(f.contributions), rel=1e-9, abs=1e-12)
        assert f.overwritten == f.contributions[-1]


def test_no_fork_on_a_chain():
    assert forks(load_network("deep-sigmoid")) == []
    assert "every layer has one unit" in fork_reason(load_network("deep-sigmoid"))
