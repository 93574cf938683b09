"""matrix-form in transcript mode: every entry from the layer timeline, shapes that match, the
lesson's numbers as matrices, arithmetic true as shown, time to read."""

import re

import numpy as np
import pytest

from backprop.engine.timeline import build_timeline
from tests.arithmetic import evaluate, precision
from tests.plays import network_of, played as shared
from tests.scenes.sums_numbers import shown_numbers, timeline_values, unmatched
from tests.scenes.transcript_checks import arithmetic_problems, timing_problems

SHAPE = r"\(?\d+×\d+\)?ᵀ?"
IGNORE = (SHAPE, r"Layer \d+", r"\(\d+\)", r"÷ \d+", r"over \d+ examples")
WIDE = {"name": "wide", "inputs": [[0.1 * k, -0.2, 0.3, 0.05 * k, 0.5, -0.1] for k in range(5)],
        "targets": [[1.0, 0.0]] * 5, "loss": "mse",
        "layers": [{"units": 5, "activation": "tanh", "weights": [[0.1 * (j - i) for i in range(6)] for j in range(5)],
                    "bias": [0.0] * 5},
                   {"units": 2, "activation": "sigmoid", "weights": [[0.3, -0.2, 0.1, 0.4, -0.5], [0.2] * 5],
                    "bias": [0.0, 0.1]}]}


@pytest.fixture(scope="module", params=["seed", "classifier", "batch", "wide"])
def played(request):
    source = WIDE if request.param == "wide" else request.param
    return network_of(source), shared("matrix-form", source)


def test_every_entry_is_the_layer_timelines(played):
    net, data = played
    layered = build_timeline(net, granularity="layer")
    assert len(shown_numbers(data, ignore=IGNORE)) > 15
    assert unmatched(data, timeline_values(layered), ignore=IGNORE) == []


def matrix(text: str) -> np.ndarray:
    """`δ⁽¹⁾ = [−0.019, 0.029; 0.012, 0.000]` as a student reads it: rows split at ";"."""
    body = text.split(" = [", 1)[1].rstrip("]")
    return np.array([[evaluate(v) for v in row.split(", ")] for row in body.split("; ")])


def matrix_problems(items: list[dict]) -> list[str]:
    """Every product row `A op B = / ≈ C` checked entry by entry with the calculator rule: "=" rounds
    to each shown entry, "≈" within half its last place or 2 %."""
    problems = []
    for k, item in enumerate(items):
        if item["role"] != "note" or item["text"] not in ("=", "≈") or k < 3 or items[k - 2]["text"] not in ("·", "⊙"):
            continue
        a, b, c = items[k - 3]["text"], items[k - 1]["text"], items[k + 1]["text"]
        worked = matrix(a) @ matrix(b) if items[k - 2]["text"] == "·" else matrix(a) * matrix(b)
        shown = [v for row in c.split(" = [", 1)[1].rstrip("]").split("; ") for v in row.split(", ")]
        for w, r in zip(worked.flatten(), shown):
            half = precision(r)
            tolerance = half if item["text"] == "=" else max(half, 0.02 * abs(evaluate(r)))
            if abs(w - evaluate(r)) > tolerance * (1 + 1e-9) + 1e-12:
                problems.append(f"{a} {items[k - 2]['text']} {b} {item['text']} {c}: entry {w:.6g} shows as {r}")
    return problems


def test_arithmetic_time_to_read_and_size(played):
    _, data = played
    assert arithmetic_problems(data) == []
    assert matrix_problems(data["items"]) == []
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
    ∂L/∂W₁ = [[−0.028, −0.045], [0.019, 0.030]], and ∂L/∂b = δ; the W₂ᵀ δ⁽²⁾ shape as the issue writes it."""
    items = shared("matrix-form", "seed")["items"]
    texts = [i["text"] for i in items]
    for line in ("δ⁽²⁾ = [−0.093]", "∂L/∂W₂ = [−0.050, −0.019]", "W₂ᵀ = [0.6; −0.4]", "∂L/∂h⁽¹⁾ = [−0.056; 0.037]",
                 "∂L/∂W₁ = [−0.028, −0.045; 0.019, 0.030]", "shapes: (1×2)ᵀ · (1×1) → 2×1",
                 "∂L/∂b₂ = [−0.093]", "∂L/∂b₁ = [−0.056; 0.037]"):
        assert line in texts, line
    # 0.037 × 0.5 = 0.0185 shows as 0.019 only by rounding a half: that product says ≈, the others =
    relations = [i["text"] for i in items if i["text"] in ("=", "≈", "→")]
    assert relations == ["=", "=", "=", "=", "≈"]


def test_big_layers_show_shapes_and_a_corner():
    items = shared("matrix-form", WIDE)["items"]
    assert any("⋯" in i["text"] for i in items)
    assert any(i["text"].endswith("(a few entries shown)") for i in items)
    assert "→" in [i["text"] for i in items]  # no "=" where entries are hidden


def test_a_batch_says_its_mean_and_sums_the_bias_gradients(played):
    """A batch's δ carries its ÷ N (the loss is the examples' mean); the chapter ends on ∂L/∂b = δ,
    summed over the examples."""
    net, data = played
    texts = [i["text"] for i in data["items"] if i["role"] == "card"]
    n = net.X.shape[0]
    cards = [t for t in texts if t.startswith("δ⁽") and "∂L/∂z⁽" in t]
    assert cards and (f"÷ {n}" in cards[0]) == (n > 1)
    bias = [t for t in texts if t.startswith("∂L/∂b")]
    assert bias and bias[-1].startswith("∂L/∂b₁ = δ⁽¹⁾")
    assert ("summed" in bias[-1]) == (n > 1)
