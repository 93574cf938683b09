"""Boxes and edges in frame units, one at a time (`Box`) or many at once (the placer's candidates
against everything placed: numpy, the same arithmetic as `Box`, so both decide alike)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

GAP = 0.06  # minimum clearance between two labels
_EPS = 1e-9  # a box exactly on the band's edge is inside


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
        return (self.x - self.w / 2 >= left - _EPS and self.x + self.w / 2 <= right + _EPS
                and self.y - self.h / 2 >= bottom - _EPS and self.y + self.h / 2 <= top + _EPS)

    def crosses(self, a, b) -> bool:
        """Whether the segment a–b passes through this box."""
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        return bool(crossed(np.array([self.x]), np.array([self.y]), np.array([self.w]), np.array([self.h]),
                            a[None], (b - a)[None])[0, 0])


def inside(xs, ys, ws, hs, band) -> np.ndarray:
    """Which boxes (centres xs, ys; sizes ws, hs) lie inside band = (left, right, bottom, top)."""
    left, right, bottom, top = band
    return ((xs - ws / 2 >= left - _EPS) & (xs + ws / 2 <= right + _EPS)
            & (ys - hs / 2 >= bottom - _EPS) & (ys + hs / 2 <= top + _EPS))


def overlapping(xs, ys, ws, hs, placed: np.ndarray, gap: float = GAP) -> np.ndarray:
    """Which boxes overlap any of `placed` (rows x, y, w, h), closer than `gap` (ws, hs: one each, or one for all)."""
    if not len(placed):
        return np.zeros(len(xs), dtype=bool)
    px, py, pw, ph = placed.T
    near_x = np.abs(xs[:, None] - px[None]) * 2 < np.reshape(ws, (-1, 1)) + pw[None] + 2 * gap
    near_y = np.abs(ys[:, None] - py[None]) * 2 < np.reshape(hs, (-1, 1)) + ph[None] + 2 * gap
    return (near_x & near_y).any(axis=1)


def crossed(xs, ys, ws, hs, seg_a: np.ndarray, seg_d: np.ndarray) -> np.ndarray:
    """boxes × segments: whether segment a → a + d passes through each box (Liang–Barsky clipping)."""
    lo = np.zeros((len(xs), len(seg_a)))
    hi = np.ones((len(xs), len(seg_a)))
    ok = np.ones((len(xs), len(seg_a)), dtype=bool)
    for k, (c, half) in enumerate(((xs, ws / 2), (ys, hs / 2))):
        c, half = c[:, None], half[:, None]
        for p, q in ((np.broadcast_to(-seg_d[:, k], lo.shape), seg_a[:, k] - (c - half)),
                     (np.broadcast_to(seg_d[:, k], lo.shape), (c + half) - seg_a[:, k])):
            flat = np.abs(p) < 1e-12
            ok &= ~(flat & (q < 0))
            r = np.where(flat, 0.0, q / np.where(flat, 1.0, p))
            lo = np.where(~flat & (p < 0), np.maximum(lo, r), lo)
            hi = np.where(~flat & (p > 0), np.minimum(hi, r), hi)
    return ok & (lo <= hi)


def distances(xs, ys, seg_a: np.ndarray, seg_d: np.ndarray) -> np.ndarray:
    """points × segments: how far each point is from each segment."""
    p = np.stack([xs, ys], axis=1)[:, None, :]
    t = np.clip(((p - seg_a) * seg_d).sum(2) / np.maximum((seg_d * seg_d).sum(1), 1e-12), 0.0, 1.0)
    v = seg_a + seg_d * t[:, :, None] - p
    return np.sqrt((v * v).sum(2))  # np.linalg.norm's own sum, without its checks


def flat(a, b) -> bool:
    """An edge close to level: a label on it would read as a minus sign."""
    return abs(b[1] - a[1]) < 0.25 * abs(b[0] - a[0])


def towards(box: Box, p) -> tuple[float, float]:
    """The point of `box`'s outline on the way from its centre to `p`."""
    dx, dy = p[0] - box.x, p[1] - box.y
    k = min(box.w / 2 / abs(dx) if abs(dx) > 1e-9 else math.inf, box.h / 2 / abs(dy) if abs(dy) > 1e-9 else math.inf)
    return (float(box.x + dx * k), float(box.y + dy * k))


def segment_down(a, a_size, b, b_size):
    """The visible part of an edge when layers run down the frame: bottom side to top side."""
    return (np.array([a[0], a[1] - a_size[1] / 2]), np.array([b[0], b[1] + b_size[1] / 2]))


def segment(a, a_size, b, b_size):
    """The visible part of an edge: from the side of one box to the facing side of the next (right to
    left, left to right in a wrapped chain's second row, bottom to top at its turn)."""
    if abs(a[0] - b[0]) < 1e-6:
        down = 1 if b[1] < a[1] else -1
        return (np.array([a[0], a[1] - down * a_size[1] / 2]), np.array([b[0], b[1] + down * b_size[1] / 2]))
    way = 1 if b[0] > a[0] else -1
    return (np.array([a[0] + way * a_size[0] / 2, a[1]]), np.array([b[0] - way * b_size[0] / 2, b[1]]))


SKIP_POINTS = 13  # a skip's arc as this many points (12 straight pieces): what is drawn and what is checked


def skip_arc(a, a_size, b, b_size, side, down=False, bend=None) -> np.ndarray:
    """A skip's path from unit box a to unit box b (next to each other), bowed to `side` (a unit
    vector across their straight edge) so it reads as its own edge beside the weight's: it leaves a
    quarter of the way along the box's side from where the straight edge does, and rises `bend` (by
    default a third of its length, 0.35 to 0.7) off it, as a parabola of SKIP_POINTS points."""
    start, end = (segment_down if down else segment)(a, a_size, b, b_size)
    side = np.asarray(side, dtype=float)
    across = a_size[0] if abs(side[0]) > abs(side[1]) else a_size[1]  # the side of the box the shift runs along
    start = start + side * across / 4
    end = end + side * (b_size[0] if abs(side[0]) > abs(side[1]) else b_size[1]) / 4
    length = float(np.linalg.norm(end - start))
    bend = min(0.7, max(0.35, length / 3)) if bend is None else bend
    t = np.linspace(0.0, 1.0, SKIP_POINTS)[:, None]
    return start + (end - start) * t + side * bend * 4 * t * (1 - t)


def pieces(points) -> list[tuple[np.ndarray, np.ndarray]]:
    """A path of points as its straight pieces."""
    points = np.asarray(points, dtype=float)
    return list(zip(points[:-1], points[1:]))
