"""Card texts on many random networks, without manim: every worked line true as shown."""

from hypothesis import given, settings

from backprop.engine.spec import load_network, parse_spec
from backprop.engine.timeline import build_timeline
from backprop.story.cards import CardWriter
from backprop.story.texts import fmt, grad_text, shown
from tests.arithmetic import check_line, significant_figures
from tests.helpers import random_specs


def card_lines(timeline) -> list[str]:
    cards = CardWriter(timeline)
    lines = []
    for e in timeline.events:
        kind = e["kind"]
        if kind == "seed" and "numbers" in e:
            text = cards.seed(e)
        elif kind == "local" and "numbers" in e:
            text = cards.local(e)
        elif kind in ("multiply", "param_grad") and timeline.granularity == "scalar":
            text = cards.product(e)
        elif kind == "accumulate" and timeline.granularity == "scalar":
            text = cards.total(e)
        elif kind == "update" and timeline.granularity == "scalar":
            text = cards.update(e)
            lines.append(text.numbers.split(":", 1)[1])
            continue
        else:
            continue
        lines.append(f"{text.numbers} {text.result}")
    return lines


@settings(max_examples=300, deadline=None)
@given(random_specs(max_layers=4, max_units=3, max_batch=3))
def test_every_card_line_is_true_as_shown(spec):
    for line in card_lines(build_timeline(parse_spec(spec), "scalar")):
        assert check_line(line) == [], line


def test_tiny_gradients_keep_two_significant_figures():
    """deep-sigmoid is about the gradient shrinking: its smallest must not round to 0.001."""
    timeline = build_timeline(load_network("deep-sigmoid"))
    grads = [e["value"] for e in timeline.of_kind("param_grad")]
    assert min(abs(g) for g in grads) < 1e-3
    for g in grads:
        text = grad_text(g)
        assert significant_figures(text) >= 2, text
        assert abs(shown(text) - g) <= 0.05 * abs(g) + 5e-4, (text, g)
    assert fmt(8.77e-4) == "8.8 × 10⁻⁴" and fmt(-0.00877) == "−0.0088" and fmt(0.045) == "0.045"


def test_the_lessons_lines():
    lines = card_lines(build_timeline(load_network("seed")))
    assert "= 0.609 × (1 − 0.609) = 0.238" in lines
    assert "= −0.022 + (−0.0074) ≈ −0.030" in lines
    assert "  0.3 − 0.1 × (−0.045) = 0.3045" in lines
