"""The confusions scene's card lines (formatting only; backprop.engine.confusions finds the numbers).

Each factor of a path is written as the video writes it where it came from (CardWriter.factor), and
a line ends in "=" only where the factors as shown give the result as shown, else "≈" — the same
rule as every card (story/cards.py).
"""

from __future__ import annotations

import math

from backprop.engine.confusions import OnePath
from backprop.language import _, current
from backprop.story.beats import plan_beats
from backprop.story.cards import CardWriter
from backprop.story.texts import grad_text, product_text, sum_text, value_text, worked_line

MAX_FACTORS = 7  # a longer path would not fit one readable line


def factor_texts(cards: CardWriter, path: OnePath) -> list[str]:
    return [cards.factor(f.value, f.t) if f.t is not None else value_text(f.value) for f in path.factors]


def product_line(cards: CardWriter, path: OnePath) -> str:
    """−0.391 × 0.238 × 0.6 × 1 × 0.8 ≈ −0.045: the gradient (the timeline's) as the product."""
    result = grad_text(path.gradient).lstrip("+")
    texts, rel = worked_line([f.value for f in path.factors], factor_texts(cards, path), math.prod, result)
    return f"{product_text(texts)} {rel} {result}"


def sum_line(cards: CardWriter, path: OnePath) -> str:
    """−0.391 + 0.238 + 0.6 + 1 + 0.8 = 2.247: what adding the factors would give instead."""
    result = value_text(path.total)
    texts, rel = worked_line([f.value for f in path.factors], factor_texts(cards, path), sum, result)
    return f"{sum_text(texts)} {rel} {result}"


def factors_line(path: OnePath) -> str:
    """The symbols of the path's factors: ∂L/∂y, σ′(z), W₂[1,1], ReLU′(z₁), x₂."""
    return ", ".join(f.symbol for f in path.factors)


def step_name(timeline, t: int) -> str:
    """Where event `t` happens, in the backward scene's words: "step 4 (back to the hidden layer)"
    (a lecture's viewers know the steps, never the program's event numbers)."""
    beat = next(b for b in plan_beats(timeline) if any(e["t"] == t for e in b.events))
    number, _sep, what = beat.caption.partition(" · ")
    if not what:  # an unnumbered beat: the branch point, or the updates
        return _("the step “{what}”").format(what=mid_sentence(number))
    return _("step {step} ({what})").format(step=number.rsplit(" ", 1)[-1], what=mid_sentence(what))


def mid_sentence(caption: str) -> str:
    """A caption inside a sentence: its first letter small, except in German, which capitalises nouns."""
    return caption if current() == "de" else caption[0].lower() + caption[1:]
