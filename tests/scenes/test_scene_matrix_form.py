"""matrix-form in transcript mode: every entry from the layer timeline, shapes that match, the
lesson's numbers as matrices, arithmetic true as shown, time to read."""

import re

import pytest

from backprop.engine.spec import load_network, parse_spec
from backprop.engine.timeline import build_timeline
from backprop.output.transcript import transcript
from tests.scenes.sums_numbers import shown_numbers, timeline_values, unmatched
from tests.scenes.test_transcript import arithmetic_problems, timing_problems

SHAPE = r"\(?\d+×\d+\)?ᵀ?"
IGNORE = (SHAPE, r"Layer \d+", r"\(\d+\)")
WIDE = {"name": "wide", "inputs": [[0.1 * k, -0.2, 0.3, 0.05 * k, 0.5, -0.1] for k in range(5)],
        "targets": [[1.0, 0.0]] * 5, "loss": "mse",
        "layers": [{"units": 5, "activation": "tanh", "weights": [[0.1 * (j - i) for i in range(6)] for j in range(5)],
                    "bias": [0.0] * 5},
                   {"units": 2, "activation": "sigmoid", "weights": [[0.3, -0.2, 0.1, 0.4, -0.5], [0.2] * 5],
                    "bias": [0.0, 0.1]}]}


@pytest.fixture(scope="module", params=["seed", "classifier", "batch", "wide"])
def played(request):
    net = parse_spec(WIDE) if request.param == "wide" else load_network(request.param)
    return net, transcript("matrix-form", build_timeline(net), network=net)


def test_every_entry_is_the_layer_timelines(played):
    net, data = played
    layered = build_timeline(net, granularity="layer")
    assert len(shown_numbers(data, ignore=IGNORE)) > 15
    assert unmatched(data, timeline_values(layered), ignore=IGNORE) == []


def test_arithmetic_time_to_read_and_size(played):
    _, data = played
    assert arithmetic_problems(data) == []
    assert timing_problems(data) == []
    assert [i["text"] for i in data["items"] if i["px"] < 16 - 0.05] == []  # nothing under 16 px at 854×480


def test_shapes_on_screen_match(played):
    """Every shape line is a valid product: inner sizes agree (·) or shapes are equal (⊙), and the
    result's shape is what the two give."""
    _, data = played
    lines = [i["text"] for i in data["items"] if i["text"].startswith("shapes: (")]
    assert lines
    for line in lines:
        m = re.match(r"shapes: \((\d+)×(\d+)\)(ᵀ?) (·|⊙) \((\d+)×(\d+)\)(ᵀ?) → (\d+)×(\d+)", line)
        assert m, line
        a = (int(m[1]), int(m[2]))[::-1] if m[3] else (int(m[1]), int(m[2]))
        b = (int(m[5]), int(m[6]))[::-1] if m[7] else (int(m[5]), int(m[6]))
        result = (int(m[8]), int(m[9]))
        if m[4] == "·":
            assert a[1] == b[0] and result == (a[0], b[1]), line
        else:
            assert a == b == result, line


def test_the_lessons_numbers_as_matrices():
    """The lesson's Step 3, 4 and 6 (backprop-lesson.md): ∂L/∂W₂ = [−0.050, −0.019], ∂L/∂h = [−0.056, 0.037],
    ∂L/∂W₁ = [[−0.028, −0.045], [0.019, 0.030]]; the W₂ᵀ δ₂ shape as the issue writes it."""
    net = load_network("seed")
    items = transcript("matrix-form", build_timeline(net), network=net)["items"]
    texts = [i["text"] for i in items]
    for line in ("δ₂ = [−0.093]", "∂L/∂W₂ = [−0.050, −0.019]", "W₂ᵀ = [0.6; −0.4]", "∂L/∂h₁ = [−0.056; 0.037]",
                 "∂L/∂W₁ = [−0.028, −0.045; 0.019, 0.030]", "shapes: (1×2)ᵀ · (1×1) → 2×1"):
        assert line in texts, line
    # 0.037 × 0.5 = 0.0185 shows as 0.019 only by rounding a half: that product says ≈, the others =
    relations = [i["text"] for i in items if i["text"] in ("=", "≈", "→")]
    assert relations == ["=", "=", "=", "=", "≈"]


def test_big_layers_show_shapes_and_a_corner():
    net = parse_spec(WIDE)
    items = transcript("matrix-form", build_timeline(net), network=net)["items"]
    assert any("⋯" in i["text"] for i in items)
    assert any(i["text"].endswith("(a few entries shown)") for i in items)
    assert "→" in [i["text"] for i in items]  # no "=" where entries are hidden
