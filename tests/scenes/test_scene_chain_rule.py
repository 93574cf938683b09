"""chain-rule in transcript mode: the path's factors and running product, the paths adding up, all
numbers the engine's, arithmetic true as shown, time to read; and the networks it refuses."""

import pytest

from backprop.engine.chain_rule import chain_rule, why_multiply
from backprop.engine.spec import load_network
from backprop.engine.timeline import build_timeline
from tests.helpers import run_cli
from tests.networks import BATCH, SIGMOID_222
from tests.plays import network_of, played as shared
from tests.scenes.shown_numbers import engine_values, unmatched
from tests.scenes.transcript_checks import arithmetic_problems, timing_problems

CASES = {"seed": ("seed", None), "branching": ("branching", None), "deep-sigmoid": ("deep-sigmoid", "W1[1,1]"),
         "classifier": ("classifier", "W1[2,1]"), "batch": (BATCH, None), "two-two-two": (SIGMOID_222, "W2[1,2]")}


@pytest.fixture(scope="module")
def played():
    cache = {}

    def get(name):
        if name not in cache:
            source, param = CASES[name]
            cache[name] = (build_timeline(network_of(source)), param, shared("chain-rule", source, param=param))
        return cache[name]
    return get


def cards(data):
    return [i["text"] for i in data["items"] if i["role"] == "card"]


@pytest.mark.parametrize("name", list(CASES))
def test_every_number_is_the_engines_and_reads_right(played, name):
    tl, param, data = played(name)
    rule = chain_rule(tl, param or ("W1[1,2]" if name != "deep-sigmoid" else "W1[1,1]"))
    n = why_multiply()
    more = [f.value for p in rule.paths for f in p.factors] + [r for p in rule.paths for r in p.running]
    more += [n.delta, n.f_change, n.g_change, n.slope, *n.slopes]
    assert unmatched(data["items"], engine_values(tl, *more)) == []
    assert arithmetic_problems(data) == []
    assert timing_problems(data) == []


def test_the_lessons_path_factor_by_factor(played):
    _, _, data = played("seed")
    shown = "\n".join(cards(data))
    for line in ("factor 1 of 5: ∂L/∂y = −0.391", "running product = −0.391 × 0.238 = −0.093",
                 "running product = −0.093 × 0.6 = −0.056", "running product = −0.056 × 1 = −0.056",
                 "running product = −0.056 × 0.8 = −0.045", "= −0.391 × 0.238 × 0.6 × 1 × 0.8 = −0.045",
                 "the backward pass's ∂L/∂W₁[1,2] = −0.045", "Δg = 3 × 0.02 = 0.06, which is 6ε"):
        assert line in shown, line
    # the running product ends on the timeline's own gradient
    tl = build_timeline(load_network("seed"))
    assert chain_rule(tl, "W1[1,2]").paths[0].product == next(
        e["value"] for e in tl.of_kind("param_grad") if e["param"] == "W1[1,2]")


def test_two_paths_add_up_on_branching(played):
    _, _, data = played("branching")
    shown = "\n".join(cards(data))
    # path 1 through y₁ (−0.045, as on seed), path 2 through y₂; the sum is the timeline's −0.012
    assert "= −0.045 + 0.033 = −0.012" in shown
    assert "∂L/∂W₁[1,2] = path 1 + path 2" in shown


def test_a_batch_adds_the_examples_shares(played):
    tl, _, data = played("batch")
    total = next(e for e in tl.of_kind("accumulate") if e["target"] == "W1[1,2]")
    assert any("sum of 3 examples' shares" in c for c in cards(data))
    assert any(c.endswith(f"{'−' if total['value'] < 0 else '+'}{abs(total['value']):.3f}") for c in cards(data))


def test_param_picks_the_weight(capsys):
    data = shared("chain-rule", "seed", param="W2[1,2]")
    assert any("factor 3 of 3: h₂ = 0.20" in c for c in cards(data))
    code, out, err = run_cli(capsys, "transcript", "chain-rule", "--param", "W9[1,1]")
    assert code == 2 and err.count("\n") == 1 and "W1[1,1]" in err and out == ""


def test_a_block_view_network_is_refused_in_one_line(capsys, tmp_path):
    big = tmp_path / "big.json"
    big.write_text('{"inputs": [[0.1]], "targets": [[1.0]], "seed": 1, "loss": "mse", '
                   '"layers": [{"units": 40, "activation": "relu"}, {"units": 50, "activation": "relu"}, '
                   '{"units": 1, "activation": "sigmoid"}]}')
    for scene in ("chain-rule", "forward", "gates"):
        code, out, err = run_cli(capsys, "render", scene, "--network", str(big), "--output-dir", str(tmp_path / "out"))
        assert code == 2 and out == "" and err.count("\n") == 1, (scene, err)
        assert "one block per layer" in err and scene in err
        assert not (tmp_path / "out").exists()


def test_the_number_check_can_fail():
    items = [{"text": "running product = −0.093 × 0.6 = −0.057"}]
    assert unmatched(items, [-0.093, 0.6, -0.0558]) == ["−0.057 in 'running product = −0.093 × 0.6 = −0.057'"]
    assert unmatched([{"text": "W₁[1,2]: factor 2 of 5 = 0.6"}], [0.6]) == []
