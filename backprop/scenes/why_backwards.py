"""WhyBackwards: why gradients are computed backward — the work counted, for this network and grown.

Finite differences run the network forward twice per parameter; backprop runs it forward once and
backward once (about two forward passes of work) for every parameter at once. The counts come from
`backprop.engine.cost` (multiply-adds per example).

`backprop render why-backwards --network NETWORK`, or `manim render backprop/scenes/why_backwards.py WhyBackwards -ql`.
"""

from __future__ import annotations

from manim import DOWN, VGroup

from backprop.engine.cost import grown, network_cost
from backprop.scenes.base import LessonScene
from backprop.scenes.steps import Step
from backprop.stage.motion import appear, vanish
from backprop.stage.sheets import bottom_y, fit, grid, top_y, usable_width, wide_card
from backprop.story.counting import count_text, times_text

TITLE = "Why backwards? Counting the work"


class WhyBackwards(LessonScene):
    def construct(self):
        if self.network is None:
            raise ValueError("why-backwards counts the network's shape: construct it with network=")
        th, stage = self.theme, self.stage
        own = network_cost(self.network)
        name = self.timeline.network["name"]
        self.title_card(TITLE, hold=2.0)

        # finite differences: two forward passes per parameter
        fd = wide_card(stage, [
            ("∂L/∂w ≈ (L(w + ε) − L(w − ε)) ÷ 2ε", None),
            (f"{count_text(own.params)} parameters × 2 forward passes = {count_text(own.difference_passes)} "
             "forward passes", None)],
            note=f"one forward pass of {own.shape}: {count_text(own.forward)} multiply-adds")
        bp = wide_card(stage, [
            ("one forward and one backward pass: all gradients", None),
            (f"{count_text(own.forward)} + {count_text(own.backward)} = {count_text(own.backprop)} multiply-adds",
             None)],
            note=f"a backward pass ≈ {times_text(own.backward_in_forwards)} forward passes of work")
        fit(VGroup(fd, bp).arrange(DOWN, buff=0.5), middle=True)
        self.beat("Finite differences: nudge one parameter at a time", [Step([appear(fd)], 0.8, 3.0, shows=[fd])],
                  narration=f"Finite differences nudge each parameter and run forward twice: "
                            f"{count_text(own.difference_passes)} forward passes for {name}'s "
                            f"{count_text(own.params)} parameters.")

        self.beat("Backprop: one backward pass gives every gradient", [Step([appear(bp)], 0.8, 3.0, shows=[bp])],
                  narration=f"Backprop runs forward once and backward once: {count_text(own.backprop)} "
                            f"multiply-adds for all {count_text(own.params)} gradients.")

        # this network, then grown
        costs = grown(self.network)
        header = ["network", "parameters", "finite differences", "backprop", "times fewer"]
        rows = [header] + [[c.shape, count_text(c.params), count_text(c.finite_differences),
                            count_text(c.backprop), times_text(c.times_cheaper)] for c in costs]
        colors = [None] + [[th.text if c.sizes != own.sizes else th.positive] * 5 for c in costs]
        # not shrunk with the table
        unit = stage.note(f"multiply-adds per example, to get every gradient · {own.shape}: {name}", usable_width())
        table = grid(stage, rows, numeric={1, 2, 3, 4}, colors=colors, size=th.card_size * 0.85,
                     height=top_y() - bottom_y() - unit.height - 0.45)
        fit(table, bottom=bottom_y() + unit.height + 0.45, middle=True)
        unit.next_to(table, DOWN, buff=0.45)
        swap = [vanish(fd), vanish(bp), appear(table.rule)] + [appear(table.rows[0]), appear(unit)]
        self.beat("Grow the network: the gap grows with it",
                  [Step(swap, 0.8, 1.0, shows=[table.rows[0], unit])]
                  + [Step([appear(row)], 0.6, 2.0) for row in table.rows[1:]],
                  narration="As the network grows, finite differences grow with parameters times "
                            "multiply-adds; backprop only with the multiply-adds.")
        big = costs[-1]
        self.beat(f"{big.shape}: backprop needs {times_text(big.times_cheaper)} times fewer multiply-adds",
                  [Step([], 0.0, 3.5)],
                  narration=f"For {big.shape}, finite differences need {count_text(big.finite_differences)} "
                            f"multiply-adds, backprop {count_text(big.backprop)}: "
                            "that is why deep learning computes gradients backward.")
