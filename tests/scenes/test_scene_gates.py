"""gates in transcript mode: forward through the multiply, add and activation gates, then each gate's
backward rule, every number the engine's op-level events; and the networks it refuses."""

import pytest

from backprop.engine.gates import unit_gates
from tests.helpers import run_cli
from tests.networks import BATCH, SIGMOID_222
from tests.scenes.shown_numbers import engine_values, played_once, unmatched
from tests.scenes.transcript_checks import arithmetic_problems, timing_problems

# h₁'s weights make z₁ = 0.4·0.5 − 0.9·0.8 + 0.1 < 0: ReLU blocks
BLOCKED = {"name": "blocked", "inputs": [[0.5, 0.8]], "targets": [[1.0]], "loss": "mse",
           "layers": [{"units": 2, "activation": "relu", "weights": [[0.4, -0.9], [-0.2, 0.5]], "bias": [0.1, -0.1]},
                      {"units": 1, "activation": "sigmoid", "weights": [[0.6, -0.4]], "bias": [0.2]}]}
THREE_IN = {"name": "three-in", "inputs": [[0.5, -0.8, 1.2]], "targets": [[0.0]], "loss": "mse",
            "layers": [{"units": 1, "activation": "tanh", "weights": [[0.3, -0.6, 0.2]], "bias": [0.05]}]}
CASES = {"seed": "seed", "classifier": "classifier", "deep-sigmoid": "deep-sigmoid", "blocked": BLOCKED,
         "batch": BATCH, "two-two-two": SIGMOID_222, "three-in": THREE_IN}


@pytest.fixture(scope="module")
def played():
    return played_once("gates", CASES)


def cards(data):
    return "\n".join(i["text"] for i in data["items"] if i["role"] == "card")


def captions(data):
    return [i["text"] for i in data["items"] if i["role"] == "caption"]


@pytest.mark.parametrize("name", list(CASES))
def test_every_number_is_the_engines_and_reads_right(played, name):
    tl, data = played(name)
    more = []
    for g in unit_gates(tl, 1, 1, 0):
        more += [g["value"], *g.get("factors", []), *g.get("terms", [])]
    assert unmatched(data["items"], engine_values(tl, *more)) == []
    assert arithmetic_problems(data) == []
    assert timing_problems(data) == []


def test_the_lessons_h1(played):
    _, data = played("seed")
    shown = cards(data)
    for line in ("W₁[1,2]·x₂ = 0.3 × 0.8 = 0.24", "= 0.2 + 0.24 + 0.1 = 0.54", "z₁ = 0.54 > 0, so ReLU′ = 1",
                 "= −0.056 × 1 = −0.056", "∂L/∂W₁[1,2] = ∂L/∂p × x₂ = −0.056 × 0.8 = −0.045",
                 # x₂ feeds h₁ and h₂: h₁'s gradient gives only x₂'s share; the total beside it
                 "x₂'s share through h₁ = ∂L/∂p × W₁[1,2] = −0.056 × 0.3 = −0.017",
                 "x₂ feeds 2 units: ∂L/∂x₂ = −0.0167 + 0.0186 = +0.0019"):
        assert line in shown, line
    assert "The ReLU gate routes: z > 0, so the gradient passes unchanged" in captions(data)
    badges = [i["text"] for i in data["items"] if i["role"] == "badge"]
    assert badges.count("−0.056") == 5 and "−0.045" in badges and "−0.017" in badges


def test_relu_blocks_when_z_is_not_positive(played):
    _, data = played("blocked")
    assert "The ReLU gate blocks: z ≤ 0, so nothing passes back" in captions(data)
    assert "so ReLU′ = 0" in cards(data)


def test_the_other_activations(played):
    assert any("tanh gate scales" in c for c in captions(played("classifier")[1]))
    assert any("σ gate scales" in c for c in captions(played("deep-sigmoid")[1]))
    _, data = played("three-in")  # no hidden layer: the output unit itself, three multiply gates
    assert cards(data).count("the multiply gate swaps") == 3


def test_too_many_inputs_is_refused_in_one_line(capsys, tmp_path):
    wide = tmp_path / "wide.json"
    wide.write_text('{"inputs": [[0.1, 0.2, 0.3, 0.4, 0.5]], "targets": [[1.0]], "seed": 1, "loss": "mse", '
                    '"layers": [{"units": 2, "activation": "relu"}, {"units": 1, "activation": "sigmoid"}]}')
    code, out, err = run_cli(capsys, "transcript", "gates", "--network", str(wide))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "5 inputs" in err and "at most 4" in err
