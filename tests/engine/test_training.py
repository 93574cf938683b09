"""`train`: gradient descent checked against loops that share no code with the engine — a hand-written
numpy forward and backward, and plain central differences of a hand-written forward — over many steps."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from backprop.engine.presets import PRESETS
from backprop.engine.spec import SpecError, load_network, parse_spec
from backprop.engine.training import MAX_STEPS, check_steps, shown_steps, train
from tests import oracle
from tests.helpers import random_specs

# ---- an independent network, written out by hand ------------------------------------------------

def act(name, z):
    return oracle.ACTIVATIONS[name](z)


def act_slope(name, z):
    return oracle.SLOPES[name](z)


def loss_of(spec, Ws, bs, X, T):
    a = X
    for layer, W, b in zip(spec["layers"], Ws, bs):
        a = act(layer["activation"], a @ W.T + b)
    if spec["loss"] == "mse":
        per = 0.5 * ((a - T) ** 2).sum(axis=1)
    elif spec["loss"] == "cross_entropy":
        per = -(T * np.log(a)).sum(axis=1)
    else:
        per = -(T * np.log(a) + (1 - T) * np.log(1 - a)).sum(axis=1)
    return per.mean()


def weights_of(spec):
    net = parse_spec(spec)  # only to read the drawn initial weights, as plain arrays
    return [l.W.copy() for l in net.layers], [l.b.copy() for l in net.layers]


def hand_backprop(spec, Ws, bs, X, T):
    """MSE only, any elementwise activations: the textbook δ recursion, written out."""
    zs, acts = [], [X]
    for layer, W, b in zip(spec["layers"], Ws, bs):
        zs.append(acts[-1] @ W.T + b)
        acts.append(act(layer["activation"], zs[-1]))
    n = X.shape[0]
    delta = (acts[-1] - T) / n * act_slope(spec["layers"][-1]["activation"], zs[-1])
    gW, gb = [None] * len(Ws), [None] * len(Ws)
    for l in range(len(Ws) - 1, -1, -1):
        gW[l] = delta.T @ acts[l]
        gb[l] = delta.sum(axis=0)
        if l:
            delta = (delta @ Ws[l]) * act_slope(spec["layers"][l - 1]["activation"], zs[l - 1])
    return gW, gb


def fd_gradients(spec, Ws, bs, X, T, h=1e-6):
    out = []
    for arrays in (Ws, bs):
        grads = []
        for A in arrays:
            grads.append(oracle.in_place_gradient(A, lambda: loss_of(spec, Ws, bs, X, T), h))
        out.append(grads)
    return out


def descend(spec, steps, gradients):
    Ws, bs = weights_of(spec)
    X, T = np.array(spec["inputs"], float), np.array(spec["targets"], float)
    lr = spec.get("learning_rate", 0.1)
    losses = []
    for _ in range(steps):
        losses.append(loss_of(spec, Ws, bs, X, T))
        gW, gb = gradients(spec, Ws, bs, X, T)
        Ws = [W - lr * g for W, g in zip(Ws, gW)]
        bs = [b - lr * g for b, g in zip(bs, gb)]
    losses.append(loss_of(spec, Ws, bs, X, T))
    return losses, Ws, bs


def assert_same(result, losses, Ws, bs, rtol, atol):
    assert result.steps == len(losses) - 1
    assert np.allclose(result.losses, losses, rtol=rtol, atol=atol)
    for l, (W, b) in enumerate(zip(Ws, bs), start=1):
        assert np.allclose(result.params[f"W{l}"], W, rtol=rtol, atol=atol)
        assert np.allclose(result.params[f"b{l}"], b, rtol=rtol, atol=atol)


# ---- the lesson's numbers ------------------------------------------------------------------------

def test_the_lessons_first_step():
    """The lesson: L ≈ 0.0765 (½ × 0.153; unrounded 0.07636), w₁₂ = 0.3 − 0.1 × (−0.045) = 0.3045."""
    result = train(load_network("seed"), 1)
    assert result.losses[0] == pytest.approx(0.5 * (0.6092 - 1.0) ** 2, abs=1e-4)
    assert result.params["W1"][0, 1] == pytest.approx(0.3045, abs=1e-4)
    assert result.losses[1] < result.losses[0]  # forward again: the loss went down


def test_seed_against_a_hand_written_loop_over_500_steps():
    spec = PRESETS["seed"]
    losses, Ws, bs = descend(spec, 500, hand_backprop)
    result = train(load_network("seed"), 500)
    assert_same(result, losses, Ws, bs, rtol=1e-10, atol=1e-12)
    assert result.losses[-1] < result.losses[0] / 5


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(random_specs(max_layers=3, max_units=3, max_batch=3))
def test_random_mse_networks_against_the_hand_written_loop(spec):
    if spec["loss"] != "mse":
        spec = {**spec, "loss": "mse", "layers": spec["layers"][:-1] + [{"units": 2, "activation": "tanh"}],
                "targets": [[0.5, -0.25]] * len(spec["inputs"])}
    spec = {**spec, "learning_rate": 0.05}
    losses, Ws, bs = descend(spec, 200, hand_backprop)
    assert_same(train(parse_spec(spec), 200), losses, Ws, bs, rtol=1e-8, atol=1e-10)


@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(random_specs(max_layers=2, max_units=3, max_batch=2))
def test_random_networks_of_every_loss_against_finite_difference_descent(spec):
    """Every loss (cross-entropy, binary cross-entropy included): descent on central differences of a
    hand-written forward agrees with `train` over 40 steps, to the differences' own accuracy."""
    spec = {**spec, "layers": [{**l, "activation": "tanh" if l["activation"] == "relu" else l["activation"]}
                               for l in spec["layers"]]}  # no ReLU kink for the differences to straddle
    losses, Ws, bs = descend(spec, 40, lambda *a: fd_gradients(*a))
    assert_same(train(parse_spec(spec), 40), losses, Ws, bs, rtol=1e-5, atol=1e-7)


