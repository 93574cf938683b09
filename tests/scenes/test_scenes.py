"""The player, built in skip-animations mode: every gradient shown, sums carded, timeline order kept."""

import itertools

import pytest
from manim import tempconfig

from backprop.engine.spec import load_network
from backprop.engine.timeline import build_timeline
from backprop.scenes.backward import BackwardPass
from backprop.story.layout import FRAME_H, FRAME_W
from backprop.stage.board import Label
from backprop.stage.network import Stage
from backprop.story.texts import badge_text, grad_text
from tests.scenes.playing import SKIPPING

BACKWARD_KINDS = {"seed", "local", "multiply", "accumulate", "param_grad"}


def build(preset):
    """The whole video, skipping the animations; returns the timeline, the scene and every sum card."""
    sums = []
    original = Stage.show_sum_card

    def spy(self, card):
        sums.append(card)
        return original(self, card)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Stage, "show_sum_card", spy)
        timeline = build_timeline(load_network(preset))
        with tempconfig(SKIPPING):
            scene = BackwardPass(timeline=timeline, skip_animations=True)
            scene.render()
    return timeline, scene, sums


@pytest.fixture(scope="session")
def built_scenes():
    """Each preset's scene, built once for the whole session."""
    cache = {}

    def get(preset):
        if preset not in cache:
            cache[preset] = build(preset)
        return cache[preset]
    return get


@pytest.fixture(params=["seed", "branching"])
def lesson(request, built_scenes):
    """The networks the issue names: every number drawn, one card per event."""
    return built_scenes(request.param)


@pytest.fixture(params=["seed", "branching", "deep-sigmoid", "classifier"])
def built(request, built_scenes):
    return built_scenes(request.param)


def test_every_gradient_is_on_screen_at_the_end_of_the_pass(lesson):
    timeline, scene, _ = lesson
    for e in timeline.of_kind("param_grad"):
        assert badge_text(e["value"]) in scene.still_texts, e["param"]


def test_one_sum_card_per_accumulate_event(lesson):
    timeline, scene, cards = lesson
    accumulates = timeline.of_kind("accumulate")
    finished = [c for c in cards if c.result is not None]  # a sum card that shows its total
    assert len(finished) == len(accumulates) >= 2
    for card, e in zip(finished, accumulates):
        assert card.result.original_text == grad_text(e["value"])
        numbers = card[1][1][0].original_text  # the line of terms
        assert numbers.count("+") == len(e["terms"]) - 1


def test_events_play_in_timeline_order(built):
    timeline, scene, _ = built
    played = [e["t"] for e in scene.played]
    assert played == sorted(played) and len(set(played)) == len(played)
    backward = [e["t"] for e in timeline.events if e["kind"] in BACKWARD_KINDS]
    assert [t for t in played if timeline.events[t]["kind"] in BACKWARD_KINDS] == backward


def test_subtitles_are_readable_cues_that_say_the_narration(built):
    from tests.story.cue_checks import assert_readable
    timeline, scene, _ = built
    cues = [(c.start.total_seconds(), c.end.total_seconds(), c.content) for c in scene.renderer.file_writer.subcaptions]
    assert_readable(cues)
    assert cues[0][0] == 0 and abs(cues[-1][1] - scene.renderer.time) < 1e-3
    said = " ".join(text.replace("\n", " ") for _, _, text in cues)
    for text, _, _ in scene.spoken:
        assert text in said  # every beat's sentence, whole


def test_the_video_ends_on_the_gradient_table(built):
    timeline, scene, _ = built
    shown = [m.original_text for m in scene.get_mobject_family_members() if isinstance(m, Label)]
    assert "to reduce the loss" in shown
    grads = sorted((abs(e["value"]), e["value"]) for e in timeline.of_kind("param_grad"))
    for _, g in grads[-12:]:  # the table keeps the 12 largest when there are more
        assert grad_text(g) in shown
        assert ("↑ increase" if g < 0 else "↓ decrease") in shown
    # the update preview: the first layer's weight with the largest gradient (w₁₂ on seed: 0.3 → 0.3045)
    first = [e for e in timeline.of_kind("update") if e["param"].startswith("W1[")]
    u = max(first, key=lambda e: abs(e["grad"]))
    symbol = next(p["symbol"] for p in timeline.params if p["name"] == u["param"])
    assert any(t.startswith(symbol + ":") and t.endswith(f"{u['value']:.4f}") for t in shown)
    if timeline.network["name"] == "seed":
        assert u["param"] == "W1[1,2]" and f"{u['value']:.4f}" == "0.3045"


def test_each_unit_ends_with_its_last_gradient(built):
    """Sweeps included: after the pass, a unit's badge is the last gradient the timeline gave it."""
    timeline, scene, _ = built
    layout = scene.stage.layout
    final = {}
    for e in timeline.events:
        if e["kind"] in ("seed", "multiply", "accumulate") and not e.get("partial"):
            node = e["node"] if e["kind"] == "seed" else e["target"]
            if node in layout.unit_of:
                final[layout.unit_of[node]] = e["value"]
    assert len(final) == sum(timeline.network["sizes"])  # every input and every unit
    for uid, value in final.items():
        assert scene.stage.badges[uid][1].original_text == badge_text(value), uid


def test_drawn_labels_do_not_overlap_and_stay_in_frame(built):
    """The real mobjects, measured: what the layout estimated must hold for what Pango drew."""
    _, scene, _ = built
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


