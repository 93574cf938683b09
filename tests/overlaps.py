"""An overlap checker for a scene's transcript, written without the layout's code: it reads only each
item's `box`, `of`, `role` and `visible` window and the top level's `edges` (pixels at 854×480, origin
top left), as `backprop transcript --json` writes them.

What a student in the back row needs, as rules:
- no two texts fully shown at the same moment overlap (a card's note lies inside its card);
- no label of the network (one with an `of`) lies on an edge other than its own: the edge would
  cut through its digits, or make it read as the other edge's;
- an edge's number (a weight or its gradient) sits nearer its own edge, or its leader line, than any
  other, so a student following a line finds its numbers on it.
A line with a `visible` window (a leader shown with a number for its step) counts only against the
labels shown at the same moment.
"""

from __future__ import annotations

import itertools
import math

TOUCH = 1.0  # px: boxes that share less than this are apart (anti-aliased edges of two glyphs)
CUT = 1.5  # px: an edge passing this far inside a box cuts it


def _overlap(a, b, slack: float) -> bool:
    return (min(a[2], b[2]) - max(a[0], b[0]) > slack) and (min(a[3], b[3]) - max(a[1], b[1]) > slack)


def _inside(inner, outer) -> bool:
    return inner[0] >= outer[0] and inner[1] >= outer[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def together(a, b) -> bool:
    """Both fully shown at some moment (a fade from one to the other is not a moment both are read)."""
    (a0, a1), (b0, b1) = a["visible"], b["visible"]
    return min(a1, b1) - max(a0, b0) > 1e-6


def segment_cuts(box, p, q, inset: float = CUT) -> bool:
    """Whether the segment p–q passes through `box` shrunk by `inset` on every side (clipping)."""
    x0, y0, x1, y1 = box[0] + inset, box[1] + inset, box[2] - inset, box[3] - inset
    if x0 >= x1 or y0 >= y1:
        return False
    lo, hi = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for d, start, low, high in ((dx, p[0], x0, x1), (dy, p[1], y0, y1)):
        if abs(d) < 1e-12:
            if start < low or start > high:
                return False
            continue
        t0, t1 = (low - start) / d, (high - start) / d
        lo, hi = max(lo, min(t0, t1)), min(hi, max(t0, t1))
        if lo > hi:
            return False
    return True


def distance(point, p, q) -> float:
    dx, dy = q[0] - p[0], q[1] - p[1]
    t = ((point[0] - p[0]) * dx + (point[1] - p[1]) * dy) / (dx * dx + dy * dy or 1.0)
    t = min(1.0, max(0.0, t))
    return math.hypot(p[0] + t * dx - point[0], p[1] + t * dy - point[1])


def text_overlaps(data: dict) -> list[str]:
    found = []
    items = [i for i in data["items"] if i["visible"][1] > i["visible"][0]]
    for a, b in itertools.combinations(items, 2):
        if not together(a, b) or not _overlap(a["box"], b["box"], TOUCH):
            continue
        pair = sorted((a, b), key=lambda i: i["role"] != "card")
        if pair[0]["role"] == "card" and pair[1]["role"] == "note" and _inside(pair[1]["box"], pair[0]["box"]):
            continue  # the card's own note
        found.append(f"{a['role']} {a['text']!r} ({a['of']}) and {b['role']} {b['text']!r} ({b['of']}) overlap "
                     f"from {max(a['visible'][0], b['visible'][0]):.1f} s")
    return found


def edge_problems(data: dict) -> list[str]:
    found = []
    seen = set()
    for item in data["items"]:
        if item["of"] is None or item["visible"][1] <= item["visible"][0]:
            continue
        key = (item["text"], item["of"], tuple(item["box"]), tuple(item["visible"]))
        if key in seen:
            continue
        seen.add(key)
        edges = [e for e in data["edges"] if "visible" not in e or together(item, e)]
        for e in edges:
            if e["of"] != item["of"] and segment_cuts(item["box"], e["from"], e["to"]):
                found.append(f"{item['role']} {item['text']!r} ({item['of']}) lies on the edge of {e['of']}")
        own = [e for e in edges if e["of"] == item["of"]]
        if own and item["role"] in ("weight", "badge"):
            x0, y0, x1, y1 = item["box"]
            centre = ((x0 + x1) / 2, (y0 + y1) / 2)
            mine = min(distance(centre, e["from"], e["to"]) for e in own)
            others = [distance(centre, e["from"], e["to"]) for e in edges if e["of"] != item["of"]]
            if others and min(others) <= mine:
                found.append(f"{item['role']} {item['text']!r} ({item['of']}) is nearer another edge than its own")
    return found


def problems(data: dict) -> list[str]:
    return text_overlaps(data) + edge_problems(data)
