"""One unit opened up as a graph of gates: a multiply gate per input (w·x), the add gate (with the
bias) and the activation gate. Forward values sit above the wires, gradients in pills below them.
Placed relative to manim's frame, so it re-flows with the frame's shape:

- a wide frame (16:9) draws it in one row, left to right: inputs, multiply gates, the add gate, the
  activation, the output, each gradient's pill left of its weight or input;
- a narrower one (4:3, 1:1, 9:16), where that row would run off the frame, turns after the add gate:
  the activation and the output go down under it, their values and pills beside the wire; where even
  that is too wide (8 units), each weight's and input's pill goes above or below its label instead of
  left of it. Sizes are measured, so nothing runs off the frame or over another text; a unit with too
  many inputs for a square frame's height is drawn smaller as a last resort.
"""

from __future__ import annotations

import numpy as np
from manim import Circle, Line, VGroup, config

from backprop.stage.board import Board
from backprop.stage.worked import card_zone
from backprop.stage.shapes import rounded_rectangle
from backprop.story.frame import Frame
from backprop.story.layout import MIN_LINE_PX, TEXT_H, measured_in, text_width

MARGIN = 0.12  # between the diagram and the frame's sides
PILL_GAP = 0.12  # between a label and its pill
SEGMENT = 0.5  # a wire of the turned column, room for one row of a value and a pill beside it
BOX_H = 0.75  # the activation's box


