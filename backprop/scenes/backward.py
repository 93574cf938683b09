"""BackwardPass: the lesson's backward pass, played from a timeline.

Runs from `backprop render` or standalone: `manim render backprop/scenes/backward.py BackwardPass -ql`
(the network is $BACKPROP_NETWORK, a preset name or spec path; `seed` by default).
"""

from __future__ import annotations

from backprop.scenes.base import LessonScene
from backprop.scenes.steps import Step
from backprop.stage.motion import appear, vanish
from backprop.stage.tables import gradient_table, update_preview
from backprop.story.narration import update_sentence

TITLE = "Backpropagation: computing gradients layer by layer"


class BackwardPass(LessonScene):
    """Title, the network, a forward recap, then every backward step of the timeline in order, the
    gradient table and a weight-update preview."""

    still_texts: list[str] = []

    def construct(self):
        if self.blocks:
            self.title_card("Backpropagation, layer by layer", hold=2.0)
            self.show_network("The network, one block per layer", 1.2, 1.5)
        else:
            self.title_card(TITLE, hold=1.8)
            self.show_network("The network from the forward pass", 1.5, 1.5)
        self.play_timeline()  # the update beat is skipped: the preview at the end shows one update
        self.beat("Every gradient from one backward pass", [Step(self.stage.clear_cards(), 0.6, 2.5)])
        if self.blocks:
            return
        self.still_texts = self.labels_on_screen()
        if self.end_on_network:
            return
        stage = self.stage
        table = gradient_table(stage, self.timeline)
        on_screen = [m for m in self.mobjects if m is not stage.caption]
        swap = [vanish(m, early=True) for m in on_screen] + [appear(table, late=True)]
        self.beat("Every gradient from one backward pass", [Step(swap, 1.2, 6.0)], show_caption=False,
                  narration="The table lists every gradient, and which way each parameter moves.")
        card, name = update_preview(stage, self.timeline)
        self.beat("Next: weight updates", [Step(stage.show_card(card), 0.8, 3.0)],
                  narration=update_sentence(self.timeline, name))
