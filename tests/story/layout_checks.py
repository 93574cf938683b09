"""What the layout tests check in a Layout: every label owned by what it labels and clear of the rest,
every number placed (shared with the aspect and theme tests)."""

import itertools

import numpy as np

from backprop.story.layout import NETWORK_BOTTOM, NETWORK_LEFT, NETWORK_RIGHT, NETWORK_TOP

PX_PER_UNIT = 480 / 8.0  # 854×480 shows 8 frame units of height
LINE_H = 0.0135  # a line's height per font-size point, as the layout estimates it
CLEARANCE = 0.06  # "a few pixels": 3.6 px at 854×480 (2.9 px in a network drawn at 0.8)


def edges_of(box):
    return box.x - box.w / 2, box.x + box.w / 2, box.y - box.h / 2, box.y + box.h / 2


def apart(a, b, gap):
    l1, r1, b1, t1 = edges_of(a)
    l2, r2, b2, t2 = edges_of(b)
    return r1 + gap <= l2 + 1e-9 or r2 + gap <= l1 + 1e-9 or t1 + gap <= b2 + 1e-9 or t2 + gap <= b1 + 1e-9


def distance(p, a, b) -> float:
    """From point p to the segment a–b."""
    p, a, b = (np.asarray(v, dtype=float) for v in (p, a, b))
    t = min(1.0, max(0.0, float(np.dot(p - a, b - a) / np.dot(b - a, b - a))))
    return float(np.linalg.norm(a + t * (b - a) - p))


def assert_labels_owned(layout):
    """A label reads as its own edge's: no other edge is as near its centre (a leader says it otherwise)."""
    for kind, labels in (("weight", layout.weight_labels), ("edge-badge", layout.edge_badges)):
        for eid, centre in labels.items():
            if f"{kind}:{eid}" not in layout.leaders:
                near = {e: distance(centre, *seg) for e, seg in layout.segments.items()}
                assert min(d for e, d in near.items() if e != eid) > near[eid] + 0.1, (kind, eid)


def assert_clean(layout):
    for name, box in layout.boxes:
        l, r, b, t = edges_of(box)
        assert NETWORK_LEFT - 1e-9 <= l and r <= NETWORK_RIGHT + 1e-9, name
        assert NETWORK_BOTTOM - 1e-9 <= b and t <= NETWORK_TOP + 1e-9, name
    for (a, box_a), (b, box_b) in itertools.combinations(layout.boxes, 2):
        both_units = a.startswith("unit:") and b.startswith("unit:")  # a crowded column's squares may touch
        assert apart(box_a, box_b, 0.0 if both_units else CLEARANCE * layout.scale), (a, b)
    assert layout.scale >= 0.8  # a network drawn smaller (too wide for its band), at most this much
    for key, size in layout.font.items():  # shrunk labels stay readable: a line of 16 px or more, at the scale
        assert LINE_H * size * PX_PER_UNIT >= 16 * layout.scale - 1e-6, key
    assert_labels_owned(layout)
    boxes = dict(layout.boxes)
    for key, (on_edge, at_label) in layout.leaders.items():  # a leader runs from its edge to its label
        l, r, b, t = edges_of(boxes[key])
        assert (abs(at_label[0] - l) < 1e-6 or abs(at_label[0] - r) < 1e-6 or abs(at_label[1] - b) < 1e-6
                or abs(at_label[1] - t) < 1e-6), key
        a, z = layout.segments[key.split(":", 1)[1]]
        cross = (z[0] - a[0]) * (on_edge[1] - a[1]) - (z[1] - a[1]) * (on_edge[0] - a[0])
        assert abs(cross) < 1e-6, key


def weights_of(timeline):
    return {p["name"] for p in timeline.params if p["kind"] == "weight"}


def biases_of(timeline):
    return {p["name"] for p in timeline.params if p["kind"] == "bias"}


def assert_every_number_placed(timeline, layout, biases=True, weights=True):
    if weights:
        assert set(layout.weight_labels) == weights_of(timeline)
        assert set(layout.edge_badges) == weights_of(timeline)
    units = {n["id"] for n in timeline.nodes if n["kind"] in ("input", "h", "y", "loss")}
    assert set(layout.badges) == units
    if biases:
        assert set(layout.bias) == biases_of(timeline) and set(layout.bias_badges) == biases_of(timeline)
