"""Saliency: ∂L/∂x, which the backward pass computes anyway, read as "which input matters" (signed
bars per input), then the adversarial nudge x′ = x + ε·sign(∂L/∂x) and the loss it raises: about
ε·‖∂L/∂x‖₁ to first order, and what a real forward pass says. Numbers from backprop.engine.saliency.

`backprop render saliency --network NETWORK` (default `seed`).
"""

from __future__ import annotations

from manim import DOWN, Line, Rectangle, VGroup

from backprop.engine.labels import Symbols
from backprop.engine.saliency import saliency
from backprop.language import N_, _
from backprop.scenes.base import LessonScene
from backprop.scenes.steps import Step
from backprop.stage.motion import appear, vanish
from backprop.stage.sheets import bottom_y, fit, grid, top_y, usable_width, wide_card
from backprop.story.saliency import grad_cells, nudge_line, predicted_line, rise_line
from backprop.story.texts import loss_text, value_text

TITLE = N_("Saliency: which input matters")
BAR = 2.4  # frame units for the largest |∂L/∂x|, where the frame has room
GAP = 0.4  # between the table and its bars
BARS_LEAST = 1.6  # the table leaves its bars this much of the frame's width at least


class Saliency(LessonScene):
    def construct(self):
        if self.network is None:
            raise ValueError("saliency runs the network forward again: construct it with network=")
        th, stage, net = self.theme, self.stage, self.network
        s = saliency(net)
        sym = Symbols(net.sizes)
        inputs = [sym.input(i + 1) for i in range(len(s.x))]
        self.title_card(_(TITLE), hold=2.0)

        note = stage.note(_("the backward pass gives ∂L/∂x too (example 1): the larger |∂L/∂x|, the more that input "
                            "moves the loss") if net.X.shape[0] > 1 else
                          _("the backward pass gives ∂L/∂x too: the larger |∂L/∂x|, the more that input moves the loss"),
                          usable_width(), most=3)
        rows = [[_("input"), "x", "∂L/∂x"]] + [[name, value_text(x), cell]
                                             for name, x, cell in zip(inputs, s.x, grad_cells(s))]
        colors = [None] + [[th.text, th.text, th.sign_color(g)] for g in s.grads]
        room = note.height + 0.45  # under the table: the note
        table = fit(grid(stage, rows, numeric={1, 2}, colors=colors, size=th.card_size * 0.85,
                         height=top_y() - bottom_y() - room),
                    bottom=bottom_y() + room, width=usable_width() - GAP - BARS_LEAST, middle=True)
        # the bars as long as the frame leaves beside the table: the longest BAR at most, each side of zero
        # as far as its longest bar reaches
        largest = max(abs(g) for g in s.grads) or 1.0
        left, right = (max([abs(g) / largest for g in s.grads if g * sign > 0], default=0.0) for sign in (-1, 1))
        longest = min(BAR, (usable_width() - table.width - GAP) / max(left + right, 1e-9))
        bars = VGroup()
        zero_x = table.get_right()[0] + GAP + left * longest  # negative bars end here, positive ones start here
        for row, g in zip(table.rows[1:], s.grads):  # a signed bar beside each row
            width = max(abs(g) / largest * longest, 0.02)
            bar = Rectangle(width=width, height=0.22, stroke_width=0, fill_color=th.sign_color(g), fill_opacity=0.85)
            bar.move_to([zero_x - width / 2 if g < 0 else zero_x + width / 2, row.get_center()[1], 0])
            bars.add(bar)
        rows_top, rows_bottom = table.rows[1].get_top()[1], table.rows[-1].get_bottom()[1]
        bars.add(Line([zero_x, rows_top + 0.05, 0], [zero_x, rows_bottom - 0.05, 0], stroke_color=th.muted,
                      stroke_width=2))
        VGroup(table, bars).move_to([0, VGroup(table, bars).get_center()[1], 0])  # centred together
        note.next_to(table, DOWN, buff=0.35).set_x(0)
        self.beat(_("∂L/∂x: which input moves the loss"),
                  [Step([appear(table.rule), appear(table.rows[0])], 0.6, 0.5)]
                  + [Step([appear(bars[-1])], 0.3, 0.2)]
                  + [Step([appear(row), appear(bar)], 0.5, 0.6) for row, bar in zip(table.rows[1:], bars)]
                  + [Step([appear(note)], 0.6, 3.0, shows=[note])],
                  narration=_("The backward pass already gives the loss's gradient with respect to each input: "
                              "its size says how much that input matters here."))

        lines = [(f"x′ = x + ε × sign(∂L/∂x), ε = {s.epsilon:g}", None)] + \
            [(nudge_line(s, i, name), None) for i, name in enumerate(inputs)]
        nudge = wide_card(stage, lines, note=_("every input moved by ε the way that raises the loss"))
        fit(nudge, middle=True)
        self.beat(_("The adversarial nudge: x + ε·sign(∂L/∂x)"),
                  [Step([vanish(table), vanish(bars), vanish(note)], 0.6, 0.2),
                   Step([appear(nudge)], 0.8, 4.0, shows=[nudge])],
                  narration=_("Move every input by {epsilon} in the direction its gradient says raises the loss.").format(
                      epsilon=f"{s.epsilon:g}"))

        rise = wide_card(stage, [(_("predicted rise: ε × ‖∂L/∂x‖₁"), None), (predicted_line(s), None),
                                 (_("forward again: L(x′) − L(x)"), None), (rise_line(s), None)],
                         note=_("L(x) = {before}, L(x′) = {after}: the gradient predicted the rise").format(
                             before=loss_text(s.loss), after=loss_text(s.nudged_loss)))
        fit(rise, middle=True)
        self.beat(_("Forward again: the loss rises as predicted"),
                  [Step([vanish(nudge)], 0.6, 0.2), Step([appear(rise)], 0.8, 5.0, shows=[rise])],
                  narration=_("Run forward again: the loss rises by about epsilon times the sum of the gradients' sizes."))
