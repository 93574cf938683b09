"""Whether a label out on a leader line reads as its own: its leader nearer its centre than any other
edge or leader line (else a student follows the nearer line to it). The placer asks it of the layout's
labels and `step_spot` of the numbers standing for a step.
"""

from __future__ import annotations

import numpy as np

from backprop.story.layout.geometry import distances, ends_of


def own_leader_gap(xs, ys, anchors, ends) -> np.ndarray:
    """How far each label's centre is from its own leader (anchor to end), and a margin: any other line
    this near reads as the label's."""
    d = ends - anchors
    p = np.stack([xs, ys], axis=1)
    t = np.clip(((p - anchors) * d).sum(1) / np.maximum((d * d).sum(1), 1e-12), 0.0, 1.0)
    return np.hypot(*(anchors + d * t[:, None] - p).T) + 0.04


def reads_as_its_own(placer, xs, ys, anchors, ends, eid) -> np.ndarray:
    """Whether labels on leaders (`anchors` to `ends`) of the edge `eid` (None: a bias's, no edge its
    own) have every other edge and every placed leader further from their centres than their own leader."""
    mine = own_leader_gap(xs, ys, anchors, ends)
    others = placer.seg_owner != (placer.seg_index[eid] if eid is not None else -1)
    lines = [(placer.seg_a[others], placer.seg_d[others]), ends_of(placer.lay.leaders.values())]
    return np.all([distances(xs, ys, a, d).min(axis=1, initial=np.inf) > mine for a, d in lines], axis=0)


def blocking_leaders(spots, free, ends, leaders, leader_box, none) -> np.ndarray:
    """For the `free` spots on leaders (ending at `ends`), the earliest of `leaders` (placed (key, line)
    pairs, whose labels' boxes are `leader_box`) a label there would read as its, else `none`."""
    if not leaders:
        return np.full(int(free.sum()), none)
    xs, ys = spots.xs[free], spots.ys[free]
    nearer = distances(xs, ys, *ends_of(v for _, v in leaders)) <= own_leader_gap(xs, ys, spots.anchors[free], ends)[:, None]
    return np.where(nearer, leader_box[None, :], none).min(axis=1)
