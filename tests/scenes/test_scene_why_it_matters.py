"""The residual, exploding, saliency and optimizers chapters in transcript mode, each on its default
network and two more: every shown line's arithmetic true as shown (tests/arithmetic.py), time to read,
nothing under 16 px, and the numbers a student checks against independent ones (PyTorch, by hand)."""

import numpy as np
import pytest

from backprop.engine.presets import PRESETS
from backprop.scenes.catalog import unplayable
from tests.helpers import run_cli
from tests.networks import TANH_CHAIN
from tests.notation import Reader, notation_problems
from tests.arithmetic import value_of
from tests.plays import network_of, played as shared
from tests.scenes.transcript_checks import arithmetic_problems, timing_problems
from tests.torch_reference import torch_hidden_grads

RELU_SKIPS = {"name": "relu-skips", "inputs": [[0.6]], "targets": [[0.0]], "loss": "mse", "learning_rate": 0.1,
              "layers": [{"units": 1, "activation": "relu", "weights": [[0.5]], "bias": [0.1], "residual": True}
                         for _ in range(4)] + [{"units": 1, "activation": "sigmoid", "weights": [[0.7]], "bias": [0.0]}]}
TANH_EXPLODING = {"name": "tanh-exploding", "inputs": [[0.05]], "targets": [[0.0]], "loss": "mse",
                  "learning_rate": 0.1,
                  "layers": [{"units": 1, "activation": "tanh", "weights": [[2.5]], "bias": [0.0]} for _ in range(4)]
                  + [{"units": 1, "activation": "linear", "weights": [[3.0]], "bias": [0.0]}]}
WIDE_EXPLODING = {"name": "wide-exploding", "inputs": [[0.3, -0.2]], "targets": [[1.0, 0.0]], "loss": "mse",
                  "learning_rate": 0.05,
                  "layers": [{"units": 2, "activation": "linear", "weights": [[1.5, 0.6], [0.6, 1.5]], "bias": [0, 0]}
                             for _ in range(4)]}

CASES = [("residual", "deep-residual"), ("residual", TANH_CHAIN), ("residual", RELU_SKIPS),
         ("exploding", "exploding"), ("exploding", TANH_EXPLODING), ("exploding", WIDE_EXPLODING),
         ("saliency", "seed"), ("saliency", "classifier"), ("saliency", "batch"),
         ("optimizers", "seed"), ("optimizers", "classifier"), ("optimizers", "deep-sigmoid")]


@pytest.fixture(scope="module", params=CASES, ids=[f"{s}-{n if isinstance(n, str) else n['name']}" for s, n in CASES])
def played(request):
    scene, spec = request.param
    net = network_of(spec)
    assert unplayable(scene, net) is None
    return scene, spec, net, shared(scene, spec)


def test_true_as_shown_in_one_notation_readable_and_time_to_read(played):
    *_, net, data = played
    assert arithmetic_problems(data) == []
    assert notation_problems(data["items"], Reader(net)) == []  # every "∂L/∂h₁⁽⁴⁾ = …" true of that unit
    assert timing_problems(data) == []
    assert [i["text"] for i in data["items"] if i["px"] < 16 - 0.05] == []


def lines(data, role=None):
    return [line for i in data["items"] if role in (None, i["role"]) for line in i["text"].split("\n")]


def test_the_numbers_a_student_checks(played):
    scene, spec, net, data = played
    shown = lines(data)
    if scene == "residual":  # the table's |∂L/∂h| per layer, with skips and without, as autograd has them
        raw = PRESETS[spec] if isinstance(spec, str) else spec
        plain = {**raw, "layers": [{k: v for k, v in layer.items() if k != "residual"} for layer in raw["layers"]]}
        rows = [line.split("  ") for line in lines(data, "table") if line.startswith("|∂L/∂")]
        for row, with_skips, without in zip(reversed(rows), torch_hidden_grads(raw), torch_hidden_grads(plain)):
            assert value_of(row[1]) == pytest.approx(without, rel=0.06, abs=1e-12)
            assert value_of(row[2]) == pytest.approx(with_skips, rel=0.06, abs=1e-12)
        assert any("× (1 + " in line for line in shown)
    if scene == "exploding":  # the loss after one plain step: the network's own forward pass by hand
        W = [layer.W.copy() for layer in net.layers]
        b = [layer.b.copy() for layer in net.layers]

        def hand_loss(W, b):
            a = net.X
            for layer, Wl, bl in zip(net.layers, W, b):
                z = a @ Wl.T + bl
                a = {"linear": z, "tanh": np.tanh(z), "relu": np.maximum(z, 0)}[layer.activation]
            return float(0.5 * ((a - net.T) ** 2).sum())

        from backprop.engine.backward import backward  # the gradients the step uses; the step by hand
        g = backward(net).grads
        after = hand_loss([w - net.learning_rate * g[f"W{k + 1}"] for k, w in enumerate(W)],
                          [v - net.learning_rate * g[f"b{k + 1}"] for k, v in enumerate(b)])
        loss_lines = [line for line in shown if line.startswith("loss before:")]
        assert len(loss_lines) == 2
        first_after = loss_lines[0].split("after one step:")[1].strip().replace(",", "")
        assert value_of(first_after) == pytest.approx(after, rel=1e-3)
    if scene == "saliency":
        rows = [line.split("  ") for line in lines(data, "table")[1:]]
        assert len(rows) == net.X.shape[1]
        assert any(line.startswith("x′ = x + ε × sign(∂L/∂x)") for line in shown)
    if scene == "optimizers":
        rows = [line for line in lines(data, "table") if line.startswith(("gradient descent", "momentum", "Adam"))]
        assert len(rows) == 3
        sgd, momentum = rows[0].split("  "), rows[1].split("  ")
        assert sgd[1:3] == momentum[1:3]  # momentum's first step (and new value) is gradient descent's
        keys = [line for line in lines(data, "legend") if ": L = " in line]
        assert len(keys) == 3


def test_scenes_without_skips_refuse_them_with_one_line(capsys):
    code, out, err = run_cli(capsys, "render", "chain-rule", "--network", "deep-residual", "--output-dir", "/nonexistent")
    assert code == 2 and err.count("\n") == 1 and "skip connections" in err and "backward" in err


def test_the_chapters_refuse_what_they_cannot_show(capsys):
    code, _, err = run_cli(capsys, "transcript", "residual", "--network", "seed")
    assert code == 2 and "residual layers" in err
    code, _, err = run_cli(capsys, "transcript", "exploding", "--network", "deep-sigmoid")
    assert code == 2 and "does not grow" in err
