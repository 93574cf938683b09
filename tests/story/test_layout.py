"""Layout: labels never overlap and stay inside the network band, on presets and random networks."""

import itertools

import pytest
from hypothesis import given, settings, strategies as st

from backprop.engine.presets import PRESETS
from backprop.engine.spec import load_network, parse_spec
from backprop.engine.timeline import build_timeline
from backprop.story.layout import NETWORK_BOTTOM, NETWORK_LEFT, NETWORK_RIGHT, NETWORK_TOP, layout_network
from backprop.story.texts import make_texts
from backprop.story.theme import Theme


def assert_clean(layout):
    for (name, box) in layout.boxes:
        assert box.inside(NETWORK_LEFT, NETWORK_RIGHT, NETWORK_BOTTOM, NETWORK_TOP), name
    for (a, box_a), (b, box_b) in itertools.combinations(layout.boxes, 2):
        assert not box_a.overlaps(box_b, gap=0.0), (a, b)


def lay(net):
    t = build_timeline(net)
    return layout_network(t, Theme(), make_texts(t))


@pytest.mark.parametrize("preset", list(PRESETS))
def test_presets_are_clean(preset):
    layout = lay(load_network(preset))
    assert_clean(layout)


def test_the_lessons_network_shows_every_number():
    layout = lay(load_network("seed"))
    assert layout.mode == "full"
    assert layout.detail == {"values": True, "badges": True, "bias": True, "weights": True, "edge_badges": True}


@st.composite
def small_networks(draw):
    sizes = [draw(st.integers(1, 6)) for _ in range(draw(st.integers(2, 5)))]  # inputs + up to 4 layers
    layers = [{"units": n, "activation": draw(st.sampled_from(["relu", "tanh", "sigmoid"]))} for n in sizes[1:]]
    return {"input": [0.3] * sizes[0], "target": [0.5] * sizes[-1], "layers": layers,
            "seed": draw(st.integers(0, 99))}


@settings(max_examples=40, deadline=None)
@given(small_networks())
def test_random_small_networks_are_clean(spec):
    layout = lay(parse_spec(spec))
    assert_clean(layout)
    assert len(layout.units) == sum(len(v) for v in [spec["input"]]) + sum(l["units"] for l in spec["layers"]) + 1


def test_numbers_give_way_when_the_network_is_dense():
    spec = {"input": [0.1] * 6, "target": [0.0] * 6, "layers": [{"units": 6, "activation": "relu"}] * 3
            + [{"units": 6, "activation": "linear"}]}
    layout = lay(parse_spec(spec))
    assert layout.mode in ("compact", "tiny") and not layout.weight_labels
    assert_clean(layout)


def test_a_crowded_column_still_fits():
    spec = {"input": [0.1, 0.2], "target": [0.0, 1.0], "layers": [
        {"units": 64, "activation": "relu"}, {"units": 2, "activation": "linear"}]}
    layout = lay(parse_spec(spec))
    assert layout.mode == "tiny"
    assert_clean(layout)
