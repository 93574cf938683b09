"""Every activation the engine has, played by the scenes that show a unit's activation: each line of
arithmetic true as shown (tests/arithmetic.py, independent of the engine), and every parameter's
gradient on the network. A new record in backprop/engine/operations.py is played here without a line
of this file changing."""

import re

import numpy as np
import pytest

from backprop.engine.operations import ACTIVATIONS
from backprop.engine.spec import parse_spec
from backprop.engine.timeline import build_timeline
from backprop.output.render.transcript import transcript
from tests import oracle
from tests.arithmetic import SIGNED, value_of
from tests.scenes.transcript_checks import arithmetic_problems, final_gradient_problems, gradients_missing_from_network

NUMBER = re.compile(SIGNED)
HIDDEN = sorted(name for name, act in ACTIVATIONS.items() if act.elementwise)


def net(activation: str, depth: int = 1):
    """2 → 2 `activation` (× depth) → 1 sigmoid, one unit above its kink, one below (z₁ = 0.54, z₂ = −0.48)."""
    layers = [{"units": 2, "activation": activation, "weights": [[0.4, 0.3], [-0.2, -0.6]], "bias": [0.1, 0.1]}]
    layers += [{"units": 2, "activation": activation, "weights": [[0.9, -0.4], [0.5, 0.7]], "bias": [0.05, -0.1]}
               for _ in range(depth - 1)]
    layers.append({"units": 1, "activation": "sigmoid", "weights": [[0.7, -0.5]], "bias": [0.2]})
    return parse_spec({"name": activation, "inputs": [[0.5, 0.8]], "targets": [[1.0]], "layers": layers,
                       "loss": "mse", "learning_rate": 0.1})


@pytest.mark.slow
@pytest.mark.parametrize("activation", HIDDEN)
def test_the_backward_pass_reads_right_for_every_activation(activation):
    network = net(activation)
    data = transcript("backward", build_timeline(network), network=network)
    assert arithmetic_problems(data) == []
    assert final_gradient_problems(data) == []
    assert gradients_missing_from_network(data, network) == []
    # the units' values on screen are the reference's h = f(z), to their shown rounding
    z = np.array([0.4 * 0.5 + 0.3 * 0.8 + 0.1, -0.2 * 0.5 - 0.6 * 0.8 + 0.1])
    shown = [value_of(n) for item in data["items"] for n in NUMBER.findall(item["text"]) if "." in n]
    for h in oracle.ACTIVATIONS[activation](z):
        assert any(abs(v - h) <= 0.005 + 1e-9 for v in shown), (activation, h)


@pytest.mark.slow
@pytest.mark.parametrize("scene", ["forward", "gates", "chain-rule", "matrix-form", "vanishing"])
@pytest.mark.parametrize("activation", ["leaky-relu", "gelu"])
def test_the_scenes_that_open_a_unit_up_read_right(activation, scene):
    network = net(activation, depth=3 if scene == "vanishing" else 1)
    data = transcript(scene, build_timeline(network), network=network)
    assert arithmetic_problems(data) == []
    texts = [item["text"] for item in data["items"]]
    assert any(ACTIVATIONS[activation].display in t or ACTIVATIONS[activation].symbol in t
               or ACTIVATIONS[activation].gate in t for t in texts), texts[:10]