# ---- frozen parameters ---------------------------------------------------------------------------

def test_frozen_parameters_keep_their_values_and_the_rest_descend_as_by_hand():
    spec = {**PRESETS["seed"], "frozen": ["b1", "b2", "W1[1,2]"]}
    result = train(parse_spec(spec), 100)
    assert np.array_equal(result.params["b1"], [0.1, -0.1]) and np.array_equal(result.params["b2"], [0.2])
    assert result.params["W1"][0, 1] == 0.3

    def frozen_backprop(s, Ws, bs, X, T):  # the hand loop, with those gradients zeroed
        gW, gb = hand_backprop(s, Ws, bs, X, T)
        gW[0][0, 1] = 0.0
        return gW, [np.zeros_like(g) for g in gb]

    losses, Ws, bs = descend(PRESETS["seed"], 100, frozen_backprop)
    assert_same(result, losses, Ws, bs, rtol=1e-10, atol=1e-12)


# ---- limits and the short table ------------------------------------------------------------------

@pytest.mark.parametrize("steps", [-1, MAX_STEPS + 1, 2.5, True])
def test_bad_step_counts_are_refused(steps):
    with pytest.raises(SpecError) as e:
        check_steps(load_network("seed"), steps)
    assert e.value.field == "steps"


def test_work_bound_scales_with_the_network():
    big = parse_spec({"inputs": [[0.0] * 100] * 64, "targets": [[0.0] * 10] * 64, "loss": "mse",
                      "layers": [{"units": 300, "activation": "relu"}, {"units": 10, "activation": "linear"}]})
    check_steps(big, 10)
    with pytest.raises(SpecError) as e:
        check_steps(big, 15_000)
    assert "at most" in e.value.message and "steps here" in e.value.message
    assert train(load_network("seed"), 0).losses == pytest.approx([0.0763577333], abs=1e-9)


def test_shown_steps_are_first_some_last():
    assert shown_steps(0) == [0]
    assert shown_steps(3) == [0, 1, 2, 3]
    assert shown_steps(100) == [0, 1, 2, 5, 10, 20, 50, 100]
    many = shown_steps(MAX_STEPS)
    assert many[:3] == [0, 1, 2] and many[-1] == MAX_STEPS and len(many) <= 12


def test_a_diverging_learning_rate_is_named_not_the_weights():
    """Issue 23: learning rate 10 on y = w·x + b: every step overshoots further and the values overflow
    within 1,000 steps; the message named the weights and inputs ("scale the weights or inputs down")."""
    import pytest

    from backprop.engine.spec import SpecError, parse_spec
    from backprop.engine.training import train

    net = parse_spec({"inputs": [[1.0]], "targets": [[1.0]], "loss": "mse", "learning_rate": 10,
                      "layers": [{"units": 1, "activation": "linear", "weights": [[0.0]], "bias": [0.0]}]})
    with pytest.raises(SpecError) as e:
        train(net, 1000)
    assert e.value.field == "learning_rate" and "diverges" in e.value.message and "scale" not in e.value.message
