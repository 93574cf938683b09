"""why-backwards in transcript mode: every count shown is the engine's (against the independent counts
of tests/engine/test_why_backwards.py), cards true as shown, time to read, text large enough."""

import pytest

from backprop.engine.why_backwards import grown, network_cost
from backprop.engine.spec import load_network
from tests.helpers import run_cli
from tests.plays import played as shared
from tests.scenes.transcript_checks import arithmetic_problems, timing_problems
from tests.scenes.why_numbers import unexplained

NETWORKS = ["seed", "classifier", "deep-sigmoid"]


@pytest.fixture(scope="module")
def played():
    out = {}
    for name in NETWORKS:
        net = load_network(name)
        out[name] = (net, shared("why-backwards", name))
    return out


def engine_values(net):
    own = network_cost(net)
    values = {2}  # finite differences' two passes per parameter (and the 2h of its formula)
    for c in grown(net) + [own]:
        values |= {c.params, c.forward, c.backward, c.backprop, c.finite_differences, c.difference_passes,
                   c.times_cheaper, c.backward_in_forwards}
    return values, [c.shape for c in grown(net)]


@pytest.mark.parametrize("name", NETWORKS)
def test_every_number_is_the_engines(played, name):
    net, data = played[name]
    values, shapes = engine_values(net)
    assert unexplained(data["items"], values, shapes) == []


@pytest.mark.parametrize("name", NETWORKS)
def test_reads_right(played, name):
    _, data = played[name]
    assert arithmetic_problems(data) == []
    assert timing_problems(data) == []
    assert all(item["px"] >= 16 for item in data["items"]), [i for i in data["items"] if i["px"] < 16]


def test_the_lessons_network_then_grown(played):
    _, data = played["seed"]
    cards = [i["text"] for i in data["items"] if i["role"] == "card"]
    # hand-counted: 9 parameters × 2 passes; forward 2·2 + 2·1 = 6, backward 2 × 6 + 3 units = 15
    assert any("9 parameters × 2 forward passes = 18 forward passes" in c for c in cards)
    assert any("6 + 15 = 21 multiply-adds" in c for c in cards)
    rows = [i["text"] for i in data["items"] if i["role"] == "table"]
    assert rows[1].startswith("2-2-1") and rows[-1].startswith("784-128-10")
    # 784·128 + 128 + 128·10 + 10 = 101 770 parameters; 2 × 101 770 × 101 632 ≈ 2.07 × 10¹⁰
    assert "101\u2009770" in rows[-1] and "2.07 × 10¹⁰" in rows[-1]
    captions = [i["text"] for i in data["items"] if i["role"] == "caption"]
    assert any("784-128-10" in c and "times fewer" in c for c in captions)


def test_the_cli_renders_its_transcript(capsys):
    code, out, err = run_cli(capsys, "transcript", "why-backwards", "--network", "branching")
    assert code == 0 and err == "" and "2-2-2" in out
