"""The numbers the confusions scene answers with: one path's factors (the lesson's), their product
against finite differences of the loss, and the order of the timeline's events."""

import math

import pytest
from hypothesis import given, settings

from backprop.engine.confusions import SeveralPaths, cannot_show, event_order, longest_path, one_path
from backprop.engine.params import resolve_param
from backprop.engine.spec import load_network, parse_spec
from backprop.engine.timeline import build_timeline
from tests.helpers import param_slope, random_specs


def slope(net, name, h=1e-6):
    """∂L/∂param by a central difference of the loss (no backward pass involved)."""
    return param_slope(net, *resolve_param(net, name), h)


def test_the_lessons_path_to_w12():
    """∂L/∂y = −0.391, σ′ = 0.238, w = 0.6, ReLU′ = 1, x₂ = 0.8; the product is the lesson's −0.045."""
    path = longest_path(build_timeline(load_network("seed")))
    assert path.param == "W1[1,2]"
    assert [round(f.value, 3) for f in path.factors] == [-0.391, 0.238, 0.6, 1.0, 0.8]
    assert [f.symbol for f in path.factors] == ["∂L/∂y", "σ′(z)", "W₂[1,1]", "ReLU′(z₁)", "x₂"]
    assert round(path.gradient, 3) == -0.045 and math.isclose(path.product, path.gradient, rel_tol=1e-12)
    assert math.isclose(path.total, -0.3907882631508698 + 0.23807279653439634 + 0.6 + 1.0 + 0.8, rel_tol=1e-12)
    assert math.isclose(path.gradient, slope(load_network("seed"), "W1[1,2]"), rel_tol=1e-6)


def test_a_value_that_feeds_two_units_has_two_paths():
    timeline = build_timeline(load_network("branching"))
    with pytest.raises(SeveralPaths):
        one_path(timeline, "W1[1,1]")
    assert longest_path(timeline).param.startswith("W2")


def test_a_cap_on_factors_picks_a_shorter_path():
    timeline = build_timeline(load_network("deep-sigmoid"))
    assert len(longest_path(timeline).factors) == 13
    capped = longest_path(timeline, max_factors=7)
    assert len(capped.factors) <= 7 and math.isclose(capped.product, capped.gradient, rel_tol=1e-12)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(random_specs(max_layers=3, max_units=3, max_batch=1))
def test_one_paths_product_is_the_loss_slope(spec):
    net = parse_spec(spec)
    timeline = build_timeline(net)
    path = longest_path(timeline)
    assert path is not None  # the last layer's weights always have one path
    numeric = slope(net, path.param)
    assert math.isclose(path.product, numeric, rel_tol=1e-5, abs_tol=1e-8)
    assert math.isclose(path.total, sum(f.value for f in path.factors), rel_tol=1e-12, abs_tol=1e-15)


def test_the_order_of_events_on_seed():
    order = event_order(build_timeline(load_network("seed")))
    # 8 forward values and the loss; seed … last contribution; 9 updates
    assert (order.events, order.forward, order.backward, order.updates) == (42, (1, 9), (10, 33), (34, 42))
    assert order.gradients == 9 and order.changed == 0
    # W₂[1,1]'s gradient (−0.050) is known before the backward pass multiplies by its old 0.6
    assert order.weight == "W2[1,1]" and order.known_at < order.used_at < order.updated_at
    assert order.used_value == 0.6 and round(order.new_value, 3) == round(0.6 - 0.1 * -0.050, 3) == 0.605


@settings(max_examples=30, deadline=None, derandomize=True)
@given(random_specs(max_layers=3, max_units=3, max_batch=1))
def test_every_gradient_comes_before_any_update(spec):
    net = parse_spec(spec)
    timeline = build_timeline(net)
    kinds = [e["kind"] for e in timeline.events]
    order = event_order(timeline)
    last_grad = max(i for i, k in enumerate(kinds) if k == "param_grad") + 1
    first_update = kinds.index("update") + 1
    assert last_grad < first_update and order.backward[1] == first_update - 1
    assert order.updates == (first_update, len(kinds)) and order.changed == 0
    # the weight the backward pass used had the spec's value then
    array, idx = resolve_param(net, order.weight)
    assert order.used_value == net.params()[array][idx]


def test_networks_the_confusions_cannot_show():
    assert cannot_show(load_network("seed")) is None
    batch = parse_spec({"name": "b", "inputs": [[0.5, 0.8], [0.1, 0.2]], "targets": [[1.0], [0.0]],
                        "layers": [{"units": 2, "activation": "relu"}, {"units": 1, "activation": "sigmoid"}],
                        "loss": "mse"})
    assert "batch of 2" in cannot_show(batch)
    assert longest_path(build_timeline(batch)) is None
    big = parse_spec({"name": "big", "inputs": [[0.1] * 60], "targets": [[1.0]],
                      "layers": [{"units": 40, "activation": "relu"}, {"units": 1, "activation": "sigmoid"}],
                      "loss": "mse"})
    assert "2,481 parameters" in cannot_show(big)
