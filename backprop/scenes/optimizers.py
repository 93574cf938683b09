"""Optimizers: backprop gives one gradient; what a step does with it is the optimizer's choice. One
parameter's first step under gradient descent, momentum and Adam from the same gradient, then the
loss over the same steps under each. Numbers from backprop.engine.optimizers (PyTorch's defaults).

`backprop render optimizers --network NETWORK` (default `seed`; `--param` picks the parameter).
"""

from __future__ import annotations

from manim import DOWN, VGroup

from backprop.engine.labels import Symbols
from backprop.engine.optimizers import OPTIMIZERS, first_steps, loss_curves
from backprop.language import N_, _
from backprop.scenes.base import LessonScene
from backprop.scenes.steps import Step
from backprop.stage.motion import appear, vanish
from backprop.stage.optimizers import loss_curves as draw_curves
from backprop.stage.sheets import bottom_y, fit, grid, top_y, usable_width
from backprop.story.optimizers import loss_after_text, sgd_line, step_row
from backprop.story.texts import grad_text

TITLE = N_("One gradient, three optimizers")
STEPS = 100
PARAM = "W1[1,2]"  # the lesson's w₁₂


class Optimizers(LessonScene):
    def construct(self):
        if self.network is None:
            raise ValueError("optimizers trains the network: construct it with network=")
        th, stage, net = self.theme, self.stage, self.network
        param = self.param or (PARAM if net.params()["W1"].shape[1] > 1 else "W1[1,1]")
        sym = Symbols(net.sizes).param(param)
        steps = first_steps(net, param)
        self.title_card(_(TITLE), hold=2.0)

        lr = net.learning_rate
        line = stage.note(sgd_line(steps[0], lr, sym), usable_width())
        why = stage.note(_("∂L/∂{name} = {gradient} for all three: momentum's first step is gradient descent's (its "
                           "memory is empty); Adam's is about η = {rate} whatever the gradient's size").format(
                             name=sym, gradient=grad_text(steps[0].grad), rate=f"{lr:g}"),
                         usable_width(), most=4)
        note = VGroup(line, why).arrange(DOWN, buff=0.2)
        rows = [["", _("first step"), _("new {name}").format(name=sym), _("rule")]] + [step_row(s) for s in steps]
        room = note.height + 0.45  # under the table: the notes
        table = fit(grid(stage, rows, numeric={1, 2}, size=th.card_size * 0.8, height=top_y() - bottom_y() - room),
                    bottom=bottom_y() + room, middle=True)
        note.next_to(table, DOWN, buff=0.35).set_x(0)
        self.beat(_("The same gradient, three different steps"),
                  [Step([appear(table.rule), appear(table.rows[0])], 0.6, 0.5)]
                  + [Step([appear(row)], 0.5, 1.0) for row in table.rows[1:]]
                  + [Step([appear(note)], 0.6, 4.0, shows=[line, why])],
                  narration=_("Backprop gives {name} the gradient {gradient}. Gradient descent and momentum step by {rate} "
                              "times it; Adam steps by about {rate}, whatever its size.").format(
                      name=sym, gradient=grad_text(steps[0].grad), rate=f"{lr:g}"))

        curves = loss_curves(net, STEPS)
        colors = [th.text, th.positive, th.zero]  # not the negative sign's orange: these are losses
        chart, lines, key = draw_curves(stage, [
            (losses, color, f"{_(OPTIMIZERS[name].display)}: L = {loss_after_text(losses[-1])}")
            for (name, losses), color in zip(curves.items(), colors)])
        self.beat(_("{steps} steps of each, from the same start").format(steps=STEPS),
                  [Step([vanish(table), vanish(note)], 0.6, 0.2), Step([appear(chart)], 0.8, 0.5)]
                  + [Step([appear(line), appear(row)], 0.8, 1.2) for line, row in zip(lines, key)]
                  + [Step([], 0.0, 3.0, shows=list(key))],
                  narration=_("Over {steps} steps from the same start, momentum and Adam bring the loss down "
                              "faster than plain gradient descent here.").format(steps=STEPS))
