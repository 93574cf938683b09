"""The frame a scene is drawn in (16:9, 4:3, 1:1, 9:16) and where its parts go in it: the caption on
top, the network under it, the cards at the bottom, side by side where the frame is wide enough for
two and one above the other where it is not.

Pure geometry (no manim). The short side is always 8 frame units (manim's default height), 480 px at
low quality: text of one font size is the same number of pixels tall at every aspect, so sizes, the
16 px floor and the transcript's `px` mean the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

SHORT_SIDE = 8.0  # frame units on the frame's shorter side
# (width, height) ratio of each aspect; pixels at each quality: the short side is manim's height
ASPECTS = {"16:9": (16, 9), "4:3": (4, 3), "1:1": (1, 1), "9:16": (9, 16)}
SHORT_PIXELS = {"low": 480, "medium": 720, "high": 1080, "4k": 2160}
QUALITIES = tuple(SHORT_PIXELS)  # the names --quality takes, lowest first
# manim's own 16:9 sizes (854 is 480 × 16/9 rounded to even)
LONG_16_9 = {480: 854, 720: 1280, 1080: 1920, 2160: 3840}

CARD_W = 6.6  # a card's widest (two fit side by side in a 16:9 frame)
MIN_CARD_W = 5.0  # two cards side by side if each can be this wide (text shrinks at most to 0.75, ~17 px)
CARD_ROW = 1.7  # the height of one row of cards
MARGIN = 0.36  # between the network's band and the frame's sides
TWO_LINE_CAPTION_BELOW = 10.0  # portrait frames narrower than this keep room for a caption in two lines


def pixel_size(aspect: str, quality: str) -> tuple[int, int]:
    """(width, height) in pixels: 854×480, 640×480, 480×480, 480×854 at low quality, scaled with it."""
    a, b = ASPECTS[aspect]
    short = SHORT_PIXELS[quality]
    long_ = LONG_16_9[short] if max(a, b) * 9 == min(a, b) * 16 else round(short * max(a, b) / min(a, b) / 2) * 2
    return (long_, short) if a >= b else (short, long_)


@dataclass(frozen=True)
class Frame:
    width: float = SHORT_SIDE * 16 / 9
    height: float = SHORT_SIDE

    @classmethod
    def of(cls, aspect: str) -> "Frame":
        a, b = ASPECTS[aspect]
        return cls(SHORT_SIDE * a / b, SHORT_SIDE) if a >= b else cls(SHORT_SIDE, SHORT_SIDE * b / a)

    # ---- the caption ------------------------------------------------------------------------------

    @property
    def caption_lines(self) -> int:
        """A caption wider than the frame wraps onto a second line in a narrow, tall frame; elsewhere
        it shrinks to fit (a square frame needs its height for the network), and where that would put
        it under 16 px, the board sets it in two smaller lines inside this one line's band."""
        return 2 if self.width < TWO_LINE_CAPTION_BELOW and self.height > self.width else 1

    @property
    def caption_y(self) -> float:
        return self.height / 2 - (0.5 if self.caption_lines == 1 else 0.72)

    @property
    def caption_band(self) -> float:
        """Nothing of the network above this."""
        return self.height / 2 - (0.8 if self.caption_lines == 1 else 1.28)

    # ---- the cards --------------------------------------------------------------------------------

    @property
    def cards_side_by_side(self) -> bool:
        return (self.width - 0.5) / 2 >= MIN_CARD_W

    @property
    def card_w(self) -> float:
        room = (self.width - 0.5) / 2 if self.cards_side_by_side else self.width - 0.5
        return min(CARD_W, room)

    @property
    def card_rows(self) -> int:
        return 1 if self.cards_side_by_side else 2

    @property
    def card_y(self) -> float:
        """The centre of the bottom row of cards (a lone card, the table's update, a block card)."""
        return -self.height / 2 + 0.88

    def card_spot(self, side: str) -> tuple[float, float]:
        """Where the product card (left) and the sum card (right) go: side by side, or the product
        card above the sum card."""
        if self.cards_side_by_side:
            x = min(3.45, self.width / 4 + 0.0)
            return (-x if side == "left" else x), self.card_y
        return 0.0, self.card_y + (CARD_ROW if side == "left" else 0.0)

    def card_zone(self, rows: int | None = None) -> float:
        """Nothing of the network below this: the top of the card rows."""
        return -self.height / 2 + CARD_ROW * (self.card_rows if rows is None else rows)

    # ---- the network ------------------------------------------------------------------------------

    @property
    def network_top(self) -> float:
        return self.caption_band - 0.25

    def network_bottom(self, rows: int | None = None) -> float:
        return self.card_zone(rows) + 0.05

    @property
    def network_left(self) -> float:
        return -self.width / 2 + MARGIN

    @property
    def network_right(self) -> float:
        return self.width / 2 - MARGIN

    def zoomed_out(self, k: float) -> "Frame":
        """This frame seen from 1/k times as far: a network laid out in it and then scaled by k lands
        on this frame's network band (how a network too wide for the band is drawn smaller)."""
        return _ZoomedOut(self.width / k, self.height / k, self, k)


@dataclass(frozen=True)
class _ZoomedOut(Frame):
    real: Frame = None  # type: ignore[assignment]  # always given (zoomed_out)
    k: float = 1.0

    @property
    def network_top(self) -> float:
        return self.real.network_top / self.k

    def network_bottom(self, rows: int | None = None) -> float:
        return self.real.network_bottom(rows) / self.k

    @property
    def network_left(self) -> float:
        return self.real.network_left / self.k

    @property
    def network_right(self) -> float:
        return self.real.network_right / self.k


SIXTEEN_NINE = Frame()
