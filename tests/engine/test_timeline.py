"""The timeline's contract: products, sums, order, agreement with the engine, JSON round-trip."""

import json

import pytest
from hypothesis import given, settings

from backprop.engine.backward import backward
from backprop.engine.presets import PRESETS
from backprop.engine.spec import load_network, parse_spec
from backprop.engine.timeline import SCALAR_LIMIT, Timeline, build_timeline
from backprop.engine.spec import SpecError
from tests.helpers import check_invariants, random_specs


@pytest.mark.parametrize("preset", list(PRESETS))
@pytest.mark.parametrize("granularity", ["scalar", "layer"])
def test_invariants_on_presets(preset, granularity):
    net = load_network(preset)
    if granularity == "layer" and any(layer.residual for layer in net.layers):
        with pytest.raises(SpecError, match="unit by unit only"):  # skips have no block events yet
            build_timeline(net, granularity)
        return
    t = build_timeline(net, granularity)
    assert t.granularity == granularity
    check_invariants(t, backward(net).grads)
    assert Timeline.from_json(t.to_json()) == t


@settings(max_examples=40, deadline=None)
@given(random_specs(max_batch=3))
def test_invariants_on_random_networks(spec):
    net = parse_spec(spec)
    for granularity in ("scalar", "layer"):
        t = build_timeline(net, granularity)
        check_invariants(t, backward(net).grads)
        assert Timeline.from_json(t.to_json()) == t


def test_seed_timeline_tells_the_lesson_in_order():
    t = build_timeline(load_network("seed"))
    kinds = [e["kind"] for e in t.events]
    first_backward = kinds.index("seed")
    assert set(kinds[:first_backward]) == {"forward", "loss"}
    seed = t.events[first_backward]
    assert seed["node"] == "y1" and round(seed["value"], 3) == -0.391
    local, mult = t.events[first_backward + 1], t.events[first_backward + 2]
    assert local["kind"] == "local" and round(local["value"], 3) == 0.238 and local["formula"] == "σ′(z) = y(1 − y)"  # z beside y (z₁, z₂ are beside h₁, h₂)
    assert mult["kind"] == "multiply" and mult["factors"] == [seed["value"], local["value"]]
    assert round(mult["value"], 3) == -0.093
    # Step 3 before Step 4: output weights before the gradient flows into the hidden layer
    after = t.events[first_backward + 3:]
    assert [e["param"] for e in after[:3]] == ["W2[1,1]", "W2[1,2]", "b2[1]"]
    assert [(e["target"], round(e["value"], 3)) for e in after[3:5]] == [("h1_1", -0.056), ("h1_2", 0.037)]


def test_accumulate_wherever_a_value_feeds_several_consumers():
    seed = build_timeline(load_network("seed"))
    sums = {e["target"]: e for e in seed.of_kind("accumulate")}
    assert set(sums) == {"x1", "x2"}  # x₁ and x₂ each feed both hidden units; h₁, h₂ feed only y
    assert [round(v, 3) for v in sums["x1"]["terms"]] == [-0.022, -0.007]
    assert round(sums["x1"]["value"], 3) == -0.030 and round(sums["x2"]["value"], 3) == 0.002
    branching = build_timeline(load_network("branching"))
    assert {e["target"] for e in branching.of_kind("accumulate")} == {"x1", "x2", "h1_1", "h1_2"}


def test_a_batch_sums_parameter_gradients_over_examples():
    spec = dict(PRESETS["seed"], inputs=[[0.5, 0.8], [1.0, -1.0], [0.2, 0.1]], targets=[[1.0], [0.0], [1.0]])
    t = build_timeline(parse_spec(spec), "scalar")
    sums = {e["target"]: e for e in t.of_kind("accumulate")}
    for p in ("W1[1,1]", "b1[2]", "W2[1,2]", "b2[1]"):
        assert len(sums[p]["terms"]) == 3
    assert len(t.of_kind("seed")) == 3 and {e["example"] for e in t.of_kind("seed")} == {0, 1, 2}


def test_granularity_switches_at_the_documented_limit():
    small = load_network("seed")
    assert build_timeline(small).granularity == "scalar"
    units = SCALAR_LIMIT // 10
    big = parse_spec({"input": [0.0] * 10, "target": [0.0], "layers": [
        {"units": units, "activation": "tanh"}, {"units": 1, "activation": "linear"}]})
    assert big.n_params > SCALAR_LIMIT
    t = build_timeline(big)
    assert t.granularity == "layer" and len(t.events) < 30


def test_json_is_deterministic_and_plain():
    a = build_timeline(load_network("classifier")).to_json()
    b = build_timeline(load_network("classifier")).to_json()
    assert a == b
    data = json.loads(a)
    assert data["schema"] == "backprop-timeline/1"
    assert {e["kind"] for e in data["events"]} == {"forward", "loss", "seed", "multiply", "accumulate",
                                                   "param_grad", "update", "local"}


@pytest.mark.parametrize("sizes, expected", [
    ([2, 2, 1], {"z1_1": "z₁", "h1_1": "h₁", "z2_1": "z", "y1": "y"}),  # the lesson's network
    ([2, 2, 2], {"z1_2": "z₂", "h1_2": "h₂", "z2_1": "z₁⁽²⁾", "y2": "y₂"}),  # the output layer's z by its layer
    ([2, 1, 1], {"z1_1": "z₁", "h1_1": "h₁", "z2_1": "z"}),  # a one-unit hidden layer keeps its unit: z₁, never z
    ([1, 1, 1, 1], {"z1_1": "z₁⁽¹⁾", "h1_1": "h₁⁽¹⁾", "h2_1": "h₁⁽²⁾", "z3_1": "z"}),  # a chain: unit 1 of each layer
    ([2, 3, 3, 1], {"z1_2": "z₂⁽¹⁾", "h2_3": "h₃⁽²⁾", "y1": "y"}),  # several hidden layers: unit, then layer
])
def test_one_notation_for_units(sizes, expected):
    layers = [{"units": n, "activation": "tanh"} for n in sizes[1:-1]] + [{"units": sizes[-1], "activation": "linear"}]
    spec = {"input": [0.1] * sizes[0], "target": [0.0] * sizes[-1], "layers": layers, "loss": "mse", "seed": 1}
    t = build_timeline(parse_spec(spec))
    symbols = {n["id"]: n["symbol"] for n in t.nodes}
    for node, symbol in expected.items():
        assert symbols[node] == symbol, node
    params = {p["name"]: p["symbol"] for p in t.params}
    assert params["W1[1,1]"] == "W₁[1,1]" and params["b1[1]"] == "b₁[1]"
    seed = t.of_kind("seed")[0]
    assert seed["formula"].endswith("− t" if sizes[-1] == 1 else "− t₁")
