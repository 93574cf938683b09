"""The closing beats: the lesson's gradient table and the one-line weight-update preview."""

from __future__ import annotations

from manim import DOWN, LEFT, Line, VGroup

from backprop.engine.report import report_from_timeline
from backprop.language import N_, _, ngettext
from backprop.stage.board import Board, Said
from backprop.story.cards import CardWriter
from backprop.story.texts import grad_text, value_text

MAX_ROWS = 12  # beyond this the table keeps the largest gradients and says how many it left out
ADVICE = {"increase": N_("↑ increase"), "decrease": N_("↓ decrease"), "leave": N_("· leave")}


def gradient_table(stage: Board, timeline, paths: bool = True, words: bool = True,
                   first: frozenset = frozenset()) -> VGroup:
    """The table; in a frame too narrow for it at full size, without the path column (x₁ → h₁),
    then with arrows alone for the advice (↓ for "decrease"), rather than in smaller type. `first`:
    the parameters listed before the largest gradients (those the network had no room for)."""
    th = stage.theme
    size = th.badge_size
    report = report_from_timeline(timeline, limit=MAX_ROWS, first=first)
    header = [_("parameter"), "", _("value"), _("gradient"), _("to reduce the loss") if words else _("to reduce L")]
    numeric = [False, False, True, True, False]  # numbers right-aligned, words left-aligned
    cells = [[stage.text(h, size, th.muted) for h in header]]
    for r in report.rows:
        g = r.gradient
        cells.append([stage.text(r.symbol, size), stage.text(r.path, size, th.muted),
                      stage.text(value_text(r.value), size),
                      stage.text(grad_text(g), size, th.sign_color(g)),
                      stage.text(_(ADVICE[r.advice]) if words else ADVICE[r.advice][0], size, th.sign_color(g))])
    if not paths:
        cells = [[cell for c, cell in enumerate(row) if c != 1] for row in cells]
        header = [h for c, h in enumerate(header) if c != 1]
        numeric = [n for c, n in enumerate(numeric) if c != 1]
    widths = [max(row[c].width for row in cells) for c in range(len(header))]
    row_h = 0.36
    grid = VGroup()
    for r, row in enumerate(cells):
        x = 0.0
        for c, cell in enumerate(row):
            if numeric[c]:
                cell.move_to([x + widths[c] - cell.width / 2, -r * row_h, 0])
            else:
                cell.move_to([x + cell.width / 2, -r * row_h, 0])
            x += widths[c] + 0.45
        grid.add(Said(*row, role="table"))
    rule = Line([0, -0.5 * row_h, 0], [x - 0.45, -0.5 * row_h, 0], stroke_color=th.card_stroke, stroke_width=1.5)
    grid.add(rule)
    f = stage.frame
    if report.left_out:  # in two lines where one would not fit the frame
        more = ngettext("… and {n} smaller one (backprop gradients lists every one)",
                        "… and {n} smaller ones (backprop gradients lists every one)", report.left_out).format(
                            n=report.left_out)
        lines = stage.wrapped(more, size, f.width - 0.4, 2)
        grid.add(Said(*[stage.text(line, size, th.muted) for line in lines], role="note", sep=" ")
                 .arrange(DOWN, buff=0.06, aligned_edge=LEFT).next_to(grid, DOWN, buff=0.15).align_to(grid, LEFT))
    # between the caption and the frame's foot, as wide as the frame allows
    if paths and grid.width > f.width - 0.4:
        return gradient_table(stage, timeline, paths=False, first=first)
    if words and grid.width > f.width - 0.4:
        return gradient_table(stage, timeline, paths=False, words=False, first=first)
    top, bottom = f.caption_band - 0.1, -f.height / 2 + 0.25
    if grid.height > top - bottom:
        grid.scale_to_fit_height(top - bottom)
    if grid.width > f.width - 0.4:
        grid.scale_to_fit_width(f.width - 0.4)
    grid.move_to([0, max(bottom + grid.height / 2, min(0.35, top - grid.height / 2)), 0])
    return grid


def preview_param(timeline) -> str:
    """The first layer's weight with the largest gradient (the lesson's w₁₂ on `seed`)."""
    grads = {e["param"]: e["value"] for e in timeline.of_kind("param_grad")}
    first = [p["name"] for p in timeline.params if p["kind"] == "weight" and p["name"].startswith("W1[")]
    return max(first, key=lambda n: abs(grads[n]))


def update_preview(stage: Board, timeline, cards: CardWriter):
    """`W₁[1,2]: 0.3 − 0.1 × (−0.045) = 0.3045`, for the weight `preview_param` picks."""
    updates = {e["param"]: e for e in timeline.of_kind("update")}
    name = preview_param(timeline)
    text = cards.update(updates[name])
    card = stage.make_card(text.top, text.numbers, None, side="centre")
    return card, name
