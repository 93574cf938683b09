"""One theme object: colours, font, sizes and pace. Passed in; nothing reads it at import time."""

from __future__ import annotations

from dataclasses import dataclass


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
    edge: str = "#4A5260"
    card_fill: str = "#1A2029"
    card_stroke: str = "#6B7585"
    font: str = "DejaVu Sans"
    caption_size: float = 28
    title_size: float = 36
    card_size: float = 28
    badge_size: float = 20
    label_size: float = 20
    symbol_size: float = 24
    unit_radius: float = 0.36
    edge_width: float = 2.0
    max_edge_width: float = 9.0
    pace: float = 1.0  # multiplies every run time and pause

    def sign_color(self, value: float) -> str:
        return self.negative if value < 0 else self.positive if value > 0 else self.zero

    def seconds(self, s: float) -> float:
        return s * self.pace
