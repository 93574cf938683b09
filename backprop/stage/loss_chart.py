"""A loss chart: loss against step on Axes with our own Pango labels (no LaTeX: manim's default axis
numbers need it), for `update`'s curve and `optimizers`' curves. Placed relative to manim's frame, so
other aspect ratios re-flow.
"""

from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, UP, Axes, Dot, VGroup, config

from backprop.language import _
from backprop.stage.board import Board
from backprop.story.loss_chart import nice_ticks
from backprop.story.texts import value_text


CHART_TOP = 10  # the chart shows losses up to this many times the first


def _on_chart(losses: list[float], top: float) -> list[tuple[float, float]]:
    """(step, loss) points up to where the curve first leaves the chart's top, the last one cut at the
    top (drawing geometry: no number of it is shown)."""
    points = [(0.0, losses[0])]
    for k in range(1, len(losses)):
        if losses[k] <= top:
            points.append((float(k), losses[k]))
            continue
        a = losses[k - 1]
        points.append((k - 1 + (top - a) / (losses[k] - a), top))
        break
    return points


def loss_axes(stage: Board, x_ticks: list[float], y_ticks: list[float], width: float,
              height: float) -> tuple[Axes, VGroup]:
    """Axes of loss against step, with their tick labels and names in Pango text (no LaTeX)."""
    th = stage.theme
    axes = Axes(x_range=[0, x_ticks[-1], x_ticks[1]], y_range=[0, y_ticks[-1], y_ticks[1]], x_length=width,
                y_length=height, tips=False,
                axis_config={"include_numbers": False, "color": th.muted, "stroke_width": 2})
    labels = VGroup()
    for x in x_ticks:
        labels.add(stage.text(f"{x:g}", th.badge_size, th.muted, "legend").next_to(axes.c2p(x, 0), DOWN, buff=0.15))
    for y in y_ticks[1:]:
        labels.add(stage.text(value_text(y), th.badge_size, th.muted, "legend").next_to(axes.c2p(0, y), LEFT,
                                                                                         buff=0.15))
    labels.add(stage.text(_("step"), th.badge_size, th.muted, "legend").next_to(axes.c2p(x_ticks[-1], 0), DOWN,
                                                                              buff=0.55).align_to(axes, RIGHT))
    labels.add(stage.text(_("loss L"), th.badge_size, th.muted, "legend").next_to(axes.c2p(0, y_ticks[-1]), UP,
                                                                                buff=0.2))
    return axes, labels


def loss_curve(stage: Board, losses: list[float], end_labels: tuple[str, str]) -> tuple[VGroup, VGroup, VGroup]:
    """(axes with their labels, the curve, the two end labels) for losses[0..steps] against the step."""
    th = stage.theme
    steps = len(losses) - 1
    x_ticks = nice_ticks(max(steps, 1), 4)
    # a loss that grows past ten times where it started (a learning rate that overshoots) leaves the chart
    y_ticks = nice_ticks(min(max(losses), CHART_TOP * losses[0]) if losses[0] > 0 else max(losses), 4)
    top = y_ticks[-1]
    shown = _on_chart(losses, top)
    axes, labels = loss_axes(stage, x_ticks, y_ticks, min(config.frame_width * 0.62, 9.0), config.frame_height * 0.5)
    curve = axes.plot_line_graph([x for x, _ in shown], [y for _, y in shown], line_color=th.positive,
                                 add_vertex_dots=False, stroke_width=4)
    first = axes.c2p(0, losses[0])
    start = VGroup(Dot(first, radius=0.07, color=th.text),
                   stage.text(end_labels[0], th.badge_size, th.text, "value").next_to(first, RIGHT, buff=0.3))
    if len(shown) == steps + 1:
        last = axes.c2p(steps, losses[-1])
        end = VGroup(Dot(last, radius=0.07, color=th.text),
                     stage.text(end_labels[1], th.badge_size, th.text, "value").next_to(last, UP, buff=0.25))
    else:  # off the chart: the label at the top, the curve leaving through it
        end = VGroup(stage.text(end_labels[1] + " " + _("(off the chart)"), th.badge_size, th.text, "value")
                     .next_to(axes.c2p(steps, top), UP, buff=0.25))
    end[-1].align_to(axes, RIGHT)
    # above the curve wherever the label spans it (the curve may still be falling under its left end)
    points = curve["line_graph"].points
    under = points[(points[:, 0] >= end[-1].get_left()[0] - 0.1) & (points[:, 0] <= end[-1].get_right()[0] + 0.1)]
    if len(under):
        end[-1].shift(UP * max(0.0, under[:, 1].max() + 0.2 - end[-1].get_bottom()[1]))
    start[1].shift(UP * 0.12)
    frame = VGroup(axes, labels, curve, start, end)
    frame.move_to([0, -config.frame_height * 0.04, 0])
    return VGroup(axes, labels), curve, VGroup(start, end)
