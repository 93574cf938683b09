"""Counts of work as the why-backwards scene writes them (formatting only; the engine counts).

Whole numbers up to a million are written out, grouped in threes by thin spaces (101 632); larger
ones in powers of ten with three significant figures (2.07 × 10¹⁰), as everywhere in the video.
"""

from __future__ import annotations

from backprop.engine.labels import fmt

THIN = "\u2009"  # a thin space between groups of three digits
WRITTEN_OUT = 10**6


def count_text(n: int) -> str:
    if n < WRITTEN_OUT:
        return f"{n:,}".replace(",", THIN)
    return fmt(float(n))


def times_text(x: float) -> str:
    """How many times fewer: 5.1 under ten, whole numbers above (78, 67 816)."""
    return fmt(x, 0) if x < 10 else count_text(round(x))
