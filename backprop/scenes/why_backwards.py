"""WhyBackwards: why gradients are computed backward — the work counted, for this network and grown.

Finite differences run the network forward twice per parameter; backprop runs it forward once and
backward once (about two forward passes of work) for every parameter at once. The counts come from
`backprop.engine.why_backwards` (multiply-adds per example).

`backprop render why-backwards --network NETWORK`, or `manim render backprop/scenes/why_backwards.py WhyBackwards -ql`.
"""

from __future__ import annotations

from manim import DOWN, VGroup

from backprop.engine.why_backwards import grown, network_cost
from backprop.language import N_, _
from backprop.scenes.base import LessonScene
from backprop.scenes.steps import Step
from backprop.stage.motion import appear, vanish
from backprop.stage.sheets import bottom_y, fit, grid, top_y, usable_width, wide_card
from backprop.story.counting import count_text, times_text

TITLE = N_("Why backwards? Counting the work")


class WhyBackwards(LessonScene):
    def construct(self):
        if self.network is None:
            raise ValueError("why-backwards counts the network's shape: construct it with network=")
        th, stage = self.theme, self.stage
        own = network_cost(self.network)
        name = self.timeline.network["name"]
        self.title_card(_(TITLE), hold=2.0)

        # finite differences: two forward passes per parameter
        fd = wide_card(stage, [
            ("∂L/∂w ≈ (L(w + ε) − L(w − ε)) ÷ 2ε", None),
            (_("{params} parameters × 2 forward passes = {passes} forward passes").format(
                params=count_text(own.params), passes=count_text(own.difference_passes)), None)],
            note=_("one forward pass of {shape}: {count} multiply-adds").format(shape=own.shape,
                                                                               count=count_text(own.forward)))
        bp = wide_card(stage, [
            (_("one forward and one backward pass: all gradients"), None),
            (_("{forward} + {backward} = {total} multiply-adds").format(
                forward=count_text(own.forward), backward=count_text(own.backward), total=count_text(own.backprop)),
             None)],
            note=_("a backward pass ≈ {times} forward passes of work").format(
                times=times_text(own.backward_in_forwards)))
        fit(VGroup(fd, bp).arrange(DOWN, buff=0.5), middle=True)
        self.beat(_("Finite differences: nudge one parameter at a time"), [Step([appear(fd)], 0.8, 3.0, shows=[fd])],
                  narration=_("Finite differences nudge each parameter and run forward twice: {passes} forward passes "
                              "for {name}'s {params} parameters.").format(
                      passes=count_text(own.difference_passes), name=name, params=count_text(own.params)))

        self.beat(_("Backprop: one backward pass gives every gradient"), [Step([appear(bp)], 0.8, 3.0, shows=[bp])],
                  narration=_("Backprop runs forward once and backward once: {count} multiply-adds for all {params} "
                              "gradients.").format(count=count_text(own.backprop), params=count_text(own.params)))

        # this network, then grown
        costs = grown(self.network)
        header = [_("network"), _("parameters"), _("finite differences"), _("backprop"), _("times fewer")]
        rows = [header] + [[c.shape, count_text(c.params), count_text(c.finite_differences),
                            count_text(c.backprop), times_text(c.times_cheaper)] for c in costs]
        colors = [None] + [[th.text if c.sizes != own.sizes else th.positive] * 5 for c in costs]
        # not shrunk with the table
        unit = stage.note(_("multiply-adds per example, to get every gradient · {shape}: {name}").format(
            shape=own.shape, name=name), usable_width())
        table = grid(stage, rows, numeric={1, 2, 3, 4}, colors=colors, size=th.card_size * 0.85,
                     height=top_y() - bottom_y() - unit.height - 0.45)
        fit(table, bottom=bottom_y() + unit.height + 0.45, middle=True)
        unit.next_to(table, DOWN, buff=0.45)
        swap = [vanish(fd), vanish(bp), appear(table.rule)] + [appear(table.rows[0]), appear(unit)]
        self.beat(_("Grow the network: the gap grows with it"),
                  [Step(swap, 0.8, 1.0, shows=[table.rows[0], unit])]
                  + [Step([appear(row)], 0.6, 2.0) for row in table.rows[1:]],
                  narration=_("As the network grows, finite differences grow with parameters times multiply-adds; "
                              "backprop only with the multiply-adds."))
        big = costs[-1]
        self.beat(_("{shape}: backprop needs {times} times fewer multiply-adds").format(
                      shape=big.shape, times=times_text(big.times_cheaper)),
                  [Step([], 0.0, 3.5)],
                  narration=_("For {shape}, finite differences need {fd} multiply-adds, backprop {bp}: that is why "
                              "deep learning computes gradients backward.").format(
                      shape=big.shape, fd=count_text(big.finite_differences), bp=count_text(big.backprop)))
