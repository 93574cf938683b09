"""The lesson's worked example (backprop-lesson.md), the preset `seed`, number by number."""

import math

import pytest

from backprop.engine.backward import backward, update
from backprop.engine.forward import forward
from backprop.engine.spec import load_network

# The lesson's gradient table, to 3 decimals as printed there.
LESSON_TABLE = {
    "W1": [[-0.028, -0.045], [0.019, 0.030]],
    "b1": [-0.056, 0.037],
    "W2": [[-0.050, -0.019]],
    "b2": [-0.093],
}


def by_hand():
    """The lesson's computation, written out with scalars and math.exp: independent of the engine."""
    x1, x2, t = 0.5, 0.8, 1.0
    z11 = 0.4 * x1 + 0.3 * x2 + 0.1
    z12 = -0.2 * x1 + 0.5 * x2 - 0.1
    h1, h2 = max(0.0, z11), max(0.0, z12)
    z2 = 0.6 * h1 - 0.4 * h2 + 0.2
    y = 1 / (1 + math.exp(-z2))
    dy = y - t
    dz2 = dy * y * (1 - y)
    dh1, dh2 = dz2 * 0.6, dz2 * -0.4
    dz11, dz12 = dh1 * (z11 > 0), dh2 * (z12 > 0)
    return {
        "z1": [z11, z12], "h": [h1, h2], "z2": z2, "y": y, "L": 0.5 * (y - t) ** 2,
        "W1": [[dz11 * x1, dz11 * x2], [dz12 * x1, dz12 * x2]], "b1": [dz11, dz12],
        "W2": [[dz2 * h1, dz2 * h2]], "b2": [dz2],
    }


@pytest.fixture(scope="module")
def seed():
    net = load_network("seed")
    fwd = forward(net)
    return net, fwd, backward(net, fwd).grads


def test_forward_values_match_the_lesson(seed):
    _, fwd, _ = seed
    assert [round(v, 2) for v in fwd.z[1][0]] == [0.54, 0.20]
    assert [round(v, 2) for v in fwd.a[1][0]] == [0.54, 0.20]
    assert round(fwd.z[2][0, 0], 3) == 0.444
    assert round(fwd.y[0, 0], 3) == 0.609
    # The lesson prints 0.0765 = ½ × 0.153 (rounded before halving); unrounded it is 0.07636.
    assert fwd.loss == pytest.approx(0.5 * 0.391**2, abs=5e-4)
    assert fwd.loss == pytest.approx(by_hand()["L"], rel=1e-12)


def test_every_number_in_the_gradient_table(seed):
    _, _, grads = seed
    for name, rows in LESSON_TABLE.items():
        flat = [v for row in rows for v in (row if isinstance(row, list) else [row])]
        got = [round(float(v), 3) for v in grads[name].ravel()]
        assert got == flat, name


def test_gradients_at_full_precision_against_the_hand_computation(seed):
    _, _, grads = seed
    hand = by_hand()
    for name in LESSON_TABLE:
        flat = [v for row in hand[name] for v in (row if isinstance(row, list) else [row])]
        assert grads[name].ravel().tolist() == pytest.approx(flat, rel=1e-12)


def test_the_intermediate_steps(seed):
    net, fwd, _ = seed
    bwd = backward(net, fwd)
    assert round(bwd.upstream[2][0, 0], 3) == -0.391  # ∂L/∂y
    assert round(bwd.delta[2][0, 0], 3) == -0.093  # ∂L/∂z₂
    assert [round(v, 3) for v in bwd.upstream[1][0]] == [-0.056, 0.037]  # ∂L/∂h
    assert [round(v, 3) for v in bwd.upstream[0][0]] == [-0.030, 0.002]  # ∂L/∂x (storyboard beat 9)


def test_weight_update_preview(seed):
    net, _, grads = seed
    new = update(net, grads)
    assert round(new["W1"][0, 1], 4) == 0.3045  # w₁₂: 0.3 − 0.1 × (−0.045)
    assert net.layers[0].W[0, 1] == 0.3  # the update returns new arrays; the network is unchanged
