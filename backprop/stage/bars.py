"""A bar chart of one number per layer on a log scale (the `vanishing` scene: the gradient's size per
layer), drawn from rectangles and Pango labels, placed relative to the frame. Geometry only: the
numbers and their texts come in ready-made."""

from __future__ import annotations

import math

from manim import DOWN, UP, Line, Rectangle, VGroup, config

from backprop.stage.board import Board


class LogBars:
    """Bars for `values` (left to right), labelled with `value_texts` above and `names` below; grid
    lines at powers of ten. A zero value gets no bar (its label says 0)."""

    def __init__(self, board: Board, values: list[float], value_texts: list[str], names: list[str]):
        th = board.theme
        fw, fh = config.frame_width, config.frame_height
        positive = [v for v in values if v > 0] or [1.0]
        top = math.ceil(math.log10(max(positive)) + 1e-9)
        bottom = math.floor(math.log10(min(positive)) - 1e-9)
        if top - bottom < 1:
            bottom = top - 1
        self.base_y, height = -fh * 0.2, fh * 0.46
        self.unit = height / (top - bottom)  # frame units per power of ten
        n = len(values)
        width = min(fw * 0.8, n * 1.7)
        step = width / n
        xs = [-width / 2 + step * (k + 0.5) for k in range(n)]
        self.xs, self.step = xs, step
        bar_w = min(0.9, step * 0.5)
        self.grid = VGroup()
        for p in range(bottom + 1, top + 1):
            y = self.base_y + (p - bottom) * self.unit
            self.grid.add(Line([-width / 2 - 0.2, y, 0], [width / 2 + 0.2, y, 0], stroke_color=th.edge,
                               stroke_width=1, stroke_opacity=0.5))
        self.grid.add(Line([-width / 2 - 0.2, self.base_y, 0], [width / 2 + 0.2, self.base_y, 0],
                           stroke_color=th.muted, stroke_width=2))
        self.bars, self.labels, self.names = [], [], []
        for x, v, text, name in zip(xs, values, value_texts, names):
            h = (math.log10(v) - bottom) * self.unit if v > 0 else 0.0
            bar = Rectangle(width=bar_w, height=max(h, 0.02), stroke_width=0, fill_color=th.positive,
                            fill_opacity=0.85)
            bar.move_to([x, self.base_y + max(h, 0.02) / 2, 0])
            label = board.text(text, th.label_size, th.text, "value").next_to(bar, UP, buff=0.12)
            tag = board.text(name, th.label_size, th.muted, "note").next_to(bar, DOWN, buff=0.15)
            tag.set_y(self.base_y - 0.3)
            self.bars.append(bar)
            self.labels.append(label)
            self.names.append(tag)

    def between(self, k: int, mob):
        """`mob` placed between bar k and bar k + 1, in a row under the names and the `under` row
        (the gaps between bars are too narrow for text)."""
        return mob.move_to([(self.xs[k] + self.xs[k + 1]) / 2, self.base_y - 1.05, 0])

    def under(self, k: int, mob):
        """`mob` under bar k's name."""
        return mob.next_to(self.names[k], DOWN, buff=0.15)

    def bar(self, k: int) -> VGroup:
        return VGroup(self.bars[k], self.labels[k], self.names[k])
