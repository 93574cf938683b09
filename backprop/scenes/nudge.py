"""Nudge: one weight moved by ±ε, the network run forward again, the loss's change ≈ gradient × ε.

A gradient is a sensitivity, and its sign says which way. `backprop render nudge [--param W1[1,2]]`;
the forward passes are the engine's (backprop.engine.nudge), the gradient the timeline's.
"""

from __future__ import annotations

from backprop.engine.nudge import nudge
from backprop.engine.params import resolve_param
from backprop.engine.labels import element_name
from backprop.language import N_, _
from backprop.scenes.base import LessonScene
from backprop.scenes.steps import Step
from backprop.stage.network import network_with_values
from backprop.story.nudge import NudgeTexts
from backprop.story.texts import units_note

DEFAULT_PARAM = "W1[1,2]"  # the lesson's w₁₂
TITLE = N_("Nudge a weight: a gradient is a sensitivity")


def default_param(net, timeline) -> str:
    """The lesson's w₁₂ where the network has it, else the weight with the largest gradient (the
    timeline's), whose nudge shows most."""
    try:
        return element_name(*resolve_param(net, DEFAULT_PARAM))
    except ValueError:
        grads = [e for e in timeline.of_kind("param_grad") if e["param"].startswith("W")]
        return max(grads, key=lambda e: abs(e["value"]))["param"]


class NudgeScene(LessonScene):
    def construct(self):
        if self.network is None:
            raise RuntimeError("the nudge scene runs forward passes: construct it with network=")
        name = self.param or default_param(self.network, self.timeline)
        n = nudge(self.network, name)
        param = next(p for p in self.timeline.params if p["name"] == name)
        say = NudgeTexts(n, param["symbol"])
        stage = self.stage

        self.title_card(_(TITLE), hold=2.0)
        shown = network_with_values(stage)
        look = stage.light(param["edge"], n.gradient, color=self.theme.text) if param["kind"] == "weight" else \
            stage.flash_box(stage.layout.unit_of.get(param.get("node", ""), "L"))
        self.beat(_("Nudge one weight: {name} = {value}").format(name=param["symbol"], value=say.w)
                  + units_note(self.timeline), [Step(shown, 1.5, 0.5), Step(look, 1.0, 1.5)],
                  narration=say.said_network())

        for up in (True, False):
            text = say.moved(up)
            card = self._with_result(text, "left" if up else "right")
            anims = stage.show_card(card) if up else stage.show_sum_card(card)
            self.beat((_("Nudge it up by ε = {eps}: run forward again") if up
                       else _("Nudge it down by ε = {eps}: run forward again")).format(eps=say.eps),
                      [Step(anims, 0.8, 1.0, shows=[card])], narration=say.said_moved(up))

        change, predicted = say.change(), say.predicted()
        left = stage.make_card(change.top, change.numbers, n.change_up, note=change.note, side="left",
                               result_text=change.result)
        right = stage.make_card(predicted.top, predicted.numbers, n.predicted, note=predicted.note, side="right",
                                result_text=predicted.result)
        self.beat(_("The loss changes by about gradient × ε"),
                  [Step(stage.show_card(left), 0.8, 0.5, shows=[left]),
                   Step(stage.show_sum_card(right), 0.8, 1.0, shows=[right])], narration=say.said_change())

        slope = say.slope()
        card = stage.make_card(slope.top, slope.numbers, n.slope, note=slope.note, result_text=slope.result,
                               alone=True)
        self.beat(_("A gradient is a sensitivity; its sign says which way"),
                  [Step(stage.clear_cards(), 0.6), Step(stage.show_card(card), 0.8, 2.0, shows=[card])],
                  narration=say.said_slope())

    def _with_result(self, text, side: str):
        """A card whose result is a loss (neutral colour: a loss is not a gradient)."""
        return self.stage.make_card(text.top, text.numbers, 0.0, note=text.note, side=side, result_text=text.result,
                                    result_color=self.theme.text)
