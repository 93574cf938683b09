"""A bar chart of one number per layer on a log scale (the `vanishing` scene: the gradient's size per
layer), drawn from rectangles and Pango labels, placed relative to the frame. Geometry only: the
numbers and their texts come in ready-made."""

from __future__ import annotations

import math

from manim import DOWN, UP, Line, Rectangle, VGroup, config

from backprop.stage.board import Board, Said
from backprop.stage.sheets import top_y

CROWDED = 1.3  # a bar's step narrower than this: the labels under the bars (σ′ 0.197, 1.2 wide) would meet
LINE = 0.32  # one more line of labels


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
        n = len(values)
        width = min(fw * 0.8, n * 1.7)
        # a narrow frame: the bars as far apart as it allows, each label under a bar in two lines (and
        # the chart a line shorter for them), so a row of labels never runs together
        self.crowded = width / n < CROWDED
        if self.crowded:
            width = min(fw - 0.6, n * 1.7)
        self.drop = LINE if self.crowded else 0.0  # the rows under the names: this much lower
        self.base_y, height = -fh * 0.2 + self.drop, fh * 0.46 - self.drop
        self.unit = height / (top - bottom)  # frame units per power of ten
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
        return self._fitted(mob).move_to([(self.xs[k] + self.xs[k + 1]) / 2, self.base_y - 1.05 - self.drop, 0])

    def above(self, note):
        """`note` (the chart's scale) over the grid, kept under the caption's band: a note wrapped onto
        two lines in a square frame would otherwise reach into a two-line caption."""
        note.next_to(self.grid, UP, buff=0.6)
        if note.get_top()[1] > top_y():
            note.shift([0, top_y() - note.get_top()[1], 0])
        return note

    @property
    def key_y(self) -> float:
        """Where a key under all the rows goes."""
        return self.base_y - 1.55 - self.drop

    def under_text(self, board: Board, name: str, number: str, size: float, color: str, role: str = "value"):
        """`name number` as one line, or in two (the name above) where the bars are crowded."""
        if not self.crowded:
            return board.text(f"{name} {number}", size, color, role)
        return Said(board.text(name, size, color, role), board.text(number, size, color, role), role=role,
                    sep=" ").arrange(DOWN, buff=0.06)

    def under(self, k: int, mob):
        """`mob` under bar k's name."""
        return self._fitted(mob).next_to(self.names[k], DOWN, buff=0.15)

    def _fitted(self, mob):
        """No wider than a bar's step, so a row of them never runs together (only with many layers in
        a narrow frame does a label shrink for it)."""
        if mob.width > self.step - 0.08:
            mob.scale_to_fit_width(self.step - 0.08)
        return mob

    def bar(self, k: int) -> VGroup:
        return VGroup(self.bars[k], self.labels[k], self.names[k])
