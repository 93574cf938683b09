"""forward in transcript mode: z = Σ w·x + b term by term, the activation, the loss and the recap
table, every number the engine's, on every preset and a batch."""

import pytest

from backprop.engine.gates import unit_gates
from tests.networks import BATCH, SIGMOID_222
from tests.scenes.shown_numbers import engine_values, played_once, unmatched
from tests.scenes.transcript_checks import arithmetic_problems, timing_problems

CASES = {"seed": "seed", "branching": "branching", "deep-sigmoid": "deep-sigmoid", "classifier": "classifier",
         "batch": BATCH, "two-two-two": SIGMOID_222}


@pytest.fixture(scope="module")
def played():
    return played_once("forward", CASES)


def texts(data, role):
    return [i["text"] for i in data["items"] if i["role"] == role]


@pytest.mark.parametrize("name", list(CASES))
def test_every_number_is_the_engines_and_reads_right(played, name):
    tl, data = played(name)
    more = []
    for l, units in enumerate(tl.network["sizes"][1:], start=1):
        for j in range(1, units + 1):
            more += [g["value"] for g in unit_gates(tl, l, j, 0) if g["kind"] == "gate"]
    constants = (1.0, 0.5) if tl.network["loss"] == "mse" else (1.0,)  # L = 0.5 × (y − t)²
    assert unmatched(data["items"], engine_values(tl, *more), constants) == []
    assert arithmetic_problems(data) == []
    assert timing_problems(data) == []


def test_the_lessons_forward_pass(played):
    _, data = played("seed")
    shown = "\n".join(texts(data, "card"))
    for line in ("= 0.4 × 0.5 + 0.3 × 0.8 + 0.1", "= 0.2 + 0.24 + 0.1 = 0.54", "h₁ = max(0, z₁) = max(0, 0.54) = 0.54",
                 "= 0.6 × 0.54 + (−0.4) × 0.20 + 0.2", "y = σ(z) = σ(0.444) = 0.609",
                 "= 0.5 × (0.609 − 1.0)² = 0.0764"):
        assert line in shown, line
    # the lesson's recap table, every forward value
    assert texts(data, "table")[1:] == ["input  —  x = [0.5, 0.8]", "hidden (ReLU)  z⁽¹⁾ = [0.54, 0.20]  h⁽¹⁾ = [0.54, 0.20]",
                                        "output (sigmoid)  z⁽²⁾ = [0.444]  y⁽²⁾ = [0.609]", "loss (MSE)  L = 0.0764"]


def test_presets_and_batches_say_what_they_show(played):
    _, data = played("classifier")
    assert any("softmax over the layer" in c for c in texts(data, "card"))
    assert any(t.startswith("loss (cross-entropy)") for t in texts(data, "table"))
    _, data = played("deep-sigmoid")
    assert len(texts(data, "table")) == 1 + 1 + 6 + 1  # header, input, six layers, loss
    tl, data = played("batch")
    assert any("(example 1 of 3)" in c for c in texts(data, "caption"))
    mean = [c for c in texts(data, "card") if "mean over the batch" in c]
    assert mean and mean[0].endswith(f"{tl.of_kind('loss')[-1]['value']:.4f}")
