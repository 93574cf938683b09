"""Time to read: how long each part of a beat stays on screen (no manim; seconds at pace 1).

A worked card stays fully visible for at least CARD_SECONDS and long enough to read its words at
READING_WPM; a beat lasts at least BEAT_SECONDS and long enough for its caption and cards; the
forward recap at least RECAP_SECONDS. The theme's `pace` scales all of it afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

READING_WPM = 125  # a little under the ~130 words a minute a lecture audience can read along
CARD_SECONDS = 3.0  # a worked card fully visible at least this long: time to check a multiplication
BEAT_SECONDS = 2.0
RECAP_SECONDS = 6.0
MANY_EVENTS = 3.5  # events a beat plays at full speed; more and the steps between cards speed up (to half)


@dataclass
class Timed:
    run: float
    pause: float
    card_words: int = 0  # > 0: this part brings in a worked card with so many words


def reading_seconds(words: int) -> float:
    return words * 60.0 / READING_WPM


def pace(parts: list[Timed], caption_words: int, lead: float, minimum: float = BEAT_SECONDS) -> list[Timed]:
    """Stretch pauses so every card can be read and the whole beat too. A card is fully visible
    from the end of its part until the next card's part starts (which fades it out)."""
    cards = [k for k, p in enumerate(parts) if p.card_words]
    for n, k in enumerate(cards):
        until = cards[n + 1] if n + 1 < len(cards) else len(parts)
        visible = parts[k].pause + sum(p.run + p.pause for p in parts[k + 1:until])
        need = max(CARD_SECONDS, reading_seconds(parts[k].card_words))
        if visible < need:
            parts[until - 1].pause += need - visible
    total = lead + sum(p.run + p.pause for p in parts)
    need = max(minimum, reading_seconds(caption_words + sum(p.card_words for p in parts)))
    if total < need:
        if parts:
            parts[-1].pause += need - total
        else:
            parts.append(Timed(0.0, need - total))
    return parts