class GateDiagram:
    """Builds the unit's mobjects and hands out what to show; it never plays anything."""

    def __init__(self, board: Board, names: dict, inputs: list[tuple[str, str]], bias: str, act: str,
                 z: str, out: str, values: list[str] = (), pills: list[str] = (), bottom: float | None = None):
        """`inputs`: (weight id, input id) per multiply gate; `names`: id → its label text
        ("W₁[1,2] 0.3", "x₂ 0.8", "b₁[1] 0.1", "h₁"); `values`, `pills`: the texts the scene will put on
        it (measured, so the diagram leaves room for the widest); `bottom`: nothing of the diagram
        below this (default: the top of the card zone, and a little)."""
        self.board, th = board, board.theme
        W = config.frame_width
        zone_y, zone_h = card_zone()
        self.bottom = zone_y + zone_h / 2 + 0.2 if bottom is None else bottom
        self.static = VGroup()
        self.spots: dict[str, tuple[float, float]] = {}  # id → where its forward value goes
        self.pill_spots: dict[str, tuple[float, float]] = {}  # id → where its gradient's pill goes
        self.labels: dict[str, object] = {}
        self.right_aligned: set[str] = set()  # spots that are a right edge (a pill left of a label)
        self.left_aligned: set[str] = set()  # spots that are a left edge (beside a wire going down)
        self.scale = 1.0  # < 1 only where the diagram cannot fit the frame at its size
        size = th.label_size
        for w, x in inputs:
            for node in (w, x):
                self.labels[node] = board.text(names[node], size, th.text if node == x else th.muted,
                                               "value" if node == x else "weight")
        self.labels[bias] = board.text(names[bias], size, th.muted, "weight")
        with measured_in(th.font):
            widest = lambda texts: max(text_width(s, th.badge_size) for s in (list(texts) or ["−0.000"]))
            self.pill_w = widest(pills) + 0.2  # a pill is its text and 0.1 either side
            self.value_w = widest(values) + 0.08  # a value's background patch
        self.label_w = max(label.width for label in self.labels.values())
        x_label = -0.22 * W
        if x_label - self.label_w - PILL_GAP - self.pill_w >= -W / 2 + MARGIN:  # the row fits (16:9)
            self._row(names, inputs, bias, act, z, out)
        else:
            self._column(names, inputs, bias, act, z, out)
        name, box = self.act_name, self.gates["act"]
        if name.px < MIN_LINE_PX:  # squeezed into its box or drawn smaller: the gate's name stays readable
            name.scale(MIN_LINE_PX / name.px)
            if name.width > box.width - 0.1:
                box.stretch_to_fit_width(name.width + 0.2)

    def _products(self, inputs, ys, xs, y_add, half, wire, pill_off=None):
        """Each input's row: its weight over it, a × gate, the product's wire level to the bend, then to
        the add gate at `y_add`. Each label's pill left of it, or `pill_off` above the weight and below
        the input (a narrow frame)."""
        x_label, x_mul, x_bend, x_add = xs
        for (w, x), y in zip(inputs, ys):
            gate = self._gate("×", x_mul, y)
            for node, dy in ((w, half), (x, -half)):
                label = self.labels[node]
                label.move_to([x_label - label.width / 2, y + dy, 0])
                self.static.add(Line([x_label + 0.1, y + dy, 0], gate.get_left(), **wire), label)
                if pill_off is None:
                    self.pill_spots[node] = (x_label - label.width - PILL_GAP, y + dy)
                else:
                    self.pill_spots[node] = (x_label, y + dy + (pill_off if node == w else -pill_off))
                self.right_aligned.add(node)
            product = f"{w}*{x}"
            self.static.add(gate, Line(gate.get_right(), [x_bend, y, 0], **wire),
                            Line([x_bend, y, 0], [x_add - 0.3, y_add, 0], **wire))
            # on the level part, where the rows are still apart (the wires converge on the add gate)
            at = ((x_mul + 0.3 + x_bend) / 2, y)
            self.spots[product] = (at[0], at[1] + 0.24)
            self.pill_spots[product] = (at[0], at[1] - 0.27)

    # ---- one row, left to right (a wide frame) ----------------------------------------------------

    def _row(self, names, inputs, bias, act, z, out):
        board, th = self.board, self.board.theme
        W, H = config.frame_width, config.frame_height
        top, bottom = H / 2 - 1.2, self.bottom
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
        half = min(0.28, self.gap / 4)
        self._products(inputs, ys, (x_label, x_mul, x_bend, x_add), y_mid, half, wire)
        add = self._gate("+", x_add, y_mid)
        yb = ys[-1]
        b_label = self.labels[bias]
        b_label.move_to([x_label - b_label.width / 2, yb, 0])
        self.static.add(b_label, Line([x_label + 0.1, yb, 0], [x_add, yb, 0], **wire),
                        Line([x_add, yb, 0], add.get_bottom(), **wire), add)
        self.pill_spots[bias] = ((x_label + x_add) / 2 + 0.3, yb - 0.26)
        act_box = rounded_rectangle(corner_radius=0.12, width=1.3, height=BOX_H, stroke_color=th.unit_stroke,
                                    stroke_width=2, fill_color=th.unit_fill, fill_opacity=1).move_to([x_act, y_mid, 0])
        act_text = board.text(act, size, th.text, "note").move_to(act_box)
        if act_text.width > 1.1:
            act_text.scale_to_fit_width(1.1)
        self.act_name = act_text
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

    # ---- turned down after the add gate (a narrower frame) ----------------------------------------

    def _column(self, names, inputs, bias, act, z, out):
        board, th = self.board, self.board.theme
        W, H = config.frame_width, config.frame_height
        top = min(H / 2 - 1.2, Frame(W, H).caption_band - 0.1)
        bottom = self.bottom
        P, V, L = self.pill_w, self.value_w, self.label_w
        line_h, pill_h = TEXT_H * th.label_size, TEXT_H * th.badge_size + 0.04
        act_text = board.text(act, th.label_size, th.text, "note")
        if act_text.width > 1.1:
            act_text.scale_to_fit_width(1.1)
        box_w = max(0.9, act_text.width + 0.4)
        out_label = board.text(names[out], th.label_size, th.text, "value")
        pill_off = line_h / 2 + 0.06 + pill_h / 2  # a pill's centre from its label's, one above the other
        n = len(inputs)

        def plan(left_pills: bool, chain_stacked: bool) -> dict:
            """Where the rows go and how wide the diagram is, with each weight's and input's pill left of
            its label or above / below it, and the column's values beside their pills or above them."""
            half = 0.28 if left_pills else 0.2
            above = half + (line_h / 2 + 0.02 if left_pills else pill_off + pill_h / 2)
            pitch_min = 2 * above + 0.1
            bias_min = above + 0.1 + line_h / 2 + (0.12 if left_pills else 0)
            segment = SEGMENT + (pill_off if chain_stacked else 0)
            chain = 0.3 + segment + BOX_H + segment + out_label.height  # the add gate's centre to the output's foot

            def extent(pitch: float) -> tuple:
                """(the lowest point, the product rows' ys, the bias row's y, the add gate's y), row 0 at 0."""
                ys = [-k * pitch for k in range(n)]
                y_add = float(np.mean(ys)) if n else 0.0
                yb = (ys[-1] if n else 0.0) - max(bias_min, 0.6 * pitch)
                return min(y_add - chain, yb - 0.26 - pill_h / 2), ys, yb, y_add

            room = top - bottom - above
            pitch = next((p for p in np.arange(1.6, pitch_min - 1e-9, -0.02) if -extent(p)[0] <= room), pitch_min)
            low, ys, yb, y_add = extent(pitch)
            # the slant into the add gate: the lines from rows under the activation's box pass left of it
            slant = 1.0
            for y in ys + [yb]:
                if y < y_add - 0.3 - segment:
                    f = (0.3 + segment) / (y_add - y)
                    slant = max(slant, 0.3 + (box_w / 2 + 0.15 - 0.3) / f)
            block = L + PILL_GAP + P if left_pills else max(L, P)
            beside = 0.15 + (max(V, P) if chain_stacked else V + PILL_GAP + P)  # right of the column's wire
            right = max(beside, box_w / 2, out_label.width / 2)
            needed = MARGIN + block + 0.65 + 0.3 + (P + 0.1) + slant + right + MARGIN
            height = above - low
            return dict(left_pills=left_pills, chain_stacked=chain_stacked, half=half, above=above, low=low,
                        ys=ys, yb=yb, y_add=y_add, pitch=pitch, segment=segment, slant=slant, block=block,
                        needed=needed, height=height, scale=min(1.0, W / needed, (top - bottom) / height))

        plans = [plan(True, False), plan(False, False), plan(False, True)]
        best = next((p for p in plans if p["scale"] == 1.0), max(plans, key=lambda p: p["scale"]))
        left_pills, half, above, low = best["left_pills"], best["half"], best["above"], best["low"]
        pitch, segment, slant, needed, height = (best[k] for k in ("pitch", "segment", "slant", "needed", "height"))
        shift = top - above - max(0.0, (top - bottom - height) / 2)  # centred in the room it has
        ys, yb, y_add = [y + shift for y in best["ys"]], best["yb"] + shift, best["y_add"] + shift
        box_top = y_add - 0.3 - segment
        extra = max(0.0, W - needed)
        wire_x, level_x, slant_x = (min(0.5, extra / 4) for _ in range(3))
        # what is left over goes either side; too wide even so: laid out as wide as it needs, then smaller
        x0 = -max(W, needed) / 2 + MARGIN + (extra - wire_x - level_x - slant_x) / 2
        x_label = x0 + best["block"]
        x_mul = x_label + 0.65 + wire_x
        x_bend = x_mul + 0.3 + P + 0.1 + level_x
        x_add = x_bend + slant + slant_x
        wire = dict(stroke_color=th.edge, stroke_width=th.edge_width)
        self.gap = pitch
        self._products(inputs, ys, (x_label, x_mul, x_bend, x_add), y_add, half, wire,
                       None if left_pills else pill_off)
        add = self._gate("+", x_add, y_add)
        b_label = self.labels[bias]
        b_label.move_to([x_label - b_label.width / 2, yb, 0])
        self.static.add(b_label, Line([x_label + 0.1, yb, 0], [x_bend, yb, 0], **wire),
                        Line([x_bend, yb, 0], [x_add - 0.3, y_add, 0], **wire), add)
        self.pill_spots[bias] = ((x_label + 0.1 + x_bend) / 2, yb - 0.26)
        box_y = box_top - BOX_H / 2
        act_box = rounded_rectangle(corner_radius=0.12, width=box_w, height=BOX_H, stroke_color=th.unit_stroke,
                                    stroke_width=2, fill_color=th.unit_fill, fill_opacity=1).move_to([x_add, box_y, 0])
        act_text.move_to(act_box)
        self.act_name = act_text
        out_y = box_y - BOX_H / 2 - segment - out_label.height / 2
        out_label.move_to([x_add, out_y, 0])
        self.static.add(Line(add.get_bottom(), act_box.get_top(), **wire), act_box, act_text,
                        Line(act_box.get_bottom(), out_label.get_top() + np.array([0, 0.06, 0]), **wire), out_label)
        for node, y in ((z, box_top + segment / 2), (out, box_y - BOX_H / 2 - segment / 2)):
            if best["chain_stacked"]:  # the value above its pill, both beside the wire
                self.spots[node], self.pill_spots[node] = (x_add + 0.15, y + pill_off / 2), (x_add + 0.15, y - pill_off / 2)
            else:  # the value, then its pill
                self.spots[node], self.pill_spots[node] = (x_add + 0.15, y), (x_add + 0.15 + V + PILL_GAP, y)
            self.left_aligned.add(node)
        self.gates = {"add": add, "act": act_box}
        # too tall or too wide for the frame even with the rows closest and the pills stacked (many
        # inputs, wide labels in a square frame): smaller, centred in its room
        if height > top - bottom or needed > W:
            self.scale = min((top - bottom) / height, W / needed)
            centre = np.array([0.0, shift + (above + low) / 2])
            to = np.array([0.0, (top + bottom) / 2])
            self.static.scale(self.scale, about_point=[*centre, 0.0]).shift([*(to - centre), 0.0])
            squeeze = lambda p: tuple(to + self.scale * (np.array(p) - centre))
            self.spots = {k: squeeze(p) for k, p in self.spots.items()}
            self.pill_spots = {k: squeeze(p) for k, p in self.pill_spots.items()}

    def _gate(self, symbol: str, x: float, y: float) -> VGroup:
        th = self.board.theme
        ring = Circle(radius=0.3, stroke_color=th.unit_stroke, stroke_width=2, fill_color=th.unit_fill,
                      fill_opacity=1).move_to([x, y, 0])
        return VGroup(ring, self.board.text(symbol, th.label_size * 1.2, th.text, "note").move_to(ring))

    def _aligned(self, node: str, mob):
        if node in self.right_aligned:
            mob.shift([-mob.width / 2, 0, 0])
        elif node in self.left_aligned:
            mob.shift([mob.width / 2, 0, 0])
        return mob

    def value(self, node: str, text: str):
        """A forward value above its wire (beside it, where the wire goes down)."""
        th = self.board.theme
        label = self.board.label(text, th.badge_size * self.scale, th.text, self.spots[node], role="value")
        return self._aligned(node, label)

    def pill(self, node: str, value: float, text: str):
        """A gradient in its sign's pill, below its wire (beside a parameter or an input)."""
        th = self.board.theme
        pill = self.board.label(text, th.badge_size * self.scale, th.sign_color(value), self.pill_spots[node],
                                pill=True)
        return self._aligned(node, pill)
