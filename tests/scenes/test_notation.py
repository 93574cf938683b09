"""One notation, checked the way a student would: every "symbol = number" and "∂L/∂symbol = … = number"
on screen is read by the README's Notation rule (tests/notation.py, no backprop.engine.labels) and
compared with tests/reference_mlp.py; no unit symbol holds a vector; and every "=" / "≈" line passes
the calculator rule (tests/arithmetic.py). On the lesson's network and the kinds the issue names: a
batch of 3, saturated sigmoids, a 2-2-2 sigmoid net, a tanh chain. The whole lecture's transcript is
read the same way in tests/output/test_lecture_story.py, which plays it once for all its tests."""

import pytest

from backprop.engine.presets import PRESETS
from backprop.engine.spec import load_network, parse_spec
from tests.notation import Reader, notation_problems
from tests.plays import played
from tests.scenes.transcript_checks import arithmetic_problems

NETWORKS = {
    "seed": PRESETS["seed"],
    "batch": PRESETS["batch"],
    # y = σ(5.6 h₁ + 0.1) ≈ 0.9968: 1 − y is the whole story, and ∂L/∂W₁ is near 10⁻⁵
    "saturated": {"name": "saturated", "inputs": [[2.0, 1.5]], "targets": [[1.0]], "loss": "mse",
                  "layers": [{"units": 1, "activation": "sigmoid", "weights": [[2.0, 1.5]], "bias": [0.5]},
                             {"units": 1, "activation": "sigmoid", "weights": [[7.0]], "bias": [0.1]}]},
    "sigmoid-2-2-2": {"name": "sigmoid-2-2-2", "inputs": [[0.5, -0.3]], "targets": [[1.0, 0.0]], "loss": "mse",
                      "layers": [{"units": 2, "activation": "sigmoid", "weights": [[0.4, -0.6], [0.7, 0.2]],
                                  "bias": [0.1, -0.2]},
                                 {"units": 2, "activation": "sigmoid", "weights": [[0.5, -0.3], [-0.8, 0.6]],
                                  "bias": [0.0, 0.1]}]},
    "tanh-chain": {"name": "tanh-chain", "inputs": [[0.8]], "targets": [[0.2]], "loss": "mse",
                   "layers": [{"units": 1, "activation": "tanh", "weights": [[1.5]], "bias": [0.1]},
                              {"units": 1, "activation": "tanh", "weights": [[-1.2]], "bias": [0.0]},
                              {"units": 1, "activation": "tanh", "weights": [[0.9]], "bias": [0.2]}]},
}


def problems(scene: str, name: str) -> list[str]:
    net = parse_spec(NETWORKS[name])
    data = played(scene, NETWORKS[name])
    return notation_problems(data["items"], Reader(net)) + arithmetic_problems(data)


@pytest.mark.parametrize("scene, name", [
    ("gates", "seed"),  # x₂'s share through h₁, beside its total (+0.0019, not −0.017)
    ("matrix-form", "batch"),  # layer vectors, δ⁽²⁾ with its ÷ 3, ∂L/∂b summed
    ("backward", "saturated"),  # y = 0.9968, 1 − y = 0.0032
])
def test_every_claim_is_true_of_its_symbol(scene, name):
    assert problems(scene, name) == []


@pytest.mark.slow
@pytest.mark.parametrize("scene", ["backward", "forward", "gates", "matrix-form", "chain-rule"])
@pytest.mark.parametrize("name", ["batch", "saturated", "sigmoid-2-2-2", "tanh-chain"])
def test_every_claim_on_the_issues_networks(scene, name):
    assert problems(scene, name) == []


def test_the_reader_catches_a_part_shown_as_the_whole_and_a_unit_holding_a_vector():
    """The checker can fail: the texts of issue 19's report, on the lesson's network."""
    reader = Reader(load_network("seed"))
    assert reader.problems("∂L/∂x₂ = ∂L/∂p × W₁[1,2] = −0.056 × 0.3 = −0.017")  # only h₁'s share
    assert reader.problems("h₁ᵀ = [0.54, 0.20]") and reader.problems("σ′(z) = [0.238]")
    assert reader.problems("hidden (ReLU)  z = [0.54, 0.20]  h = [0.54, 0.20]")
    assert reader.problems("z₂ = 0.444")  # z₂ is hidden unit 2 (0.20), never the output's
    assert reader.problems("h₁⁽²⁾ = 0.5")  # no layer 2 of hidden units here
    assert not reader.problems("∂L/∂x₂ = −0.0167 + 0.0186 = +0.0019")
    assert not reader.problems("h⁽¹⁾ᵀ = [0.54, 0.20]") and not reader.problems("z = 0.444")
    assert not reader.problems("x₂'s share through h₁ = ∂L/∂p × W₁[1,2] = −0.056 × 0.3 = −0.017")
