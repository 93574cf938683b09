"""Beats and captions: the storyboard's steps, in its words and order."""

from backprop.engine.presets import PRESETS
from backprop.engine.spec import load_network, parse_spec
from backprop.engine.timeline import build_timeline
from backprop.story.beats import plan_beats


def captions(net):
    return [b.caption for b in plan_beats(build_timeline(net))]


def test_seed_follows_the_storyboard():
    assert captions(load_network("seed")) == [
        "Forward pass recap",
        "Step 1 · Start at the loss",
        "Step 2 · Through the output activation",
        "Step 3 · Output-layer weights",
        "Step 4 · Back to the hidden layer",
        "Step 5 · Through ReLU",
        "Step 6 · Hidden-layer weights",
        "Gradients add up where paths branch",
        "Using the gradients: one update",
    ]


def test_branching_makes_step_4_a_branch_point():
    assert "Step 4 · Back to the hidden layer: contributions add up" in captions(load_network("branching"))


def test_every_event_is_in_exactly_one_beat():
    for name in PRESETS:
        timeline = build_timeline(load_network(name))
        events = [e["t"] for b in plan_beats(timeline) for e in b.events]
        assert events == list(range(len(timeline.events)))


def test_a_batch_says_which_example_the_units_show():
    spec = dict(PRESETS["seed"], inputs=[[0.5, 0.8], [1.0, -0.5]], targets=[[1.0], [0.0]])
    assert captions(parse_spec(spec))[0] == "Forward pass recap (example 1 of 2)"
