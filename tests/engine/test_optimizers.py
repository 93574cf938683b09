"""Residual layers, the three optimizers and clipping by norm, against PyTorch (float64) as the oracle:
its modules, autograd, torch.optim and clip_grad_norm_ share no code with the engine."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backprop.engine.backward import backward
from backprop.engine.forward import forward
from backprop.engine.presets import PRESETS
from backprop.engine.spec import SpecError, parse_spec
from backprop.engine.training import train
from tests.helpers import run_cli
from tests.torch_reference import TORCH_ACT, torch_model, torch_training

torch = pytest.importorskip("torch")


@st.composite
def residual_specs(draw):
    """MSE networks of one width with skips on some layers: the shape a residual stack has."""
    width = draw(st.integers(1, 3))
    depth = draw(st.integers(1, 5))
    batch = draw(st.integers(1, 3))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    layers = [{"units": width, "activation": draw(st.sampled_from(list(TORCH_ACT))),
               "residual": draw(st.booleans())} for _ in range(depth)]
    return {"inputs": rng.uniform(-2, 2, (batch, width)).round(3).tolist(),
            "targets": rng.uniform(-1, 1, (batch, width)).round(3).tolist(),
            "layers": layers, "loss": "mse", "seed": draw(st.integers(0, 1000)), "learning_rate": 0.05}


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(residual_specs())
def test_residual_networks_loss_and_gradients_match_torch(spec):
    params, loss = torch_model(spec)
    value = loss()
    value.backward()
    net = parse_spec(spec)
    assert forward(net).loss == pytest.approx(value.item(), rel=1e-12, abs=1e-15)
    grads = backward(net).grads
    for n in range(len(spec["layers"])):
        assert np.allclose(grads[f"W{n + 1}"], params[2 * n].grad.numpy(), rtol=1e-10, atol=1e-13)
        assert np.allclose(grads[f"b{n + 1}"], params[2 * n + 1].grad.numpy(), rtol=1e-10, atol=1e-13)


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(residual_specs(), st.sampled_from(["sgd", "momentum", "adam"]), st.sampled_from([None, 0.05, 1.0]))
def test_training_with_each_optimizer_and_clipping_matches_torch_optim(spec, optimizer, clip):
    losses, params = torch_training(spec, 30, optimizer, clip)
    result = train(parse_spec(spec), 30, optimizer, clip)
    assert np.allclose(result.losses, losses, rtol=1e-9, atol=1e-12)
    for n in range(len(spec["layers"])):
        assert np.allclose(result.params[f"W{n + 1}"], params[2 * n], rtol=1e-9, atol=1e-12)
        assert np.allclose(result.params[f"b{n + 1}"], params[2 * n + 1], rtol=1e-9, atol=1e-12)


def test_clipping_bites_on_the_lessons_network():
    """seed's gradient norm is ~0.13: clipped to 0.01, the first step is 13× shorter than plain SGD's."""
    plain = train(parse_spec(PRESETS["seed"]), 1)
    clipped = train(parse_spec(PRESETS["seed"]), 1, clip_norm=0.01)
    norm = clipped.norms[0]
    assert norm == pytest.approx(np.sqrt(sum(float((g ** 2).sum()) for g in
                                             backward(parse_spec(PRESETS["seed"])).grads.values())))
    moved = np.concatenate([(clipped.params[k] - v).ravel() for k, v in parse_spec(PRESETS["seed"]).params().items()])
    assert np.linalg.norm(moved) == pytest.approx(0.1 * 0.01, rel=1e-4)  # η × c
    assert plain.params["W1"][0, 1] == pytest.approx(0.3045, abs=1e-4)


def test_frozen_entries_stay_put_under_every_optimizer():
    spec = {**PRESETS["seed"], "frozen": ["W1[1,2]", "b2"]}
    for optimizer in ("sgd", "momentum", "adam"):
        result = train(parse_spec(spec), 20, optimizer, 0.05)
        assert result.params["W1"][0, 1] == 0.3 and result.params["b2"][0] == 0.2
        assert result.losses[-1] < result.losses[0]


# ---- bad input ------------------------------------------------------------------------------------

def test_a_skip_around_a_layer_of_another_width_names_the_layer():
    spec = {**PRESETS["seed"], "layers": [{**PRESETS["seed"]["layers"][0], "units": 3,
                                           "weights": [[0.1, 0.2]] * 3, "bias": [0, 0, 0], "residual": True},
                                          {"units": 1, "activation": "sigmoid"}]}
    with pytest.raises(SpecError) as e:
        parse_spec(spec)
    assert e.value.field == "layers[0].residual" and "(2)" in e.value.message


@pytest.mark.parametrize("args, field", [
    (["--clip-norm", "0"], "clip-norm"), (["--clip-norm", "-1"], "clip-norm"),
    (["--clip-norm", "nan"], "clip-norm"), (["--clip-norm", "inf"], "clip-norm"),
    (["--clip-norm", "big"], "clip-norm"), (["--optimizer", "rmsprop"], "optimizer"),
])
def test_bad_optimizer_options_are_one_line_exit_2(capsys, args, field):
    code, out, err = run_cli(capsys, "train", "seed", "--steps", "3", *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and field in err


def test_train_json_says_which_optimizer_and_clip(capsys):
    import json

    code, out, _ = run_cli(capsys, "train", "seed", "--steps", "5", "--optimizer", "adam", "--clip-norm", "0.5",
                           "--json")
    doc = json.loads(out)
    assert code == 0 and doc["optimizer"] == "adam" and doc["clip_norm"] == 0.5 and len(doc["losses"]) == 6
    losses, _ = torch_training(PRESETS["seed"], 5, "adam", 0.5)
    assert np.allclose(doc["losses"], losses, rtol=1e-9)
