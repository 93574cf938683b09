"""Confusions: the lesson's three common confusions, each asked, paused on, then answered with the
timeline's own numbers (backprop.engine.confusions).

1. Backprop ≠ gradient descent: every gradient is computed and no weight has changed; the update comes after.
2. Multiply, not add: along one path the product of the local factors is the gradient, their sum is not.
3. Gradients flow backward, updates come after: the backward pass still uses a weight's old value
   after that weight's gradient is known; the update is a later event.

`backprop render confusions --network NETWORK`, or `manim render backprop/scenes/confusions.py Confusions -ql`.
"""

from __future__ import annotations

from manim import PI, UP, Triangle

from backprop.engine.confusions import event_order, longest_path
from backprop.engine.labels import fmt
from backprop.language import N_, _
from backprop.scenes.base import LessonScene
from backprop.scenes.steps import Step
from backprop.stage.board import said
from backprop.stage.motion import appear, vanish
from backprop.stage.sheets import STRIP_WIDTH, bottom_y, fit, spans, usable_width, wide_card
from backprop.story.layout import MIN_LINE_PX
from backprop.story.confusions import MAX_FACTORS, factors_line, product_line, step_name, sum_line
from backprop.story.pacing import CARD_SECONDS, reading_seconds
from backprop.story.texts import grad_text, value_text, words

TITLE = N_("Three common confusions")
PREDICT_SECONDS = 4.0  # after the question has been read: time to predict before the answer


