"""One theme object: colours, font, sizes and pace. Passed in; nothing reads it at import time."""

from __future__ import annotations

from dataclasses import dataclass

MAX_PACE = 4  # four times as slow: a ~6-minute lesson; slower, no lecture would play it


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


def load_theme(path: str) -> Theme:
    """A theme file (JSON or TOML; data only) overriding some of Theme's fields, each checked."""
    import dataclasses
    import re

    from backprop.engine.spec import SpecError, read_spec_file, suggest

    data = read_spec_file(path, field="theme")
    if not isinstance(data, dict):
        raise SpecError("theme", "expected an object of theme fields")
    fields = {f.name: f for f in dataclasses.fields(Theme)}
    values = {}
    for key, value in data.items():
        if key not in fields:
            raise SpecError(f"theme.{key}", f"unknown field{suggest(key, fields)}")
        default = getattr(Theme, key)
        if isinstance(default, str):
            if key == "font":
                ok = isinstance(value, str) and 0 < len(value) < 100
            else:
                ok = isinstance(value, str) and re.fullmatch(r"#[0-9A-Fa-f]{6}", value) is not None
            if not ok:
                raise SpecError(f"theme.{key}", "expected a colour like \"#56B4E9\"" if key != "font" else
                                "expected a font name")
        else:
            top = MAX_PACE if key == "pace" else 200
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= top:
                raise SpecError(f"theme.{key}", f"expected a positive number (at most {top})")
            value = float(value)
        values[key] = value
    return Theme(**values)
