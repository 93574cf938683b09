"""Tables and wide cards for scenes that show numbers rather than the network: a table of rows
that fits the frame (numbers right-aligned), a card as wide as the frame allows, and the space
between the caption and the bottom edge, measured from manim's frame (any aspect ratio)."""

from __future__ import annotations

from manim import DOWN, LEFT, Line, VGroup, config

from backprop.stage.board import Board, Card, Label, Said, line_px
from backprop.stage.glyphs import outlines
from backprop.stage.shapes import rounded_rectangle
from backprop.story.frame import Frame
from backprop.story.layout import MIN_LINE_PX

ROW_GAP = 0.36  # between rows of a table at the badge size (the gradient table's spacing)
COL_GAP = 0.45
FOLD_INDENT = 0.6  # a folded row's second line starts this far in


def top_y() -> float:
    """Just under the caption (two lines of it in a narrow, tall frame)."""
    return Frame(config.frame_width, config.frame_height).caption_band - 0.15


def bottom_y() -> float:
    return -config.frame_height / 2 + 0.3


def usable_width() -> float:
    return config.frame_width - 0.8


def grid(board: Board, rows: list[list[str]], numeric: set[int], colors: list[list[str | None]] | None = None,
         size: float | None = None, footer: str | None = None, height: float | None = None) -> VGroup:
    """A table: the first row is the header (muted), a rule under it; columns in `numeric` are
    right-aligned. Each row is one transcript entry (role "table"); `.rows` lists them in order,
    the `footer` (a muted line under the columns, "… 11 more") last. `height`: what it will be fitted
    into (`fit`), so its rows fold only where that leaves their text larger."""
    th = board.theme
    size = size or th.badge_size
    cells = []
    for r, row in enumerate(rows):
        line = []
        for c, text in enumerate(row):
            color = th.muted if r == 0 else ((colors[r][c] if colors and colors[r][c] else th.text))
            line.append(_cell(board, text, size, color))
        cells.append(line)
    ncols = max(len(row) for row in cells)
    widths = [max(row[c].width for row in cells if c < len(row)) for c in range(ncols)]
    step = ROW_GAP * size / th.badge_size
    fold = _fold_at(widths, line_px(size), len(cells) + bool(footer), step, height)
    pitch = step if fold is None else 2.3 * step  # a folded row: two lines and a little air
    table = VGroup()
    table.rows = []
    for r, row in enumerate(cells):
        x, y0 = 0.0, -r * pitch
        for c, cell in enumerate(row):
            if c == fold:  # the row's later columns on a second line under it, indented
                x, y0 = FOLD_INDENT, y0 - step
            y = y0 + cell.baseline  # every cell of a line on one baseline
            if c in numeric:
                cell.move_to([x + widths[c] - cell.width / 2, y, 0])
            else:
                cell.move_to([x + cell.width / 2, y, 0])
            x += widths[c] + COL_GAP
        said = Said(*row, role="table")
        table.add(said)
        table.rows.append(said)
    right = _line_widths(widths, fold)
    header_bottom = -0.5 * step if fold is None else -1.6 * step
    table.rule = Line([0, header_bottom, 0], [right, header_bottom, 0], stroke_color=th.card_stroke, stroke_width=1.5)
    table.add(table.rule)
    if footer:
        cell = _cell(board, footer, size, th.muted)
        cell.move_to([cell.width / 2, -len(cells) * pitch + cell.baseline, 0])
        said = Said(cell, role="table")
        table.add(said)
        table.rows.append(said)
    return table


def _line_widths(widths: list[float], fold: int | None) -> float:
    """The widest line of a table's rows: the whole row, or either half of a folded one."""
    def span(ws):
        return sum(ws) + COL_GAP * (len(ws) - 1)
    if fold is None:
        return span(widths)
    return max(span(widths[:fold]), FOLD_INDENT + span(widths[fold:]))


def _fold_at(widths: list[float], px: float, rows: int = 0, step: float = ROW_GAP,
             height: float | None = None) -> int | None:
    """Where a row breaks onto a second line: only where the frame would shrink the table's text
    under 16 px (a narrow frame), at the column that makes the table narrowest, and only where the
    folded table, twice as tall, still reads larger in `height` (if given) than the one-line rows."""
    room = usable_width()

    def shown_px(fold: int | None) -> float:
        tall = rows * (step if fold is None else 2.3 * step)
        return px * min(1.0, room / _line_widths(widths, fold), height / tall if height and tall else 1.0)

    if shown_px(None) >= MIN_LINE_PX or len(widths) < 3:
        return None
    fold = min(range(2, len(widths)), key=lambda k: _line_widths(widths, k))
    return fold if shown_px(fold) > shown_px(None) else None


