"""Where every box and circle of a computational graph goes: Graphviz `dot` places them, left to right
as micrograd's draw_dot (top to bottom where the frame is tall and that reads larger), and the
drawing is scaled into the frame's band. No manim here: boxes are measured in the theme's font.

One box per value (its name, its value, and its gradient once known: three lines) and one circle per
operation in front of the value it makes; edges are dot's splines (cubic Bézier control points).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass

from backprop.engine.graph.ops import function_name
from backprop.engine.operations import ACTIVATIONS
from backprop.story.frame import Frame
from backprop.story.layout import MIN_LINE_PX, PX, TEXT_H, measured_in, text_width
from backprop.story.texts import badge_text, unit_value_text, value_text
from backprop.story.theme import Theme

GRAPH_TEXT = 24  # font size the graph is laid out at (19.4 px): room to shrink to 16 px
PAD = 0.1  # around a box's text (and the pill's 0.02 above and below its line)
LINE = 1.35  # line spacing in text heights: a gradient's pill (its line and 0.04) clears the line above
# what an operation's circle says (the rest say their op's symbol)
CIRCLE = {**{function_name(name): act.gate for name, act in ACTIVATIONS.items()}, "exp": "exp", "log": "log"}
DOT_MISSING = "Graphviz's dot is not installed (apt-get install graphviz; setup.sh installs it)"


@dataclass(frozen=True)
class Spot:
    x: float
    y: float
    w: float
    h: float


@dataclass
class GraphLayout:
    boxes: dict[str, Spot]  # value id → its box (centre, size), in frame units
    circles: dict[str, Spot]  # result id → its operation's circle
    edges: dict[str, list[tuple[float, float]]]  # edge id → Bézier points (start, c1, c2, end, c1, …)
    scale: float  # the drawing's size against GRAPH_TEXT's (text at GRAPH_TEXT × scale)
    direction: str  # LR or TB

    @property
    def text_size(self) -> float:
        return GRAPH_TEXT * self.scale

    @property
    def px(self) -> float:
        return TEXT_H * self.text_size * PX


def circle_text(node: dict) -> str:
    return CIRCLE.get(node["op"], node["op_symbol"] or "")


def box_lines(node: dict, value: float, gradients: list[float]) -> list[str]:
    """The widest each line of a value's box gets: its name, its value, its widest gradient."""
    lines = [node["symbol"], box_value_text(node["kind"], value)]
    if node["kind"] != "constant":
        lines.append(max((badge_text(g) for g in gradients), key=len, default="+0.000"))
    return lines


def box_value_text(kind: str, value: float) -> str:
    """A value as its box writes it: as the spec gave it (0.5, −3.0) for leaves and numbers, with two
    decimals at least for a computed one (as the network's units write theirs)."""
    return unit_value_text(value) if kind == "result" else value_text(value)


def _dot_json(timeline, sizes: dict[str, tuple[float, float]], circles: dict[str, float], direction: str) -> dict:
    import graphviz  # the binding micrograd's draw_dot uses; dot itself is the system package

    g = graphviz.Digraph(graph_attr={"rankdir": direction, "ranksep": "0.16", "nodesep": "0.14",
                                     "splines": "spline"})
    for n in timeline.nodes:
        w, h = sizes[n["id"]]
        g.node(f"v{n['id']}", label="", shape="box", width=f"{w:.3f}", height=f"{h:.3f}", fixedsize="true")
        if n["op"]:
            d = circles[n["id"]]
            g.node(f"o{n['id']}", label="", shape="circle", width=f"{d:.3f}", fixedsize="true")
            g.edge(f"o{n['id']}", f"v{n['id']}")
    for e in timeline.edges:
        g.edge(f"v{e['source']}", f"o{e['target']}")
    return json.loads(g.pipe(format="json0"))


