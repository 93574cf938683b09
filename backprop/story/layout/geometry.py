"""Boxes and edges in frame units, one at a time (`Box`) or many at once (the placer's candidates
against everything placed: numpy, the same arithmetic as `Box`, so both decide alike)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

GAP = 0.06  # minimum clearance between two labels
_EPS = 1e-9  # a box exactly on the band's edge is inside
_NEAR = 1e-9  # bounding boxes further apart than this cannot cross (far above rounding)


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
    return np.asarray(overlaps(xs, ys, ws, hs, placed, gap).any(axis=1))


def overlaps(xs, ys, ws, hs, placed: np.ndarray, gap: float = GAP) -> np.ndarray:
    """boxes × placed: which pairs overlap, closer than `gap`."""
    px, py, pw, ph = placed.T
    near_x = np.abs(xs[:, None] - px[None]) * 2 < np.reshape(ws, (-1, 1)) + pw[None] + 2 * gap
    near_y = np.abs(ys[:, None] - py[None]) * 2 < np.reshape(hs, (-1, 1)) + ph[None] + 2 * gap
    return near_x & near_y


def crossed(xs, ys, ws, hs, seg_a: np.ndarray, seg_d: np.ndarray) -> np.ndarray:
    """boxes × segments: whether segment a → a + d passes through each box (Liang–Barsky clipping).

    Only the pairs whose bounding boxes meet are clipped (most are far apart); the rest cannot cross."""
    xs, ys, ws, hs = (np.asarray(v, dtype=float) for v in (xs, ys, ws, hs))
    out = np.zeros((len(xs), len(seg_a)), dtype=bool)
    if not out.size:
        return out
    left, right, bottom, top = xs - ws / 2, xs + ws / 2, ys - hs / 2, ys + hs / 2
    ax, ay, dx, dy = seg_a[:, 0], seg_a[:, 1], seg_d[:, 0], seg_d[:, 1]
    x0, x1 = np.minimum(ax, ax + dx), np.maximum(ax, ax + dx)
    y0, y1 = np.minimum(ay, ay + dy), np.maximum(ay, ay + dy)
    # first the segments near any box at all, then pair by pair
    seg = np.flatnonzero((x0 <= right.max() + _NEAR) & (x1 >= left.min() - _NEAR)
                         & (y0 <= top.max() + _NEAR) & (y1 >= bottom.min() - _NEAR))
    near = ((x0[seg] <= right[:, None] + _NEAR) & (x1[seg] >= left[:, None] - _NEAR)
            & (y0[seg] <= top[:, None] + _NEAR) & (y1[seg] >= bottom[:, None] - _NEAR))
    i, j = np.nonzero(near)
    j = seg[j]
    if len(i):
        out[i, j] = _clipped(left[i], right[i], bottom[i], top[i], ax[j], ay[j], dx[j], dy[j])
    return out


def _clipped(left, right, bottom, top, ax, ay, dx, dy) -> np.ndarray:
    """Pair by pair: whether segment (ax, ay) + t·(dx, dy), 0 ≤ t ≤ 1, meets the box. Along each axis
    the segment enters the box's slab at one ratio and leaves it at the other (which is which by the
    sign of its direction); it meets the box where it is in both at once."""
    lo, hi = np.zeros(len(left)), np.ones(len(left))
    ok = np.ones(len(left), dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        for low, high, a, d in ((left, right, ax, dx), (bottom, top, ay, dy)):
            q1, q2 = a - low, high - a
            flat = np.abs(d) < 1e-12  # parallel to the slab: in it or not
            ok &= ~(flat & ((q1 < 0) | (q2 < 0)))
            r1, r2 = q1 / -d, q2 / d
            forward = d > 0
            lo = np.maximum(lo, np.where(flat, 0.0, np.where(forward, r1, r2)))
            hi = np.minimum(hi, np.where(flat, 1.0, np.where(forward, r2, r1)))
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


def ends_of(segments) -> tuple[np.ndarray, np.ndarray]:
    """Segments (pairs of points) as start points and directions, (n, 2) each: what `crossed` and
    `distances` take."""
    ends = np.array([(a, b) for a, b in segments], dtype=float).reshape(-1, 2, 2)
    return ends[:, 0], ends[:, 1] - ends[:, 0]


def leader_lines(xs, ys, w, h, anchors, placed: np.ndarray, arc_a: np.ndarray, arc_d: np.ndarray):
    """Leader lines from each anchor to its label's box (centres xs, ys; w × h): where each meets the
    box's outline, and whether it is free: through no box of `placed` (rows x, y, w, h: units,
    labels), across no piece of a skip's arc (`arc_a`, `arc_d`: two curves of lines meeting read as
    one), and no arc nearer the label's centre than its own leader line (it would read as the skip's)."""
    dx, dy = anchors[:, 0] - xs, anchors[:, 1] - ys
    with np.errstate(divide="ignore"):
        k = np.minimum(np.where(np.abs(dx) > 1e-9, w / 2 / np.abs(dx), np.inf),
                       np.where(np.abs(dy) > 1e-9, h / 2 / np.abs(dy), np.inf))
    ends = np.stack([xs + dx * k, ys + dy * k], axis=1)
    d = ends - anchors
    ok = np.ones(len(xs), dtype=bool)
    if len(placed):
        ok &= ~crossed(placed[:, 0], placed[:, 1], placed[:, 2], placed[:, 3], anchors, d).any(axis=0)
    if len(arc_a):  # each leader a + s·d against each piece pa + u·pd
        pa, pd = arc_a, arc_d
        cross = pd[None, :, 0] * d[:, 1:2] - pd[None, :, 1] * d[:, 0:1]
        safe = np.where(np.abs(cross) < 1e-12, 1.0, cross)
        ox, oy = pa[None, :, 0] - anchors[:, 0:1], pa[None, :, 1] - anchors[:, 1:2]
        s = (ox * pd[None, :, 1] - oy * pd[None, :, 0]) / -safe
        u = (ox * d[:, 1:2] - oy * d[:, 0:1]) / -safe
        ok &= ~((np.abs(cross) >= 1e-12) & (s >= 0) & (s <= 1) & (u >= 0) & (u <= 1)).any(axis=1)
        own = np.diagonal(distances(xs, ys, anchors, d))
        ok &= ~(distances(xs, ys, pa, pd).min(axis=1) <= own + 0.04)
    return ends, ok
