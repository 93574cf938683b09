"""The `update` scene's table: every parameter's gradient-descent step, one row each."""

from __future__ import annotations

from manim import DOWN, LEFT, VGroup, config

from backprop.engine.report import report_from_timeline
from backprop.language import _
from backprop.stage.board import Board, Said
from backprop.story.cards import CardWriter

MAX_UPDATE_ROWS = 10  # beyond this the table keeps the largest gradients and says how many it left out


def update_table(stage: Board, timeline, cards: CardWriter) -> tuple[VGroup, list[Said]]:
    """One row per parameter, `W₁[1,2]:  0.3 − 0.1 × (−0.045) = 0.3045` (the update events' numbers);
    the rows too, so a beat can give them time to be read."""
    th = stage.theme
    updates = {u["param"]: u for u in timeline.of_kind("update")}
    report = report_from_timeline(timeline, limit=MAX_UPDATE_ROWS)  # the largest gradients, in table order
    rows = []
    for r in report.rows:
        text = cards.update(updates[r.name])
        rows.append(Said(stage.text(text.numbers, th.badge_size, th.text, "table"), role="table"))
    group = VGroup(*rows).arrange(DOWN, buff=0.16, aligned_edge=LEFT)
    if report.left_out:
        more = stage.text(_("… and {n} more with smaller gradients").format(n=report.left_out), th.badge_size, th.muted)
        group.add(more.next_to(group, DOWN, buff=0.2).align_to(group, LEFT))
    room_w, room_h = config.frame_width * 0.9, config.frame_height * 0.62
    if group.width > room_w:
        group.scale_to_fit_width(room_w)
    if group.height > room_h:
        group.scale_to_fit_height(room_h)
    group.move_to([0, config.frame_height * 0.02, 0])
    return group, rows
