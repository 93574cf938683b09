"""Update: gradient descent using backprop's gradients — w ← w − η·g for every parameter, forward
again, the loss lower; then many steps and the loss curve.

Backprop computes gradients; descent uses them. The step's numbers are the timeline's `update` events,
the steps after it the engine's training (backprop.engine.training). `backprop render update`.
"""

from __future__ import annotations

from manim import Create

from backprop.engine.training import train
from backprop.language import N_, _
from backprop.scenes.base import LessonScene
from backprop.scenes.steps import Step
from backprop.stage.loss_chart import loss_curve
from backprop.stage.network import network_with_values
from backprop.stage.update import update_table
from backprop.stage.motion import appear, vanish
from backprop.stage.tables import update_preview
from backprop.story.texts import units_note
from backprop.story.update import UpdateTexts, step_sentence
from backprop.story.texts import loss_text

STEPS = 100  # the loss curve's steps: enough for the lesson's network to learn most of the way
TITLE = N_("Gradient descent: backprop computes gradients, descent uses them")


class UpdateScene(LessonScene):
    def construct(self):
        if self.network is None:
            raise RuntimeError("the update scene trains the network: construct it with network=")
        training = train(self.network, STEPS)
        say = UpdateTexts(training)
        stage = self.stage
        lr = self.timeline.network["learning_rate"]

        self.title_card(_(TITLE), hold=2.0)
        self.beat(_("The network before the update: L = {loss}").format(loss=loss_text(training.losses[0]))
                  + units_note(self.timeline),
                  [Step(network_with_values(stage), 1.5, 2.0)],
                  narration=_("Backprop has given every gradient; the loss is L = {loss}.").format(
                      loss=loss_text(training.losses[0])))

        card, name = update_preview(stage, self.timeline, self.cards)
        self.beat(_("One step against the gradient, learning rate η = {rate}").format(rate=f"{lr:g}"),
                  [Step(stage.show_card(card), 0.8, 1.5, shows=[card])], narration=step_sentence(self.timeline, name))

        table, rows = update_table(stage, self.timeline, self.cards)
        on_screen = [m for m in self.mobjects if m is not stage.caption]
        stage.card = None
        frozen = any(u.get("frozen") for u in self.timeline.of_kind("update"))
        self.beat(_("Every parameter follows the same rule: w − η × gradient (frozen: step 0)") if frozen
                  else _("Every parameter follows the same rule: w − η × gradient"),
                  [Step([vanish(m, early=True) for m in on_screen] + [appear(table, late=True)], 1.2, 1.0, shows=rows)],
                  narration=_("Every weight and bias follows the same rule: its value minus the learning rate times "
                              "its own gradient, except the frozen ones, which stay.") if frozen else
                  _("Every weight and bias follows the same rule: its value minus the learning rate times its own "
                    "gradient."))

        again = say.forward_again()
        card = stage.make_card(again.top, again.numbers, training.drops[0], note=again.note,
                               result_text=again.result, alone=True)  # under the table, at every aspect
        self.beat(say.again_caption(),
                  [Step(stage.show_card(card), 0.8, 1.5, shows=[card])], narration=say.said_forward_again())

        axes, curve, ends = loss_curve(stage, training.losses, say.curve_ends())
        self.beat(_("Repeat: {steps} steps of forward, backward, update").format(steps=training.steps),
                  [Step([vanish(table), *stage.clear_cards(), appear(axes), appear(ends[0])], 1.0, 0.5),
                   Step([Create(curve)], 2.5, 0.3), Step([appear(ends[1])], 0.6, 2.5)],
                  narration=say.said_curve())
        self.beat(_("Backprop computes gradients; gradient descent uses them"), [Step([], 0.0, 2.5)],
                  narration=_("Backprop only computes the gradients; gradient descent uses them, step after step."))