def render_skipping(timeline, scene_class=None, **kwargs):
    with tempconfig(SKIPPING):
        scene = (scene_class or BackwardPass)(timeline=timeline, skip_animations=True, **kwargs)
        scene.render()
    return scene


def test_a_large_network_plays_as_blocks_in_timeline_order():
    from backprop.engine.spec import parse_spec
    from backprop.stage.blocks import BlockStage, norm_text
    net = parse_spec({"input": [0.1] * 8, "target": [0, 1, 0, 0], "loss": "cross_entropy", "seed": 1,
                      "layers": [{"units": 64, "activation": "relu"}, {"units": 32, "activation": "tanh"},
                                 {"units": 4, "activation": "softmax"}]})
    timeline = build_timeline(net)
    assert timeline.granularity == "layer"
    scene = render_skipping(timeline, end_on_network=True)
    assert isinstance(scene.stage, BlockStage) and len(scene.stage.blocks) == 5  # x, h1, h2, y, L
    played = [e["t"] for e in scene.played]
    backward = [e["t"] for e in timeline.events if e["kind"] in BACKWARD_KINDS]
    assert [t for t in played if t in backward] == backward
    for e in timeline.of_kind("param_grad"):
        if e["param"].startswith("W"):
            badge = scene.stage.badges[e["param"]]
            assert badge[1][1].original_text == norm_text(e["norm"])


def test_a_batch_shows_the_first_example_on_units_and_sums_on_parameters():
    from backprop.engine.spec import parse_spec
    from backprop.engine.presets import PRESETS
    spec = dict(PRESETS["seed"], inputs=[[0.5, 0.8], [1.0, -0.5]], targets=[[1.0], [0.0]])
    timeline = build_timeline(parse_spec(spec))
    scene = render_skipping(timeline, end_on_network=True)
    first_delta = next(e for e in timeline.of_kind("multiply") if e["target"] == "z2_1" and e["example"] == 0)
    assert scene.stage.badges["y1"][1].original_text == badge_text(first_delta["value"])
    for e in timeline.of_kind("param_grad"):  # the batch sums
        assert badge_text(e["value"]) in scene.still_texts


class CountingCards(BackwardPass):
    """Counts the cards on screen after every beat."""

    def beat(self, caption, steps, **kwargs):
        super().beat(caption, steps, **kwargs)
        cards = [m for m in self.mobjects if hasattr(m, "result")]
        self.cards_after.append((caption, len(cards)))


@pytest.mark.parametrize("preset", ["seed", "branching"])
def test_cards_never_pile_up(preset):
    CountingCards.cards_after = []
    scene = render_skipping(build_timeline(load_network(preset)), CountingCards, end_on_network=True)
    assert scene.cards_after and all(n <= 2 for _, n in scene.cards_after), scene.cards_after  # a product and a sum
    assert scene.cards_after[-1][1] == 0  # the still for the notes has no card on it


def test_a_replaced_text_never_shows_over_its_successor():
    """Cards, captions and badges change in place: the old one is gone before the new one shows."""
    import numpy as np
    from manim import Square

    from backprop.stage.motion import replace

    old, new = Square().set_fill(opacity=1), Square().set_fill(opacity=1)
    leaving, arriving = replace(old, new)
    for anim in (leaving, arriving):
        anim.begin()
    seen = []
    for alpha in np.linspace(0, 1, 61):
        leaving.interpolate(alpha)
        arriving.interpolate(alpha)
        seen.append((old.get_fill_opacity(), new.get_fill_opacity()))
    assert seen[0] == (1, 0) and seen[-1] == (0, 1)
    assert max(min(o, n) for o, n in seen) < 0.05


def test_the_title_scene_shows_the_title_then_every_unit():
    """A scene is one file plus a catalog line: `title` plays the opening and leaves the network."""
    import importlib

    from backprop.scenes.catalog import SCENES

    info = SCENES["title"]
    cls = getattr(importlib.import_module(info.module), info.cls)
    timeline = build_timeline(load_network("seed"))
    scene = render_skipping(timeline, scene_class=cls)
    shown = scene.labels_on_screen()
    for symbol in ("x₁", "x₂", "h₁", "h₂", "y", "L"):
        assert any(text.startswith(symbol) for text in shown), symbol
    assert "Backpropagation: computing gradients layer by layer" not in shown  # the title has left
    assert scene.played == []  # no gradient yet
    said = [s.content.replace("\n", " ") for s in scene.renderer.file_writer.subcaptions]
    assert said[:2] == ["Backpropagation: computing gradients layer by layer", "The network we will train"]
    assert said[2].startswith("The goal: for each of the 9 weights and biases")  # seed: W₁ 4, b₁ 2, W₂ 2, b₂ 1


def test_a_scene_can_show_an_event_kind_its_own_way():
    """Each scene has its own registry: overriding one kind changes that scene only."""
    from backprop.scenes.builders import UNIT_BUILDERS

    seen = []

    class QuietLocals(BackwardPass):
        builders = {**UNIT_BUILDERS, "local": lambda ctx, e: seen.append(e["t"]) or []}

    timeline = build_timeline(load_network("seed"))
    scene = render_skipping(timeline, scene_class=QuietLocals, end_on_network=True)
    assert seen == [e["t"] for e in timeline.of_kind("local")]
    assert not any(e["kind"] == "local" for e in scene.played)
    assert BackwardPass.builders["local"] is UNIT_BUILDERS["local"]  # the default is untouched
