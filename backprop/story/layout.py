"""Where everything goes: units in columns, labels placed where they collide with nothing.

Pure geometry (no manim), so it is fast to test on any network. Every label (a weight's value, a
gradient's pill, a bias and its gradient) is placed on its own, on estimated text boxes: slid along
its edge, then a little smaller, then off the edge with a leader line; only a label that still finds
no room is dropped, never a whole kind. A dense gap (six edges or more) first tries two even columns,
every weight at one point along its edge and every gradient at another (Placer.column). The unit
boxes carry less text (two value lines, one, the name, nothing) only where the labels need their room,
and a network that still does not fit is drawn smaller (ZOOMS) before any number is left out.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

import itertools
import math
from dataclasses import dataclass, field, replace

import numpy as np

from backprop.story import fonts
from backprop.story.frame import SHORT_SIDE, SIXTEEN_NINE, Frame
from backprop.story.texts import Texts
from backprop.story.theme import Theme

# The 16:9 frame's bands (14.22 × 8 units): caption on top, the network, the card zone below. Layouts
# take theirs from the Frame they are made for (backprop.story.frame); these are its 16:9 values.
_F = SIXTEEN_NINE
FRAME_W, FRAME_H = _F.width, _F.height
CAPTION_Y = _F.caption_y
NETWORK_TOP, NETWORK_BOTTOM = _F.network_top, _F.network_bottom()
NETWORK_LEFT, NETWORK_RIGHT = _F.network_left, _F.network_right
CARD_Y = _F.card_y
CAPTION_BAND, CARD_ZONE = _F.caption_band, _F.card_zone()  # nothing of the network's above / below these

CHAR_W = 0.0088  # text width per character per font-size point (DejaVu Sans digits, measured)
TEXT_H = 0.0135  # text height per font-size point
PX = 480 / SHORT_SIDE  # pixels per frame unit at low quality (854×480 at 16:9), every aspect
MIN_LINE_PX = 16  # no label's line is shorter than this at 854×480
GAP = 0.06  # minimum clearance between two labels
MIN_GAP = 0.5  # shortest visible edge between two columns
BOX_PAD = 0.2  # a unit box is its text lines plus this
ONE_LINE_PAD = 0.06  # a one-line box, less (dense columns need the room)
PILL_PAD = (0.16, 0.0)  # a gradient's pill is its text box plus this (width, height)
LABEL_PAD = 0.05  # a plain label's background reaches this far past its text on either side
FLAT_PAD = 0.16  # … and this far for a weight sitting on a level edge
LEADER_STEP = 0.32  # how much further out each leader-line position is
GAP_PER_EDGE = 0.35  # a gap's share of the width grows by this much per edge past four
OVERHANG = (MIN_GAP - GAP) / 2 - 0.01  # how far a badge above a unit may reach past its column: two never meet


def min_label_size(size: float) -> float:
    """The smallest a label may shrink to: a line of MIN_LINE_PX at 854×480 (never above `size`)."""
    return min(size, MIN_LINE_PX / (TEXT_H * PX))


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: "Box", gap: float = GAP) -> bool:
        return (abs(self.x - other.x) * 2 < self.w + other.w + 2 * gap
                and abs(self.y - other.y) * 2 < self.h + other.h + 2 * gap)

    def inside(self, left, right, bottom, top) -> bool:
        eps = 1e-9
        return (self.x - self.w / 2 >= left - eps and self.x + self.w / 2 <= right + eps
                and self.y - self.h / 2 >= bottom - eps and self.y + self.h / 2 <= top + eps)

    def crosses(self, a, b) -> bool:
        """Whether the segment a–b passes through this box (Liang–Barsky clipping)."""
        lo, hi = 0.0, 1.0
        d = (b[0] - a[0], b[1] - a[1])
        for k, (c, half) in enumerate(((self.x, self.w / 2), (self.y, self.h / 2))):
            for p, q in ((-d[k], a[k] - (c - half)), (d[k], (c + half) - a[k])):
                if abs(p) < 1e-12:
                    if q < 0:
                        return False
                    continue
                r = q / p
                if p < 0:
                    lo = max(lo, r)
                else:
                    hi = min(hi, r)
                if lo > hi:
                    return False
        return True


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
    width = text_width(chars, size) if isinstance(chars, str) else chars * CHAR_W * size
    return Box(x, y, width + 0.08, TEXT_H * size + 0.06)


def plain_box(x: float, y: float, text: str, size: float) -> Box:
    """The box a weight's or a bias's value takes: its text and a clear gap either side, so an edge
    that meets it stops short of the digits (an edge running into "0.9" reads as "−0.9")."""
    b = text_box(x, y, text, size)
    return Box(x, y, b.w + 2 * LABEL_PAD, b.h)


def pill_box(x: float, y: float, text: str, size: float) -> Box:
    """The box a gradient takes: its text in a rounded pill (drawn by Board.badge)."""
    b = text_box(x, y, text, size)
    return Box(x, y, b.w + PILL_PAD[0], b.h + PILL_PAD[1])


@dataclass
class Layout:
    mode: str  # full | lean | medium | compact | symbol | tiny: how much text a unit carries (MODES)
    units: dict[str, tuple[float, float]]  # unit node id (x…, h…, y…, L) → centre of its box
    sizes: dict[str, tuple[float, float]]  # unit node id → box width, height
    unit_of: dict[str, str]  # any node id (z too) → the unit node drawn for it
    badges: dict[str, tuple[float, float]]  # unit id → where its gradient badge goes (if shown)
    bias: dict[str, tuple[float, float]]  # bias param → centre of its value label "b 0.1" (if shown)
    weight_labels: dict[str, tuple[float, float]]  # weight edge id → weight value label (if shown)
    edge_badges: dict[str, tuple[float, float]]  # weight edge id → gradient badge (if shown)
    segments: dict[str, tuple[np.ndarray, np.ndarray]]  # edge id → visible line, box side to box side
    boxes: list[tuple[str, Box]] = field(default_factory=list)  # every placed label, for checks
    bias_badges: dict[str, tuple[float, float]] = field(default_factory=dict)  # bias param → its gradient's pill
    font: dict[str, float] = field(default_factory=dict)  # "weight:W1[1,1]" … → font size where shrunk
    leaders: dict[str, tuple[tuple, tuple]] = field(default_factory=dict)  # label key → (on the edge, at the label)
    pads: dict[str, float] = field(default_factory=dict)  # "weight:W1[1,1]" … → its background's reach where wider
    dropped: list[str] = field(default_factory=list)  # label keys that found no room
    value_lines: int = 2  # value lines in a unit box: 2 (z and h), 1 (h), 0 (the name only), -1 (nothing)
    frame: Frame = SIXTEEN_NINE  # the frame it was made for
    badge_side: str = "above"  # where a unit's gradient sits: above its box, or beside it (layers running down)
    scale: float = 1.0  # the network's text and boxes drawn this much smaller than the theme's (ZOOMS)

    def size_of(self, key: str, size: float) -> float:
        """The font size a label is drawn at: where the layout shrank it, else `size` at the scale."""
        return self.font.get(key, size * self.scale)

    @property
    def numbers_left_out(self) -> int:
        """Weights, biases, their gradients and units' gradients that found no room on the network."""
        return sum(1 for key in self.dropped if key.startswith(("weight:", "edge-badge:", "badge:", "bias:", "bias-badge:")))

    @property
    def band(self) -> tuple[float, float, float, float]:
        """The network's band in its frame: left, right, bottom, top."""
        f = self.frame
        return f.network_left, f.network_right, f.network_bottom(), f.network_top

    @property
    def detail(self) -> dict[str, bool]:
        return {"values": self.value_lines > 0, "badges": bool(self.badges),
                "bias": bool(self.bias), "weights": bool(self.weight_labels),
                "edge_badges": bool(self.edge_badges)}


