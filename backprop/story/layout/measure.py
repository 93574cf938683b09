"""How big a label is: text measured in the theme's font (story.fonts), the box each kind of label
takes around its text, and the smallest a label may be drawn."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from backprop.story import fonts
from backprop.story.frame import SHORT_SIDE
from backprop.story.layout.geometry import Box

CHAR_W = 0.0088  # text width per character per font-size point (DejaVu Sans digits, measured)
TEXT_H = 0.0135  # text height per font-size point
PX = 480 / SHORT_SIDE  # pixels per frame unit at low quality (854×480 at 16:9), every aspect
MIN_LINE_PX = 16  # no label's line is shorter than this at 854×480
PILL_PAD = (0.16, 0.0)  # a gradient's pill is its text box plus this (width, height)
LABEL_PAD = 0.05  # a plain label's background reaches this far past its text on either side

# Advance widths of DejaVu Sans, relative to a digit (measured with manim's Text).
_WIDTHS = {**dict.fromkeys("0123456789", 1.0), **dict.fromkeys("₀₁₂₃₄₅₆₇₈₉", 0.63),
           **dict.fromkeys(". ,:", 0.5), **dict.fromkeys("−+=→×", 1.32), **dict.fromkeys("[]()/'i", 0.6),
           **dict.fromkeys("Wm", 1.55), **dict.fromkeys("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", 0.63)}

# The font labels are measured in: the theme's, set while a layout is made (`measured_in`).
_FONT: ContextVar[str] = ContextVar("font", default="DejaVu Sans")


@contextmanager
def measured_in(font: str):
    token = _FONT.set(font)
    try:
        yield
    finally:
        _FONT.reset(token)


def text_width(text: str, size: float) -> float:
    """Width of `text` in frame units at font size `size`, as drawn: measured from the font
    (story.fonts), or estimated from DejaVu Sans's widths where it cannot be measured."""
    measured = fonts.text_width(text, size, _FONT.get())
    if measured is not None:
        return measured
    return sum(_WIDTHS.get(ch, 0.97) for ch in text) * CHAR_W * size


def text_box(x: float, y: float, chars, size: float) -> Box:
    """The box a label takes: `chars` is its widest text, or a character count."""
    w, h = _text_wh(chars, size, _FONT.get())
    return Box(x, y, w, h)


def plain_box(x: float, y: float, text: str, size: float) -> Box:
    """The box a weight's or a bias's value takes: its text and a clear gap either side, so an edge
    that meets it stops short of the digits (an edge running into "0.9" reads as "−0.9")."""
    w, h = _text_wh(text, size, _FONT.get())
    return Box(x, y, w + 2 * LABEL_PAD, h)


def pill_box(x: float, y: float, text: str, size: float) -> Box:
    """The box a gradient takes: its text in a rounded pill (drawn by Board.badge)."""
    w, h = _text_wh(text, size, _FONT.get())
    return Box(x, y, w + PILL_PAD[0], h + PILL_PAD[1])


@lru_cache(maxsize=16384)
def _text_wh(chars, size: float, font: str) -> tuple[float, float]:
    width = text_width(chars, size) if isinstance(chars, str) else chars * CHAR_W * size
    return width + 0.08, TEXT_H * size + 0.06


def min_label_size(size: float) -> float:
    """The smallest a label may shrink to: a line of MIN_LINE_PX at 854×480 (never above `size`)."""
    return min(size, MIN_LINE_PX / (TEXT_H * PX))


def block_text_size(size: float, px: float = 20) -> float:
    """A font size no smaller than `size` whose line is at least `px` pixels tall at 854×480."""
    return max(size, px / (TEXT_H * PX))
