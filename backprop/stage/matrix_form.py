"""Matrices drawn from Pango text: entries in a grid between two bracket lines (no LaTeX, no
manim Matrix), with its symbol underneath. One transcript entry per matrix (its entries as one line)."""

from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, UP, Line, VGroup

from backprop.stage.board import Board
from backprop.story.matrix_form import MatrixText


class MatrixMob(VGroup):
    def __init__(self, board: Board, mt: MatrixText, size: float, color: str | None = None, name_scale: float = 0.85):
        th = board.theme
        self.mt = mt
        cells = [[board.text(t, size, color or th.text, "value") for t in row] for row in mt.entries]
        col_w = [max(row[c].width for row in cells) for c in range(len(cells[0]))]
        row_h = max(cell.height for row in cells for cell in row)
        gap_x, gap_y = 0.3, 0.18
        grid = VGroup()
        for r, row in enumerate(cells):
            x = 0.0
            for c, cell in enumerate(row):
                cell.move_to([x + col_w[c] / 2, -r * (row_h + gap_y), 0])
                x += col_w[c] + gap_x
                grid.add(cell)
        h = grid.height + 0.2
        left = self._bracket(h, 1, th.text).next_to(grid, LEFT, buff=0.1)
        right = self._bracket(h, -1, th.text).next_to(grid, RIGHT, buff=0.1)
        body = VGroup(left, grid, right)
        name = board.text(mt.symbol, size * name_scale, th.muted, "note").next_to(body, DOWN, buff=0.15)
        super().__init__(body, name)
        self.body, self.name = body, name

    @staticmethod
    def _bracket(h: float, side: int, color: str) -> VGroup:
        """`[` (side 1) or `]` (side −1) from three lines."""
        w = 0.1 * side
        top, bottom = UP * h / 2, DOWN * h / 2
        return VGroup(Line(top + RIGHT * w, top, stroke_color=color, stroke_width=2),
                      Line(top, bottom, stroke_color=color, stroke_width=2),
                      Line(bottom, bottom + RIGHT * w, stroke_color=color, stroke_width=2))

    def transcript_entries(self) -> list[tuple[str, str, float]]:
        px = min(m.px for m in self.body[1])
        return [("value", f"{self.mt.symbol} = {self.mt.line()}", px)]
