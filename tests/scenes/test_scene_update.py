"""The `update` scene in transcript mode: the step is the timeline's update events, the curve the
engine's training; cards and table rows true as shown; the curve's labels in frame, apart."""

import itertools
import json

import pytest
from manim import config, tempconfig

from backprop.engine.presets import PRESETS
from backprop.engine.report import report_from_timeline
from backprop.engine.spec import load_network, parse_spec
from backprop.engine.timeline import build_timeline
from backprop.engine.training import train
from backprop.scenes.update import STEPS, UpdateScene
from backprop.stage.update import MAX_UPDATE_ROWS
from backprop.stage.board import Label
from tests.helpers import run_cli
from tests.plays import network_of, played as shared
from tests.scenes.playing import SKIPPING
from tests.scenes.shown_numbers import flatten, timeline_numbers, unexplained
from tests.scenes.transcript_checks import arithmetic_problems, timing_problems

BATCH = {"name": "batch3", "inputs": [[0.5, 0.8], [0.1, -0.3], [0.9, 0.2]], "targets": [[1.0], [0.0], [1.0]],
         "loss": "mse", "learning_rate": 0.5,
         "layers": [{"units": 3, "activation": "tanh", "weights": [[0.4, 0.3], [-0.2, 0.5], [0.1, -0.6]],
                     "bias": [0.1, -0.1, 0.0]},
                    {"units": 1, "activation": "sigmoid", "weights": [[0.6, -0.4, 0.3]], "bias": [0.2]}]}


def training_numbers(t) -> list[float]:
    return flatten([t.losses, t.drops, t.steps, t.learning_rate])


def engine_numbers(tl, net) -> list[float]:
    """The timeline's, the training's, and the report's count of rows a short table leaves out."""
    left_out = report_from_timeline(tl, limit=MAX_UPDATE_ROWS).left_out
    return timeline_numbers(tl) + training_numbers(train(net, STEPS)) + [left_out]


def played(source):
    """(timeline, transcript) of update on `source` (a preset's name or a spec)."""
    return build_timeline(network_of(source)), shared("update", source)


@pytest.fixture(scope="module")
def seed():
    return played("seed")


def test_the_lessons_update_reads_right(seed):
    tl, data = seed
    texts = [i["text"] for i in data["items"]]
    # the lesson: w₁₂_new = 0.3 − (0.1 × −0.045) = 0.3045
    assert any("W₁[1,2]:  0.3 − 0.1 × (−0.045) = 0.3045" in t for t in texts if "learning rate" in t)
    rows = [i["text"] for i in data["items"] if i["role"] == "table"]
    assert len(rows) == 9 and "W₁[1,2]:  0.3 − 0.1 × (−0.045) = 0.3045" in rows
    # forward again: the loss goes down (hand-worked: L = ½(0.6092 − 1)² = 0.0764 before the step)
    assert any("= 0.0764 − 0.0744 = 0.0020" in t for t in texts)
    assert any(t == f"after {STEPS} steps: L = 0.0109" for t in texts)
    assert arithmetic_problems(data) == [] and timing_problems(data) == []


@pytest.mark.parametrize("name", ["seed", "branching", "classifier", "batch3"])
def test_every_number_shown_is_the_engines(seed, name):
    source = BATCH if name == "batch3" else name
    net = network_of(source)
    tl, data = seed if name == "seed" else played(source)
    assert unexplained(data, engine_numbers(tl, net)) == []
    assert arithmetic_problems(data) == [] and timing_problems(data) == []
    # the axis ticks are the only numbers no engine made: they span every loss on the curve
    ticks = [float(i["text"]) for i in data["items"] if i["role"] == "legend" and i["text"][0].isdigit()]
    losses = train(net, STEPS).losses
    assert max(ticks) >= max(losses) and STEPS in ticks


def test_a_frozen_parameter_says_so_and_keeps_its_value():
    spec = {**PRESETS["seed"], "frozen": ["b1"]}
    net = parse_spec(spec)
    tl, data = played(spec)
    rows = [i["text"] for i in data["items"] if i["role"] == "table"]
    assert "b₁[1]:  frozen, step 0, stays 0.1" in rows and "b₁[2]:  frozen, step 0, stays −0.1" in rows
    assert unexplained(data, engine_numbers(tl, net)) == []
    assert arithmetic_problems(data) == []


