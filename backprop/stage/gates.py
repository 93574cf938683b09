"""One unit opened up as a graph of gates: a multiply gate per input (w·x), the add gate (with the
bias) and the activation gate, wired left to right. Forward values sit above the wires, gradients in
pills below them. Placed relative to manim's frame, so it re-flows with the frame's shape.
"""

from __future__ import annotations

import numpy as np
from manim import Circle, Line, RoundedRectangle, VGroup, config

from backprop.stage.board import Board
from backprop.stage.worked import card_zone


class GateDiagram:
    """Builds the unit's mobjects and hands out what to show; it never plays anything."""

    def __init__(self, board: Board, names: dict, inputs: list[tuple[str, str]], bias: str, act: str,
                 z: str, out: str):
        """`inputs`: (weight id, input id) per multiply gate; `names`: id → its label text
        ("W₁[1,2] 0.3", "x₂ 0.8", "b₁[1] 0.1", "h₁")."""
        self.board, th = board, board.theme
        W, H = config.frame_width, config.frame_height
        zone_y, zone_h = card_zone()
        top, bottom = H / 2 - 1.2, zone_y + zone_h / 2 + 0.2
        rows = len(inputs) + 1  # the bias is the last row
        span = min(top - bottom - 0.6, 1.6 * (rows - 1))  # rows apart, but never spread thin
        centre = (top + bottom) / 2
        ys = np.linspace(centre + span / 2, centre - span / 2, rows) if rows > 1 else [centre]
        self.gap = abs(ys[1] - ys[0]) if rows > 1 else 1.0
        x_label, x_mul, x_add, x_act, x_out = -0.22 * W, -0.09 * W, 0.1 * W, 0.27 * W, 0.45 * W
        x_bend = x_add - 0.8  # a product's wire runs level to here, then to the add gate
        y_mid = float(np.mean(ys[:-1])) if len(inputs) else float(ys[0])
        size = th.label_size
        wire = dict(stroke_color=th.edge, stroke_width=th.edge_width)
        self.static = VGroup()
        self.spots: dict[str, tuple[float, float]] = {}  # id → where its forward value goes
        self.pill_spots: dict[str, tuple[float, float]] = {}  # id → where its gradient's pill goes
        self.labels: dict[str, object] = {}
        self.right_aligned: set[str] = set()  # pills whose spot is their right edge (left of a label)
        half = min(0.28, self.gap / 4)
        for (w, x), y in zip(inputs, ys):
            gate = self._gate("×", x_mul, y)
            for node, dy in ((w, half), (x, -half)):
                label = board.text(names[node], size, th.text if node == x else th.muted,
                                   "value" if node == x else "weight")
                label.move_to([x_label - label.width / 2, y + dy, 0])
                self.labels[node] = label
                self.static.add(Line([x_label + 0.1, y + dy, 0], gate.get_left(), **wire), label)
                self.pill_spots[node] = (x_label - label.width - 0.12, y + dy)
                self.right_aligned.add(node)
            product = f"{w}*{x}"
            self.static.add(gate, Line(gate.get_right(), [x_bend, y, 0], **wire),
                            Line([x_bend, y, 0], [x_add - 0.3, y_mid, 0], **wire))
            # on the level part, where the rows are still apart (the wires converge on the add gate)
            at = ((x_mul + 0.3 + x_bend) / 2, y)
            self.spots[product] = (at[0], at[1] + 0.24)
            self.pill_spots[product] = (at[0], at[1] - 0.27)
        add = self._gate("+", x_add, y_mid)
        yb = ys[-1]
        b_label = board.text(names[bias], size, th.muted, "weight")
        b_label.move_to([x_label - b_label.width / 2, yb, 0])
        self.labels[bias] = b_label
        self.static.add(b_label, Line([x_label + 0.1, yb, 0], [x_add, yb, 0], **wire),
                        Line([x_add, yb, 0], add.get_bottom(), **wire), add)
        self.pill_spots[bias] = ((x_label + x_add) / 2 + 0.3, yb - 0.26)
        act_box = RoundedRectangle(corner_radius=0.12, width=1.3, height=0.75, stroke_color=th.unit_stroke,
                                   stroke_width=2, fill_color=th.unit_fill, fill_opacity=1).move_to([x_act, y_mid, 0])
        act_text = board.text(act, size, th.text, "note").move_to(act_box)
        if act_text.width > 1.1:
            act_text.scale_to_fit_width(1.1)
        self.static.add(Line(add.get_right(), act_box.get_left(), **wire), act_box, act_text)
        out_label = board.text(names[out], size, th.text, "value").move_to([x_out, y_mid, 0])
        self.static.add(Line(act_box.get_right(), [x_out - 0.4, y_mid, 0], **wire), out_label)
        between = (x_add + 0.3 + x_act - 0.65) / 2  # the wire from the add gate to the activation
        after = (x_act + 0.65 + x_out - 0.4) / 2  # the wire from the activation to the output
        self.spots[z] = (between, y_mid + 0.26)
        self.pill_spots[z] = (between, y_mid - 0.32)
        self.spots[out] = (after, y_mid + 0.26)
        self.pill_spots[out] = (after, y_mid - 0.32)
        self.gates = {"add": add, "act": act_box}

    def _gate(self, symbol: str, x: float, y: float) -> VGroup:
        th = self.board.theme
        ring = Circle(radius=0.3, stroke_color=th.unit_stroke, stroke_width=2, fill_color=th.unit_fill,
                      fill_opacity=1).move_to([x, y, 0])
        return VGroup(ring, self.board.text(symbol, th.label_size * 1.2, th.text, "note").move_to(ring))

    def value(self, node: str, text: str):
        """A forward value above its wire."""
        th = self.board.theme
        return self.board.label(text, th.badge_size, th.text, self.spots[node], role="value")

    def pill(self, node: str, value: float, text: str):
        """A gradient in its sign's pill, below its wire (left of a parameter or an input)."""
        th = self.board.theme
        pill = self.board.label(text, th.badge_size, th.sign_color(value), self.pill_spots[node], pill=True)
        if node in self.right_aligned:
            pill.shift([-pill.width / 2, 0, 0])
        return pill
