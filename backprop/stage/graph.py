"""A computational graph drawn as micrograd's draw_dot draws it: a box per value (its name, its value,
its gradient once known) and a circle per operation, placed by backprop.story.graph_layout."""

from __future__ import annotations

import numpy as np
from manim import Circle, CubicBezier, VGroup, VMobject

from backprop.stage.board import Board
from backprop.stage.motion import replace
from backprop.stage.shapes import rounded_rectangle
from backprop.story.frame import Frame
from backprop.story.graph_layout import LINE, box_lines, box_value_text, circle_text, layout_graph
from backprop.story.layout import TEXT_H
from backprop.story.texts import badge_text
from backprop.story.theme import Theme


class GraphStage(Board):
    def __init__(self, timeline, theme: Theme, frame: Frame):
        grads = [abs(e["value"]) for e in timeline.events if e["kind"] in ("seed", "multiply", "accumulate")]
        super().__init__(theme, max(grads + [0.0]), frame)
        self.timeline = timeline
        self.layout = layout_graph(timeline, theme, frame)
        self.node = {n["id"]: n for n in timeline.nodes}
        self.values = {e["node"]: e["value"] for e in timeline.events if e["kind"] == "forward"}
        self.boxes: dict[str, VGroup] = {}
        self.value_labels: dict[str, VMobject] = {}
        self.circles: dict[str, VGroup] = {}
        self.paths: dict[str, list[tuple[float, float]]] = {}
        self._build()

    @property
    def size(self) -> float:
        return self.layout.text_size

    def line_y(self, node: str, k: int) -> float:
        """The centre of line k (0: name, 1: value, 2: gradient) of a value's box."""
        spot = self.layout.boxes[node]
        n = len(box_lines(self.node[node], self.values[node], []))
        step = TEXT_H * self.size * LINE
        return spot.y + ((n - 1) / 2 - k) * step

    def _build(self):
        th, lay = self.theme, self.layout
        for eid, points in lay.edges.items():
            self.paths[eid] = points
            curve = VMobject(stroke_color=th.edge, stroke_width=th.edge_width)
            pts = [np.array([x, y, 0.0]) for x, y in points]
            pieces = [CubicBezier(*pts[k:k + 4]) for k in range(0, len(pts) - 3, 3)]
            for piece in pieces:
                curve.append_points(piece.points)
            if len(pts) > 1 and (len(pts) - 1) % 3:  # the arrowhead's stretch: a straight line to its tip
                curve.add_line_to(pts[-1]) if len(curve.points) else curve.set_points_as_corners(pts[-2:])
            self.edges[eid] = curve
        for uid, spot in lay.boxes.items():
            node = self.node[uid]
            rect = rounded_rectangle(corner_radius=0.08, width=spot.w, height=spot.h, stroke_color=th.unit_stroke,
                                     stroke_width=2, fill_color=th.unit_fill,
                                     fill_opacity=1).move_to([spot.x, spot.y, 0])
            name = self.text(node["symbol"], self.size, role="value").move_to([spot.x, self.line_y(uid, 0), 0])
            name.of = node["symbol"]
            self.boxes[uid] = VGroup(rect, name)
            value = self.text(box_value_text(node["kind"], self.values[uid]), self.size, th.text, "value")
            value.move_to([spot.x, self.line_y(uid, 1), 0])
            value.of = node["symbol"]
            self.value_labels[uid] = value
        for uid, spot in lay.circles.items():
            ring = Circle(radius=spot.w / 2, stroke_color=th.muted, stroke_width=2, fill_color=th.background,
                          fill_opacity=1).move_to([spot.x, spot.y, 0])
            label = self.text(circle_text(self.node[uid]), self.size, th.text, "value").move_to([spot.x, spot.y, 0])
            label.of = f"{self.node[uid]['op_symbol']} → {self.node[uid]['symbol']}"
            self.circles[uid] = VGroup(ring, label)

    def lines_labelled(self) -> list[tuple[str | None, tuple, tuple, bool]]:
        """Every edge as the chords of its curve, for the transcript's overlap check."""
        out = []
        for points in self.paths.values():
            for a, b in zip(points, points[1:]):
                out.append((None, a, b, False))
        return out

    def network(self) -> VGroup:
        """The graph without numbers, edges first; leaves show their values (the spec gave them)."""
        leaves = [self.value_labels[i] for i, n in self.node.items() if n["kind"] != "result"]
        return VGroup(*self.edges.values(), *self.boxes.values(), *self.circles.values(), *leaves)

    def gradient_spot(self, node: str) -> tuple[float, float]:
        return self.layout.boxes[node].x, self.line_y(node, 2)

    def badge(self, slot: str, value: float, pos, size: float | None = None) -> VGroup:
        """A gradient's pill inside its box, in the graph's text size."""
        pill = self.label(badge_text(value), self.size, self.theme.sign_color(value), pos, pill=True,
                          of=self.node[slot]["symbol"])
        pill.of = self.node[slot]["symbol"]
        return pill

    def show_value(self, node: str) -> list:
        return replace(None, self.value_labels[node])
