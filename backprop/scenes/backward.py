"""BackwardPass: the lesson's backward pass, played from a timeline.

Runs from `backprop render` or standalone: `manim render backprop/scenes/backward.py BackwardPass -ql`
(the network is $BACKPROP_NETWORK, a preset name or spec path; `seed` by default).
"""

from __future__ import annotations

from dataclasses import replace


from backprop.language import N_, _
from backprop.scenes.base import LessonScene
from backprop.scenes.steps import Step
from backprop.stage.motion import appear, replace as swap, vanish
from backprop.stage.blocks import norm_text
from backprop.stage.tables import gradient_table, preview_param, update_preview
from backprop.story.narration import update_sentence

TITLE = N_("Backpropagation: computing gradients layer by layer")


class BackwardPass(LessonScene):
    """Title, the network, a forward recap, then every backward step of the timeline in order, the
    gradient table and a weight-update preview."""

    still_texts: list[str] = []

    def construct(self):
        if self.blocks:
            self.title_card(_("Backpropagation, layer by layer"), hold=2.0)
            self.show_network(_("The network, one block per layer"), 1.2, 1.5)
        else:
            self.title_card(_(TITLE), hold=1.8)
            self.show_network(_("The network from the forward pass"), 1.5, 1.5)
        # the update beat is skipped: the preview at the end shows one update
        leaving = self.play_timeline(origins=not self.blocks)  # the last card's weights standing for it
        if leaving and self.timeline.network["examples"] > 1:
            self.play(*leaving, run_time=0.6)
            leaving = []
        if self.timeline.network["examples"] > 1 and not self.blocks:
            self.batch_step()
        if self.blocks:
            self.beat(_("Every gradient from one backward pass"), self.block_summary(),
                      narration=_("One backward pass gave the gradient of every weight matrix and bias vector."))
            self.mark_poster()
            return
        self.beat(_("Every gradient from one backward pass"), [Step(self.stage.clear_cards() + leaving, 0.6, 2.5)])
        self.mark_poster()  # every gradient on the network: the video's poster
        self.still_texts = self.labels_on_screen()
        if self.end_on_network:
            return
        stage = self.stage
        table = gradient_table(stage, self.timeline, first=stage.layout.params_left_out)
        on_screen = [m for m in self.mobjects if m is not stage.caption]
        swap = [vanish(m, early=True) for m in on_screen] + [appear(table, late=True)]
        self.beat(_("Every gradient from one backward pass"), [Step(swap, 1.2, 6.0)], show_caption=False,
                  narration=_("The table lists every gradient, and which way each parameter moves."))
        card, name = update_preview(stage, self.timeline, self.cards)
        self.beat(_("Using the gradients: one update"), [Step(stage.show_card(card), 0.8, 3.0, shows=[card])],
                  narration=update_sentence(self.timeline, name))

    def block_summary(self) -> list[Step]:
        """The block view's closing card: the size of every parameter's gradient, in the timeline's order."""
        sizes = "   ".join(f"‖∂L/∂{e['param']}‖ = {norm_text(e['norm'])}" for e in self.timeline.of_kind("param_grad"))
        card = self.stage.make_card(_("Gradient sizes, one per weight matrix and bias vector"), sizes, None)
        return [Step(self.stage.clear_cards(), 0.6), Step(self.stage.show_card(card), 0.8, 2.5, shows=[card])]

    def batch_step(self):
        """One parameter's per-example shares added into the batch gradient, then the legend says
        that the numbers on edges and biases are batch gradients (where the layout has room for the
        longer legend; the caption and the card say it anyway)."""
        n = self.timeline.network["examples"]
        name = preview_param(self.timeline)
        total = next(e for e in self.timeline.of_kind("accumulate") if e["target"] == name)
        text = self.cards.total(total)
        text = replace(text, top=_("batch gradient: ∂L/∂{name} = sum of {n} shares").format(
                           name=self.cards.param_symbol[name], n=n),
                       note=_("a share is one example's gradient ÷ {n}: the sum is the mean").format(n=n))
        card = self.stage.make_card(text.top, text.numbers, total["value"], note=text.note, result_text=text.result,
                                    side="centre")
        steps = [Step(self.stage.show_card(card), 0.8, 1.0, shows=[card])]
        longer = self.place_legend(self.stage.legend(self.legend_notes(batch_done=True)))
        if self.legend is not None and longer is not None:
            steps.append(Step(swap(self.legend, longer), 1.0, 1.0))
            self.legend = longer
        self.beat(_("The batch gradient: the mean over {n} examples").format(n=n), [Step(self.stage.clear_cards(), 0.5)] + steps)
