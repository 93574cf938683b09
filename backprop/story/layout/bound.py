"""What a trial of the search is sure to lose, so that the search can leave it unfinished.

Once a trial's units' gradients are placed, an edge number none of whose spots is free even now
(every candidate on its own, in a column, on a leader) is left out whatever comes next: room only
shrinks as labels are added. A trial sure to lose more than one already laid out can be neither the
first to lose nothing nor the one that loses least, so the search's answer stays the same.
"""

from __future__ import annotations

import numpy as np

from backprop.story.layout.geometry import flat
from backprop.story.layout.placer import Placer
from backprop.story.layout.record import Layout


def cost(lay: Layout) -> tuple[int, int]:
    """What a layout loses: a unit's own gradient counts as much as every edge number together; of
    two that lose as many, the one that keeps more biases."""
    misses = sum(1 for key in lay.dropped if key.startswith(("weight:", "edge-badge:")))
    return misses + 1000 * sum(1 for key in lay.dropped if key.startswith("badge:")), lay.numbers_left_out


class Bound:
    """What the best trial laid out so far loses (`cost`), so that a trial sure to lose more is left
    unfinished: it can be neither the first to lose nothing nor the one that loses least. Dense
    networks usually do best in their last trial (drawn smallest, boxes plainest), so that one
    (`guess`) is laid out first, when the first trial sure to lose something asks."""

    def __init__(self, guess):
        self.cost: tuple[int, int] | None = None
        self.guess = guess

    def beaten(self, least: tuple[int, int]) -> bool:
        """Whether a trial that loses at least `least` loses more than the best so far."""
        if least == (0, 0):
            return False
        if self.cost is None and self.guess is not None:
            guess, self.guess = self.guess, None
            guess()
        return self.cost is not None and least > self.cost

    def offer(self, lay: Layout):
        if self.cost is None or cost(lay) < self.cost:
            self.cost = cost(lay)


def cannot_place(placer: Placer, labels, ts, pill, leaders=True) -> int:
    """How many of a gap's labels of one kind `Placer.column` could place nowhere even with nothing
    more placed than now: none of their spots (in a column, on its own, on a leader) free and reading
    as theirs."""
    if not labels:
        return 0
    possible = np.zeros(len(labels), dtype=bool)
    one_by_one = placer.one_by_one(labels, ts, pill)
    for group in range(len(placer.sizes) + (1 if leaders else 0)):
        todo = np.flatnonzero(~possible)
        if not len(todo):
            break
        groups = placer.candidates.of_labels([one_by_one[i] for i in todo], group)
        counts = [len(spots.xs) for spots in groups]
        if not sum(counts):
            continue
        label = np.repeat(todo, counts)
        xs, ys = np.concatenate([g.xs for g in groups]), np.concatenate([g.ys for g in groups])
        ws, hs = np.repeat([g.w for g in groups], counts), np.repeat([g.h for g in groups], counts)
        owned = np.concatenate([g.owned for g in groups])
        hits = np.flatnonzero(placer.clear(xs, ys, ws, hs))
        unknown = hits[owned[hits] < 0]
        if len(unknown):
            own = np.array([placer.seg_index[one_by_one[i][0]] for i in label[unknown]])
            owned[unknown] = placer.owned(xs[unknown], ys[unknown], hs[unknown], own, groups[0].anchors is not None)
            starts = np.cumsum([0] + counts[:-1])
            for g, start, n in zip(groups, starts, counts):  # kept for `along`
                g.owned[:] = owned[start:start + n]
        ks = hits[owned[hits] == 1]
        if len(ks) and groups[0].anchors is not None:
            anchors = np.concatenate([g.anchors for g in groups if g.anchors is not None])
            ks = ks[placer.leaders_free(xs[ks], ys[ks], ws[ks], hs[ks], anchors[ks])[1]]
        possible[label[ks]] = True
    # All at one t, each label on its own: on a sloped edge a column's spot at t is the label's own
    # spot on its edge at t, tried above; on a flat edge, or in a dense gap's even columns, it is not.
    sloped = np.array([not flat(*placer.lay.segments[eid]) for eid, _ in labels])
    for key, spots, h, _ in placer.columns(labels, ts, pill):
        todo = np.flatnonzero(~possible & ~(sloped & (key[0] == "at")))
        if not len(todo):
            break
        centres, w = spots()
        n_t = len(centres)
        xs, ys = centres[:, todo, 0].ravel(), centres[:, todo, 1].ravel()
        ws, hs = np.tile(np.broadcast_to(w, h.shape)[todo], n_t), np.tile(h[todo], n_t)
        own = np.tile([placer.seg_index[labels[i][0]] for i in todo], n_t)
        ok = placer.fixed_ok(xs, ys, ws, hs) & placer.clear(xs, ys, ws, hs)
        if ok.any():
            ok[ok] = (placer.owned(xs[ok], ys[ok], hs[ok], own[ok])
                      & ~placer.cut_by_others(xs[ok], ys[ok], ws[ok], hs[ok], own[ok]))
        possible[todo] |= ok.reshape(n_t, len(todo)).any(axis=0)
    return int((~possible).sum())
