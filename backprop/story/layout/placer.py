"""Places one label at a time at the first free spot among its candidates.

A spot is free when its box lies in the network's band, clear of every box placed so far, and (where
asked) of the edges. Each label's candidates are tested together, as arrays against every placed box
(`geometry`): the first free one wins, as if tried one by one.
"""

from __future__ import annotations

import functools
import itertools

import numpy as np

from backprop.story.layout.candidates import Candidates
from backprop.story.layout.geometry import (GAP, Box, crossed, distances, ends_of, flat, inside, leader_lines,
                                             overlapping, overlaps)
from backprop.story.layout.reading import blocking_leaders, reads_as_its_own
from backprop.story.layout.measure import LABEL_PAD, min_label_size, pill_box, plain_box
from backprop.story.layout.record import Layout

FLAT_PAD = 0.16  # a weight sitting on a level edge: its background reaches this far past its text
DENSE = 3  # from this many units a column (and six edges a gap), a gap's labels stand in even columns


@functools.lru_cache(maxsize=64)
def _slid(ts: tuple) -> tuple:
    """`ts` first, then the rest of an edge every 0.04 (made once: every trial slides labels alike)."""
    return ts + tuple(t for t in np.round(np.arange(0.04, 0.97, 0.04), 2) if t not in ts)


