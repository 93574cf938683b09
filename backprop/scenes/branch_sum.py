"""BranchSum: a value that feeds several units gets one gradient contribution from each, and they add
up (`+=`); then the bug where each contribution overwrites the last (`=`), with the wrong value the
engine computes (backprop.engine.branch_sum) and how far off it is.

`backprop render branch-sum` (default network `branching`).
"""

from __future__ import annotations

from backprop.engine.branch_sum import forks
from backprop.language import N_, _
from backprop.scenes.base import LessonScene
from backprop.scenes.builders import step_back
from backprop.scenes.steps import Context, Step
from backprop.story.branch_sum import off_by_card, overwritten_card
from backprop.story.texts import grad_text

TITLE = N_("Gradients add up at forks")


class BranchSum(LessonScene):
    def construct(self):
        if self.network is None:
            raise ValueError(f"{type(self).__name__} asks the engine for numbers the timeline lacks: "
                             "construct it with network=")
        tl = self.timeline
        total = self.fork_event()
        terms = [tl.events[t] for t in total["sources"]]
        sym = self.cards.symbol[total["target"]]
        vias = [self.cards.symbol[e["via"]] for e in terms]
        n = len(terms)
        fork = next(f for f in forks(self.network) if f.node == total["target"])

        self.title_card(_(TITLE), hold=1.5)
        self.show_network(_("{name} feeds {n} units: {units}").format(name=sym, n=n, units=", ".join(vias)), 1.5, 1.0)
        before = [e for e in tl.events if e["t"] < terms[0]["t"] and e["kind"] != "update"]
        sweep = Context(self.stage, cards=self.cards, sweep=True)
        self.beat(_("The forward pass"), [s for e in before if e["kind"] in ("forward", "loss")
                                       for s in self.steps_for(sweep, e)],
                  narration=_("First the forward pass: every value the backward pass will reuse."))
        self.beat(_("Backward, up to the units {name} feeds").format(name=sym),
                  [s for e in before if e["kind"] not in ("forward", "loss") for s in self.steps_for(sweep, e)]
                  + step_back(sweep),  # left-out numbers shown for their step leave with it
                  narration=_("The backward pass reaches {units}: each now has its ∂L/∂z.").format(units=", ".join(vias)))
        ctx = Context(self.stage, cards=self.cards)
        for k, (e, via) in enumerate(zip(terms, vias), start=1):
            self.beat(_("Contribution {k} of {n}: from {via} back to {name}").format(k=k, n=n, via=via, name=sym),
                      self.steps_for(ctx, e),
                      narration=_("{via} sends back its ∂L/∂{via} times the weight: {value}.").format(
                          via=via, value=grad_text(e["value"])))
        self.beat(_("{name} adds them up (+=)").format(name=sym), self.steps_for(ctx, total),
                  narration=_("The contributions add up: ∂L/∂{name} = {value}.").format(
                      name=sym, value=grad_text(total["value"])))

        wrong = self.card(overwritten_card(sym, vias[-1], fork.overwritten), fork.overwritten)
        off = self.card(off_by_card(sym, fork.overwritten, fork.right, fork.off_by), fork.off_by, side="right")
        lead = self.stage.clear_cards()
        self.beat(_("The bug: = instead of +="),
                  [Step(self.stage.show_card(wrong), 0.8, 0.6, shows=[wrong]),
                   Step(self.stage.show_sum_card(off), 0.8, 1.0, shows=[off])], lead=lead,
                  narration=_("Write = instead of +=, and only the last contribution survives: {wrong} instead of "
                              "{right}, off by {off}.").format(wrong=grad_text(fork.overwritten),
                                                               right=grad_text(fork.right), off=grad_text(fork.off_by)))
        if self.end_on_network:  # the still: the network, the sum landed, the bug's cards
            return
        self.beat(_("Gradients add at forks: accumulate with +="), [Step(self.stage.clear_cards(), 0.6, 1.5)],
                  narration=_("At a fork, the contributions add up: use +=."))

    def card(self, text, value: float, side: str = "left"):
        return self.stage.make_card(text.top, text.numbers, value, note=text.note, result_text=text.result,
                                    side=side)

    def fork_event(self) -> dict:
        """The first value the backward pass reaches that fed several units (example 1 of a batch)."""
        return next(e for e in self.timeline.of_kind("accumulate")
                    if e["step"] == "back" and e.get("example", 0) == 0)

