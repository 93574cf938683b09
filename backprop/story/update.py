"""What the `update` scene says: one gradient-descent step, the loss again, and the training run
(formatting only: every number is the engine's training, "=" only where the shown numbers give the
shown result, by texts.relation).
"""

from __future__ import annotations

from backprop.language import _
from backprop.story.cards import CardText
from backprop.story.texts import bracketed, loss_text, value_text, worked_line


class UpdateTexts:
    """The `update` scene's texts, from a training run (backprop.engine.training.Training)."""

    def __init__(self, training):
        self.t = training

    def forward_again(self) -> CardText:
        drop = loss_text(self.t.drops[0])
        (before, after), rel = worked_line(self.t.losses[:2], [loss_text(v) for v in self.t.losses[:2]],
                                           lambda v: v[0] - v[1], drop)
        d = self.t.drops[0]
        note = (_("forward again with the new parameters: the loss is lower") if d > 0 else
                _("forward again with the new parameters: the loss went up") if d < 0 else
                _("forward again with the new parameters: the loss is unchanged"))
        return CardText(_("drop in L = L before − L after one step"), f"= {before} − {bracketed(after)} {rel}", drop,
                        note)

    def again_caption(self) -> str:
        """What one step did to the loss: lower, up, or unchanged (every parameter frozen)."""
        d = self.t.drops[0]
        return (_("Forward again: the loss is lower") if d > 0 else _("Forward again: the loss went up") if d < 0
                else _("Forward again: the loss is unchanged"))

    def said_forward_again(self) -> str:
        before, after = loss_text(self.t.losses[0]), loss_text(self.t.losses[1])
        if self.t.drops[0] > 0:
            return _("Run forward again with the new parameters: L goes from {before} down to {after}.").format(
                before=before, after=after)
        if self.t.drops[0] == 0:  # every parameter frozen, or no gradient at all
            return _("Run forward again: L stays at {before}; the step moved nothing the loss depends on.").format(
                before=before)
        return _("Run forward again: L goes from {before} to {after}, not down: this learning rate overshoots.").format(
            before=before, after=after)

    def curve_ends(self) -> tuple[str, str]:
        """The labels at the curve's ends: the loss before training and after the last step."""
        return f"L = {loss_text(self.t.losses[0])}", _("after {steps} steps: L = {loss}").format(
            steps=self.t.steps, loss=loss_text(self.t.losses[-1]))

    def said_curve(self) -> str:
        first, last = self.t.losses[0], self.t.losses[-1]
        if last == first:
            return _("Repeat: forward, backward, update. After {steps} steps the loss is still {loss}.").format(
                steps=self.t.steps, loss=loss_text(last))
        said = (_("Repeat: forward, backward, update. After {steps} steps the loss is {loss}, down from {first}.")
                if last < first else
                _("Repeat: forward, backward, update. After {steps} steps the loss is {loss}, up from {first}."))
        return said.format(steps=self.t.steps, loss=loss_text(last), first=loss_text(first))


def step_sentence(timeline, param: str) -> str:
    """The narrator over one parameter's update: the lesson's sentence, or that it is frozen."""
    from backprop.story.narration import update_sentence

    u = next(e for e in timeline.of_kind("update") if e["param"] == param)
    if u.get("frozen"):
        name = {p["name"]: p["symbol"] for p in timeline.params}[param]
        return _("{name} is frozen: it keeps its value, {value}, whatever its gradient says.").format(
            name=name, value=value_text(u["old"]))
    return update_sentence(timeline, param)
