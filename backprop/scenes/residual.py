"""Residual: the same deep network with and without its skips, the gradient's size per layer side by
side, then one step back through a skip spelled out: ∂L/∂h_{l−1} = ∂L/∂h_l × (1 + f′(z)·w). Numbers
from backprop.engine.residual.

`backprop render residual` (default network `deep-residual`).
"""

from __future__ import annotations

from manim import DOWN

from backprop.engine.labels import Symbols
from backprop.engine.operations import ACTIVATIONS
from backprop.engine.residual import highway, skip_steps
from backprop.language import N_, _
from backprop.scenes.base import LessonScene
from backprop.scenes.steps import Step
from backprop.stage.motion import appear, vanish
from backprop.stage.sheets import bottom_y, fit, grid, top_y, usable_width, wide_card
from backprop.story.residual import ratio_text, size_text, step_lines, table_rows
from backprop.story.texts import shown

TITLE = N_("Residual connections: a +1 path back")


class Residual(LessonScene):
    def construct(self):
        if self.network is None:
            raise ValueError("residual compares the network with and without its skips: construct it with network=")
        th, stage, net = self.theme, self.stage, self.network
        sym = Symbols(net.sizes)
        sizes = highway(net)
        self.title_card(_(TITLE), hold=2.0)

        first, last = sizes[0], sizes[-1]
        # the ratios of the numbers as the table shows them: what a student dividing them gets
        plain_ratio, skip_ratio = (shown(size_text(a)) / shown(size_text(b))
                                   for a, b in ((last.plain, first.plain), (last.residual, first.residual)))
        said = (_("the gradient's size per hidden layer, output side first: without skips {first}'s is {plain} times "
                  "smaller than {last}'s; with skips it is {skip} times smaller") if skip_ratio >= 1 else
                _("the gradient's size per hidden layer, output side first: without skips {first}'s is {plain} times "
                  "smaller than {last}'s; with skips it is {skip} times larger"))
        note = stage.note(said.format(first=sym.out(1, 1), plain=ratio_text(plain_ratio), last=sym.out(last.layer, 1),
                                      skip=ratio_text(skip_ratio) if skip_ratio >= 1 else ratio_text(1 / skip_ratio)),
                          usable_width(), most=4)
        rows = [["", _("without skips"), _("with skips")]] + table_rows(sizes, lambda l: sym.out(l, 1))
        room = note.height + 0.5  # under the table: the note, in as many lines as the frame's width needs
        table = fit(grid(stage, rows, numeric={1, 2}, size=th.card_size * 0.85, height=top_y() - bottom_y() - room),
                    bottom=bottom_y() + room, middle=True)  # sizes, not signed gradients: no sign colour
        note.next_to(table, DOWN, buff=0.4).set_x(0)
        self.beat(_("The same layers, with and without skips"),
                  [Step([appear(table.rule), appear(table.rows[0])], 0.8, 0.8)]
                  + [Step([appear(row)], 0.5, 0.8) for row in table.rows[1:]]
                  + [Step([appear(note)], 0.6, 3.0, shows=[note])],
                  narration=_("Without skips, the gradient at layer 1 is {ratio} times smaller than at layer {last}; "
                              "with a skip round each layer it keeps its size.").format(ratio=ratio_text(plain_ratio),
                                                                                        last=last.layer))

        step = skip_steps(net)[0]
        act = ACTIVATIONS[step.activation]
        prime = act.symbol
        lines = step_lines(step, sym.out(step.layer, 1), sym.out(step.layer - 1, 1), sym.z(step.layer, 1),
                           sym.param(f"W{step.layer}[1,1]"), prime)
        up = sym.out(step.layer, 1)
        card = wide_card(stage, [(line, None) for line in lines],
                         note=_("the 1 is the skip's: ∂L/∂{up} comes back whole, and the layer's {prime} × w adds to it").format(
                             up=up, prime=prime))
        fit(card, middle=True)
        self.beat(_("One step back through a skip: × (1 + f′ × w)"),
                  [Step([vanish(table), vanish(note)], 0.6, 0.2), Step([appear(card)], 0.8, 4.0, shows=[card])],
                  narration=_("Through a skip, one step back multiplies by one plus the layer's own factor, "
                              "so the gradient cannot shrink away."))

        self.beat(_("Skips keep deep networks trainable"), [Step([], 0.0, 2.0)],
                  narration=_("That is why residual networks train at depths where plain ones stall."))