class Confusions(LessonScene):
    def construct(self):
        self.prepare()
        self.title_card(_(TITLE), hold=2.0)
        self.descent()
        self.multiply()
        self.later()
        self.summary()

    def prepare(self):
        """What the three answers read from the engine: one path's factors and the order of events."""
        self.path = longest_path(self.timeline, MAX_FACTORS)
        if self.path is None:  # the catalog's check (engine.confusions.cannot_show) keeps such networks out
            raise ValueError("confusions follow one example's events, unit by unit: this timeline has none")
        self.order = event_order(self.timeline)
        self.symbol = {p["name"]: p["symbol"] for p in self.timeline.params}
        self.gone: list = []  # questions an answer has taken the place of

    # ---- predict, then reveal ---------------------------------------------------------------------

    def ask(self, number: int, caption: str, lines: list[str], spoken: str):
        """The question card, read, then PREDICT_SECONDS to predict (the narration says so)."""
        card = wide_card(self.stage, [(line, None) for line in lines], note=_("predict before the answer"))
        fit(card)
        read = max(CARD_SECONDS, reading_seconds(sum(words(t) for _, t, _ in card.transcript_entries())))
        self.beat(_("Confusion {number}: {question}").format(number=number, question=caption),
                  [Step([appear(card)], 0.8, read + PREDICT_SECONDS, shows=[card])],
                  narration=_("{question} Pause and predict before the answer.").format(question=spoken))
        return card

    def reveal(self, caption: str, question, answer, narration: str):
        gone = self.place_answer(question, answer)
        self.beat(caption, [Step(gone + [appear(answer)], 0.8, 3.0, shows=[answer])], narration=narration)

    def place_answer(self, question, answer, below: float = 0.0) -> list:
        """The answer under its question where it reads there at 16 px or more; otherwise (a narrow
        frame, a long answer) in the question's place, the question leaving as it arrives. `below`:
        room kept under the answer. Returns the question's exit, if any."""
        bottom = bottom_y() + below
        room = question.get_bottom()[1] - 0.3 - bottom
        smallest = min(px for _, _, px in answer.transcript_entries())
        if smallest * min(1.0, room / answer.height) >= MIN_LINE_PX:
            fit(answer, top=question.get_bottom()[1] - 0.3, bottom=bottom)
            return []
        fit(answer, bottom=bottom)
        self.gone.append(question)
        return [vanish(question, early=True)]

    def clear(self, *mobjects):
        self.play_front([vanish(m) for m in mobjects if m not in self.gone], self.theme.seconds(0.6))

    # ---- the three confusions ---------------------------------------------------------------------

    def descent(self):
        th, path, order = self.theme, self.path, self.order
        updates = self.timeline.of_kind("update")
        # the path's parameter, or (if the spec keeps it frozen) the first parameter an update changes
        update = next((u for u in updates if u["param"] == path.param), None) or next(
            (u for u in updates if u["value"] != u["old"]), updates[0])
        w = self.symbol[update["param"]]
        q = self.ask(1, _("is backprop the learning step?"),
                     [_("The backward pass has computed ∂L/∂{name} = {gradient}.").format(
                         name=w, gradient=grad_text(update['grad'])),
                      _("Has {name} changed yet?").format(name=w)],
                     _("The backward pass has computed every gradient. Has {name} changed yet?").format(name=w))
        step = self.cards.update(update)
        answer = wide_card(self.stage, [
            (_("after the backward pass: {n} gradients computed,").format(n=order.gradients), None),
            (_("{n} weights changed: {name} is still {value}").format(n=order.changed, name=w,
                                                                      value=value_text(update['old'])), None),
            (_("then gradient descent: w − learning rate × gradient"), None),
            (step.numbers, th.text)],
            note=_("an optimizer (descent, Adam, …) uses the gradients"))
        self.reveal(_("No: backprop only computes gradients"), q, answer,
                    _("No. Backprop computed {n} gradients and changed nothing; gradient descent then moves {name} "
                      "to {value}.").format(n=order.gradients, name=w, value=fmt(update['value'], 4)))
        self.clear(q, answer)

    def multiply(self):
        th, path = self.theme, self.path
        w = self.symbol[path.param]
        q = self.ask(2, _("add or multiply along a path?"),
                     [_("∂L/∂{name} has one path and {n} local factors:").format(name=w, n=len(path.factors)),
                      factors_line(path), _("Do we add them or multiply them?")],
                     _("Along its one path, ∂L/∂{name} has {n} local factors. Add them or multiply them?").format(
                         name=w, n=len(path.factors)))
        answer = wide_card(self.stage, [
            (_("multiply (the chain rule): backprop's gradient"), None),
            (product_line(self.cards, path), th.sign_color(path.gradient)),
            (_("add: not the gradient"), None),
            (sum_line(self.cards, path), th.muted)],
            note=_("each factor scales the nudge; we add only where paths meet"))
        self.reveal(_("Multiply: effects compound along a path"), q, answer,
                    _("Multiply: the product is backprop's ∂L/∂{name} = {gradient}; the sum of the factors means "
                      "nothing.").format(name=w, gradient=grad_text(path.gradient)))
        self.clear(q, answer)

    def later(self):
        th, order = self.theme, self.order
        w = self.symbol[order.weight]
        events = self.timeline.events
        used, update = events[order.used_at - 1], events[order.updated_at - 1]
        known, using = step_name(self.timeline, order.known_at - 1), step_name(self.timeline, order.used_at - 1)
        q = self.ask(3, _("when do the weights change?"),
                     [_("∂L/∂{name} is known after {step}.").format(name=w, step=known),
                      _("Then {step} multiplies by {name}:").format(step=using, name=w),
                      _("its old value, or an updated one?")],
                     _("{name}'s gradient is known after {known}; then {using} multiplies by {name}. "
                       "Old value or updated?").format(name=w, known=known, using=using))
        product = self.cards.product(used)
        step = self.cards.update(update)
        answer = wide_card(self.stage, [
            (_("{step}: the old {name} = {value}").format(
                step=using, name=w, value=value_text(used['factors'][used['sources'].index(None)])), None),
            (f"∂L/∂{self.cards.symbol[used['target']]} {product.numbers} {product.result}",
             th.sign_color(used["value"])),
            (_("after the backward pass, every gradient known, the update:"), None),
            (step.numbers, th.text)],
            note=_("every gradient first, from the old weights; then the updates"))
        strip = spans(self.stage, [(_("forward pass"), *order.forward, th.muted),
                                   (_("backward pass"), *order.backward, th.negative),
                                   (_("updates"), *order.updates, th.positive)],
                      order.events, width=min(STRIP_WIDTH, usable_width()))  # a narrow frame: labels stagger, not shrink
        labels = []
        for at, text in ((order.used_at, _("uses {name}").format(name=w)), (order.updated_at, _("updates {name}").format(name=w))):
            tip = Triangle(color=th.text, fill_opacity=1).scale(0.1).rotate(PI).move_to([strip.x(at), 0.3, 0])
            label = self.stage.text(text, th.badge_size, th.text, "note").next_to(tip, UP, buff=0.08)
            half = min(STRIP_WIDTH, usable_width()) / 2  # kept over the strip, not off its ends
            label.shift([min(0.0, half - label.get_right()[0]) + max(0.0, -half - label.get_left()[0]), 0, 0])
            strip.add(tip, label)
            labels.append(label)
        if labels[0].get_right()[0] + 0.15 > labels[1].get_left()[0]:  # close marks: one label above the other
            labels[0].shift(UP * (labels[0].height + 0.12))
        fit(strip, width=usable_width())
        gone = self.place_answer(q, answer, below=strip.height + 0.3)  # the strip keeps its room at the bottom
        strip.move_to([0, (answer.get_bottom()[1] + bottom_y()) / 2, 0])
        self.beat(_("After: every gradient first, then the updates"), [Step(gone + [appear(answer), appear(strip)], 0.8, 3.0,
                                                                        shows=[answer] + said([strip]))],
                  narration=_("The old value: the backward pass finishes with the old weights, and {name} changes "
                              "only in the update, after every gradient.").format(name=w))
        self.clear(q, answer, strip)

    def summary(self):
        """What to remember, and the still a `--format png` render ends on."""
        card = wide_card(self.stage, [(_("• Backprop computes gradients; gradient descent uses them."), None),
                                      (_("• Multiply along a path; add only where paths meet."), None),
                                      (_("• Every gradient first, from the old weights; then the updates."), None)])
        fit(card, middle=True)
        self.beat(_("Three confusions, cleared"), [Step([appear(card)], 0.8, 3.0, shows=[card])],
                  narration=_("Backprop computes gradients; descent uses them. Multiply along a path, add where "
                              "paths meet. Every gradient first, then the updates."))
