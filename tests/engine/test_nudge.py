"""A nudge: L(w ± ε) from real forward passes, against the lesson's network worked by hand."""

import math

import pytest

from backprop.engine.nudge import nudge
from backprop.engine.spec import SpecError, load_network


def seed_loss(w12):
    """The lesson's network written out, with w₁₂ (W₁[1,2]) free: x = (0.5, 0.8), t = 1."""
    h1 = max(0.0, 0.4 * 0.5 + w12 * 0.8 + 0.1)
    h2 = max(0.0, -0.2 * 0.5 + 0.5 * 0.8 - 0.1)
    y = 1 / (1 + math.exp(-(0.6 * h1 - 0.4 * h2 + 0.2)))
    return 0.5 * (y - 1.0) ** 2


def test_the_lessons_weight_nudged():
    n = nudge(load_network("seed"), "W1[1,2]")
    assert n.value == 0.3 and n.epsilon == 0.01
    assert n.loss == pytest.approx(seed_loss(0.3), abs=1e-15)
    assert n.loss_up == pytest.approx(seed_loss(0.31), abs=1e-15)
    assert n.loss_down == pytest.approx(seed_loss(0.29), abs=1e-15)
    assert n.gradient == pytest.approx(-0.045, abs=5e-4)  # the lesson's ∂L/∂w₁₂
    # the loss changes by about gradient × ε, in the direction the sign says
    assert n.change_up < 0 < n.change_down
    assert n.change_up == pytest.approx(n.predicted, rel=0.01)
    assert n.slope == pytest.approx(n.gradient, rel=1e-4)
    assert n.outputs_up[0][0] > n.outputs[0][0] > n.outputs_down[0][0]


def test_a_blocked_unit_does_not_move_the_loss():
    """W₁ into a unit whose ReLU is closed at ±ε: the forward passes give the same loss, gradient 0."""
    net = load_network("seed")
    net.layers[0].b[1] = -1.0  # h₂'s z well below 0
    n = nudge(net, "W1[2,1]")
    assert n.gradient == 0.0 and n.loss_up == n.loss == n.loss_down


def test_an_unknown_parameter_is_refused():
    with pytest.raises(SpecError) as e:
        nudge(load_network("seed"), "W3[1,1]")
    assert e.value.field == "param"
