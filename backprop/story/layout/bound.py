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


def cannot_place(placer: Placer, kinds) -> int:
    """How many edge labels `Placer.column` could place nowhere even with nothing more placed than now:
    none of their spots (in a column, on its own, on a leader) free and reading as theirs. `kinds`: a
    gap's labels of one kind each, as (labels, ts, pill, leaders); all tested together, a group of
    spots (then a way of standing in a column) at a time, each only for the labels not yet placeable."""
    kinds = [kind for kind in kinds if kind[0]]
    possible = [np.zeros(len(labels), dtype=bool) for labels, *_ in kinds]
    one_by_one = [placer.one_by_one(labels, ts, pill) for labels, ts, pill, _ in kinds]
    n_sizes = len(placer.sizes)
    for group in range(n_sizes + 1):
        todo = [(k, i) for k, (*_, leaders) in enumerate(kinds) if group < n_sizes + leaders
                for i in np.flatnonzero(~possible[k])]
        if not todo:
            continue
        groups = placer.candidates.of_labels([one_by_one[k][i] for k, i in todo], group)
        counts = [len(spots.xs) for spots in groups]
        if not sum(counts):
            continue
        label = np.repeat(np.arange(len(todo)), counts)
        xs, ys = np.concatenate([g.xs for g in groups]), np.concatenate([g.ys for g in groups])
        ws, hs = np.repeat([g.w for g in groups], counts), np.repeat([g.h for g in groups], counts)
        owned = np.concatenate([g.owned for g in groups])
        hits = np.flatnonzero(placer.clear(xs, ys, ws, hs))
        unknown = hits[owned[hits] < 0]
        if len(unknown):
            edge = np.array([placer.seg_index[one_by_one[k][i][0]] for k, i in todo])
            owned[unknown] = placer.owned(xs[unknown], ys[unknown], hs[unknown], edge[label[unknown]], group == n_sizes)
            for g, start, n in zip(groups, np.cumsum([0] + counts[:-1]), counts):  # kept for `along`
                g.owned[:] = owned[start:start + n]
        ks = hits[owned[hits] == 1]
        if len(ks) and group == n_sizes:
            anchors = np.concatenate([g.anchors for g in groups if g.anchors is not None])
            ks = ks[placer.leaders_free(xs[ks], ys[ks], ws[ks], hs[ks], anchors[ks])[1]]
        for j in np.unique(label[ks]):
            k, i = todo[j]
            possible[k][i] = True
    # All at one t, each label on its own: on a sloped edge a column's spot at t is the label's own
    # spot on its edge at t, tried above; on a flat edge, or in a dense gap's even columns, it is not.
    ways = [list(placer.columns(labels, ts, pill)) for labels, ts, pill, _ in kinds]
    sloped = [np.array([not flat(*placer.lay.segments[eid]) for eid, _ in labels]) for labels, *_ in kinds]
    for way in range(max((len(w) for w in ways), default=0)):
        tried = []  # (kind, its labels tried, how many ts), and their boxes
        boxes: list[list[np.ndarray]] = [[], [], [], [], []]
        for k, (labels, *_) in enumerate(kinds):
            if way >= len(ways[k]):
                continue
            key, spots, h, _ = ways[k][way]
            todo_k = np.flatnonzero(~possible[k] & ~(sloped[k] & (key[0] == "at")))
            if not len(todo_k):
                continue
            centres, w = spots()
            n_t = len(centres)
            tried.append((k, todo_k, n_t))
            for part, v in zip(boxes, (centres[:, todo_k, 0].ravel(), centres[:, todo_k, 1].ravel(),
                                       np.tile(np.broadcast_to(w, h.shape)[todo_k], n_t), np.tile(h[todo_k], n_t),
                                       np.tile([placer.seg_index[labels[i][0]] for i in todo_k], n_t))):
                part.append(v)
        if not tried:
            continue
        xs, ys, ws, hs, own = (np.concatenate(part) for part in boxes)
        ok = placer.fixed_ok(xs, ys, ws, hs) & placer.clear(xs, ys, ws, hs)
        if ok.any():
            ok[ok] = placer.theirs(xs[ok], ys[ok], ws[ok], hs[ok], own[ok])
        start = 0
        for k, todo_k, n_t in tried:
            n = n_t * len(todo_k)
            possible[k][todo_k] |= ok[start:start + n].reshape(n_t, len(todo_k)).any(axis=0)
            start += n
    return int(sum((~p).sum() for p in possible))