class Placer:
    def __init__(self, lay: Layout, size: float, walls):
        self.lay, self.size = lay, size
        self.band = lay.band
        lines = lay.lines()  # a skip's arc is several pieces, all its own
        self.seg_ids = [eid for eid, _, _ in lines]
        self.seg_a, self.seg_d = ends_of([(a, b) for _, a, b in lines])
        self.seg_index: dict[str, int] = {}  # edge id → its first piece
        for i, eid in enumerate(self.seg_ids):
            self.seg_index.setdefault(eid, i)
        self.seg_owner = np.array([self.seg_index[eid] for eid in self.seg_ids], dtype=int)  # piece → its edge
        self.arcs = np.array([eid in lay.skips for eid in self.seg_ids], dtype=bool)  # the pieces of skips' arcs
        self.wall_a, self.wall_d = ends_of(walls)  # segments no label may cross (a wrapped chain's turn)
        self.sizes = [size, min_label_size(size)] if min_label_size(size) < size else [size]
        self._placed: np.ndarray | None = None  # lay.boxes as rows x, y, w, h, made when needed
        self._fixed: dict = {}  # a gap's column of labels at each t and their fixed_ok, by what they depend on
        self.candidates = Candidates(self)  # an edge label's spots, one by one
        # A label that found no room fails again while what blocked it is still placed: its key → the
        # placed (key, box) entries that blocked its spots (`_blockers`), kept here (alive: their ids
        # stay theirs); `_present` holds the ids of the entries in lay.boxes now.
        self._failed: dict = {}
        self._present = {id(entry) for entry in lay.boxes}

    # ---- what is free ----
    # A spot is free when it is `fixed_ok` (in the band, off the walls; `strict`: off every edge; for
    # an edge's label, owned by that edge), which holds for the whole trial, and `clear` of every box
    # placed so far. The fixed part of an edge label's candidates is worked out once per trial (cached).

    def fixed_ok(self, xs, ys, ws, hs, strict=False) -> np.ndarray:
        ok = inside(xs, ys, ws, hs, self.band)
        if len(self.wall_a):
            ok &= ~crossed(xs, ys, ws, hs, self.wall_a, self.wall_d).any(axis=1)
        strict = np.broadcast_to(np.asarray(strict, dtype=bool), ok.shape)
        if strict.any() and len(self.seg_a):
            ok &= ~(strict & crossed(xs, ys, ws, hs, self.seg_a, self.seg_d).any(axis=1))
        return ok

    def clear(self, xs, ys, ws, hs) -> np.ndarray:
        """Which boxes overlap no placed box, nor a placed label's leader line."""
        placed = self._boxes()
        if not (len(placed) and len(xs)):
            return np.ones(len(xs), dtype=bool)
        ok = self._clear_of_boxes(xs, ys, ws, hs, placed)
        if self.lay.leaders and ok.any():  # leader lines (the dearer test) only where no box is in the way
            ws, hs = (np.broadcast_to(np.asarray(v, dtype=float), np.shape(xs)) for v in (ws, hs))
            ok[ok] = self.off_leaders(xs[ok], ys[ok], ws[ok], hs[ok])
        return ok

    def _clear_of_boxes(self, xs, ys, ws, hs, placed) -> np.ndarray:
        # only placed boxes near the candidates can overlap them (a margin for rounding)
        reach = np.max(ws) / 2 + placed[:, 2] / 2 + GAP + 1e-6
        tall = np.max(hs) / 2 + placed[:, 3] / 2 + GAP + 1e-6
        near = ((placed[:, 0] > xs.min() - reach) & (placed[:, 0] < xs.max() + reach)
                & (placed[:, 1] > ys.min() - tall) & (placed[:, 1] < ys.max() + tall))
        return ~overlapping(xs, ys, ws, hs, placed[near])

    def cut_by_others(self, xs, ys, ws, hs, own) -> np.ndarray:
        """Whether an edge other than each box's own (`own`: its edge index) passes through it: a number
        lying on another edge reads as that edge's."""
        cut = crossed(xs, ys, ws, hs, self.seg_a, self.seg_d)
        cut &= ~self._own_pieces(own, len(xs))
        return np.asarray(cut.any(axis=1))

    def _own_pieces(self, own, n) -> np.ndarray:
        """boxes × pieces: whether each piece is of the box's own edge (`own`: an edge index each, or one for all)."""
        return self.seg_owner[None, :] == self.seg_owner[np.broadcast_to(np.asarray(own), (n,))][:, None]

    def theirs(self, xs, ys, ws, hs, own) -> np.ndarray:
        """Whether each box (`own`: its edge index each) reads as its edge's: cut by no other edge
        (`cut_by_others`, tested first: the cheaper), and `owned`."""
        ok = ~self.cut_by_others(xs, ys, ws, hs, own)
        if ok.any():
            ok[ok] = self.owned(xs[ok], ys[ok], hs[ok], own[ok])
        return ok

    def off_leaders(self, xs, ys, ws, hs) -> np.ndarray:
        """Which boxes no leader line placed so far runs through."""
        if not self.lay.leaders:
            return np.ones(len(xs), dtype=bool)
        a, d = ends_of(self.lay.leaders.values())
        ws, hs = (np.broadcast_to(np.asarray(v, dtype=float), np.shape(xs)) for v in (ws, hs))
        return np.asarray(~crossed(xs, ys, ws, hs, a, d).any(axis=1))

    def owned(self, xs, ys, hs, own, leader=False) -> np.ndarray:
        """Whether a label at each box reads as its edge's (`own`: each one's edge index): every other
        edge passes further from its centre than its own edge does, by more than half its height (not at
        a crossing, not where two edges leave one box); a label on a leader (`leader`, one for all or one
        per box), whose line says whose it is, only off other edges."""
        dist = distances(xs, ys, self.seg_a, self.seg_d)
        ours = self._own_pieces(own, len(xs))
        mine = 0.0 if leader is True else np.where(leader, 0.0, np.where(ours, dist, np.inf).min(axis=1))
        return np.where(ours, np.inf, dist).min(axis=1) >= mine + hs / 2 + 0.04

    def leaders_free(self, xs, ys, w, h, anchors):
        """`geometry.leader_lines` from each anchor to its label's box, against every box placed so
        far and the skips' arcs: where each meets the box, and whether it is free."""
        return leader_lines(xs, ys, w, h, anchors, self._boxes(), self.seg_a[self.arcs], self.seg_d[self.arcs])

    def _first(self, xs, ys, ws, hs, fixed: np.ndarray) -> int | None:
        """The index of the first box that is `fixed` ok and clear of every placed box, or None."""
        hits = np.flatnonzero(fixed)
        if len(hits):
            hits = hits[self.clear(xs[hits], ys[hits], ws[hits], hs[hits])]
        return int(hits[0]) if len(hits) else None

    def _boxes(self) -> np.ndarray:
        if self._placed is None:
            self._placed = np.array([(b.x, b.y, b.w, b.h) for _, b in self.lay.boxes], dtype=float).reshape(-1, 4)
        return self._placed[:len(self.lay.boxes)]

    # ---- placing, and taking back ----

    def _free(self, xs, ys, ws, hs, strict=False) -> np.ndarray:
        return self.fixed_ok(xs, ys, ws, hs, strict) & self.clear(xs, ys, ws, hs)

    def _take(self, key, into, name, box, size, leader=None) -> bool:
        into[name] = (float(box.x), float(box.y))
        entry = (key, box)
        self.lay.boxes.append(entry)
        self._present.add(id(entry))
        n = len(self.lay.boxes)
        if self._placed is not None:  # one row more (room doubled when full)
            if len(self._placed) < n:
                self._placed = np.concatenate([self._placed, np.empty((max(n, 8), 4))])
            self._placed[n - 1] = (box.x, box.y, box.w, box.h)
        if size != self.size:
            self.lay.font[key] = size
        if leader is not None:
            self.lay.leaders[key] = leader
        return True

    def mark(self):
        return len(self.lay.dropped), len(self.lay.boxes), {k: dict(v) for k, v in self._maps().items()}

    def _maps(self):
        lay = self.lay
        return {"edge_badges": lay.edge_badges, "weight_labels": lay.weight_labels, "font": lay.font,
                "skip_labels": lay.skip_labels,
                "leaders": lay.leaders, "pads": lay.pads, "bias": lay.bias, "bias_badges": lay.bias_badges}

    def undo(self, mark):
        """Take back everything placed since `mark`; returns it, for redo."""
        lay = self.lay
        done = (lay.dropped[mark[0]:], lay.boxes[mark[1]:], {k: dict(v) for k, v in self._maps().items()})
        self._present.difference_update(id(entry) for entry in done[1])
        del lay.dropped[mark[0]:], lay.boxes[mark[1]:]
        self._placed = None
        for k, v in self._maps().items():
            v.clear()
            v.update(mark[2][k])
        return done

    def redo(self, done):
        dropped, boxes, maps = done
        self.lay.dropped.extend(dropped)
        self.lay.boxes.extend(boxes)
        self._present.update(id(entry) for entry in boxes)
        self._placed = None
        for k, v in self._maps().items():
            v.clear()
            v.update(maps[k])

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

    # ---- the kinds of label ----

    def column(self, labels, tag, into, ts, pill, leaders=True):
        """One kind of label for the edges between two columns: all on their edges at the same point
        along them if some point has room for every one (they read as a column), else one by one
        (`leaders`: out on a leader line where no spot on the edge has room)."""
        if not labels:
            return
        eids = [eid for eid, _ in labels]
        for key, spots, h, padded in self.columns(labels, ts, pill):
            centres, w, fixed = self._column_fixed(key, spots, h, eids)
            k = self._first_column(centres, w, h, fixed)
            if k is not None:
                for i, eid in enumerate(eids):
                    self._take(f"{tag}:{eid}", into, eid, Box(float(centres[k, i, 0]), float(centres[k, i, 1]), w[i], h[i]),
                               self.size)
                    if padded[i]:
                        self.lay.pads[f"{tag}:{eid}"] = FLAT_PAD
                return
        one_by_one = self.one_by_one(labels, ts, pill)
        self.candidates.of_labels(one_by_one)
        for eid, text, a_, b_, ts, sides, pill in one_by_one:
            self.along(f"{tag}:{eid}", into, eid, text, a_, b_, ts, sides, pill, leaders)

    def columns(self, labels, ts, pill):
        """A gap's labels all at one point along their edges, the ways `column` tries in turn: a dense
        gap's even columns, then each of `ts`. Each as (what keys it, its spots: () → centres
        t × label × xy and widths, heights, which labels are drawn with FLAT_PAD)."""
        make = pill_box if pill else plain_box
        segs = self.lay.segments
        eids = [eid for eid, _ in labels]
        a = np.array([segs[e][0] for e in eids], dtype=float)
        b = np.array([segs[e][1] for e in eids], dtype=float)
        flats = np.array([flat(*segs[e]) for e in eids])
        probes = [make(0, 0, text, self.size) for _, text in labels]
        w, h = np.array([p.w for p in probes]), np.array([p.h for p in probes])

        evenly = self._evenly(labels, pill)  # a dense gap: every label on its own edge, all at one t
        if evenly:
            yield ("evenly", tuple(eids), tuple(probes), tuple(evenly), pill), lambda: (
                a + (b - a) * np.array(evenly)[:, None, None],
                # a weight on a flat edge keeps the edge further from its digits ("0.9" would read "−0.9")
                w if pill else np.where(flats, w + 2 * (FLAT_PAD - LABEL_PAD), w)), h, flats & (not pill)

        def spots():  # on the edge; on a flat edge a gradient just above it, a weight just below (on it,
            # it would read as a minus)
            up = np.zeros_like(a)
            for i in np.flatnonzero(flats):
                d = (b[i] - a[i]) / np.linalg.norm(b[i] - a[i])
                up[i] = np.array([-d[1], d[0]]) if d[0] >= 0 else np.array([d[1], -d[0]])
            at = a + (b - a) * np.array(ts, dtype=float)[:, None, None]
            return np.where(flats[None, :, None], at + up * (1 if pill else -1) * (h / 2 + 0.02)[:, None], at), w

        yield ("at", tuple(eids), tuple(probes), tuple(ts), pill), spots, h, np.zeros(len(eids), dtype=bool)

    def one_by_one(self, labels, ts, pill):
        """`along`'s arguments for each of a gap's labels placed on its own: slid along `ts` first, then
        the rest of the edge; a gradient above a flat edge, a weight below."""
        ts = _slid(tuple(ts))
        one_by_one = []
        for eid, text in labels:
            a, b = self.lay.segments[eid]
            sides = ((1, -1, 0) if pill else (-1, 1, 0)) if flat(a, b) else (0, 1, -1)
            one_by_one.append((eid, text, a, b, ts, sides, pill))
        return one_by_one

    def _column_fixed(self, key, spots, h, eids):
        """A gap's labels at each of several t (`spots()`: centres t × label × xy, widths), and for each
        t whether every label there is fixed_ok, owned by its edge, and clear of the others."""
        if key not in self._fixed:
            centres, w = spots()
            n_t, n = centres.shape[:2]
            xs, ys = centres[..., 0], centres[..., 1]
            ws, hs = np.broadcast_to(w, (n_t, n)), np.broadcast_to(h, (n_t, n))
            own = np.tile([self.seg_index[e] for e in eids], n_t)
            x, y, w_, h_ = (np.ascontiguousarray(v).ravel() for v in (xs, ys, ws, hs))
            each = self.fixed_ok(x, y, w_, h_)
            each[each] = self.theirs(x[each], y[each], w_[each], h_[each], own[each])
            ok = np.asarray(each.reshape(n_t, n).all(axis=1))
            clash = ((np.abs(xs[:, :, None] - xs[:, None, :]) * 2 < ws[:, :, None] + ws[:, None, :] + 2 * GAP)
                     & (np.abs(ys[:, :, None] - ys[:, None, :]) * 2 < hs[:, :, None] + hs[:, None, :] + 2 * GAP))
            ok &= ~(clash & np.triu(np.ones((n, n), dtype=bool), 1)).any(axis=(1, 2))
            self._fixed[key] = (centres, w, ok)
        return self._fixed[key]

    def _first_column(self, centres, w, h, fixed) -> int | None:
        """The first t whose labels are all fixed_ok and clear of every placed box."""
        for k in np.flatnonzero(fixed):
            if self.clear(centres[k, :, 0], centres[k, :, 1], w, h).all():
                return int(k)
        return None

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
        return Box(box.x, box.y, box.w + 2 * (FLAT_PAD - LABEL_PAD), box.h) if flat(a, b) else box

    def bias_row(self, name, value, grad, spots, row_h, ahead=None):
        """A bias's value and, beside it, its gradient's pill: the first spot with room for both, short
        of `ahead` (the next column) if it can be; else the value alone (its gradient then has no place)."""
        s = self.size
        vprobe, gprobe = plain_box(0, 0, value, s), pill_box(0, 0, grad, s)
        vw, gw = vprobe.w, gprobe.w
        # value then gradient on one row first (read left to right), then the gradient under it (the two
        # centred; else aligned left) or before it
        wheres = ("right", "under", "below", "left")
        xs = np.array([float(x) for x, _ in spots])
        ys = np.array([y for _, y in spots], dtype=float)
        gx = np.concatenate([xs + vw / 2 + 0.12 + gw / 2, xs, xs - vw / 2 + gw / 2, xs - vw / 2 - 0.12 - gw / 2])
        gy = np.concatenate([ys, ys - row_h, ys - row_h, ys])
        n = len(spots)
        vfree = self._free(xs, ys, np.full(n, vw), np.full(n, vprobe.h), strict=True)
        gfree = self._free(gx, gy, np.full(4 * n, gw), np.full(4 * n, gprobe.h), strict=True)
        for short, (j, _), k in itertools.product((True, False), enumerate(wheres), range(n)):
            g = j * n + k
            if not vfree[k]:
                continue
            vbox, gbox = Box(float(xs[k]), spots[k][1], vw, vprobe.h), Box(float(gx[g]), float(gy[g]), gw, gprobe.h)
            if short and ahead is not None and max(vbox.x + vbox.w / 2, gbox.x + gbox.w / 2) > ahead:
                continue
            if gfree[g] and not gbox.overlaps(vbox):
                self._take(f"bias:{name}", self.lay.bias, name, vbox, s)
                return self._take(f"bias-badge:{name}", self.lay.bias_badges, name, gbox, s)
        self.near(f"bias:{name}", self.lay.bias, name, value, spots, strict=True)
        self.lay.dropped.append(f"bias-badge:{name}")  # with the value or without it, the gradient has no room
        return False

    def skip_label(self, eid, text, side) -> bool:
        """A skip's label by the top of its arc, outside the bend (on the arc it would read as struck
        through), then further along it either way; then on the arc itself. Only where it reads as the
        skip's: cut by no other edge, nearer its arc than any other."""
        points = self.lay.skips[eid]
        mid = len(points) // 2
        order = [mid + k * sign for k in range(0, mid - 1) for sign in ((1,) if k == 0 else (-1, 1))]
        tries = []
        for size in self.sizes:
            probe = plain_box(0, 0, text, size)
            lift = (abs(side[0]) * probe.w + abs(side[1]) * probe.h) / 2 + 0.04
            tries += [(size, probe, points[k] + np.asarray(side) * lift * out) for out in (1, 0) for k in order]
        xs = np.array([float(c[0]) for _, _, c in tries])
        ys = np.array([float(c[1]) for _, _, c in tries])
        ws = np.array([p.w for _, p, _ in tries])
        hs = np.array([p.h for _, p, _ in tries])
        own = np.full(len(xs), self.seg_index[eid])
        ok = self.fixed_ok(xs, ys, ws, hs)
        ok[ok] = self.theirs(xs[ok], ys[ok], ws[ok], hs[ok], own[ok])
        if self.lay.leaders:  # nearer its arc than any leader line, too
            mine = np.where(self._own_pieces(own, len(xs)), distances(xs, ys, self.seg_a, self.seg_d), np.inf).min(axis=1)
            la, ld = ends_of(self.lay.leaders.values())
            ok &= distances(xs, ys, la, ld).min(axis=1) >= mine + hs / 2 + 0.04
        k = self._first(xs, ys, ws, hs, ok)
        key = f"skip:{eid}"
        if k is None:
            self.lay.dropped.append(key)
            return False
        return self._take(key, self.lay.skip_labels, eid, Box(float(xs[k]), float(ys[k]), ws[k], hs[k]), tries[k][0])

    def near(self, key, into, name, text, spots, pill=False, strict=False, clear_first=False) -> bool:
        """A label beside a unit: the first free spot of `spots` (`strict`: clear of every edge;
        `clear_first`: clear of every edge if any spot is, a unit's pill on an edge reading as the edge's)."""
        return self.nears([(key, into, name, text, spots)], pill, strict, clear_first)[0]

    def nears(self, labels, pill=False, strict=False, clear_first=False) -> list[bool]:
        """Several labels beside units (`near`'s first five arguments each), placed in turn; all their
        spots tested at once for what holds the whole trial (`fixed_ok`) and against what is placed
        now, then each label's only against the labels placed since."""
        make = pill_box if pill else plain_box
        flags = (True, strict) if clear_first else (strict,)
        tries = [list(itertools.product(flags, self.sizes, spots)) for *_, spots in labels]
        sized = [{size: make(0, 0, text, size) for size in self.sizes} for _, _, _, text, _ in labels]
        every = [(clear, probes[size], x, y) for these, probes in zip(tries, sized) for clear, size, (x, y) in these]
        xs = np.array([float(x) for *_, x, _ in every])
        ys = np.array([float(y) for *_, y in every])
        ws = np.array([probe.w for _, probe, _, _ in every])
        hs = np.array([probe.h for _, probe, _, _ in every])
        free = self.fixed_ok(xs, ys, ws, hs, strict=[clear for clear, *_ in every])
        free[free] = self.clear(xs[free], ys[free], ws[free], hs[free])  # of what is placed now
        before, placed, start = len(self.lay.boxes), [], 0
        for (key, into, name, _, _), these in zip(labels, tries):
            end = start + len(these)
            hits = start + np.flatnonzero(free[start:end])
            if len(hits) and len(self.lay.boxes) > before:  # and of the labels placed since
                hits = hits[self._clear_of_boxes(xs[hits], ys[hits], ws[hits], hs[hits], self._boxes()[before:])]
            if not len(hits):
                self.lay.dropped.append(key)
                placed.append(False)
            else:
                i = int(hits[0])
                placed.append(self._take(key, into, name, Box(float(xs[i]), float(ys[i]), ws[i], hs[i]), these[i - start][1]))
            start = end
        return placed

    def along(self, key, into, name, text, a, b, ts, sides, pill, leaders=True) -> bool:
        """A label on an edge: slid along it (on it, then beside it), smaller, then out on a leader
        (`leaders`: where a leader line does not add to a thicket of edges). A label whose every
        spot was blocked by labels still placed (or is never free) fails again without a look."""
        known = (key, text, pill, leaders)  # a label's ts and sides follow from these in a trial
        if known in self._failed and self._blocked_still(known):
            self.lay.dropped.append(key)
            return False
        groups = range(len(self.sizes) + (1 if leaders else 0))  # the last: out on a leader
        for group in groups:
            spots = self.candidates.group(name, text, a, b, ts, sides, pill, group)
            if not len(spots.xs):
                continue
            hits = np.flatnonzero(self.clear(spots.xs, spots.ys, spots.w, spots.h))
            for start in range(0, len(hits), 16):  # whether a spot reads as its edge's, only where needed
                chunk = hits[start:start + 16]
                unknown = chunk[spots.owned[chunk] < 0]
                if len(unknown):
                    spots.owned[unknown] = self.owned(spots.xs[unknown], spots.ys[unknown], spots.h,
                                                      self.seg_index[name], spots.anchors is not None)
                ks = chunk[spots.owned[chunk] == 1]
                if not len(ks):
                    continue
                if spots.anchors is None:
                    k = ks[0]
                    return self._take(key, into, name, Box(float(spots.xs[k]), float(spots.ys[k]), spots.w, spots.h),
                                      spots.size)
                ends, ok = self.leaders_free(spots.xs[ks], spots.ys[ks], spots.w, spots.h, spots.anchors[ks])
                ok &= reads_as_its_own(self, spots.xs[ks], spots.ys[ks], spots.anchors[ks], ends, name)
                if ok.any():
                    i = int(np.flatnonzero(ok)[0])
                    k, anchor = ks[i], spots.anchors[ks[i]]
                    return self._take(key, into, name, Box(float(spots.xs[k]), float(spots.ys[k]), spots.w, spots.h),
                                      spots.size, leader=((float(anchor[0]), float(anchor[1])),
                                                          (float(ends[i, 0]), float(ends[i, 1]))))
        # what was placed when it failed; which of it blocked it is worked out if it is tried again
        self._failed[known] = ([self.candidates.group(name, text, a, b, ts, sides, pill, g) for g in groups],
                               list(self.lay.boxes), list(self.lay.leaders.items()))
        self.lay.dropped.append(key)
        return False

    def _blocked_still(self, known) -> bool:
        """Whether a label that failed is still blocked: everything placed when it failed still is,
        or at least what blocked it (`_blockers`)."""
        failed = self._failed[known]
        if len(failed) == 3:  # first time back: all of it placed still, else find its blockers
            groups, boxes, leaders = failed
            if all(id(entry) in self._present for entry in boxes):
                return True
            failed = self._failed[known] = self._blockers(groups, boxes, leaders)
        return failed[0] <= self._present

    def _blockers(self, groups, boxes, leaders):
        """Of the entries placed when a label failed (`boxes`, with `leaders`), those that blocked its
        spots: the earliest placed that blocks each spot not blocked for the whole trial (owned by
        another edge; cut by a skip): overlapping it, its leader line through it (placed with it), or
        a box the spot's own leader would cross. As (ids, the entries themselves)."""
        index = {key: i for i, (key, _) in enumerate(boxes)}
        placed = np.array([(b.x, b.y, b.w, b.h) for _, b in boxes], dtype=float).reshape(-1, 4)
        leader_box = np.array([index[key] for key, _ in leaders], dtype=int)
        first = []
        for spots in groups:
            n = len(spots.xs)
            if not n or not len(placed):
                continue
            ws, hs = np.full(n, spots.w), np.full(n, spots.h)
            hit = np.where(overlaps(spots.xs, spots.ys, ws, hs, placed), np.arange(len(placed)), len(placed))
            at = hit.min(axis=1)
            if leaders:
                a, d = ends_of(v for _, v in leaders)
                cut = np.where(crossed(spots.xs, spots.ys, ws, hs, a, d), leader_box, len(placed))
                at = np.minimum(at, cut.min(axis=1))
            if spots.anchors is not None:
                free = (at == len(placed)) & (spots.owned == 1)
                if free.any():
                    ends, _ = self.leaders_free(spots.xs[free], spots.ys[free], spots.w, spots.h, spots.anchors[free])
                    through = crossed(placed[:, 0], placed[:, 1], placed[:, 2], placed[:, 3], spots.anchors[free],
                                      ends - spots.anchors[free])
                    at[free] = np.minimum(np.where(through, np.arange(len(placed))[:, None], len(placed)).min(axis=0),
                                          blocking_leaders(spots, free, ends, leaders, leader_box, len(placed)))
            first.append(at[at < len(placed)])
        entries = [boxes[i] for i in np.unique(np.concatenate(first))] if first else []
        return frozenset(id(entry) for entry in entries), entries
