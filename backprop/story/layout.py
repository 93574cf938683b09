"""Where everything goes: units in columns, labels placed where they collide with nothing.

Pure geometry (no manim), so it is fast to test on any network. Labels are placed greedily on
estimated text boxes; a kind of label that cannot be placed everywhere is dropped for the whole
network (numbers give way to colour and width) rather than drawn on top of something.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from backprop.story.texts import Texts
from backprop.story.theme import Theme

# The frame is 14.22 × 8 units (16:9). Bands: caption on top, the network, the card zone below.
FRAME_W, FRAME_H = 14.222, 8.0
CAPTION_Y = 3.5
NETWORK_TOP, NETWORK_BOTTOM = 2.95, -2.25
NETWORK_LEFT, NETWORK_RIGHT = -6.75, 6.75
CARD_Y = -3.12

CHAR_W = 0.0088  # text width per character per font-size point (DejaVu Sans digits, measured)
TEXT_H = 0.0135  # text height per font-size point
GAP = 0.06  # minimum clearance between two labels
MIN_GAP = 0.5  # shortest visible edge between two columns
BOX_PAD = 0.2  # a unit box is its text lines plus this


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


# Advance widths of DejaVu Sans, relative to a digit (measured with manim's Text).
_WIDTHS = {**dict.fromkeys("0123456789", 1.0), **dict.fromkeys("₀₁₂₃₄₅₆₇₈₉", 0.63),
           **dict.fromkeys(". ,:", 0.5), **dict.fromkeys("−+=→×", 1.32), **dict.fromkeys("[]()/'i", 0.6),
           **dict.fromkeys("Wm", 1.55)}


def text_width(text: str, size: float) -> float:
    """Estimated width of `text` in frame units at font size `size` (within a few percent)."""
    return sum(_WIDTHS.get(ch, 0.97) for ch in text) * CHAR_W * size


def text_box(x: float, y: float, chars, size: float) -> Box:
    """The box a label takes: `chars` is its widest text, or a character count."""
    width = text_width(chars, size) if isinstance(chars, str) else chars * CHAR_W * size
    return Box(x, y, width + 0.08, TEXT_H * size + 0.06)


@dataclass
class Layout:
    mode: str  # full | medium | compact | tiny: how much text a unit carries (see layout_network)
    units: dict[str, tuple[float, float]]  # unit node id (x…, h…, y…, L) → centre of its box
    sizes: dict[str, tuple[float, float]]  # unit node id → box width, height
    unit_of: dict[str, str]  # any node id (z too) → the unit node drawn for it
    badges: dict[str, tuple[float, float]]  # unit id → where its gradient badge goes (if shown)
    bias: dict[str, tuple[float, float]]  # bias param → label centre (if shown)
    weight_labels: dict[str, tuple[float, float]]  # weight edge id → weight value label (if shown)
    edge_badges: dict[str, tuple[float, float]]  # weight edge id → gradient badge (if shown)
    segments: dict[str, tuple[np.ndarray, np.ndarray]]  # edge id → visible line, box side to box side
    boxes: list[tuple[str, Box]] = field(default_factory=list)  # every placed label, for checks

    @property
    def detail(self) -> dict[str, bool]:
        return {"values": self.mode in ("full", "medium"), "badges": bool(self.badges),
                "bias": bool(self.bias), "weights": bool(self.weight_labels),
                "edge_badges": bool(self.edge_badges)}


def layout_network(timeline, theme: Theme, texts: Texts) -> Layout:
    """Place a scalar-granularity timeline's units and labels inside the network band.

    Modes by the vertical room per unit: full (badge above, two-line box, bias row below), medium (no
    bias row), compact (one-line box with the symbol), tiny (an empty box, colour only).
    """
    unit_nodes = [n for n in timeline.nodes if n["kind"] in ("input", "h", "y", "loss")]
    columns: dict[int, list[dict]] = {}
    for n in unit_nodes:
        columns.setdefault(n["layer"], []).append(n)
    tallest = max(len(c) for c in columns.values())

    s, ls = theme.badge_size, theme.label_size
    line_h = TEXT_H * ls + 0.06
    label_h = TEXT_H * s + 0.06
    slot = (NETWORK_TOP - NETWORK_BOTTOM) / tallest
    box2, box1, row = 2 * line_h + BOX_PAD, line_h + BOX_PAD / 2, label_h + 0.04
    needs = {"full": box2 + 2 * row + 0.12, "medium": box2 + row + 0.1, "compact": box1 + row + 0.02}
    modes = ["full", "medium", "compact", "tiny"]
    first = next((m for m, h in needs.items() if slot >= h), "tiny")
    # Step down from what fits vertically until the columns also fit side by side.
    for mode in modes[modes.index(first):]:
        sizes, widths, gap = _columns(mode, columns, texts, timeline, theme, slot)
        if gap >= MIN_GAP:
            break

    units, unit_of = {}, {}
    x = NETWORK_LEFT
    centre_y = (NETWORK_TOP + NETWORK_BOTTOM) / 2
    # The badge row above a unit and the bias row below it balance out in full mode; otherwise the
    # block (badge + box) is centred.
    shift = 0.0 if mode in ("full", "tiny") else -(label_h + 0.04) / 2
    for w, layer in zip(widths, sorted(columns)):
        col = columns[layer]
        spacing = min(slot, 2.4)
        for k, n in enumerate(col):
            units[n["id"]] = (float(x + w / 2), float(centre_y + ((len(col) - 1) / 2 - k) * spacing + shift))
            unit_of[n["id"]] = n["id"]
        x += w + gap
    for n in timeline.nodes:
        if n["kind"] == "z":
            unit_of[n["id"]] = next(e["target"] for e in timeline.edges
                                    if e["source"] == n["id"] and e["kind"] == "activation")

    placed: list[tuple[str, Box]] = []
    for uid, (ux, uy) in units.items():
        w, h = sizes[uid]
        placed.append((f"unit:{uid}", Box(ux, uy, w, h)))

    badges, bias = {}, {}
    if mode != "tiny":
        for uid, (ux, uy) in units.items():
            pos = (ux, uy + sizes[uid][1] / 2 + label_h / 2 + 0.04)
            badges[uid] = pos
            widest = max(texts.badge.get(uid) or ["0"], key=lambda t: text_width(t, s))
            placed.append((f"badge:{uid}", text_box(*pos, widest, s)))
    if mode == "full":
        for p in timeline.params:
            if p["kind"] == "bias":
                uid = unit_of[p["node"]]
                ux, uy = units[uid]
                pos = (ux, uy - sizes[uid][1] / 2 - label_h / 2 - 0.04)
                bias[p["name"]] = pos
                placed.append((f"bias:{p['name']}", text_box(*pos, bias_row(texts, uid, timeline), s)))

    segments = {}
    for e in timeline.edges:
        if e["kind"] in ("weight", "loss"):
            a, b = unit_of[e["source"]], unit_of[e["target"]]
            segments[e["id"]] = _segment(units[a], sizes[a], units[b], sizes[b])
    weight_segments = {k: v for k, v in segments.items() if not k.endswith("->L")}
    weight_labels = edge_badges = None
    if mode in ("full", "medium"):
        weight_labels = _place_along(weight_segments, (0.16, 0.24, 0.1, 0.32), texts.weight, s, placed,
                                     "weight")
        edge_badges = _place_along(weight_segments, (0.68, 0.76, 0.6, 0.84, 0.52), texts.edge_badge, s,
                                   placed, "edge-badge")
    return Layout(mode=mode, units=units, sizes=sizes, unit_of=unit_of, badges=badges, bias=bias,
                  weight_labels=weight_labels or {}, edge_badges=edge_badges or {}, segments=segments,
                  boxes=placed)


def _columns(mode, columns, texts, timeline, theme, slot):
    """Box sizes per unit, column widths and the gap between columns, for one mode."""
    s, ls = theme.badge_size, theme.label_size
    line_h = TEXT_H * ls + 0.06

    def size_of(n):
        if mode == "tiny":  # a small square, smaller still where a column is crowded
            side = min(0.34, 0.75 * slot)
            return side, side
        lines = [f"{a} {b}" for a, b in texts.unit_lines[n["id"]]] if mode != "compact" else [texts.symbol[n["id"]]]
        w = max(text_width(line, ls) for line in lines) + 0.3
        if mode == "full" and n["kind"] in ("h", "y"):
            w = max(w, text_width(bias_row(texts, n["id"], timeline), s) + 0.1)  # the bias row below
        return max(w, 0.6), len(lines) * line_h + (BOX_PAD if len(lines) > 1 else BOX_PAD / 2)

    def footprint(n):  # a column is as wide as its widest box or badge
        badges = texts.badge.get(n["id"]) or ["0"]
        badge_w = max(text_width(b, s) for b in badges) + 0.1 if mode != "tiny" else 0
        return max(sizes[n["id"]][0], badge_w)

    sizes = {n["id"]: size_of(n) for col in columns.values() for n in col}
    for col in columns.values():  # one box width per column, so a layer reads as a layer
        w = max(sizes[n["id"]][0] for n in col)
        for n in col:
            sizes[n["id"]] = (w, sizes[n["id"]][1])
    widths = [max(footprint(n) for n in columns[layer]) for layer in sorted(columns)]
    gap = (NETWORK_RIGHT - NETWORK_LEFT - sum(widths)) / max(1, len(widths) - 1)
    return sizes, widths, gap


def bias_row(texts: Texts, uid: str, timeline) -> str:
    """The widest bias row under unit `uid`: "b 0.1  −0.056"."""
    z = next(e["source"] for e in timeline.edges if e["kind"] == "activation" and e["target"] == uid)
    name = next(p["name"] for p in timeline.params if p["kind"] == "bias" and p["node"] == z)
    return bias_row_of(texts, name)


def bias_row_of(texts: Texts, name: str) -> str:
    """The row under a unit for bias `name`: its value, then room for its gradient."""
    return f"{texts.bias[name]}  {texts.bias_badge.get(name, '')}"


def _segment(a, a_size, b, b_size):
    """The visible part of an edge: from the right side of one box to the left side of the next."""
    return (np.array([a[0] + a_size[0] / 2, a[1]]), np.array([b[0] - b_size[0] / 2, b[1]]))


def _place_along(segments, ts, strings, size, placed, tag):
    """One label per edge at the first free position along it; None (and nothing placed) if any edge
    has no free position, so a kind of label is shown on every edge or on none."""
    trial: list[tuple[str, Box]] = []
    positions = {}
    for eid, (a, b) in segments.items():
        d = (b - a) / np.linalg.norm(b - a)
        normal = np.array([-d[1], d[0]]) if d[0] >= 0 else np.array([d[1], -d[0]])
        lift = TEXT_H * size / 2 + 0.07
        for t, side in itertools.product(ts, (0.0, 1.0, -1.0)):
            x, y = a + (b - a) * t + normal * lift * side
            box = text_box(float(x), float(y), strings[eid], size)
            if not box.inside(NETWORK_LEFT, NETWORK_RIGHT, NETWORK_BOTTOM, NETWORK_TOP):
                continue
            if any(box.overlaps(other) for _, other in placed + trial):
                continue
            positions[eid] = (float(x), float(y))
            trial.append((f"{tag}:{eid}", box))
            break
        else:
            return None
    placed.extend(trial)
    return positions


def legend_spot(layout: Layout, w: float, h: float):
    """A corner of the network band where a w × h legend covers no unit, label or edge; None if none."""
    corners = [(NETWORK_LEFT + w / 2, NETWORK_TOP - h / 2), (NETWORK_RIGHT - w / 2, NETWORK_TOP - h / 2),
               (NETWORK_LEFT + w / 2, NETWORK_BOTTOM + h / 2), (NETWORK_RIGHT - w / 2, NETWORK_BOTTOM + h / 2)]
    taken = [b for _, b in layout.boxes] + [Box(x, y, *layout.sizes[u]) for u, (x, y) in layout.units.items()]
    for x, y in corners:
        spot = Box(x, y, w, h)
        if any(spot.overlaps(b) for b in taken):
            continue
        if any(spot.overlaps(Box(*(a + (b - a) * t), 0, 0), 0.05) for a, b in layout.segments.values()
               for t in np.linspace(0, 1, 25)):
            continue
        return x, y
    return None
