"""Worked cards of several lines and small tables of values, for scenes that work a computation out
in more steps than the product card's two lines (a weighted sum term by term, a path factor by factor).

Sizes and colours come from the theme, positions from manim's frame (another aspect ratio moves them
with the frame). A card is a `Card`, so the transcript reads each of its lines.
"""

from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, Line, VGroup, config

from backprop.stage.board import Board, Card, Label, Said, line_px
from backprop.stage.glyphs import outlines
from backprop.stage.shapes import rounded_rectangle
from backprop.story.layout import MIN_LINE_PX

CARD_PAD = 0.2


def card_zone() -> tuple[float, float]:
    """The bottom band of the frame where worked cards go: (its centre y, its height)."""
    bottom = -config.frame_height / 2 + 0.12
    height = config.frame_height * 0.215
    return bottom + height / 2, height


def lines_card(board: Board, lines: list[list[tuple[str, str | None]]], note: str | None = None,
               size: float | None = None, max_width: float | None = None) -> Card:
    """A card of text lines; each line is pieces (text, colour or None for the theme's text colour)
    set side by side. Placed centred in the card zone, scaled down only as far as it must fit and never
    under 16 px: a card that cannot fit the zone at that size reaches above it."""
    th = board.theme
    size = size or th.card_size
    rows, groups = [], []
    width = max_width or min(config.frame_width - 0.8, 12.0)
    broken = []  # a line of one colour breaks rather than shrinking the card past reading
    for pieces in lines:
        if len(pieces) == 1:
            text, color = pieces[0]
            broken += [[(part, color)] for part in board.readable_lines(text, size, width - 2 * CARD_PAD)]
        else:
            broken.append(pieces)
    for pieces in broken:
        labels = [board.text(text, size, color or th.text, "card") for text, color in pieces if text]
        rows.append(labels)
        groups.append(VGroup(*labels).arrange(RIGHT, buff=0.18))
    y, height = card_zone()
    body = VGroup(*groups).arrange(DOWN, buff=0.14)
    if body.width > width - 2 * CARD_PAD:
        body.scale_to_fit_width(width - 2 * CARD_PAD)
    note_t = None
    if note:  # never shrunk: the lines make room for it
        note_t = board.note(note, width - 2 * CARD_PAD)
    room = height - 2 * 0.12 - (note_t.height + 0.14 if note_t is not None else 0)
    if body.height > room:  # shrunk to the zone, but never under 16 px: the card grows upwards instead
        least = min(label.px for row in rows for label in row)
        body.scale(max(room / body.height, min(1.0, MIN_LINE_PX / least)))
    if note_t is not None:
        body = VGroup(body, note_t).arrange(DOWN, buff=0.14)
    box = rounded_rectangle(corner_radius=0.15, width=body.width + 2 * CARD_PAD, height=body.height + 0.24,
                            stroke_color=th.card_stroke, stroke_width=2, fill_color=th.card_fill, fill_opacity=0.97)
    card = Card(box.move_to(body), body)
    card.rows, card.note, card.result = rows, note_t, None
    card.move_to([0, y, 0])
    if card.height > height:  # taller than the zone: its bottom stays on the zone's
        card.shift([0, y - height / 2 - card.get_bottom()[1], 0])
    return card


def value_table(board: Board, rows: list[list[str]], top: float, bottom: float, note: str | None = None) -> VGroup:
    """A table (first row the header, in the muted colour) centred between `top` and `bottom`; each
    row one transcript entry. Each row is set as one line of text (so its cells share a baseline),
    then its cells are moved to their columns, left-aligned. It shrinks to fit the frame."""
    th, size = board.theme, board.theme.label_size * 1.2
    cells = []
    for r, row in enumerate(rows):
        color = th.muted if r == 0 else th.text
        line = [c for c in row if c.strip()]
        glyphs = outlines("   ".join(line), th.font, size)
        labels, at = [], 0
        for c in row:
            n = len(c.replace(" ", ""))
            labels.append(Label(glyphs[at:at + n], c, color, size, "table") if c.strip() else None)
            at += n
        cells.append(labels)
    columns = max(len(r) for r in cells)
    widths = [max((row[c].width for row in cells if c < len(row) and row[c] is not None), default=0.0)
              for c in range(columns)]
    room_w, room_h = config.frame_width - 1.0, top - bottom
    # Too wide to stay 16 px tall (a portrait frame): the columns after the first stack in each row.
    stacked = (sum(widths) + 0.6 * (columns - 1)) * MIN_LINE_PX / line_px(size) > room_w and columns > 2
    row_h, lines = 0.5, (columns - 1 if stacked else 1)
    grid = VGroup()
    for r, row in enumerate(cells):
        shown = [cell for cell in row if cell is not None]
        top_y = -r * row_h * lines - (0.25 * row_h if stacked and r else 0)
        lift = top_y - VGroup(*shown).get_center()[1]  # the whole row moves together: one baseline
        for c, cell in enumerate(row):
            if cell is None:
                continue
            if stacked:  # a stacked cell goes down whole lines, keeping its baseline
                x, down = (0.0, 0.0) if c == 0 else (widths[0] + 0.6, (c - 1) * row_h)
            else:
                x, down = sum(widths[:c]) + 0.6 * c, 0.0
            cell.shift([x - cell.get_left()[0], lift - down, 0])
        grid.add(Said(*shown, role="table"))
    width = widths[0] + 0.6 + max(widths[1:]) if stacked else sum(widths) + 0.6 * (columns - 1)
    rule_y = -(lines - 0.5) * row_h
    grid.add(Line([0, rule_y, 0], [width, rule_y, 0], stroke_color=th.card_stroke, stroke_width=1.5))
    note_t = None
    if note:  # under the table, not shrunk with it
        note_t = board.note(note, room_w, aligned_edge=LEFT)
        room_h -= note_t.height + 0.25
    if grid.width > room_w:
        grid.scale_to_fit_width(room_w)
    if grid.height > room_h:
        grid.scale_to_fit_height(room_h)
    if note_t is not None:
        grid.add(note_t.next_to(grid, DOWN, buff=0.25).align_to(grid, LEFT))
    return grid.move_to([0, (top + bottom) / 2, 0])