def _cell(board: Board, text: str, size: float, color: str) -> Label:
    """A table cell that remembers where Pango put it against a reference "Xg" laid out before it
    (`.baseline`: its centre's height above the reference's), so cells with and without tall letters
    or descenders ("network", "parameters") share a baseline."""
    glyphs = outlines("Xg " + text, board.theme.font, size)
    ref = Label(glyphs[:2], "Xg", color, size)
    cell = Label(glyphs[2:], text, color, size, "table")
    ref_y = (ref.get_top()[1] + ref.get_bottom()[1]) / 2
    cell.baseline = (cell.get_center()[1] - ref_y) if len(glyphs) > 2 else 0.0
    return cell


def fit(mobject, top: float | None = None, bottom: float | None = None, width: float | None = None,
        middle: bool = False):
    """Scaled down (never up) to fit between `top` and `bottom` and within `width`, centred
    horizontally, its top at `top` (`middle`: centred between the two)."""
    top = top_y() if top is None else top
    bottom = bottom_y() if bottom is None else bottom
    width = usable_width() if width is None else width
    if mobject.width > width:
        mobject.scale_to_fit_width(width)
    if mobject.height > top - bottom:
        mobject.scale_to_fit_height(top - bottom)
    mobject.move_to([0, (top + bottom) / 2 if middle else top - mobject.height / 2, 0])
    return mobject


def wide_card(board: Board, lines: list[tuple[str, str | None]], note: str | None = None,
              width: float | None = None) -> Card:
    """A card of several lines (text, colour) as wide as `width` (the frame's, by default): for
    arithmetic too long for the two side-by-side cards of the network scenes. Every line is a row
    of the card's transcript entry, so the arithmetic checker reads each one."""
    th = board.theme
    width = usable_width() if width is None else width
    labels = [board.text(part, th.card_size, color or th.text, "card") for text, color in lines
              for part in board.readable_lines(text, th.card_size, width - 0.4)]
    body = VGroup(*labels).arrange(DOWN, buff=0.16, aligned_edge=LEFT)
    if body.width > width - 0.4:
        body.scale_to_fit_width(width - 0.4)
    note_t = None
    if note:  # not shrunk with the lines; three lines where two would be wider (German in a tall frame)
        note_t = board.note(note, width - 0.4, aligned_edge=LEFT, most=3)
        body = VGroup(body, note_t).arrange(DOWN, buff=0.16, aligned_edge=LEFT)
    box = rounded_rectangle(corner_radius=0.15, width=body.width + 0.4, height=body.height + 0.3,
                            stroke_color=th.card_stroke, stroke_width=2, fill_color=th.card_fill, fill_opacity=0.97)
    card = Card(box.move_to(body), body)
    card.rows, card.note = [[label] for label in labels], note_t
    return card


STRIP_WIDTH = 12.4  # a strip's natural width (a 16:9 frame's, less room for a mark's label at either end)


def spans(board: Board, parts: list[tuple[str, int, int, str]], total: int, width: float | None = None) -> VGroup:
    """A strip of consecutive spans (label, first, last, colour) of `total` numbered items (events),
    each as wide as its share, its label under it. `.x(n)` is where item n sits on the strip (before
    any scaling: add marks first, then `fit` the strip to the frame)."""
    th = board.theme
    width = STRIP_WIDTH if width is None else width
    left = -width / 2
    strip, labels = VGroup(), []

    def x(n: float) -> float:
        return left + (n - 0.5) / total * width

    for label, first, last, color in parts:
        a, b = left + (first - 1) / total * width, left + last / total * width
        bar = rounded_rectangle(corner_radius=0.06, width=max(b - a - 0.04, 0.05), height=0.32, stroke_width=0,
                                fill_color=color, fill_opacity=0.85).move_to([(a + b) / 2, 0, 0])
        text = board.text(label, th.badge_size, color, "note").next_to(bar, DOWN, buff=0.12)
        text.shift([min(0.0, width / 2 - text.get_right()[0]) + max(0.0, left - text.get_left()[0]), 0, 0])
        if labels and labels[-1].get_right()[0] + 0.15 > text.get_left()[0]:  # narrow spans: a row lower
            text.set_y(labels[-1].get_y() - labels[-1].height / 2 - 0.08 - text.height / 2)
        labels.append(text)
        strip.add(bar, text)
    strip.x = x
    return strip
