"""The player, built in skip-animations mode: every gradient shown, sums carded, timeline order kept."""

import itertools

import pytest
from manim import Text, tempconfig

from engine.spec import load_network
from engine.timeline import build_timeline
from scenes.backward import BackwardPass
from scenes.layout import FRAME_H, FRAME_W
from scenes.stage import Stage
from scenes.texts import grad_text

BACKWARD_KINDS = {"seed", "local", "multiply", "accumulate", "param_grad"}


def build(preset, monkeypatch=None, end_on_network=True):
    sums = []
    if monkeypatch is not None:
        original = Stage.show_sum_card

        def spy(self, card):
            sums.append(card)
            return original(self, card)
        monkeypatch.setattr(Stage, "show_sum_card", spy)
    timeline = build_timeline(load_network(preset))
    with tempconfig({"dry_run": True, "disable_caching": True, "verbosity": "ERROR", "progress_bar": "none"}):
        scene = BackwardPass(timeline=timeline, end_on_network=end_on_network, skip_animations=True)
        scene.render()
    return timeline, scene, sums


def texts_on_screen(scene):
    return [m.original_text for m in scene.get_mobject_family_members() if isinstance(m, Text)]


@pytest.mark.parametrize("preset", ["seed", "branching"])
def test_every_gradient_is_on_screen_at_the_end(preset):
    timeline, scene, _ = build(preset)
    shown = texts_on_screen(scene)
    for e in timeline.of_kind("param_grad"):
        assert grad_text(e["value"]) in shown, e["param"]
    # each unit ends with its last gradient: ∂L/∂z for layer units, ∂L/∂x for inputs
    final = {}
    for e in timeline.events:
        if e["kind"] in ("multiply", "accumulate") and not e.get("partial") and e["target"][0] in "xz":
            final[e["target"]] = e["value"]
    for node, value in final.items():
        uid = scene.stage.layout.unit_of[node]
        assert scene.stage.badges[uid][1].original_text == grad_text(value), node


@pytest.mark.parametrize("preset", ["seed", "branching"])
def test_one_sum_card_per_accumulate_event(preset, monkeypatch):
    timeline, scene, cards = build(preset, monkeypatch)
    accumulates = timeline.of_kind("accumulate")
    finished = [c for c in cards if c.result is not None]  # a sum card that shows its total
    assert len(finished) == len(accumulates) >= 2
    for card, e in zip(finished, accumulates):
        assert card.result.original_text == grad_text(e["value"])
        numbers = card[1][1][0].original_text  # the line of terms
        assert numbers.count("+") == len(e["terms"]) - 1


@pytest.mark.parametrize("preset", ["seed", "branching"])
def test_events_play_in_timeline_order(preset):
    timeline, scene, _ = build(preset)
    played = [e["t"] for e in scene.played]
    assert played == sorted(played) and len(set(played)) == len(played)
    backward = [e["t"] for e in timeline.events if e["kind"] in BACKWARD_KINDS]
    assert [t for t in played if timeline.events[t]["kind"] in BACKWARD_KINDS] == backward


@pytest.mark.parametrize("preset", ["seed", "branching", "deep-sigmoid", "classifier"])
def test_drawn_labels_do_not_overlap_and_stay_in_frame(preset):
    """The real mobjects, measured: what the layout estimated must hold for what Pango drew."""
    _, scene, _ = build(preset)
    st = scene.stage
    things = {f"unit:{k}": v[0] for k, v in st.boxes.items()}
    things.update({f"badge:{k}": v for k, v in st.badges.items()})
    things.update({f"weight:{k}": v for k, v in st.weight_labels.items()})
    things.update({f"bias:{k}": v for k, v in st.bias_labels.items()})
    boxes = {k: (m.get_left()[0], m.get_right()[0], m.get_bottom()[1], m.get_top()[1]) for k, m in things.items()}
    for k, (l, r, b, t) in boxes.items():
        assert -FRAME_W / 2 <= l and r <= FRAME_W / 2 and -FRAME_H / 2 <= b and t <= FRAME_H / 2, k
    for (a, (l1, r1, b1, t1)), (b_, (l2, r2, b2, t2)) in itertools.combinations(boxes.items(), 2):
        assert r1 <= l2 or r2 <= l1 or t1 <= b2 or t2 <= b1, (a, b_)


def test_the_video_ends_on_the_gradient_table():
    timeline, scene, _ = build("seed", end_on_network=False)
    shown = texts_on_screen(scene)
    assert "to reduce the loss" in shown and "↑ increase" in shown and "↓ decrease" in shown
    assert any("0.3045" in t for t in shown)  # the update preview: w₁₂ 0.3 → 0.3045
    assert not any(isinstance(m, Text) and m.original_text == "b 0.1" for m in scene.mobjects)