def test_a_learning_rate_too_large_is_said_not_hidden():
    # y = w·x, x = 1, t = 1, w = 0: L = ½, ∂L/∂w = −1; w ← 0 + 2.5 = 2.5: L = ½ × 1.5² = 1.125
    spec = {"inputs": [[1.0]], "targets": [[1.0]], "loss": "mse", "learning_rate": 2.5,
            "layers": [{"units": 1, "activation": "linear", "weights": [[0.0]], "bias": [0.0]}]}
    t = train(parse_spec(spec), 1)
    assert t.losses == pytest.approx([0.5, 0.5 * (2 * 2.5 - 1) ** 2])  # both w and b step by 2.5
    _, data = played(spec)
    captions = [i["text"] for i in data["items"] if i["role"] == "caption"]
    assert "Forward again: the loss went up" in captions
    assert arithmetic_problems(data) == []


def test_the_curve_and_its_labels_stay_in_frame_and_apart():
    net = load_network("classifier")  # the steepest curve of the presets
    with tempconfig(SKIPPING):
        scene = UpdateScene(network=net, timeline=build_timeline(net), skip_animations=True)
        scene.render()
        w, h = config.frame_width, config.frame_height
    labels = [m for m in scene.get_mobject_family_members() if isinstance(m, Label)]
    assert {m.original_text for m in labels} >= {"step", "loss L", "after 100 steps: L = 0.0287"}
    boxes = [(m.get_left()[0], m.get_right()[0], m.get_bottom()[1], m.get_top()[1], m.original_text) for m in labels]
    for l, r, b, t, text in boxes:
        assert -w / 2 <= l and r <= w / 2 and -h / 2 <= b and t <= h / 2, text
    for (l1, r1, b1, t1, a), (l2, r2, b2, t2, c) in itertools.combinations(boxes, 2):
        assert r1 <= l2 or r2 <= l1 or t1 <= b2 or t2 <= b1, (a, c)
    # the end label sits above the curve wherever it spans it
    graph = next(m for m in scene.mobjects if hasattr(m, "submob_dict") and "line_graph" in m.submob_dict)
    end = next(m for m in labels if m.original_text.startswith("after"))
    pts = graph["line_graph"].points
    under = pts[(pts[:, 0] >= end.get_left()[0]) & (pts[:, 0] <= end.get_right()[0])]
    assert len(under) and under[:, 1].max() < end.get_bottom()[1]


def test_an_unplayable_network_is_one_line_exit_2(capsys, tmp_path):
    big = {"inputs": [[0.1] * 30], "targets": [[0.0]], "loss": "mse",
           "layers": [{"units": 80, "activation": "relu"}, {"units": 1, "activation": "linear"}]}
    path = tmp_path / "big.json"
    path.write_text(json.dumps(big))
    code, out, err = run_cli(capsys, "render", "update", "--network", str(path), "--output-dir", str(tmp_path / "o"))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "scene 'update' cannot play network: it is drawn one block per layer" in err
    assert not (tmp_path / "o").exists()


ALL_FROZEN = {**PRESETS["seed"], "frozen": ["W1", "b1", "W2", "b2"]}


def test_with_every_parameter_frozen_the_loss_is_said_unchanged_not_up():
    """Issue 23: `frozen` naming every parameter: the step moves nothing, the loss is the same before and
    after; the caption said "the loss went up" and the narrator "this learning rate overshoots"."""
    from backprop.story.update import UpdateTexts

    t = train(parse_spec(ALL_FROZEN), STEPS)
    assert t.losses == [t.losses[0]] * (STEPS + 1)
    _, data = played(ALL_FROZEN)
    captions = [i["text"] for i in data["items"] if i["role"] == "caption"]
    assert "Forward again: the loss is unchanged" in captions and not [c for c in captions if "went up" in c]
    say = UpdateTexts(t)
    assert "overshoots" not in say.said_forward_again() and "stays at" in say.said_forward_again()
    assert " up from " not in say.said_curve() and "is still" in say.said_curve()


def test_every_parameter_frozen_steps_0_by_the_same_rule():
    """Nothing moves, so forward again gives the same L: the caption says unchanged, never "went up",
    and the table says each step is 0 (the same rule, not the same step)."""
    _, data = played(ALL_FROZEN)
    captions = [i["text"] for i in data["items"] if i["role"] == "caption"]
    assert "Forward again: the loss is unchanged" in captions
    assert not any("went up" in c or "lower" in c or "same step" in c for c in captions)
    assert any(c.startswith("Every parameter follows the same rule") for c in captions)
    rows = [i["text"] for i in data["items"] if i["role"] == "table"]
    assert rows and all("frozen, step 0" in r for r in rows)
