"""A spot on the network, for one step, for a number the layout left out.

A dense network cannot hold every number at a readable size, so the layout drops some (`Layout.dropped`).
While a step computes one of them, that number still belongs on its edge: this finds it a spot as the
layout would have (the placer's own candidates: on its edge, beside it, out on a leader line), first
among the labels as placed, else letting finished ones step aside (they fade out for the step and
come back after, with their leader lines). Unit boxes, leader lines, the step's own weight, `keep`
(what the step's card uses) and `keep_clear` (a legend) never move.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import numpy as np

from backprop.story.layout.geometry import Box, distances
from backprop.story.layout.measure import measured_in, pill_box, plain_box
from backprop.story.layout.candidates import LEADER_STEP
from backprop.story.layout.placer import Placer
from backprop.story.layout.record import Layout

STEP_ASIDE = ("weight:", "edge-badge:", "bias:", "bias-badge:", "badge:")  # labels that may fade for a step
TS = tuple(float(t) for t in np.round(np.arange(0.04, 0.97, 0.04), 2))  # along the edge, as the placer slides


@dataclass(frozen=True)
class StepSpot:
    box: Box  # where the number stands, frame units
    size: float  # its font size
    leader: tuple | None  # (on the edge, at the label) where it stands off its edge
    aside: tuple[str, ...]  # the layout's label keys that fade out for the step


def step_spot(lay: Layout, key: str, text: str, size: float, font: str, keep_clear=(), leaders=(),
              keep=()) -> StepSpot | None:
    """Where `text` (the label `key`, e.g. "edge-badge:W2[1,3]", a pill at `size`) stands during its
    step: among every placed label if there is room, else with finished labels stepping aside; None
    if even then there is none. `keep_clear`: boxes, `leaders`: lines shown with it (other left-out
    numbers of a sweep, a legend); `keep`: label keys that stay (the number a card still shows)."""
    eid = key.split(":", 1)[1]
    pill = key.startswith(("edge-badge:", "badge:", "bias-badge:"))
    reserved = [(f"keep-clear:{k}", b) for k, b in enumerate(keep_clear)]
    movable = {k for k, _ in lay.boxes if k.startswith(STEP_ASIDE) and k != f"weight:{eid}" and k not in keep}
    with measured_in(font):
        for gone in (set(), movable):
            spot = _placed(lay, [(k, b) for k, b in lay.boxes if k not in gone] + reserved,
                           list(lay.leaders.values()) + list(leaders),
                           key, eid, text, size, pill)
            if spot is not None:
                box, at, leader = spot
                return StepSpot(box, at, leader, _covered(lay, movable, box, leader))
    return None


def _placed(lay: Layout, boxes, leaders, key, eid, text, size, pill):
    """The placer's first free spot for the label among `boxes` and off `leaders`, on a copy of the layout."""
    trial = replace(lay, boxes=list(boxes), dropped=[], font={}, pads={},
                    leaders={f"in-the-way:{k}": line for k, line in enumerate(leaders)},
                    edge_badges={}, weight_labels={}, bias={}, bias_badges={})
    walls = [] if lay.badge_side == "beside" else [s for s in lay.segments.values() if abs(s[0][0] - s[1][0]) < 1e-6]
    placer = Placer(trial, size, walls)
    a, b = lay.segments[eid]
    if placer.along(key, {}, eid, text, a, b, TS, (0, 1, -1), pill):
        box, leader = trial.boxes[-1][1], trial.leaders.get(key)
        if leader is None or _reads_as_its_own(placer, box, leader, eid):
            return box, trial.font.get(key, size), leader
        del trial.boxes[-1], trial.leaders[key]
    return _further_out(placer, eid, text, size, pill)


def _reads_as_its_own(placer: Placer, box: Box, leader, eid) -> bool:
    """Whether a label on a leader has its leader nearer its centre than any other edge or leader line
    (the placer asks only that other edges keep off it)."""
    x, y = np.array([box.x]), np.array([box.y])
    (ax, ay), (bx, by) = leader
    mine = distances(x, y, np.array([[ax, ay]]), np.array([[bx - ax, by - ay]]))[0, 0]
    others = placer.seg_owner != placer.seg_index[eid]
    lines = [(placer.seg_a[others], placer.seg_d[others])]
    if placer.lay.leaders:  # other labels' leaders: lines too
        ends = np.array(list(placer.lay.leaders.values()), dtype=float).reshape(-1, 2, 2)
        lines.append((ends[:, 0], ends[:, 1] - ends[:, 0]))
    return all(distances(x, y, a, d).min(initial=np.inf) > mine + 0.04 for a, d in lines if len(a))


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


def _covered(lay: Layout, movable, box: Box, leader) -> tuple[str, ...]:
    """The movable labels the spot's box or its leader line would touch."""
    return tuple(k for k, b in lay.boxes if k in movable
                 and (b.overlaps(box) or (leader is not None and b.crosses(*leader))))