# name → (value lines in a box, bias row under it), richest first.
MODES = {"full": (2, True), "lean": (1, True), "medium": (2, False), "compact": (1, False),
         "symbol": (0, False), "tiny": (-1, False)}
# Where along an edge its labels go, first choice first: a weight near where it leaves its source,
# its gradient nearer its target.
WEIGHT_TS = (0.16, 0.24, 0.2, 0.28, 0.1, 0.32, 0.36, 0.4, 0.06, 0.48, 0.56, 0.64)
BADGE_TS = (0.68, 0.76, 0.72, 0.8, 0.6, 0.84, 0.64, 0.52, 0.9, 0.44, 0.36, 0.28, 0.94)
EDGE_LABEL_UNITS = 4  # edge labels are tried up to this many units a column; denser, colour and width
DENSE = 3  # from this many units a column (and six edges a gap), a gap's labels stand in even columns


# A network whose numbers do not all fit its band is drawn smaller, down to the last of these (its
# labels' lines then 13 px at 854×480, its text 80% of the theme's) rather than leave numbers out.
ZOOMS = (1.0, 0.9, 0.8)


def layout_network(timeline, theme: Theme, texts: Texts, frame: Frame = SIXTEEN_NINE) -> Layout:
    """The first zoom at which every number fits, else the one that loses least (the larger of equals)."""
    best: Layout | None = None
    with measured_in(theme.font):
        for k in ZOOMS:
            lay = _layout_network(timeline, theme, texts, frame if k == 1 else frame.zoomed_out(k))
            lay = lay if k == 1 else _scaled(lay, k, frame)
            if not lay.dropped:
                return lay
            if best is None or _cost(lay) < _cost(best):
                best = lay
    assert best is not None  # ZOOMS is not empty
    return best


def _scaled(lay: Layout, k: float, frame: Frame) -> Layout:
    """A layout made in `frame.zoomed_out(k)`, scaled by k into `frame` itself."""
    at = lambda p: (p[0] * k, p[1] * k)
    points = lambda d: {key: at(p) for key, p in d.items()}
    return replace(
        lay, units=points(lay.units), sizes=points(lay.sizes), badges=points(lay.badges), bias=points(lay.bias),
        weight_labels=points(lay.weight_labels), edge_badges=points(lay.edge_badges),
        bias_badges=points(lay.bias_badges), segments={e: (a * k, b * k) for e, (a, b) in lay.segments.items()},
        boxes=[(key, Box(b.x * k, b.y * k, b.w * k, b.h * k)) for key, b in lay.boxes],
        font={key: v * k for key, v in lay.font.items()}, pads={key: v * k for key, v in lay.pads.items()},
        leaders={key: (at(a), at(b)) for key, (a, b) in lay.leaders.items()}, frame=frame, scale=k * lay.scale)


