"""What the video shows, read from `backprop transcript`'s items as a student with a calculator would:
every line of arithmetic true as shown, numbers with two significant figures, time to read.
"""

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings

from backprop.engine.spec import load_network, parse_spec
from backprop.engine.timeline import build_timeline
from backprop.output.render.transcript import transcript
from tests.arithmetic import check_line, expressions, significant_figures
from tests.helpers import random_specs, run_cli
from tests.plays import played
from tests.scenes.transcript_checks import (arithmetic_problems, final_gradient_problems, gradients_missing_from_network,
                                           timing_problems)


@pytest.fixture(scope="module")
def preset_transcripts():
    return {name: played("backward", name) for name in ("seed", "branching", "deep-sigmoid", "classifier")}


@pytest.mark.parametrize("name", ["seed", "branching", "deep-sigmoid", "classifier"])
def test_presets_read_right(preset_transcripts, name):
    data = preset_transcripts[name]
    assert arithmetic_problems(data) == []
    assert timing_problems(data) == []
    assert final_gradient_problems(data) == []
    assert gradients_missing_from_network(data, load_network(name)) == []


@pytest.mark.slow
@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(random_specs(max_layers=3, max_units=3, max_batch=3))
def test_random_networks_read_right(spec):
    """30 networks played in full (about 3 s each): the same 30 every run, so a red run is reproducible;
    tests/story/test_cards.py explores far more networks' card texts without manim."""
    net = parse_spec(spec)
    data = transcript("backward", build_timeline(net))
    assert arithmetic_problems(data) == []
    assert timing_problems(data) == []
    assert final_gradient_problems(data) == []
    # up to three layers of three: every gradient on the network, or (a batch's dense layer) in the table
    assert gradients_missing_from_network(data, net, table=True) == []


def test_a_sum_broken_over_two_lines_is_checked_whole():
    card = "∂L/∂h₁₁ = sum of 4 contributions\n= −0.0034 + 0.0017\n+ (−0.124) + (−0.0023) = −0.128"
    assert expressions(card) == [card.replace("\n", " ")]
    assert [p for line in expressions(card) for p in check_line(line)] == []
    assert [p for line in expressions(card.replace("−0.128", "−0.130")) for p in check_line(line)]
    assert expressions("example 1: L = 0.0764\nmean: L = 0.0605") == ["example 1: L = 0.0764", "mean: L = 0.0605"]


def test_the_checker_catches_what_the_issue_saw():
    """The lines a lecturer reported must fail the checker (so a pass means something)."""
    assert check_line("= 1 − −0.478² = 0.772")
    assert check_line("= −0.022 + (−0.007) = −0.030")
    assert check_line("= 0.037 + 0.095 = 0.133")
    assert check_line("= 0.138 × 0.597 = 0.083")
    assert check_line("z₁ = 0.54 ≤ 0, so ReLU′ = 1")
    assert not check_line("= 1 − (−0.478)² = 0.772")
    assert not check_line("= 0.5 × (8.8 × 10⁻⁴) = 4.4 × 10⁻⁴")
    # "≈" within half the result's last place or 2 % of it, on the numbers as shown (issue 19's lines)
    assert not check_line("= −0.022 + (−0.0074) ≈ −0.030")
    assert check_line("= −0.022 + (−0.007) ≈ −0.030")  # −0.029: 3 % off
    assert check_line("= −0.017 + 0.019 ≈ +0.0019") and not check_line("= −0.0167 + 0.0186 = +0.0019")
    assert check_line("= 0.0012 × 0.681 ≈ +8.0 × 10⁻⁴") and check_line("= 0.012 + 0.021 ≈ +0.032")
    assert check_line("= 0.997 × (1 − 0.997) ≈ 0.0032") and not check_line("= 0.9968 × (1 − 0.9968) = 0.0032")
    assert check_line("= −0.431 + 0.422 ≈ −0.0084")  # −0.009: the rounded terms cannot give it
    assert significant_figures("+0.001") == 1 and significant_figures("−8.8 × 10⁻⁴") == 2


def test_the_lessons_cards_as_the_storyboard_has_them(preset_transcripts):
    cards = [i["text"] for i in preset_transcripts["seed"]["items"] if i["role"] == "card"]
    for line in ("= 0.609 − 1.0 = −0.391", "= −0.391 × 0.238 = −0.093", "= −0.093 × 0.54 = −0.050",
                 "= −0.093 × (−0.4) = +0.037", "= −0.022 + (−0.0074) ≈ −0.030"):
        assert any(line in c for c in cards), line


def test_the_cli_prints_the_transcript_as_json(capsys):
    code, out, err = run_cli(capsys, "transcript", "--network", "seed", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["scene"] == "backward" and data["network"] == "seed"
    roles = {i["role"] for i in data["items"]}
    assert {"title", "caption", "card", "value", "weight", "badge", "table", "note"} <= roles
    last = max(i["end"] for i in data["items"])
    assert math.isclose(last, data["duration"], abs_tol=1e-3)
    assert all(i["px"] >= 12 for i in data["items"])
    assert any(i["role"] == "caption" and i["px"] >= 20 for i in data["items"])
    # where each text is and what it labels, and the lines labels sit on (docs/transcript.md)
    assert all(len(i["box"]) == 4 and "of" in i for i in data["items"])
    assert {i["of"] for i in data["items"] if i["role"] == "weight"} >= {"W₁[1,2]", "b₁[1]"}
    assert {e["of"] for e in data["edges"]} >= {"W₁[1,2]", "W₂[1,1]"}
    assert all(len(e["from"]) == len(e["to"]) == 2 for e in data["edges"])
