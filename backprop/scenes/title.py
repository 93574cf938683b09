"""TitleCard: the lesson's title, its network, and the goal — the opening of a lecture.

`backprop render title --network NETWORK`, or `manim render backprop/scenes/title.py TitleCard -ql`.
"""

from __future__ import annotations

from backprop.scenes.backward import TITLE
from backprop.language import _, ngettext
from backprop.scenes.base import LessonScene
from backprop.scenes.steps import Step
from backprop.story.counting import count_text


class TitleCard(LessonScene):
    def construct(self):
        self.title_card(_(TITLE), hold=2.5)
        self.show_network(_("The network we will train"), 1.5, 3.0)
        self.goal()

    def goal(self):
        """The lesson's goal before its mechanics: a gradient for every parameter, each a nudge's effect."""
        # every scalar weight and bias (a block view's timeline lists one entry per matrix)
        count = self.network.n_params if self.network is not None else len(self.timeline.params)
        n = count_text(count)
        alone = {} if self.blocks else {"alone": True}  # a block view's card is always wide
        card = self.stage.make_card(_("The goal: ∂L/∂w for every weight and bias"),
                                    ngettext("{n} parameter, so {n} gradient: how much L changes when it is nudged",
                                             "{n} parameters, so {n} gradients: how much L changes when each is nudged",
                                             count).format(n=n),
                                    None, **alone)
        self.beat(_("The goal: how to change every weight to lower the loss"),
                  [Step(self.stage.show_card(card), 0.8, 2.5, shows=[card])],
                  narration=_("The goal: for each of the {n} weights and biases, how the loss changes when it is "
                              "nudged. That is its gradient, and backpropagation finds them all.").format(n=n))