def _layout_network(timeline, theme: Theme, texts: Texts, frame: Frame) -> Layout:
    """Place a scalar-granularity timeline's units and labels inside the network band.

    Takes the richest mode whose every label finds room (else the one that drops fewest): modes
    differ in what a unit box carries and whether a bias row sits under it (MODES). A chain too long
    for one row wraps into two, the second running back right to left.
    """
    unit_nodes = [n for n in timeline.nodes if n["kind"] in ("input", "h", "y", "loss")]
    columns: dict[int, list[dict]] = {}
    for n in unit_nodes:
        columns.setdefault(n["layer"], []).append(n)
    order = sorted(columns)
    tallest = max(len(c) for c in columns.values())
    wrapped = [order[:(len(order) + 1) // 2], order[(len(order) + 1) // 2:]]
    across = [[order]] if tallest > 1 or len(order) < 6 else [wrapped, [order]]  # a long chain: wrapped first
    # A portrait frame runs the layers down it first; across, as in a landscape frame, if that fits better.
    arrangements = ([([order], True)] if _runs_down(frame) else []) + [(rows, False) for rows in across]
    best = None
    for rows, down in arrangements:
        for mode in MODES:
            if mode == "tiny":
                continue
            lay = _try_mode(mode, timeline, theme, texts, columns, rows, frame, down=down)
            if lay is None:
                continue
            if not lay.dropped:
                return lay
            if best is None or _cost(lay) < _cost(best):  # else the one that loses the fewest numbers
                best = lay
        if best is not None and _cost(best)[0] < 1000:  # every unit's gradient placed
            break
    if best is not None:
        return best
    rows, down = arrangements[-1]
    return (_try_mode("tiny", timeline, theme, texts, columns, rows, frame, down=down)
            or _try_mode("tiny", timeline, theme, texts, columns, rows, frame, force=True, down=down))


def _misses(lay: Layout) -> int:
    """Edge numbers (weights, their gradients) a layout could not place."""
    return sum(1 for key in lay.dropped if key.startswith(("weight:", "edge-badge:")))


def _cost(lay: Layout) -> tuple[int, int]:
    """What a layout loses: a unit's own gradient counts as much as every edge number together; of
    two that lose as many, the one that keeps more biases."""
    return _misses(lay) + 1000 * sum(1 for key in lay.dropped if key.startswith("badge:")), lay.numbers_left_out


def _try_mode(mode, timeline, theme, texts, columns, rows, frame, force=False, down=False):
    """The layout in one mode, or None if its boxes do not fit the band. Dense columns across the
    frame: with boxes as wide as their pills (off the gaps' even columns of labels) or as their text,
    whichever loses less (a narrow frame has no width to spare)."""
    dense = not down and max(len(c) for c in columns.values()) >= DENSE
    made = [lay for widen in ((True, False) if dense else (False,))
            if (lay := _in_mode(mode, timeline, theme, texts, columns, rows, frame, force, down, widen)) is not None]
    return min(made, key=_cost) if made else None


def _in_mode(mode, timeline, theme, texts, columns, rows, frame, force, down, widen):
    left, right, bottom, top = frame.network_left, frame.network_right, frame.network_bottom(), frame.network_top
    lines, bias_row = MODES[mode]
    s, ls = theme.badge_size, theme.label_size
    line_h = TEXT_H * ls + 0.06
    pill_h = pill_box(0, 0, "0", s).h
    row_h = pill_h + GAP + 0.01  # a badge or bias row above / below a box, clear of it
    tallest = max(len(c) for c in columns.values())
    band = (top - bottom) / len(rows)
    slot = band / tallest
    box_h = max(1, lines) * line_h + (BOX_PAD if lines == 2 else ONE_LINE_PAD)
    if lines >= 0 and slot < box_h + row_h * (1 + bias_row) + 0.06 and not force:
        return None
    if down:  # layers down the frame: a layer's units side by side across it
        slot = min((right - left) / tallest, 2.4)
        if lines >= 0 and force is False and slot < 0.6:
            return None
    sizes, widths = _columns(mode, columns, texts, theme, slot, widen)
    edge_labels = lines >= 0 and tallest <= EDGE_LABEL_UNITS
    if down:
        units = _down_positions(columns, sizes, texts, s, lines, frame, force)
        if units is None:
            return None
        return _place_labels(mode, timeline, texts, theme, columns, units, sizes, lines, bias_row, frame,
                             edge_labels, row_h, pill_h, down=True)

    # Columns across each row; the gap before the loss carries no labels, so it takes less.
    xs: dict[int, float] = {}
    for r, row in enumerate(rows):
        ws = [widths[layer] for layer in row]
        if len(rows) > 1:  # the turn: the last column of one row above the first of the next
            turn = max(widths[rows[0][-1]], widths[rows[1][0]])
            ws[-1 if r == 0 else 0] = turn
        free = right - left - sum(ws)
        # Each gap gets room in proportion to the labels its edges carry; the loss's carries none.
        needs = [_gap_need(texts, columns[l0], columns[l1], s) if edge_labels and l1 != max(columns) else MIN_GAP
                 for l0, l1 in zip(row, row[1:])]
        def share(room, needs):  # MIN_GAP each, the rest in proportion
            return [MIN_GAP + (room - MIN_GAP * len(needs)) * need / sum(needs) for need in needs]
        gaps = share(free, needs) if needs else []
        if len(gaps) > 1 and row[-1] == max(columns):
            loss_gap = min(free / len(gaps), 1.0, 0.07 * frame.width)  # narrow frames need the room for labels
            gaps = share(free - loss_gap, needs[:-1]) + [loss_gap]
        if gaps and min(gaps) < MIN_GAP and not force:
            return None
        x = left
        placed_x = []
        for k, w in enumerate(ws):
            placed_x.append(x + w / 2)
            x += w + (gaps[k] if k < len(gaps) else 0)
        if r == 1:  # back from right to left
            placed_x = [left + right - v for v in placed_x]
        xs.update(dict(zip(row, placed_x)))

    units, unit_of = {}, {}
    shift = 0.0 if bias_row or lines < 0 else -row_h / 2  # badge above, bias row below: balanced
    for r, row in enumerate(rows):
        centre_y = top - band * (r + 0.5)
        for layer in row:
            col = columns[layer]
            spacing = min(slot, 2.4)
            for k, n in enumerate(col):
                units[n["id"]] = (float(xs[layer]), float(centre_y + ((len(col) - 1) / 2 - k) * spacing + shift))
                unit_of[n["id"]] = n["id"]
    return _place_labels(mode, timeline, texts, theme, columns, units, sizes, lines, bias_row, frame,
                         edge_labels, row_h, pill_h)


def _runs_down(frame: Frame) -> bool:
    """A portrait frame: layers run down it, not across (its width would crowd the columns)."""
    return frame.height > frame.width * 1.2


def _down_positions(columns, sizes, texts, s, lines, frame, force):
    """Unit centres with layers running down the frame, each layer's units spread across it with
    room for a gradient's pill beside every box; None if they do not fit."""
    left, right, bottom, top = frame.network_left, frame.network_right, frame.network_bottom(), frame.network_top
    order = sorted(columns)
    heights = [max(sizes[n["id"]][1] for n in columns[layer]) for layer in order]
    free = top - bottom - sum(heights)
    gaps = len(order) - 1
    loss_gap = min(0.8, free / max(gaps, 1))
    gap = (free - loss_gap) / max(gaps - 1, 1) if gaps > 1 else free
    if (gap < 0.7 or loss_gap < MIN_GAP) and not force:
        return None
    units = {}
    y = top
    for k, layer in enumerate(order):
        col = columns[layer]
        slot = (right - left) / len(col)
        y -= heights[k] / 2
        for i, n in enumerate(col):
            w = sizes[n["id"]][0]
            pill = max(pill_box(0, 0, b, s).w for b in (texts.badge.get(n["id"]) or ["0"])) if lines >= 0 else 0
            need = w + (GAP + 0.04 + pill if lines >= 0 else 0)
            if need > slot and not force:
                return None
            x = left + slot * (i + 0.5) - (need - w) / 2  # the box left of centre, its pill to its right
            units[n["id"]] = (float(x), float(y))
        y -= heights[k] / 2 + (loss_gap if k == len(order) - 2 else gap)
    return units


def _place_labels(mode, timeline, texts, theme, columns, units, sizes, lines, bias_row, frame, edge_labels,
                  row_h, pill_h, down=False):
    """Edges between the placed units, then every label: units' gradients, bias rows, edge numbers."""
    s = theme.badge_size
    unit_of = {uid: uid for uid in units}
    for n in timeline.nodes:
        if n["kind"] == "z":
            unit_of[n["id"]] = next(e["target"] for e in timeline.edges
                                    if e["source"] == n["id"] and e["kind"] == "activation")

    segments = {}
    for e in timeline.edges:
        if e["kind"] in ("weight", "loss"):
            a, b = unit_of[e["source"]], unit_of[e["target"]]
            segments[e["id"]] = (_segment_down if down else _segment)(units[a], sizes[a], units[b], sizes[b])
    lay = Layout(mode=mode, units=units, sizes=sizes, unit_of=unit_of, badges={}, bias={}, weight_labels={},
                 edge_badges={}, segments=segments, value_lines=lines, frame=frame,
                 badge_side="beside" if down else "above")
    lay.boxes = [(f"unit:{uid}", Box(*units[uid], *sizes[uid])) for uid in units]
    # A wrapped chain's turn runs straight down through where labels above and below boxes go.
    walls = [] if down else [seg for seg in segments.values() if abs(seg[0][0] - seg[1][0]) < 1e-6]
    placer = _Placer(lay, s, walls)

    if lines >= 0:
        for uid, (ux, uy) in units.items():
            widest = max(texts.badge.get(uid) or ["0"], key=lambda t: text_width(t, s))
            half = pill_box(0, 0, widest, s).w / 2
            y = uy + sizes[uid][1] / 2 + row_h - pill_h / 2
            side = half + GAP / 2 + 0.02  # beside a wrapped chain's turn
            below = uy - sizes[uid][1] / 2 - row_h + pill_h / 2  # the last resort in a cramped frame
            inner = min(max(ux, lay.band[0] + half), lay.band[1] - half)  # as near centred as the band allows
            spots = [(x, y_) for y_ in (y, below) for x in (ux, inner, ux - side, ux + side)]
            if down:  # beside the box: edges arrive at its top and leave from its bottom
                beside = sizes[uid][0] / 2 + GAP + 0.02 + half
                spots = [(ux + beside, uy), (ux - beside, uy), (ux + beside, uy + pill_h), (ux + beside, uy - pill_h)]
            placer.near(f"badge:{uid}", lay.badges, uid, widest, spots, pill=True, clear_first=True)

    def bias_rows():
        if bias_row:
            for p in timeline.params:
                if p["kind"] != "bias":
                    continue
                uid = unit_of[p["node"]]
                ux, uy = units[uid]
                left, y = ux - sizes[uid][0] / 2, uy - sizes[uid][1] / 2 - row_h + pill_h / 2
                name, value, grad = p["name"], texts.bias[p["name"]], texts.bias_badge.get(p["name"], "0")
                vw, gw = plain_box(0, 0, value, s).w, pill_box(0, 0, grad, s).w
                before_centre = ux - GAP - 0.02 - gw - 0.12 - vw / 2  # the row ending left of the box's centre
                spots = [(left + vw / 2, y), (ux - (vw + gw + 0.12) / 2 + vw / 2, y), (before_centre, y),
                         (left + vw / 2 - 0.5, y), (ux, y), (ux + vw / 2, y)]  # the last: clear of a wide row on the left
                # the next column's left edge: a row that reaches under the next unit takes that unit's room
                ahead = [x - sizes[u][0] / 2 - GAP for u, (x, _) in units.items() if x > ux + 1e-6]
                if down:  # left of the box; else right of it, under or over its pill
                    right = ux + sizes[uid][0] / 2 + GAP + 0.02 + vw / 2
                    spots, ahead = [(left - GAP - 0.02 - gw - 0.12 - vw / 2, uy), (right, uy - row_h),
                                    (right, uy + row_h)], []
                placer.bias_row(name, value, grad, spots, row_h, min(ahead, default=None))
        else:  # a mode without bias rows: every bias and its gradient is left to the table
            lay.dropped += [f"{kind}:{p['name']}" for p in timeline.params if p["kind"] == "bias"
                            for kind in ("bias", "bias-badge")]

    def edge_numbers():
        if edge_labels:
            weight_segments = {k: v for k, v in segments.items() if not k.endswith("->L")}
            gaps: dict[int, list[str]] = {}  # the edges between two columns (a weight matrix's)
            for eid in weight_segments:
                gaps.setdefault(_layer_of(eid), []).append(eid)
            for edges in gaps.values():
                badges = [(eid, texts.edge_badge[eid]) for eid in edges if eid in texts.edge_badge]
                weights = [(eid, texts.weight[eid]) for eid in edges]
                def place_badges(badges=badges):
                    placer.column(badges, "edge-badge", lay.edge_badges, BADGE_TS, True)

                def place_weights(weights=weights):
                    placer.column(weights, "weight", lay.weight_labels, WEIGHT_TS, False)

                # Gradients first (the wider pills, and the numbers the lesson is about), then weights;
                # if that loses a label, the other way round, and whichever loses fewer.
                placer.least_lost([(place_badges, place_weights), (place_weights, place_badges)], len)

    # Bias rows first, then the edges' numbers; if that loses a number, the other way round (a dense
    # gap's labels then take the two even columns they need and the bias rows fit around them), and
    # whichever loses fewer edge numbers, then fewer numbers.
    orders = [(bias_rows, edge_numbers)] + ([(edge_numbers, bias_rows)] if bias_row and edge_labels else [])
    placer.least_lost(orders, lambda lost: (sum(1 for k in lost if k.startswith(("weight:", "edge-badge:"))),
                                            len(lost)))
    return lay


class _Placer:
    """Places one label at a time at the first free spot among its candidates."""

    def __init__(self, lay: Layout, size: float, walls):
        self.lay, self.size, self.walls = lay, size, walls
        self.seg_ids = list(lay.segments)
        ends = np.array([lay.segments[e] for e in self.seg_ids], dtype=float).reshape(-1, 2, 2)
        self.seg_a, self.seg_d = ends[:, 0], ends[:, 1] - ends[:, 0]
        self.seg_index = {e: i for i, e in enumerate(self.seg_ids)}
        self.sizes = [size, min_label_size(size)] if min_label_size(size) < size else [size]

    def mark(self):
        return len(self.lay.dropped), len(self.lay.boxes), {k: dict(v) for k, v in self._maps().items()}

    def _maps(self):
        lay = self.lay
        return {"edge_badges": lay.edge_badges, "weight_labels": lay.weight_labels, "font": lay.font,
                "leaders": lay.leaders, "pads": lay.pads, "bias": lay.bias, "bias_badges": lay.bias_badges}

    def undo(self, mark):
        """Take back everything placed since `mark`; returns it, for redo."""
        lay = self.lay
        done = (lay.dropped[mark[0]:], lay.boxes[mark[1]:], {k: dict(v) for k, v in self._maps().items()})
        del lay.dropped[mark[0]:], lay.boxes[mark[1]:]
        for k, v in self._maps().items():
            v.clear()
            v.update(mark[2][k])
        return done

    def least_lost(self, attempts, score):
        """Each attempt (placing steps, in order) from the same start, until one loses nothing; keeps
        the one whose lost label keys `score` lowest (the earlier of equals)."""
        tries = []
        for steps in attempts:
            mark = self.mark()
            for step in steps:
                step()
            lost = self.lay.dropped[mark[0]:]
            tries.append((score(lost), self.undo(mark)))
            if not lost:
                break
        self.redo(min(tries, key=lambda t: t[0])[1])

    def redo(self, done):
        dropped, boxes, maps = done
        self.lay.dropped.extend(dropped)
        self.lay.boxes.extend(boxes)
        for k, v in self._maps().items():
            v.clear()
            v.update(maps[k])

    def _free(self, box: Box, strict: bool = False) -> bool:
        """Inside the band, clear of every placed box; `strict`: and no edge runs through it (a bias's
        pill on the next edge reads as that edge's)."""
        return (box.inside(*self.lay.band)
                and not any(box.overlaps(other) for _, other in self.lay.boxes)
                and not any(box.crosses(a, b) for a, b in self.walls)
                and not (strict and self._crossed(box)))

    def _crossed(self, box: Box) -> bool:
        """Whether an edge passes through `box` (Liang–Barsky, all edges at once)."""
        if not self.seg_ids:
            return False
        a, d = self.seg_a, self.seg_d
        lo, hi = np.zeros(len(a)), np.ones(len(a))
        ok = np.ones(len(a), dtype=bool)
        for k, (c, half) in enumerate(((box.x, box.w / 2), (box.y, box.h / 2))):
            for p, q in ((-d[:, k], a[:, k] - (c - half)), (d[:, k], (c + half) - a[:, k])):
                flat = np.abs(p) < 1e-12
                ok &= ~(flat & (q < 0))
                r = np.where(flat, 0.0, q / np.where(flat, 1.0, p))
                lo = np.where(~flat & (p < 0), np.maximum(lo, r), lo)
                hi = np.where(~flat & (p > 0), np.minimum(hi, r), hi)
        return bool((ok & (lo <= hi)).any())

    def _owned(self, box: Box, eid: str, leader: bool = False) -> bool:
        """Whether a label at `box` reads as edge `eid`'s: every other edge passes further from its
        centre than its own edge does, by more than half its height (not at a crossing, not where two
        edges leave one box); a label on a leader, whose line says whose it is, only off other edges."""
        p = np.array([box.x, box.y])
        a, d = self.seg_a, self.seg_d
        t = np.clip(((p - a) * d).sum(1) / np.maximum((d * d).sum(1), 1e-12), 0.0, 1.0)
        dist = np.linalg.norm(a + d * t[:, None] - p, axis=1)
        own = 0.0 if leader else dist[self.seg_index[eid]]
        dist[self.seg_index[eid]] = np.inf
        return bool(dist.min() >= own + box.h / 2 + 0.04)

    def _take(self, key, into, name, box, size, leader=None) -> bool:
        into[name] = (float(box.x), float(box.y))
        self.lay.boxes.append((key, box))
        if size != self.size:
            self.lay.font[key] = size
        if leader is not None:
            self.lay.leaders[key] = leader
        return True

    def column(self, labels, tag, into, ts, pill):
        """One kind of label for the edges between two columns: all on their edges at the same point
        along them if some point has room for every one (they read as a column), else one by one."""
        make = pill_box if pill else plain_box
        segs = self.lay.segments
        def at(eid, text, t):  # on the edge; on a flat edge a gradient just above it, a weight just below
            a, b = segs[eid]
            p = a + (b - a) * t
            if _flat(a, b):  # (on it, a flat edge would read as a minus)
                d = (b - a) / np.linalg.norm(b - a)
                up = np.array([-d[1], d[0]]) if d[0] >= 0 else np.array([d[1], -d[0]])
                p = p + up * (1 if pill else -1) * (make(0, 0, text, self.size).h / 2 + 0.02)
            return make(float(p[0]), float(p[1]), text, self.size)

        for t in self._evenly(labels, pill):  # a dense gap: every label on its own edge, all at one t
            boxes = [self._on_edge(eid, text, t, pill) for eid, text in labels]
            if all(self._free(b) and self._owned(b, eid) for (eid, _), b in zip(labels, boxes)) and not any(
                    p.overlaps(q) for p, q in itertools.combinations(boxes, 2)):
                for (eid, _), box in zip(labels, boxes):
                    self._take(f"{tag}:{eid}", into, eid, box, self.size)
                    if not pill and _flat(*segs[eid]):
                        self.lay.pads[f"{tag}:{eid}"] = FLAT_PAD
                return
        for t in ts:
            boxes = [at(eid, text, t) for eid, text in labels]
            if all(self._free(b) and self._owned(b, eid) for (eid, _), b in zip(labels, boxes)) and not any(
                    p.overlaps(q) for p, q in itertools.combinations(boxes, 2)):
                for (eid, _), box in zip(labels, boxes):
                    self._take(f"{tag}:{eid}", into, eid, box, self.size)
                return
        ts = tuple(ts) + tuple(t for t in np.round(np.arange(0.04, 0.97, 0.04), 2) if t not in ts)
        for eid, text in labels:
            a, b = segs[eid]
            # a gradient sits above a flat edge, a weight below
            sides = ((1, -1, 0) if pill else (-1, 1, 0)) if _flat(a, b) else (0, 1, -1)
            self.along(f"{tag}:{eid}", into, eid, text, a, b, ts, sides, pill)

    def _evenly(self, labels, pill):
        """Where along a dense gap's edges its labels sit one above another, evenly spaced: with n
        targets, weights at t = 1/(n+1) (near the sources), with n sources gradients at n/(n+1); for
        two and three units, 1/4 and 3/4 space them too, further apart."""
        if len(labels) < 2 * DENSE:
            return []
        ends = {round(float(self.lay.segments[e][0 if pill else 1][1]), 6) for e, _ in labels}
        t = len(ends) / (len(ends) + 1) if pill else 1 / (len(ends) + 1)
        ts = dict.fromkeys([t, 0.75 if pill else 0.25])
        return [t + dt for t in ts for dt in (0, -0.02, 0.02)]  # (further off, two labels' heights meet)

    def _on_edge(self, eid, text, t, pill) -> Box:
        """A label centred on its edge at `t`; a weight on a flat edge keeps the edge further from its
        digits (a line running into "0.9" reads as "−0.9")."""
        a, b = self.lay.segments[eid]
        x, y = a + (b - a) * t
        if pill:
            return pill_box(float(x), float(y), text, self.size)
        box = plain_box(float(x), float(y), text, self.size)
        return Box(box.x, box.y, box.w + 2 * (FLAT_PAD - LABEL_PAD), box.h) if _flat(a, b) else box

    def bias_row(self, name, value, grad, spots, row_h, ahead=None):
        """A bias's value and, beside it, its gradient's pill: the first spot with room for both, short
        of `ahead` (the next column) if it can be; else the value alone (its gradient then has no place)."""
        s = self.size
        vw, gw = plain_box(0, 0, value, s).w, pill_box(0, 0, grad, s).w
        # value then gradient on one row first (read left to right), then the gradient under it (the two
        # centred; else aligned left) or before it
        for short, where, (x, y) in itertools.product((True, False), ("right", "under", "below", "left"), spots):
            vbox = plain_box(float(x), y, value, s)
            if not self._free(vbox, strict=True):
                continue
            gx, gy = {"right": (x + vw / 2 + 0.12 + gw / 2, y), "below": (x - vw / 2 + gw / 2, y - row_h),
                      "under": (x, y - row_h), "left": (x - vw / 2 - 0.12 - gw / 2, y)}[where]
            gbox = pill_box(float(gx), float(gy), grad, s)
            if short and ahead is not None and max(vbox.x + vbox.w / 2, gbox.x + gbox.w / 2) > ahead:
                continue
            if self._free(gbox, strict=True) and not gbox.overlaps(vbox):
                self._take(f"bias:{name}", self.lay.bias, name, vbox, s)
                return self._take(f"bias-badge:{name}", self.lay.bias_badges, name, gbox, s)
        self.near(f"bias:{name}", self.lay.bias, name, value, spots, strict=True)
        self.lay.dropped.append(f"bias-badge:{name}")  # with the value or without it, the gradient has no room
        return False

    def near(self, key, into, name, text, spots, pill=False, strict=False, clear_first=False) -> bool:
        """A label beside a unit: the first free spot of `spots` (`strict`: clear of every edge;
        `clear_first`: clear of every edge if any spot is, a unit's pill on an edge reading as the edge's)."""
        make = pill_box if pill else plain_box
        for clear, size, (x, y) in itertools.product((True, strict) if clear_first else (strict,), self.sizes, spots):
            box = make(float(x), float(y), text, size)
            if self._free(box, strict=clear):
                return self._take(key, into, name, box, size)
        self.lay.dropped.append(key)
        return False

    def along(self, key, into, name, text, a, b, ts, sides, pill) -> bool:
        """A label on an edge: slid along it (on it, then beside it), smaller, then out on a leader."""
        make = pill_box if pill else plain_box
        d = (b - a) / np.linalg.norm(b - a)
        normal = np.array([-d[1], d[0]]) if d[0] >= 0 else np.array([d[1], -d[0]])
        if abs(d[0]) < 1e-9:
            normal = np.array([1.0, 0.0])
        for size in self.sizes:
            probe = make(0, 0, text, size)
            lift = (abs(normal[0]) * probe.w + abs(normal[1]) * probe.h) / 2 + 0.02
            for t, side in itertools.product(ts, sides):
                x, y = a + (b - a) * t + normal * lift * side
                box = make(float(x), float(y), text, size)
                if self._free(box) and self._owned(box, name):
                    return self._take(key, into, name, box, size)
        size = self.sizes[-1]
        probe = make(0, 0, text, size)
        lift = (abs(normal[0]) * probe.w + abs(normal[1]) * probe.h) / 2 + 0.02
        for k, t, side in itertools.product((1, 2, 3, 4), ts, (1, -1)):
            anchor = a + (b - a) * t
            x, y = anchor + normal * (lift + k * LEADER_STEP) * side
            box = make(float(x), float(y), text, size)
            if self._free(box) and self._owned(box, name, leader=True):
                end = _towards(box, anchor)
                return self._take(key, into, name, box, size,
                                  leader=((float(anchor[0]), float(anchor[1])), end))
        self.lay.dropped.append(key)
        return False


def _flat(a, b) -> bool:
    """An edge close to level: a label on it would read as a minus sign."""
    return abs(b[1] - a[1]) < 0.25 * abs(b[0] - a[0])


def _gap_need(texts: Texts, sources, targets, size) -> float:
    """How wide the gap between two columns wants to be: one label wide for one or two edges, a
    weight and a gradient side by side for more."""
    eids = [eid for eid in texts.weight if eid.startswith(f"W{targets[0]['layer']}[")]
    weight_w = max((plain_box(0, 0, texts.weight[e], size).w for e in eids), default=0.6)
    badge_w = max((pill_box(0, 0, texts.edge_badge[e], size).w for e in eids if e in texts.edge_badge),
                  default=0.6)
    edges = len(sources) * len(targets)
    if edges <= 2:
        return max(weight_w, badge_w) + 0.4
    return (weight_w + badge_w + 0.5) * (1 + GAP_PER_EDGE * (edges - 4))


def _layer_of(param: str) -> int:
    return int(param[1:param.index("[")])


def _towards(box: Box, p) -> tuple[float, float]:
    """The point of `box`'s outline on the way from its centre to `p`."""
    dx, dy = p[0] - box.x, p[1] - box.y
    k = min(box.w / 2 / abs(dx) if abs(dx) > 1e-9 else math.inf, box.h / 2 / abs(dy) if abs(dy) > 1e-9 else math.inf)
    return (float(box.x + dx * k), float(box.y + dy * k))


def _columns(mode, columns, texts, theme, slot, widen=False):
    """Box sizes per unit and each column's width, for one mode (`widen`: each box as wide as its pill)."""
    lines, bias_row = MODES[mode]
    s, ls = theme.badge_size, theme.label_size
    line_h = TEXT_H * ls + 0.06

    def size_of(n):
        if lines < 0:  # a small square, smaller still where a column is crowded
            side = min(0.34, 0.75 * slot)
            return side, side
        w = max(text_width(line, ls) for line in unit_text(texts, n["id"], lines)) + 0.3
        if widen:  # as wide as its gradient's pill, which then keeps off the gaps' even columns of labels
            w = max([w] + [pill_box(0, 0, b, s).w for b in texts.badge.get(n["id"]) or []])
        return max(w, 0.6), max(1, lines) * line_h + (BOX_PAD if lines == 2 else ONE_LINE_PAD)

    def footprint(n):  # a column is as wide as its widest box, or its badge less what may overhang
        badges = texts.badge.get(n["id"]) or ["0"]
        badge_w = max(pill_box(0, 0, b, s).w for b in badges) if lines >= 0 else 0
        return max(sizes[n["id"]][0], badge_w - 2 * OVERHANG)

    sizes = {n["id"]: size_of(n) for col in columns.values() for n in col}
    for col in columns.values():  # one box width per column, so a layer reads as a layer
        w = max(sizes[n["id"]][0] for n in col)
        for n in col:
            sizes[n["id"]] = (w, sizes[n["id"]][1])
    widths = {layer: max(footprint(n) for n in columns[layer]) for layer in columns}
    return sizes, widths


def unit_text(texts: Texts, uid: str, lines: int) -> list[str]:
    """The text lines of a unit's box: both value rows, the last (h) row, or the name only.

    The loss always keeps its value: a view without it would not say what is being minimised."""
    rows = texts.unit_lines[uid]
    if lines == 2 or uid == "L":
        return [f"{a} {b}" for a, b in rows]
    if lines == 1:
        return [f"{rows[-1][0]} {rows[-1][1]}"]
    return [texts.symbol[uid]]


def _segment_down(a, a_size, b, b_size):
    """The visible part of an edge when layers run down the frame: bottom side to top side."""
    return (np.array([a[0], a[1] - a_size[1] / 2]), np.array([b[0], b[1] + b_size[1] / 2]))


def _segment(a, a_size, b, b_size):
    """The visible part of an edge: from the side of one box to the facing side of the next (right to
    left, left to right in a wrapped chain's second row, bottom to top at its turn)."""
    if abs(a[0] - b[0]) < 1e-6:
        down = 1 if b[1] < a[1] else -1
        return (np.array([a[0], a[1] - down * a_size[1] / 2]), np.array([b[0], b[1] + down * b_size[1] / 2]))
    way = 1 if b[0] > a[0] else -1
    return (np.array([a[0] + way * a_size[0] / 2, a[1]]), np.array([b[0] - way * b_size[0] / 2, b[1]]))


def block_text_size(size: float, px: float = 20) -> float:
    """A font size no smaller than `size` whose line is at least `px` pixels tall at 854×480."""
    return max(size, px / (TEXT_H * PX))


def legend_spot(layout: Layout, w: float, h: float):
    """Centre of a free w × h box for a legend: inside the frame, between the caption band and the
    card zone, clear of every box, label and edge the layout placed; corners first. None if none."""
    f = layout.frame
    left, right = -f.width / 2 + 0.15, f.width / 2 - 0.15
    top, bottom = f.caption_band - 0.05, f.card_zone() + 0.05
    if w > right - left or h > top - bottom:
        return None
    xs = np.arange(left + w / 2, right - w / 2 + 1e-9, 0.1)
    ys = np.arange(top - h / 2, bottom + h / 2 - 1e-9, -0.1)
    cands = sorted(itertools.product(xs, ys), key=lambda p: min(
        abs(p[0] - xs[0]), abs(p[0] - xs[-1])) + 0.5 * min(abs(p[1] - ys[0]), abs(p[1] - ys[-1])))
    for x, y in cands:
        box = Box(float(x), float(y), w, h)
        if any(box.overlaps(other) for _, other in layout.boxes):
            continue
        if any(box.crosses(a, b) for a, b in layout.segments.values()):
            continue
        if any(box.crosses(*ends) for ends in layout.leaders.values()):
            continue
        return (float(x), float(y))
    return None
