"""One theme object: colours, font, sizes and pace. Passed in; nothing reads it at import time.

Four named themes (`THEMES`): dark for the lecture hall, light for white slides, print for paper
(black on white; the sign told by a minus or plus and a dashed edge, never by colour alone), and
high-contrast (larger numerals, every text colour at least 4.5:1 against what it sits on, WCAG 1.4.3).
A theme file changes a few fields of one of them (`base = "light"`; dark when it names none).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

MAX_PACE = 4  # four times as slow: a ~6-minute lesson; slower, no lecture would play it
MIN_PACE = 0.1  # ten times as fast; faster, an animation shorter than a frame (5e-324: none at all)
MIN_SIZE = 0.5  # sizes and widths: a denormal would reach Pango and Cairo as 0


@dataclass(frozen=True)
class Theme:
    background: str = "#12161C"
    negative: str = "#E69F00"  # Okabe–Ito orange: a negative gradient
    positive: str = "#56B4E9"  # Okabe–Ito sky blue: a positive gradient
    zero: str = "#9AA3B2"
    text: str = "#E8ECF2"
    muted: str = "#98A2B3"  # forward values, parameter values
    unit_fill: str = "#1E2530"
    unit_stroke: str = "#C9D1DC"
    edge: str = "#667085"  # 3.6:1 against the background: visible before any gradient lights it
    card_fill: str = "#1A2029"
    card_stroke: str = "#6B7585"
    font: str = "DejaVu Sans"
    caption_size: float = 28
    title_size: float = 36
    card_size: float = 28
    badge_size: float = 20
    label_size: float = 20
    edge_width: float = 2.0
    max_edge_width: float = 9.0
    pace: float = 1.0  # multiplies every run time and pause

    def sign_color(self, value: float) -> str:
        return self.negative if value < 0 else self.positive if value > 0 else self.zero

    def seconds(self, s: float) -> float:
        return s * self.pace


DARK = Theme()
THEMES = {
    "dark": DARK,
    # white slides: the dark theme's hues darkened until every text colour reads at 4.5:1 on white
    "light": Theme(background="#FFFFFF", negative="#A14F00", positive="#1F6FB2", zero="#5F6B7A", text="#1A1F26",
                   muted="#4B5563", unit_fill="#F3F5F8", unit_stroke="#4B5563", edge="#8A94A3",
                   card_fill="#F3F5F8", card_stroke="#8A94A3"),
    # paper, photocopied in grey: the two sign colours have the same grey, so the sign is read from
    # its minus or plus and (edges) the dash pattern; they stay coloured for a colour printer. Edges
    # are a lighter grey than a lit gradient's dashes, so the gaps between dashes show in grey too.
    "print": Theme(background="#FFFFFF", negative="#8C3B00", positive="#1F4E8C", zero="#555555", text="#000000",
                   muted="#404040", unit_fill="#FFFFFF", unit_stroke="#000000", edge="#949494",
                   card_fill="#FFFFFF", card_stroke="#000000", edge_width=3.0),
    # low vision, a washed-out projector: black, white, bright sign colours, larger numbers and words
    # (pills and weights at 22, not more: at 24 on `seed` two weight labels crowd an input box)
    "high-contrast": Theme(background="#000000", negative="#FFB000", positive="#66CCFF", zero="#C8CCD2",
                           text="#FFFFFF", muted="#D6DBE3", unit_fill="#0A0A0A", unit_stroke="#FFFFFF",
                           edge="#7F8690", card_fill="#0A0A0A", card_stroke="#FFFFFF", caption_size=30,
                           card_size=32, badge_size=22, label_size=24, edge_width=3.0),
}
TEXT_COLOURS = ("text", "muted", "negative", "positive", "zero")  # every colour text is drawn in


def load_theme(value: str) -> Theme:
    """A named theme, or a theme file (JSON or TOML; data only) changing some fields of a named one
    (`base`, dark by default), each field checked. A name wins over a file of that name (./dark)."""
    import os

    from backprop.engine.spec import SpecError, suggest

    if value in THEMES:
        return THEMES[value]
    if not os.path.splitext(value)[1] and os.sep not in value and not os.path.exists(value):
        raise SpecError("theme", f"unknown '{value}'{suggest(value, THEMES)}; themes: {', '.join(THEMES)}, "
                                 "or a JSON/TOML file")
    return theme_file(value)


def theme_file(path: str) -> Theme:
    """A theme file (JSON or TOML; data only) overriding some of a named theme's fields, each checked."""
    import dataclasses
    import re

    from backprop.engine.spec import SpecError, read_spec_file, suggest

    data = read_spec_file(path, field="theme")
    if not isinstance(data, dict):
        raise SpecError("theme", "expected an object of theme fields")
    base = data.pop("base", "dark")
    if not isinstance(base, str):
        raise SpecError("theme.base", f"expected a theme name: {', '.join(THEMES)}")
    if base not in THEMES:
        raise SpecError("theme.base", f"unknown '{base}'{suggest(base, THEMES)}; themes: {', '.join(THEMES)}")
    fields = {f.name: f for f in dataclasses.fields(Theme)}
    values = {}
    for key, value in data.items():
        if key not in fields:
            raise SpecError(f"theme.{key}", f"unknown field{suggest(key, fields)}")
        default = getattr(Theme, key)
        if isinstance(default, str):
            if key == "font":  # a name fontconfig is given: no NUL or other control character
                ok = isinstance(value, str) and 0 < len(value) < 100 and value.isprintable()
            else:
                ok = isinstance(value, str) and re.fullmatch(r"#[0-9A-Fa-f]{6}", value) is not None
            if not ok:
                raise SpecError(f"theme.{key}", "expected a colour like \"#56B4E9\"" if key != "font" else
                                "expected a font name")
        else:
            low, top = (MIN_PACE, MAX_PACE) if key == "pace" else (MIN_SIZE, 200)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= top:
                raise SpecError(f"theme.{key}", f"expected a positive number (at least {low:g}, at most {top:g})")
            value = float(value)
        values[key] = value
    return replace(THEMES[base], **values)
