"""The `graph` scene, played without drawing: its transcript read by the independent arithmetic
checker and overlap checker, every value's final gradient on its box (the engine's, which
tests/engine/test_graph.py holds against PyTorch), and the `+=` at every fork."""

import pytest
from hypothesis import assume, given, settings, strategies as st

from backprop.engine.graph.passes import backward
from backprop.engine.spec import load_network, parse_spec
from backprop.engine.timeline import build_timeline
from backprop.output.render.transcript import transcript
from backprop.scenes.catalog import unplayable
from backprop.story.texts import shown
from tests.arithmetic import precision
from tests.graph_programs import random_program
from tests.overlaps import problems
from tests.plays import played
from tests.scenes.transcript_checks import arithmetic_problems, timing_problems

W, H = 854, 480


def checked(data: dict, graph, size=(W, H)) -> None:
    assert arithmetic_problems(data) == []
    assert problems(data) == []
    assert timing_problems(data) == []
    for i in data["items"]:
        x0, y0, x1, y1 = i["box"]
        assert -0.5 <= x0 < x1 <= size[0] + 0.5 and -0.5 <= y0 < y1 <= size[1] + 0.5, i
        assert i["px"] >= 16 - 1e-6, i
    # every value's gradient on its box at the end, as the engine computes it, within its rounding
    grads = backward(graph)
    end = max(i["end"] for i in data["items"])
    final = {i["of"]: i["text"] for i in data["items"] if i["role"] == "badge" and i["end"] == end}
    for node_id, g in grads.items():
        symbol = graph.nodes[node_id].symbol
        assert symbol in final, (symbol, final)
        assert abs(shown(final[symbol]) - g) <= precision(final[symbol]) * (1 + 1e-9), (symbol, final[symbol], g)


@pytest.mark.parametrize("preset", ["micrograd", "neuron", "fan-out"])
def test_presets_read(preset):
    checked(played("graph", preset), load_network(preset))


def test_fan_out_adds_up_on_screen():
    """fan-out: a and b are each used twice; each contribution arrives (+=) and the sum is shown."""
    data = played("graph", "fan-out")
    cards = [i["text"] for i in data["items"] if i["role"] == "card"]
    assert any(c.startswith("∂f/∂a += contribution 2 of 2") for c in cards), cards
    (total,) = [c for c in cards if c.startswith("∂f/∂a = the sum of its 2 contributions")]
    assert total.split("\n")[1] == "−6.000 + 3.000 = −3.000"  # ∂f/∂a = e·∂d/∂a… : the published −3


@settings(max_examples=4, deadline=None)
@given(st.integers(0, 10**6))
def test_random_programs_read(seed):
    program, values, _ = random_program(seed, most=3)
    g = parse_spec({"name": "random", "graph": {"values": values, "program": program}})
    assume(unplayable("graph", g) is None)  # small enough to draw at 16 px (a larger one is refused in one line)
    checked(transcript("graph", build_timeline(g)), g)


def test_too_big_is_refused_in_one_line(capsys):
    from tests.helpers import run_cli

    code, _, err = run_cli(capsys, "render", "graph", "--network", "lesson-graph")
    assert code == 2 and "16 px" in err and err.count("\n") == 1
    # the frame decides: Karpathy's neuron fits 16:9 (16.2 px) but not a square frame (12 px)
    code, _, err = run_cli(capsys, "transcript", "graph", "--network", "neuron", "--aspect", "1:1")
    assert code == 2 and "1:1 frame" in err and "--aspect 16:9" in err
