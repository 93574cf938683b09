"""Where an edge's label may go: its candidate spots, in the order the placer tries them.

On the edge and beside it at each size, then out on a leader line; of those, only the spots that hold
for the whole trial (in the band, off the walls, cut by no other edge) are kept. Each group is made
once per trial, when first reached (most labels find room in their first), and a gap's first groups
together (one test for a whole gap).
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

    def group(self, name, text, a, b, ts, sides, pill, group) -> Spots:
        """One group of an edge label's candidates: each size on the edge and beside it, then the
        smallest out on a leader."""
        made = self._made.setdefault((name, text, pill), {})
        if group not in made:
            made[group] = self._kept([self._spots(name, text, a, b, ts, sides, pill, group)])[0]
        return made[group]

    def of_labels(self, labels, group=0):
        """One group (the first unless said) of several edge labels' candidates (`labels`: along's
        arguments each), made together where not made yet; returns them."""
        todo = [args for args in labels if group not in self._made.get((args[0], args[1], args[-1]), {})]
        if todo:
            made = self._kept([self._spots(name, text, a, b, ts, sides, pill, group)
                               for name, text, a, b, ts, sides, pill in todo])
            for (name, text, *_, pill), spots in zip(todo, made):
                self._made.setdefault((name, text, pill), {})[group] = spots
        return [self._made[(name, text, pill)][group] for name, text, *_, pill in labels]

    def _spots(self, name, text, a, b, ts, sides, pill, group):
        """(centres, probe, size, anchors, own edge) of one group of an edge label's spots."""
        placer = self.placer
        make = pill_box if pill else plain_box
        d = (b - a) / np.linalg.norm(b - a)
        normal = np.array([-d[1], d[0]]) if d[0] >= 0 else np.array([d[1], -d[0]])
        if abs(d[0]) < 1e-9:
            normal = np.array([1.0, 0.0])
        size = placer.sizes[min(group, len(placer.sizes) - 1)]
        probe = make(0, 0, text, size)
        lift = (abs(normal[0]) * probe.w + abs(normal[1]) * probe.h) / 2 + 0.02
        if group < len(placer.sizes):
            t, side = (np.array(v, dtype=float) for v in zip(*itertools.product(ts, sides)))
            return a + (b - a) * t[:, None] + normal * lift * side[:, None], probe, size, None, placer.seg_index[name]
        out, t, side = (np.array(v, dtype=float) for v in zip(*itertools.product((1, 2, 3, 4), ts, (1, -1))))
        anchors = a + (b - a) * t[:, None]
        return anchors + normal * (lift + out * LEADER_STEP)[:, None] * side[:, None], probe, size, anchors, None

    def _kept(self, groups) -> list[Spots]:
        """Of each group's centres, those fixed_ok: on (or beside) its edge (`own`), cut by no other
        edge; out on a leader (`anchors`), cut by no edge at all. All groups tested together."""
        placer = self.placer
        counts = [len(centres) for centres, *_ in groups]
        centres = np.concatenate([c for c, *_ in groups]).reshape(-1, 2)
        xs, ys = centres[:, 0], centres[:, 1]
        ws = np.repeat([probe.w for _, probe, *_ in groups], counts)
        hs = np.repeat([probe.h for _, probe, *_ in groups], counts)
        own = np.repeat([-1 if own is None else own for *_, own in groups], counts)
        ok = placer.fixed_ok(xs, ys, ws, hs)
        if len(placer.seg_a):
            cut = crossed(xs, ys, ws, hs, placer.seg_a, placer.seg_d)
            ours = placer.seg_owner[None, :] == np.where(own >= 0, placer.seg_owner[np.maximum(own, 0)], -1)[:, None]
            ok &= ~(cut & ~ours).any(axis=1)  # own -1 (on a leader): no piece is its own
        spots, start = [], 0
        for (_, probe, size, anchors, _), n in zip(groups, counts):
            keep = ok[start:start + n]
            start += n
            spots.append(Spots(xs[start - n:start][keep], ys[start - n:start][keep], probe.w, probe.h, size,
                               None if anchors is None else anchors[keep], np.full(int(keep.sum()), -1, dtype=np.int8)))
        return spots
