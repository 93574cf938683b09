"""branch-sum in transcript mode: two contributions, their sum, the overwritten value and how far off
it is — every number from the timeline or engine/branch_sum.py, arithmetic true as shown, time to read."""

import pytest

from backprop.engine.branch_sum import forks
from backprop.engine.spec import load_network
from backprop.engine.timeline import build_timeline
from tests.helpers import run_cli
from tests.plays import played as shared
from tests.scenes.sums_numbers import shown_numbers, timeline_values, unmatched
from tests.scenes.transcript_checks import arithmetic_problems, timing_problems

IGNORE = (r"\d+ of \d+", r"sum of \d+", r"\d+ units", r"example \d+")


@pytest.fixture(scope="module", params=["branching", "seed", "batch"])
def played(request):
    net = load_network(request.param)
    return net, build_timeline(net), shared("branch-sum", request.param)


def test_every_number_is_the_engines(played):
    net, tl, data = played
    fork_values = [v for f in forks(net) for v in (*f.contributions, f.right, f.overwritten, f.off_by)]
    assert len(shown_numbers(data, ignore=IGNORE)) > 20
    assert unmatched(data, timeline_values(tl) + fork_values, ignore=IGNORE) == []
    assert unmatched(data, [0.5], ignore=IGNORE) != []  # the check can fail


def test_arithmetic_time_to_read_and_size(played):
    _, _, data = played
    assert arithmetic_problems(data) == []
    assert timing_problems(data) == []
    assert [i["text"] for i in data["items"] if i["px"] < 16 - 0.05] == []  # nothing under 16 px at 854×480


def test_contributions_sum_then_the_bug(played):
    net, tl, data = played
    cards = [i for i in data["items"] if i["role"] == "card"]
    fork = forks(net)[0]  # the first value the backward pass reaches that feeds several units
    total = next(e for e in tl.of_kind("accumulate") if e["step"] == "back" and e.get("example", 0) == 0)
    assert total["target"] == fork.node
    summed = next(c for c in cards if f"sum of {len(fork.contributions)} contributions" in c["text"])
    wrong = next(c for c in cards if c["text"].startswith("with =, the last one overwrites"))
    off = next(c for c in cards if c["text"].startswith("off by"))
    assert wrong["start"] > summed["start"]
    assert off["start"] >= wrong["start"]
    captions = [i["text"] for i in data["items"] if i["role"] == "caption"]
    assert "The bug: = instead of +=" in captions


def test_the_branching_numbers():
    """h₁ on `branching`: −0.093 × 0.6 and 0.136 × 0.3 add to −0.015; with = it would be +0.041,
    off by +0.056 (worked by hand from the timeline's ∂L/∂z₂₁ = −0.093, ∂L/∂z₂₂ = +0.136)."""
    data = shared("branch-sum", "branching")
    cards = "\n".join(i["text"] for i in data["items"] if i["role"] == "card")
    for line in ("= −0.093 × 0.6 = −0.056", "= 0.136 × 0.3 = +0.041", "= −0.056 + 0.041 = −0.015",
                 "∂L/∂h₁ = +0.041", "= 0.041 − (−0.015) = +0.056"):
        assert line in cards, line


def test_a_chain_has_no_fork(capsys, tmp_path):
    code, out, err = run_cli(capsys, "render", "branch-sum", "--network", "deep-sigmoid",
                             "--output-dir", str(tmp_path))
    assert code == 2 and out == "" and list(tmp_path.iterdir()) == []
    assert err.count("\n") == 1 and "branch-sum" in err and "no value feeds two or more units" in err
