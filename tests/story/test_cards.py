"""Card texts on many random networks, without manim: every worked line true as shown."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

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


@st.composite
def saturating_specs(draw):
    """Weights up to ±7 (sigmoid and tanh units deep in their flat tails, y = 0.999…), batches of up
    to 3: the networks where rounded operands lose a line's result and 1 − y is the point."""
    spec = draw(random_specs(max_layers=3, max_units=3, max_batch=3))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    sizes = [len(spec["inputs"][0])] + [layer["units"] for layer in spec["layers"]]
    for layer, (fan_in, units) in zip(spec["layers"], zip(sizes, sizes[1:])):
        layer["weights"] = rng.uniform(-7, 7, (units, fan_in)).round(2).tolist()
        layer["bias"] = rng.uniform(-1, 1, units).round(2).tolist()
    return spec


@settings(max_examples=60, deadline=None, derandomize=True)
@given(saturating_specs())
def test_saturated_and_batched_networks_read_true(spec):
    """The calculator rule (tests/arithmetic.py: "≈" within half the last place or 2 %) on every card
    line of 60 networks with saturated units and batches; a saturated unit's local-gradient card shows
    1 − y with two significant figures."""
    timeline = build_timeline(parse_spec(spec), "scalar")
    for line in card_lines(timeline):
        assert check_line(line) == [], line
    cards = CardWriter(timeline)
    for e in timeline.of_kind("local"):
        if e["activation"] == "sigmoid" and 1e-6 < 1 - e["operands"]["out"] < 0.01:
            y = cards.local(e).numbers.split("(1 − ")[1].split(")")[0]
            assert significant_figures(f"{1 - shown(y):.12f}".rstrip("0")) >= 2, (y, e["operands"]["out"])
