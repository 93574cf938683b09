"""engine/batch.py: each example's gradient by finite differences of an independent network on that
example alone; their mean is the batch gradient; the `batch` preset's first example is the lesson's."""

import numpy as np
import pytest
from hypothesis import given, settings

from backprop.engine.batch import REDUCTION, batch_gradient, batch_reason, default_param
from backprop.engine.presets import PRESETS
from backprop.engine.spec import load_network, parse_spec
from tests.helpers import random_specs
from tests.reference_mlp import param_gradient


def test_the_batch_preset_by_finite_differences():
    spec, net = PRESETS["batch"], load_network("batch")
    g = batch_gradient(net, "W1[1,2]")
    for n in range(3):
        assert g.per_example[n] == pytest.approx(param_gradient(spec, 1, (0, 1), examples=[n]), abs=1e-8)
    assert g.batch == pytest.approx(param_gradient(spec, 1, (0, 1)), abs=1e-8)
    assert g.per_example[0] == pytest.approx(-0.045, abs=5e-4)  # the lesson's ∂L/∂w₁₂ (example 1 is seed's)
    assert REDUCTION == "mean" and g.batch == pytest.approx(np.mean(g.per_example), abs=1e-12)
    assert default_param(net) == "W1[1,2]"


@settings(max_examples=30, deadline=None, derandomize=True)
@given(random_specs(max_layers=3, max_units=3, max_batch=4))
def test_the_mean_of_per_example_gradients_is_the_batch_gradient(spec):
    net = parse_spec(spec)
    for name in ("W1[1,1]", f"W{len(net.layers)}[1,1]"):
        g = batch_gradient(net, name)
        assert len(g.per_example) == net.X.shape[0]
        assert g.batch == pytest.approx(np.mean(g.per_example), rel=1e-9, abs=1e-12)


def test_one_example_is_no_batch():
    assert "1 example" in batch_reason(load_network("seed"))
    assert batch_reason(load_network("batch")) is None
