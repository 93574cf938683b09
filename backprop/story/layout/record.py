"""The Layout record: where every unit box, label and edge of the network view goes, and what was
left out; and a free spot for a legend on it."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from backprop.story.frame import SIXTEEN_NINE, Frame
from backprop.story.layout.geometry import crossed, overlapping, pieces


@dataclass
class Layout:
    mode: str  # full | lean | medium | compact | symbol | tiny: how much text a unit carries (search.MODES)
    units: dict[str, tuple[float, float]]  # unit node id (x…, h…, y…, L) → centre of its box
    sizes: dict[str, tuple[float, float]]  # unit node id → box width, height
    unit_of: dict[str, str]  # any node id (z too) → the unit node drawn for it
    badges: dict[str, tuple[float, float]]  # unit id → where its gradient badge goes (if shown)
    bias: dict[str, tuple[float, float]]  # bias param → centre of its value label "b 0.1" (if shown)
    weight_labels: dict[str, tuple[float, float]]  # weight edge id → weight value label (if shown)
    edge_badges: dict[str, tuple[float, float]]  # weight edge id → gradient badge (if shown)
    segments: dict[str, tuple[np.ndarray, np.ndarray]]  # edge id → visible line, box side to box side
    boxes: list = field(default_factory=list)  # (label key, Box) of every placed label, for checks
    bias_badges: dict[str, tuple[float, float]] = field(default_factory=dict)  # bias param → its gradient's pill
    font: dict[str, float] = field(default_factory=dict)  # "weight:W1[1,1]" … → font size where shrunk
    leaders: dict[str, tuple[tuple, tuple]] = field(default_factory=dict)  # label key → (on the edge, at the label)
    pads: dict[str, float] = field(default_factory=dict)  # "weight:W1[1,1]" … → its background's reach where wider
    dropped: list[str] = field(default_factory=list)  # label keys that found no room
    value_lines: int = 2  # value lines in a unit box: 2 (z and h), 1 (h), 0 (the name only), -1 (nothing)
    frame: Frame = SIXTEEN_NINE  # the frame it was made for
    badge_side: str = "above"  # where a unit's gradient sits: above its box, or beside it (layers running down)
    scale: float = 1.0  # the network's text and boxes drawn this much smaller than the theme's (search.ZOOMS)
    # skip edge id (`h1_1=>h2_1`) → its arc as points (geometry.skip_arc), from h_prev's box to the box it adds into
    skips: dict[str, np.ndarray] = field(default_factory=dict)
    skip_labels: dict[str, tuple[float, float]] = field(default_factory=dict)  # skip edge id → its label "skip ×1"

    def size_of(self, key: str, size: float) -> float:
        """The font size a label is drawn at: where the layout shrank it, else `size` at the scale."""
        return self.font.get(key, size * self.scale)

    @property
    def numbers_left_out(self) -> int:
        """Weights, biases, their gradients and units' gradients that found no room on the network."""
        return sum(1 for key in self.dropped if key.startswith(("weight:", "edge-badge:", "badge:", "bias:", "bias-badge:")))

    @property
    def params_left_out(self) -> frozenset:
        """The weights and biases whose value or gradient found no room (weight edges are named as
        their weights)."""
        return frozenset(key.split(":", 1)[1] for key in self.dropped
                         if key.startswith(("weight:", "edge-badge:", "bias:", "bias-badge:")))

    def lines(self) -> list[tuple[str, np.ndarray, np.ndarray]]:
        """Every edge as straight pieces (edge id, start, end): a weight's one, a skip's arc in several."""
        return ([(eid, a, b) for eid, (a, b) in self.segments.items()]
                + [(eid, a, b) for eid, points in self.skips.items() for a, b in pieces(points)])

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
    gx, gy = np.meshgrid(xs, ys, indexing="ij")  # itertools.product's order
    cx, cy = gx.ravel(), gy.ravel()
    # corners first: stable, so equals keep product order
    order = np.argsort(np.minimum(np.abs(cx - xs[0]), np.abs(cx - xs[-1]))
                       + 0.5 * np.minimum(np.abs(cy - ys[0]), np.abs(cy - ys[-1])), kind="stable")
    cx, cy = cx[order], cy[order]
    cw, ch = np.full(len(cx), float(w)), np.full(len(cx), float(h))
    placed = np.array([[b.x, b.y, b.w, b.h] for _, b in layout.boxes], dtype=float).reshape(-1, 4)
    lines = [(a, b) for _, a, b in layout.lines()] + list(layout.leaders.values())
    free = ~overlapping(cx, cy, cw, ch, placed)
    if lines:
        ends = np.array(lines, dtype=float).reshape(-1, 2, 2)
        free &= ~crossed(cx, cy, cw, ch, ends[:, 0], ends[:, 1] - ends[:, 0]).any(axis=1)
    hits = np.flatnonzero(free)
    return (float(cx[hits[0]]), float(cy[hits[0]])) if len(hits) else None
