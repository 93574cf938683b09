"""A spot on the network, for one step, for a number the layout left out.

A dense network cannot hold every number at a readable size, so the layout drops some (`Layout.dropped`).
While a step computes one of them, that number still belongs on its edge: this finds it a spot as the
layout would have (the placer's own candidates: on its edge, beside it, out on a leader line; a bias's
as a bias row by its unit, off every edge), first among the labels as placed, else letting finished
ones step aside (they fade out for the step and come back after, with their leader lines). Unit boxes,
leader lines, the step's own weight, `keep` (what the step's card uses) and `keep_clear` (a legend)
never move.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import numpy as np

from backprop.story.layout.candidates import LEADER_STEP
from backprop.story.layout.geometry import GAP, Box, distances, ends_of
from backprop.story.layout.measure import measured_in, pill_box, plain_box
from backprop.story.layout.placer import Placer
from backprop.story.layout.reading import own_leader_gap, reads_as_its_own
from backprop.story.layout.record import Layout

STEP_ASIDE = ("weight:", "edge-badge:", "bias:", "bias-badge:", "badge:")  # labels that may fade for a step
NEARER, BY_UNIT = 0.15, 0.6  # a bias row's parts: this much nearer their unit's box than any other unit's, this near it
TS = tuple(float(t) for t in np.round(np.arange(0.04, 0.97, 0.04), 2))  # along the edge, as the placer slides


@dataclass(frozen=True)
class StepSpot:
    box: Box  # where the number stands, frame units
    size: float  # its font size
    leader: tuple | None  # (on the edge, at the label) where it stands off its edge
    aside: tuple[str, ...]  # the layout's label keys that fade out for the step
    value: Box | None = None  # a bias's value ("b 0.1") standing before its pill, where the layout left it out

    @property
    def boxes(self) -> list[Box]:
        return [self.box] + ([self.value] if self.value is not None else [])


def step_spot(lay: Layout, key: str, text: str, size: float, font: str, keep_clear=(), leaders=(),
              keep=(), aside: bool = True) -> StepSpot | None:
    """Where `text` (the label `key`, e.g. "edge-badge:W2[1,3]", a pill at `size`) stands during its
    step: among every placed label if there is room, else with finished labels stepping aside; None
    if even then there is none. `keep_clear`: boxes, `leaders`: lines shown with it (other left-out
    numbers of a sweep, a legend); `keep`: label keys that stay (the number a card still shows);
    `aside` False: no label steps aside."""
    eid = key.split(":", 1)[1]
    pill = key.startswith(("edge-badge:", "badge:", "bias-badge:"))
    movable = {k for k, _ in lay.boxes if aside and k.startswith(STEP_ASIDE) and k != f"weight:{eid}" and k not in keep}
    with measured_in(font):
        for trial, placer in _trials(lay, size, keep_clear, leaders, movable):
            spot = _placed(trial, placer, key, eid, text, size, pill)
            if spot is not None:
                box, at, leader = spot
                return StepSpot(box, at, leader, _covered(lay, movable, [box], leader))
    return None


def bias_spot(lay: Layout, name: str, unit: str, text: str, value: str | None, size: float, font: str,
              keep_clear=(), leaders=(), keep=()) -> StepSpot | None:
    """Where the gradient `text` of the bias `name` (of the unit `unit`) stands during its step: a
    bias row as the layout writes one, its `value` ("b 0.1") then its pill, or the value above the
    pill; the pill alone beside the value where the layout placed that (`value` None). By its unit
    (nearer its box than any other unit's), else out on a leader line from its box; off every edge.
    Among every placed label, else with finished ones stepping aside; None if even then there is no room."""
    # units' gradients stay: a bias row where one stood would read as that unit's
    movable = {k for k, _ in lay.boxes if k.startswith(STEP_ASIDE) and not k.startswith("badge:")
               and k != f"bias:{name}" and k not in keep}
    with measured_in(font):
        probe = pill_box(0, 0, text, size)
        shown = plain_box(0, 0, value, size) if value is not None else None
        placers = [placer for _, placer in _trials(lay, size, keep_clear, leaders, movable)]
    for by_unit in (True, False):
        if by_unit:
            shapes = _bias_shapes(lay, name, unit, probe, shown)
        elif shown is not None:  # a leader runs to the pill and the value together
            shapes = _bias_leaders(lay, unit, probe, shown)
        else:
            break
        for placer in placers:
            for pill, row, anchors in shapes:
                ok = np.ones(len(pill[0]), dtype=bool)
                for xs, ys, w, h in (pill, row) if row is not None else (pill,):
                    ws, hs = np.full(len(xs), w), np.full(len(xs), h)
                    ok &= placer.fixed_ok(xs, ys, ws, hs, strict=True) & placer.clear(xs, ys, ws, hs)
                if anchors is None:
                    ok &= _nearest_unit(lay, unit, pill, row)
                spot = _first_bias(placer, ok, pill, row, anchors)
                if spot is not None:
                    box, at, leader = spot
                    return StepSpot(box, size, leader, _covered(lay, movable, [b for b in (box, at) if b], leader), at)
    return None


def _first_bias(placer: Placer, ok, pill, row, anchors):
    """The first spot `ok` (on a leader from `anchors`: whose line is free and whose parts read as
    its): the pill's box, the value's (or None) and the leader (or None)."""
    boxes = lambda k: (Box(float(pill[0][k]), float(pill[1][k]), pill[2], pill[3]),  # noqa: E731
                       Box(float(row[0][k]), float(row[1][k]), row[2], row[3]) if row is not None else None)
    hits = np.flatnonzero(ok)
    if anchors is None:
        return (*boxes(hits[0]), None) if len(hits) else None
    # the leader runs to the box around both parts
    left = np.minimum(pill[0] - pill[2] / 2, row[0] - row[2] / 2)[hits]
    right = np.maximum(pill[0] + pill[2] / 2, row[0] + row[2] / 2)[hits]
    low = np.minimum(pill[1] - pill[3] / 2, row[1] - row[3] / 2)[hits]
    high = np.maximum(pill[1] + pill[3] / 2, row[1] + row[3] / 2)[hits]
    for start in range(0, len(hits), 64):
        part = slice(start, start + 64)
        ends, free = placer.leaders_free((left[part] + right[part]) / 2, (low[part] + high[part]) / 2,
                                          right[part] - left[part], high[part] - low[part], anchors[hits[part]])
        for i in np.flatnonzero(free):
            k = hits[start + i]
            leader = ((float(anchors[k][0]), float(anchors[k][1])), (float(ends[i, 0]), float(ends[i, 1])))
            found = boxes(k)
            if all(_reads_as_its_own(placer, b, leader, None) for b in found if b is not None):
                return (*found, leader)
    return None


def _bias_leaders(lay: Layout, unit, probe: Box, shown: Box):
    """A bias row's spots out on a leader from the middle of its unit box's bottom or top, shortest
    leader first: the value above the pill, (pill, value, anchors) as for `_bias_shapes`."""
    ux, uy = lay.units[unit]
    bw, bh = lay.sizes[unit]
    w, h = max(shown.w, probe.w), shown.h + GAP + probe.h
    dx, dy, side = (np.array(v, dtype=float) for v in zip(*itertools.product(
        np.arange(-2.0, 2.01, 0.1), np.arange(0.15, 2.0, 0.08), (-1, 1))))
    ax, ay = np.full(len(dx), ux), uy + side * (bh / 2 + 0.02)
    cx, cy = ax + dx, ay + side * (dy + h / 2)
    order = np.argsort(np.hypot(np.maximum(np.abs(dx) - w / 2, 0), dy), kind="stable")
    cx, cy, ax, ay = cx[order], cy[order], ax[order], ay[order]
    pill = (cx, cy - h / 2 + probe.h / 2, probe.w, probe.h)
    row = (cx, cy + h / 2 - shown.h / 2, shown.w, shown.h)
    return [(pill, row, np.stack([ax, ay], axis=1))]


def _bias_shapes(lay: Layout, name, unit, probe: Box, shown: Box | None):
    """The candidate spots of a bias row, nearest its unit first, in groups of one shape each: (pill,
    value) as (xs, ys, w, h) arrays, value None where the layout's own value label stays."""
    ux, uy = lay.units[unit]
    bw, bh = lay.sizes[unit]
    steps = np.arange(0, 8) * 0.08
    if shown is None:  # beside the value the layout placed: after it, under it, before it
        vx, vy = lay.bias[name]
        vw = next(b.w for k, b in lay.boxes if k == f"bias:{name}")
        xs = np.concatenate([vx + vw / 2 + 0.12 + probe.w / 2 + steps, np.full(8, vx),
                             vx - vw / 2 - 0.12 - probe.w / 2 - steps])
        ys = np.concatenate([np.full(8, vy), vy - probe.h - GAP - steps, np.full(8, vy)])
        return [((xs, ys, probe.w, probe.h), None, None)]
    shapes = []
    # one row (the value, then its pill) and the value above its pill, each under the box, over it
    # (above its badge's row), then left and right of it
    row_w, row_h = shown.w + 0.12 + probe.w, max(shown.h, probe.h)
    stack_w, stack_h = max(shown.w, probe.w), shown.h + GAP + probe.h
    for w, h, row in ((row_w, row_h, True), (stack_w, stack_h, False)):
        shifts = np.array([0.0] + [s * k for k in np.arange(0.1, 0.9, 0.1) for s in (-1, 1)])
        below = [(ux + dx, uy - bh / 2 - GAP - 0.02 - h / 2 - dy) for dy in steps for dx in shifts]
        above = [(ux + dx, uy + bh / 2 + 2 * (GAP + 0.02) + probe.h + h / 2 + dy) for dy in steps for dx in shifts]
        beside = [(ux + s * (bw / 2 + GAP + 0.02 + w / 2 + dx), uy + dy) for dx in steps[:4] for s in (-1, 1)
                  for dy in (0.0, -h / 2 - 0.04, h / 2 + 0.04, -(bh + h) / 2 - GAP, (bh + h) / 2 + GAP)]
        cx, cy = np.array(below + above + beside, dtype=float).T
        if row:
            px, py, vx, vy = cx + w / 2 - probe.w / 2, cy, cx - w / 2 + shown.w / 2, cy
        else:
            px, py, vx, vy = cx, cy - h / 2 + probe.h / 2, cx, cy + h / 2 - shown.h / 2
        shapes.append(((px, py, probe.w, probe.h), (vx, vy, shown.w, shown.h), None))
    return shapes


def _nearest_unit(lay: Layout, unit, *parts) -> np.ndarray:
    """Whether each spot (its parts: xs, ys, w, h; None: none) lies by `unit`'s box and every part is
    clearly nearer it than any other unit's (it reads as that unit's, never as the next one's)."""
    ok, near = True, np.inf
    for xs, ys, pw, ph in (p for p in parts if p is not None):
        gaps = {}
        for uid, (x, y) in lay.units.items():
            w, h = lay.sizes[uid]
            gaps[uid] = np.hypot(np.maximum(np.abs(xs - x) - (w + pw) / 2, 0), np.maximum(np.abs(ys - y) - (h + ph) / 2, 0))
        others = [g for uid, g in gaps.items() if uid != unit]
        near = np.minimum(near, gaps[unit])
        if others:
            ok = ok & (gaps[unit] + NEARER < np.min(others, axis=0))
    return np.broadcast_to(ok & (near <= BY_UNIT), np.shape(parts[0][0]))


def _trials(lay: Layout, size, keep_clear, leaders, movable):
    """A copy of the layout and its placer: with every placed label, then with the `movable` ones gone
    (with their leader lines)."""
    reserved = [(f"keep-clear:{k}", b) for k, b in enumerate(keep_clear)]
    walls = [] if lay.badge_side == "beside" else [s for s in lay.segments.values() if abs(s[0][0] - s[1][0]) < 1e-6]
    for gone in (set[str](), movable):
        trial = replace(lay, boxes=[(k, b) for k, b in lay.boxes if k not in gone] + reserved, dropped=[], font={},
                        pads={}, leaders={f"in-the-way:{k}": line
                                          for k, line in enumerate([line for key, line in lay.leaders.items()
                                                                    if key not in gone] + list(leaders))},
                        edge_badges={}, weight_labels={}, bias={}, bias_badges={})
        yield trial, Placer(trial, size, walls)


def _placed(trial: Layout, placer: Placer, key, eid, text, size, pill):
    """The placer's first free spot for the label on a copy of the layout (`trial`)."""
    a, b = trial.segments[eid]
    if placer.along(key, {}, eid, text, a, b, TS, (0, 1, -1), pill):
        box, leader = trial.boxes[-1][1], trial.leaders.get(key)
        if leader is None or _reads_as_its_own(placer, box, leader, eid):
            return box, trial.font.get(key, size), leader
        del trial.boxes[-1], trial.leaders[key]
    return _further_out(placer, eid, text, size, pill)


def _reads_as_its_own(placer: Placer, box: Box, leader, eid) -> bool:
    """Whether a label on a leader reads as its own (`reading`); `eid` None for a bias."""
    (ax, ay), (bx, by) = leader
    return bool(reads_as_its_own(placer, np.array([box.x]), np.array([box.y]), np.array([[ax, ay]]),
                                 np.array([[bx, by]]), eid)[0])


def _further_out(placer: Placer, eid, text, size, pill):
    """Out on a leader, in finer and longer steps than the layout's (in the middle of a thicket of
    edges the nearest spot off every edge can be further than four steps, and a cramped band can
    have room only between two of them): the first spot the placer's own tests pass."""
    a, b = placer.lay.segments[eid]
    probe = (pill_box if pill else plain_box)(0, 0, text, size)
    d = (b - a) / np.linalg.norm(b - a)
    normal = np.array([-d[1], d[0]])
    out, t, side = (np.array(v, dtype=float) for v in zip(*itertools.product(np.arange(1, 16, 0.25), TS, (1, -1))))
    anchors = a + (b - a) * t[:, None]
    centres = anchors + normal * (out * LEADER_STEP * side)[:, None]
    xs, ys = centres[:, 0], centres[:, 1]
    ws, hs = np.full(len(xs), probe.w), np.full(len(xs), probe.h)
    ok = placer.fixed_ok(xs, ys, ws, hs, strict=True) & placer.clear(xs, ys, ws, hs)
    ok &= placer.owned(xs, ys, hs, placer.seg_index[eid], leader=True)
    hits = np.flatnonzero(ok)
    ends, free = placer.leaders_free(xs[hits], ys[hits], probe.w, probe.h, anchors[hits])
    for i in np.flatnonzero(free):
        k = hits[i]
        box = Box(float(xs[k]), float(ys[k]), probe.w, probe.h)
        leader = ((float(anchors[k][0]), float(anchors[k][1])), (float(ends[i, 0]), float(ends[i, 1])))
        if _reads_as_its_own(placer, box, leader, eid):
            return box, size, leader
    return None


def _covered(lay: Layout, movable, boxes: list[Box], leader) -> tuple[str, ...]:
    """The movable labels the spot's boxes or its leader line would touch, or whose leader line runs
    through the spot or as near it as its own edge or leader (it would read as theirs)."""
    xs, ys = np.array([box.x for box in boxes]), np.array([box.y for box in boxes])
    mine = (own_leader_gap(xs, ys, np.array([leader[0]] * len(boxes)), np.array([leader[1]] * len(boxes)))
            if leader is not None else np.array([box.h / 2 + 0.04 for box in boxes]))

    def in_the_way(k, b) -> bool:
        if any(b.overlaps(box) for box in boxes) or (leader is not None and b.crosses(*leader)):
            return True
        if k not in lay.leaders:
            return False
        a, d = ends_of([lay.leaders[k]])
        return bool((distances(xs, ys, a, d)[:, 0] <= mine).any() or any(box.crosses(*lay.leaders[k]) for box in boxes))
    return tuple(k for k, b in lay.boxes if k in movable and in_the_way(k, b))
