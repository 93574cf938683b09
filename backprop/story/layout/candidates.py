"""Where an edge's label may go: its candidate spots, in the order the placer tries them.

On the edge and beside it at each size, then out on a leader line; of those, only the spots that hold
for the whole trial (in the band, off the walls, cut by no other edge) are kept. Each group is made
once per trial, when first reached (most labels find room in their first), and several labels' groups
together: numpy over labels × spots, one test for a whole gap (or every gap, for the search's bound).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from backprop.story.layout.geometry import crossed
from backprop.story.layout.measure import pill_box, plain_box

if TYPE_CHECKING:
    from backprop.story.layout.placer import Placer

LEADER_STEP = 0.32  # how much further out each leader-line position is


@dataclass
class Spots:
    """Candidate centres of one label at one size (w × h), with where their leader lines meet the edge
    (None: on the edge or beside it), and whether each reads as the edge's: -1 not yet known, 0, 1."""

    xs: np.ndarray
    ys: np.ndarray
    w: float
    h: float
    size: float
    anchors: np.ndarray | None
    owned: np.ndarray


class Candidates:
    """One trial's edge-label candidates, made when first asked for and kept (`along`'s ts and sides
    follow from a label's edge, text and kind within a trial, so those key them)."""

    def __init__(self, placer: Placer):
        self.placer = placer
        self._made: dict[tuple, dict[int, Spots]] = {}
        self._normals: dict[str, np.ndarray] = {}  # an edge's unit normal, the side "beside" it is on

    def group(self, name, text, a, b, ts, sides, pill, group) -> Spots:
        """One group of an edge label's candidates: each size on the edge and beside it, then the
        smallest out on a leader."""
        return self.of_labels([(name, text, a, b, ts, sides, pill)], group)[0]

    def of_labels(self, labels, group=0) -> list[Spots]:
        """One group (the first unless said) of several edge labels' candidates (`labels`: along's
        arguments each), made together where not made yet; returns them."""
        todo = [args for args in labels if group not in self._made.get((args[0], args[1], args[-1]), {})]
        if todo:
            for (name, text, *_, pill), spots in zip(todo, self._made_group(todo, group)):
                self._made.setdefault((name, text, pill), {})[group] = spots
        return [self._made[(name, text, pill)][group] for name, text, *_, pill in labels]

    def _made_group(self, labels, group) -> list[Spots]:
        """One group of several labels' spots: those sharing their ts made as one array (labels ×
        spots), then all kept or not in one test (`_kept`); each label's Spots a slice of the whole."""
        sizes = self.placer.sizes
        size, leader = sizes[min(group, len(sizes) - 1)], group >= len(sizes)
        probes = [(pill_box if pill else plain_box)(0, 0, text, size) for _, text, *_, pill in labels]
        alike: dict[tuple, list[int]] = {}
        for i, (*_, ts, sides, _) in enumerate(labels):
            alike.setdefault((ts, len(sides)), []).append(i)
        order, made = [], []  # the labels, and their centres and anchors, bucket by bucket
        for (ts, _), which in alike.items():
            order += which
            made.append(self._centres([labels[i] for i in which], ts, [probes[i] for i in which], leader))
        counts = np.concatenate([np.full(len(centres), centres.shape[1]) for centres, _ in made])
        centres = np.concatenate([c.reshape(-1, 2) for c, _ in made])
        w = np.repeat(np.array([probes[i].w for i in order]), counts)
        h = np.repeat(np.array([probes[i].h for i in order]), counts)
        ok = self._kept(centres[:, 0], centres[:, 1], w, h, [labels[i][0] for i in order], counts, leader)
        xs, ys = centres[ok, 0], centres[ok, 1]
        anchors = np.concatenate([a.reshape(-1, 2) for _, a in made])[ok] if leader else None
        owned = np.full(len(xs), -1, dtype=np.int8)
        kept = np.add.reduceat(ok.astype(int), np.cumsum(counts) - counts)
        spots: list = [None] * len(labels)
        for i, end, n in zip(order, np.cumsum(kept), kept):
            spots[i] = Spots(xs[end - n:end], ys[end - n:end], probes[i].w, probes[i].h, size,
                             None if anchors is None else anchors[end - n:end], owned[end - n:end])
        return spots

    def _centres(self, labels, ts, probes, leader):
        """Labels × spots × xy: along `ts` on each side of `sides` (as itertools.product(ts, sides)
        orders them), or for a leader four steps out on either side at each t; and the leaders' anchors."""
        a = np.array([args[2] for args in labels], dtype=float)
        b = np.array([args[3] for args in labels], dtype=float)
        normal = np.array([self._normal(name, a_, b_) for name, _, a_, b_, *_ in labels])
        w, h = np.array([p.w for p in probes]), np.array([p.h for p in probes])
        lift = (np.abs(normal[:, 0]) * w + np.abs(normal[:, 1]) * h) / 2 + 0.02
        if not leader:
            sides = np.array([args[5] for args in labels], dtype=float)
            t, side = np.repeat(np.array(ts, dtype=float), sides.shape[1]), np.tile(sides, len(ts))
            return a[:, None] + (b - a)[:, None] * t[None, :, None] + (normal * lift[:, None])[:, None] * side[:, :, None], None
        out, t, side = (np.array(v, dtype=float) for v in zip(*itertools.product((1, 2, 3, 4), ts, (1, -1))))
        anchors = a[:, None] + (b - a)[:, None] * t[None, :, None]
        return anchors + normal[:, None] * (lift[:, None] + out[None] * LEADER_STEP)[:, :, None] * side[None, :, None], anchors

    def _normal(self, name, a, b) -> np.ndarray:
        """The unit normal of an edge, pointing up (right for an upright one)."""
        if name not in self._normals:
            d = (b - a) / np.linalg.norm(b - a)
            normal = np.array([-d[1], d[0]]) if d[0] >= 0 else np.array([d[1], -d[0]])
            self._normals[name] = np.array([1.0, 0.0]) if abs(d[0]) < 1e-9 else normal
        return self._normals[name]

    def _kept(self, xs, ys, ws, hs, names, counts, leader) -> np.ndarray:
        """Which spots are fixed_ok: on (or beside) their edge (`names`: each run of `counts` spots'),
        cut by no other edge; out on a leader, cut by no edge at all."""
        placer = self.placer
        ok = placer.fixed_ok(xs, ys, ws, hs)
        if len(placer.seg_a):
            cut = crossed(xs, ys, ws, hs, placer.seg_a, placer.seg_d)
            if leader:  # no piece is its own
                ok &= ~cut.any(axis=1)
            else:
                own = np.repeat([placer.seg_owner[placer.seg_index[name]] for name in names], counts)
                ok &= ~(cut & (placer.seg_owner[None, :] != own[:, None])).any(axis=1)
        return ok