def layout_graph(timeline, theme: Theme, frame: Frame) -> GraphLayout:
    """dot's positions (inches read as frame units) scaled into the frame's network band, in the
    direction that draws the text larger."""
    if shutil.which("dot") is None:
        raise RuntimeError(DOT_MISSING)
    values = {e["node"]: e["value"] for e in timeline.events if e["kind"] == "forward"}
    grads: dict[str, list[float]] = {}
    for e in timeline.events:
        if e["kind"] in ("seed", "multiply", "accumulate"):
            grads.setdefault(e.get("target", e.get("node")), []).append(e["value"])
        if e["kind"] == "accumulate":
            grads[e["target"]] += e["running"]
    line_h = TEXT_H * GRAPH_TEXT
    sizes, circles = {}, {}
    with measured_in(theme.font):
        for n in timeline.nodes:
            lines = box_lines(n, values[n["id"]], grads.get(n["id"], []))
            w = max(text_width(t, GRAPH_TEXT) for t in lines) + 2 * PAD
            sizes[n["id"]] = (w + 0.12, len(lines) * line_h * LINE + 2 * PAD - (LINE - 1) * line_h + 0.06)
            if n["op"]:
                circles[n["id"]] = max(0.46, text_width(circle_text(n), GRAPH_TEXT) + 0.14)
    left, right = frame.network_left, frame.network_right
    top, bottom = frame.network_top, frame.network_bottom(1)  # one card at a time, in the bottom row
    best = None
    for direction in ("LR", "TB"):
        data = _dot_json(timeline, sizes, circles, direction)
        x0, y0, x1, y1 = (float(v) / 72 for v in data["bb"].split(","))
        scale = min(1.0, (right - left) / max(x1 - x0, 1e-9), (top - bottom) / max(y1 - y0, 1e-9))
        if best is None or scale > best[0] + 1e-9:
            best = (scale, direction, data, (x0, y0, x1, y1))
    assert best is not None
    scale, direction, data, (x0, y0, x1, y1) = best
    cx, cy = (left + right) / 2, (top + bottom) / 2

    def place(x: float, y: float) -> tuple[float, float]:
        return cx + (x / 72 - (x0 + x1) / 2) * scale, cy + (y / 72 - (y0 + y1) / 2) * scale

    boxes: dict[str, Spot] = {}
    rings: dict[str, Spot] = {}
    names: dict[int, str] = {}
    for k, obj in enumerate(data["objects"]):
        names[k] = obj["name"]
        x, y = (float(v) for v in obj["pos"].split(","))
        px, py = place(x, y)
        w, h = float(obj["width"]) * scale, float(obj["height"]) * scale
        (boxes if obj["name"][0] == "v" else rings)[obj["name"][1:]] = Spot(px, py, w, h)
    edges = {}
    by_pair: dict[tuple[str, str], list[str]] = {}
    for e in timeline.edges:
        by_pair.setdefault((e["source"], e["target"]), []).append(e["id"])
    for e in data.get("edges", []):
        tail, head = names[e["tail"]], names[e["head"]]
        parts = e["pos"].split(" ")
        end = next((p for p in parts if p.startswith("e,")), None)
        points = [place(*(float(v) for v in p.split(","))) for p in parts if p[:2] not in ("e,", "s,")]
        if end is not None:  # the arrowhead's tip: the spline ends where the arrow starts
            points.append(place(*(float(v) for v in end[2:].split(","))))
        if tail[0] == "o":  # the circle into its value
            edges[f"op:{tail[1:]}"] = points
        else:
            ids = by_pair[(tail[1:], head[1:])]
            edges[ids.pop(0)] = points
    return GraphLayout(boxes, rings, edges, scale, direction)


def graph_unreadable(timeline, theme: Theme, frame: Frame, aspect: str = "16:9") -> str | None:
    """Why the graph cannot be drawn with every text at least 16 px tall in `frame` (None: it can)."""
    if shutil.which("dot") is None:
        return DOT_MISSING
    layout = layout_graph(timeline, theme, frame)
    if layout.px < MIN_LINE_PX - 1e-9:
        return (f"its {len(timeline.nodes)} values do not fit the {aspect} frame with text at least 16 px tall "
                f"({layout.px:.1f} px); draw a smaller graph{' or try --aspect 16:9' if aspect != '16:9' else ''}")
    return None
