"""Narration and subtitle cues: the narrator's sentence per beat, and cues a viewer can read."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from backprop.engine.presets import PRESETS
from backprop.engine.spec import load_network, parse_spec
from backprop.engine.timeline import build_timeline
from backprop.story.beats import plan_beats
from backprop.story.narration import narrate, scene_cues, split_cues
from backprop.story.texts import grad_text, loss_text, operand_text
from tests.story.cue_checks import SHORTEST, assert_readable


def seconds(cues):
    return [(c.start / 1000, c.end / 1000, c.text) for c in cues]


def flat(text):
    return "".join(text.split())


words = st.sampled_from(["Step", "1", "·", "Start", "at", "the", "loss", "∂L/∂y", "=", "−0.391:", "up."])
# any characters at all, or the lesson's words over and over (so cues could repeat)
texts = st.one_of(st.text(st.characters(blacklist_categories=("Cs",)), max_size=300),
                  st.lists(words, max_size=60).map(" ".join))


@settings(max_examples=150, deadline=None)
@given(text=texts, start=st.integers(0, 10**6), duration=st.integers(2000, 90_000))
def test_any_text_in_any_beat_makes_readable_cues(text, start, duration):
    cues = split_cues(text, start, start + duration)
    assert_readable(seconds(cues))
    assert all(start <= c.start and c.end <= start + duration for c in cues)
    assert bool(cues) == bool(text.split())
    # what the cues say is the text, in order (a text too long for its time ends in "…")
    said, rest = [flat(c.text) for c in cues], flat(text)
    for k, piece in enumerate(said):
        if k == len(said) - 1 and piece.endswith("…") and not rest.startswith(piece):
            piece = piece[:-1]
        position = rest.find(piece)
        assert position >= 0, (piece, rest)
        rest = rest[position + len(piece):]


@settings(max_examples=150, deadline=None)
@given(lengths=st.lists(st.integers(1, 10), min_size=1, max_size=60), start=st.integers(0, 10**6),
       duration=st.integers(2000, 90_000))
def test_a_text_that_fits_covers_its_beat_word_for_word(lengths, start, duration):
    words = ["a" * n + str(k) for k, n in enumerate(lengths)]  # distinct, at most 12 characters
    chars = len(" ".join(words))
    # Two lines of 42 take ≥ 60 characters of 12-letter words: room for the text in the time it has
    room = (duration // 1500 - 1) * 60
    if chars > room or len(words) < math.ceil(duration / 7000):
        return
    cues = split_cues(" ".join(words), start, start + duration)
    assert_readable(seconds(cues))
    assert " ".join(c.text.replace("\n", " ") for c in cues) == " ".join(words)
    assert cues[0].start == start and cues[-1].end == start + duration
    assert all(a.end == b.start for a, b in zip(cues, cues[1:]))


def test_too_much_to_read_is_cut_with_an_ellipsis():
    text = " ".join(f"word{k}" for k in range(100))
    cues = split_cues(text, 0, 3000)
    assert len(cues) == 2 and cues[-1].text.endswith("…")
    assert_readable(seconds(cues))


def test_a_repeated_text_is_one_cue():
    cues = split_cues("again again again again", 0, 14000)  # two cues of "again again" would be needed
    assert [(c.start, c.end, c.text) for c in cues] == [(0, 7000, "again again")]


beats = st.lists(st.tuples(st.lists(words, max_size=12).map(" ".join), st.floats(0.05, 30)), min_size=1, max_size=12)


@settings(max_examples=150, deadline=None)
@given(beats=beats, start=st.floats(0, 100))
def test_a_scene_of_beats_of_any_length_has_readable_cues(beats, start):
    spans, t = [], start
    for text, duration in beats:
        spans.append((text, t, t + duration))
        t += duration
    cues = seconds(scene_cues(spans))
    if t - start >= SHORTEST:
        assert_readable(cues)
    assert all(start - 1e-3 <= s and e <= t + 1e-3 for s, e, _ in cues)
    if any(text.split() for text, _ in beats):
        assert cues


def beat_numbers(beat, timeline):
    """Every number of a beat's events, as the screen writes it."""
    found = set()
    for e in beat.events:
        values = [e["value"], e.get("grad")] + list(e.get("factors", [])) + list(e.get("terms", []))
        for v in values:
            if isinstance(v, float):
                found |= {grad_text(v), operand_text(v)}
        if e["kind"] == "loss":
            found.add(loss_text(e["value"]))
    return found


NETWORKS = [load_network(name) for name in PRESETS] + [
    parse_spec(dict(PRESETS["seed"], inputs=[[0.5, 0.8], [1.0, -0.5], [-1.0, 0.2]], targets=[[1.0], [0.0], [1.0]])),
    parse_spec({"name": "chain", "inputs": [[0.5]], "targets": [[0.2]], "loss": "mse",
                "layers": [{"units": 1, "activation": "tanh"}, {"units": 1, "activation": "tanh"}], "seed": 1}),
]


def test_every_beat_says_one_of_its_own_numbers():
    for net in NETWORKS:
        timeline = build_timeline(net)
        for beat in plan_beats(timeline):
            text = narrate(beat, timeline)
            assert text != beat.caption and text.endswith("."), (net.name, beat.caption, text)
            assert any(n in text for n in beat_numbers(beat, timeline)), (net.name, beat.caption, text)


def test_seed_says_the_lessons_sentences():
    timeline = build_timeline(load_network("seed"))
    said = {b.caption: narrate(b, timeline) for b in plan_beats(timeline)}
    seed = timeline.of_kind("seed")[0]
    assert seed["value"] < 0  # y = 0.609 is below t = 1: the output should go up
    assert said["Step 1 · Start at the loss"] == f"∂L/∂y = {grad_text(seed['value'])}: the output should go up."
    out = next(e for e in timeline.of_kind("multiply") if e["target"] == "z2_1")
    assert said["Step 2 · Through the output activation"] == (
        f"σ′ scales it: {operand_text(seed['value'])} × {operand_text(out['factors'][1])} = "
        f"{operand_text(out['value'])} at the output unit.")
    w = next(e for e in timeline.of_kind("param_grad") if e["param"] == "W2[1,1]")
    assert said["Step 3 · Output-layer weights"].endswith(f"∂L/∂W₂[1,1] = {grad_text(w['value'])}.")
    x1 = next(e for e in timeline.of_kind("accumulate") if e["target"] == "x1")
    assert said["Gradients add up where paths branch"].startswith("x₁ fed two units, so its two contributions add up:")
    # the exact terms add to −0.0298: the shown ones do not give −0.030 exactly, so "≈", as on the card
    assert said["Gradients add up where paths branch"].endswith(f"−0.022 + (−0.0074) ≈ {operand_text(x1['value'])}.")


def test_the_block_view_names_the_size_of_a_gradient():
    timeline = build_timeline(load_network("seed"), granularity="layer")
    for beat in plan_beats(timeline):
        text = narrate(beat, timeline)
        norms = {operand_text(e["norm"]) for e in beat.events if "norm" in e}
        if norms:
            assert any(n in text for n in norms), text
