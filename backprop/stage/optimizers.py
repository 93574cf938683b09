"""The optimizers chapter's chart: several loss curves over the same steps on one pair of axes, each
in its own colour and dash (so print tells them apart too), with a key naming them and their last loss.
Geometry only: the losses and every text come in ready-made."""

from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, DashedVMobject, Line, VGroup, config

from backprop.stage.board import Board, Said
from backprop.stage.loss_chart import loss_axes
from backprop.stage.sheets import bottom_y, top_y
from backprop.story.loss_chart import nice_ticks

DASHES = (None, 14, 40)  # solid, long dashes, short dashes


def loss_curves(stage: Board, curves: list[tuple[list[float], str, str]]) -> tuple[VGroup, list[VGroup], VGroup]:
    """(axes with labels, one curve per (losses, colour, key text), the key) for losses[0..steps]."""
    th = stage.theme
    steps = len(curves[0][0]) - 1
    x_ticks = nice_ticks(max(steps, 1), 4)
    y_ticks = nice_ticks(max(max(losses) for losses, _, _ in curves), 4)
    keys = []
    for (_, color, key), dash in zip(curves, DASHES):
        sample = Line([0, 0, 0], [0.6, 0, 0], stroke_color=color, stroke_width=4)
        text = stage.text(key, th.badge_size, th.text, "legend")
        keys.append(Said(DashedVMobject(sample, num_dashes=3) if dash else sample, text, role="legend")
                    .arrange(RIGHT, buff=0.2))
    key = VGroup(*keys).arrange(DOWN, buff=0.18, aligned_edge=LEFT)
    fw, fh = config.frame_width, config.frame_height
    axes, labels = loss_axes(stage, x_ticks, y_ticks, min(fw * 0.55, 8.0), fh * 0.48)
    beside = VGroup(axes, labels).width + 0.6 + key.width <= fw - 0.6
    if not beside:  # a narrow frame: the key under the chart, the chart as wide as the frame, never taller
        width = fw - 0.8 - (VGroup(axes, labels).width - axes.width)  # less its tick labels
        axes, labels = loss_axes(stage, x_ticks, y_ticks, width, min(fh * 0.48, width * 0.8))
    lines = []
    for (losses, color, _), dash in zip(curves, DASHES):
        graph = axes.plot_line_graph(list(range(steps + 1)), losses, line_color=color, add_vertex_dots=False,
                                     stroke_width=4)["line_graph"]
        lines.append(VGroup(DashedVMobject(graph, num_dashes=dash) if dash else graph))
    chart = VGroup(axes, labels)
    plot = VGroup(chart, *lines)  # the curves stay on their axes
    if beside:
        VGroup(plot, key).arrange(RIGHT, buff=0.6).move_to([0, -fh * 0.04, 0])
    else:
        VGroup(plot, key).arrange(DOWN, buff=0.5).move_to([0, (top_y() + bottom_y()) / 2, 0])
    return chart, lines, key
