"""A network drawn unit by unit (scalar timelines): boxes, edges, value lines, weight and bias labels."""

from __future__ import annotations

import numpy as np
from manim import Line, RoundedRectangle, ShowPassingFlash, VGroup

from backprop.stage.board import Board, Label
from backprop.story.layout import Layout, bias_row_of, text_width
from backprop.story.texts import Texts
from backprop.story.theme import Theme


class Stage(Board):
    """A network drawn unit by unit (scalar timelines), placed by backprop.story.layout."""

    def __init__(self, timeline, theme: Theme, layout: Layout, texts: Texts):
        grads = [abs(e["value"]) for e in timeline.events
                 if e["kind"] in ("param_grad", "seed", "multiply", "accumulate") and isinstance(e["value"], float)]
        super().__init__(theme, max(grads + [0.0]))
        self.timeline, self.layout, self.texts = timeline, layout, texts
        self.boxes: dict[str, VGroup] = {}
        self.lines: dict[str, list[Label]] = {}  # unit id → the value lines inside its box
        self.weight_labels: dict[str, VGroup] = {}
        self.bias_labels: dict[str, VGroup] = {}
        self._build()

    # ---- the network ------------------------------------------------------------------------------

    def _build(self):
        th, lay = self.theme, self.layout
        for eid, (a, b) in lay.segments.items():
            self.edges[eid] = Line(np.append(a, 0), np.append(b, 0), stroke_color=th.edge,
                                   stroke_width=th.edge_width)
        for uid, (x, y) in lay.units.items():
            w, h = lay.sizes[uid]
            rect = RoundedRectangle(corner_radius=min(0.12, h / 3), width=w, height=h, stroke_color=th.unit_stroke,
                                    stroke_width=2, fill_color=th.unit_fill, fill_opacity=1).move_to([x, y, 0])
            self.boxes[uid] = VGroup(rect)
            self.lines[uid] = []
            if lay.mode in ("full", "medium"):
                rows = self.texts.unit_lines[uid]
                for k, (symbol, value) in enumerate(rows):
                    # One Text per row keeps symbol and value on Pango's baseline; its glyphs split
                    # into the symbol (drawn with the network) and the value (shown by its event).
                    sym_t, val_t = self.text_split(f"{symbol} {value}", value, th.label_size, th.text)
                    VGroup(sym_t, val_t).move_to([x, y + ((len(rows) - 1) / 2 - k) * 0.36, 0])
                    self.boxes[uid].add(sym_t)
                    self.lines[uid].append(val_t)
            elif lay.mode == "compact":
                self.boxes[uid].add(self.text(self.texts.symbol[uid], th.label_size, role="value").move_to([x, y, 0]))
        for eid, pos in lay.weight_labels.items():
            self.weight_labels[eid] = self.label(self.texts.weight[eid], th.badge_size, th.muted, pos, "weight")
        for name, pos in lay.bias.items():
            self.bias_labels[name] = self.label(self.texts.bias[name], th.badge_size, th.muted, pos, "weight")
            # left-align the bias value so its gradient can sit to its right
            row_w = self._bias_row_width(name)
            self.bias_labels[name].move_to([pos[0] - row_w / 2 + self.bias_labels[name].width / 2, pos[1], 0])

    def _bias_row_width(self, name: str) -> float:
        return text_width(bias_row_of(self.texts, name), self.theme.badge_size)

    def network(self) -> VGroup:
        """Everything static, edges first: add this before anything that moves."""
        return VGroup(*self.edges.values(), *self.boxes.values(), *self.weight_labels.values(),
                      *self.bias_labels.values())

    def bias_badge_pos(self, name: str):
        label = self.bias_labels[name]
        right = label.get_right()
        width = self.text(self.texts.bias_badge[name], self.theme.badge_size).width
        return (right[0] + 0.18 + width / 2, right[1])

    def flash_box(self, uid: str) -> list:
        """A bright outline runs once around the unit: look here."""
        rect = self.boxes[uid][0]
        ring = RoundedRectangle(corner_radius=0.12, width=rect.width + 0.12, height=rect.height + 0.12,
                                stroke_color=self.theme.text, stroke_width=4).move_to(rect)
        return [ShowPassingFlash(ring, time_width=0.6)]
