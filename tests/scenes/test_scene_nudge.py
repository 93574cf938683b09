"""The `nudge` scene in transcript mode: its numbers are the engine's nudges, its cards true as shown."""

import json

import pytest

from backprop.engine.nudge import nudge
from backprop.engine.presets import PRESETS
from backprop.engine.spec import load_network, parse_spec
from backprop.engine.timeline import build_timeline
from tests.helpers import run_cli
from tests.plays import network_of, played as shared
from tests.scenes.shown_numbers import flatten, shown_numbers, timeline_numbers, unexplained
from tests.scenes.transcript_checks import arithmetic_problems, timing_problems

S222 = {"name": "s222", "inputs": [[0.05, 0.10]], "targets": [[0.01, 0.99]], "loss": "mse", "learning_rate": 0.5,
        "layers": [{"units": 2, "activation": "sigmoid", "weights": [[0.15, 0.20], [0.25, 0.30]], "bias": [0.35, 0.35]},
                   {"units": 2, "activation": "sigmoid", "weights": [[0.40, 0.45], [0.50, 0.55]], "bias": [0.6, 0.6]}]}


def nudge_numbers(n) -> list[float]:
    return flatten([n.value, n.epsilon, n.gradient, n.loss, n.loss_up, n.loss_down, n.nudged_up, n.nudged_down,
                    n.span, n.change_up, n.change_down, n.predicted, n.slope, n.outputs, n.outputs_up,
                    n.outputs_down])


def played(source, param=None):
    """(timeline, transcript) of nudge on `source` (a preset's name or a spec), following `param`."""
    return build_timeline(network_of(source)), shared("nudge", source, param=param)


@pytest.fixture(scope="module")
def seed():
    return played("seed")


def test_the_lessons_weight_nudged_reads_right(seed):
    tl, data = seed
    cards = [i["text"] for i in data["items"] if i["role"] == "card"]
    # the lesson's network worked by hand (tests/engine/test_nudge.py): L(0.31) = 0.075912, L(0.29) = 0.076805
    assert any("W₁[1,2] + ε = 0.3 + 0.01 = 0.31" in c and "L = 0.07591" in c for c in cards)
    assert any("W₁[1,2] − ε = 0.3 − 0.01 = 0.29" in c and "L = 0.07681" in c for c in cards)
    assert any("= 0.07591 − 0.07636 = −0.00045" in c for c in cards)
    assert any("= −0.045 × 0.01 = −0.00045" in c for c in cards)  # gradient × ε: the lesson's −0.045
    assert any("÷ 0.02 = −0.045" in c for c in cards)
    notes = [i["text"] for i in data["items"] if i["role"] == "note"]
    assert "the loss fell: increase W₁[1,2]" in notes  # the sign says which way
    assert arithmetic_problems(data) == [] and timing_problems(data) == []


@pytest.mark.parametrize("name", ["seed", "branching", "deep-sigmoid", "classifier", "s222"])
def test_every_number_shown_is_the_engines(seed, name):
    net = parse_spec(S222) if name == "s222" else load_network(name)
    tl, data = seed if name == "seed" else played(S222 if name == "s222" else name)
    param = next(p for p in tl.params if any(p["symbol"] + " + ε" in i["text"] for i in data["items"]))
    engine = timeline_numbers(tl) + nudge_numbers(nudge(net, param["name"]))
    assert unexplained(data, engine) == []
    assert arithmetic_problems(data) == [] and timing_problems(data) == []
    assert sum(len(shown_numbers(i["text"])) for i in data["items"] if i["role"] == "card") >= 12


def test_the_checker_of_shown_numbers_can_fail(seed):
    tl, data = seed
    forged = json.loads(json.dumps(data))
    card = next(i for i in forged["items"] if i["role"] == "card")
    card["text"] = card["text"].replace("0.07591", "0.07592")
    assert unexplained(forged, timeline_numbers(tl) + nudge_numbers(nudge(load_network("seed"), "W1[1,2]")))


def test_param_picks_the_weight_and_a_bias_works_too(capsys):
    code, out, err = run_cli(capsys, "transcript", "nudge", "--param", "W2[1,1]", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    n = nudge(load_network("seed"), "W2[1,1]")
    assert any("W₂[1,1] + ε = 0.6 + 0.01 = 0.61" in i["text"] for i in data["items"])
    assert unexplained(data, timeline_numbers(build_timeline(load_network("seed"))) + nudge_numbers(n)) == []
    _, data = played("seed", "b2[1]")
    assert arithmetic_problems(data) == [] and any("b₂[1] + ε" in i["text"] for i in data["items"])


def test_a_tiny_gradient_shows_the_change_without_unreadable_operands():
    """s222's W₁[1,2] moves the loss by 8.8 × 10⁻⁶: the change is the engine's difference, not 8 decimals."""
    _, data = played(S222)
    cards = [i for i in data["items"] if i["role"] == "card"]
    assert any(c["text"].endswith("= +8.8 × 10⁻⁶") for c in cards)
    assert min(c["px"] for c in cards) >= 16


def test_bad_param_and_unplayable_network_are_one_line_exit_2(capsys, tmp_path):
    code, out, err = run_cli(capsys, "render", "nudge", "--param", "W9[1,1]")
    assert code == 2 and out == "" and err.startswith("backprop: param: unknown parameter 'W9[1,1]'; parameters: W1[1,1]")
    big = {**PRESETS["seed"], "inputs": [[0.5, 0.8]] * 300, "targets": [[1.0]] * 300}  # 9 × 300 > 2000
    path = tmp_path / "big.json"
    path.write_text(json.dumps(big))
    for command in (["render", "nudge", "--network", str(path)], ["transcript", "nudge", "--network", str(path)]):
        code, out, err = run_cli(capsys, *command)
        assert code == 2 and out == "" and err.count("\n") == 1
        assert err.startswith("backprop: network: scene 'nudge' cannot play seed: it is drawn one block per layer")
        assert "2,700" in err
    assert not list(tmp_path.glob("*.mp4"))
