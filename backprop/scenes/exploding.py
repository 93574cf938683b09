"""Exploding: the gradient's size per layer growing from the output back (bars, log scale, the factor
between neighbours), the one update it makes (the step overshoots: the loss after it), and the same
update with the gradients clipped by norm. Numbers from backprop.engine.exploding.

`backprop render exploding` (default network `exploding`).
"""

from __future__ import annotations

from backprop.engine.depth import shrink_factors
from backprop.engine.exploding import growth, overshoot
from backprop.engine.labels import Symbols
from backprop.language import N_, _
from backprop.scenes.base import LessonScene
from backprop.scenes.steps import Step
from backprop.stage.bars import LogBars
from backprop.stage.motion import appear, vanish
from backprop.stage.sheets import fit, usable_width, wide_card
from backprop.story.exploding import clip_lines, loss_after_text, size_text, update_lines
from backprop.story.pacing import BEAT_SECONDS, reading_seconds
from backprop.story.texts import factor_text, loss_text, words

TITLE = N_("Exploding gradients, and clipping")


def reading(labels: list, caption: str) -> float:
    """Seconds to read many short labels shown at once and the caption (story.pacing's rate)."""
    said = sum(words(text) for m in labels for _, text, _ in m.transcript_entries())
    return max(BEAT_SECONDS, reading_seconds(said + words(caption)))


class Exploding(LessonScene):
    def construct(self):
        if self.network is None:
            raise ValueError("exploding asks the engine for an update: construct it with network=")
        th, stage, net = self.theme, self.stage, self.network
        sizes = growth(net)
        factors = shrink_factors(sizes)  # from the output back
        self.title_card(_(TITLE), hold=2.0)

        bars = LogBars(stage, [s.grad for s in sizes], [size_text(s.grad) for s in sizes],
                       [_("layer {n}").format(n=s.layer) for s in sizes])
        scale = stage.note(_("mean |∂L/∂z| per layer · log scale: each grid line is ×10"), usable_width())
        bars.above(scale)
        gaps = [bars.between(len(sizes) - 2 - n, stage.text(f"× {factor_text(f)}", th.label_size, th.text, "value"))
                for n, f in enumerate(factors)]
        shown = [bars.grid, scale] + [bars.bar(k) for k in range(len(sizes))] + gaps
        caption = _("The gradient grows layer by layer")
        self.beat(caption,
                  [Step([appear(bars.grid), appear(scale)], 0.8, 0.5)]
                  + [Step([appear(bars.bar(k))], 0.5, 0.3) for k in range(len(sizes) - 1, -1, -1)]
                  + [Step([appear(g) for g in gaps], 0.8, 3.0, shows=gaps)],
                  minimum=reading([scale] + bars.labels + bars.names + gaps, caption),
                  narration=_("Each step back multiplies the gradient by about {factor}: layer 1's is {ratio} times "
                              "the output layer's.").format(factor=factor_text(factors[0]),
                                                            ratio=size_text(sizes[0].grad / sizes[-1].grad)))

        o = overshoot(net)
        sym = Symbols(net.sizes).param(o.param)
        lr = net.learning_rate
        plain = wide_card(stage, [(line, None) for line in update_lines(o, lr, sym)]
                          + [(_("loss before: {before}   after one step: {after}").format(
                              before=loss_text(o.loss), after=loss_after_text(o.after)), None)],
                          note=_("∂L/∂{name} = {value}: the step jumps far past the minimum").format(
                              name=sym, value=size_text(o.grad)))
        fit(plain, middle=True)
        self.beat(_("One update with that gradient overshoots"),
                  [Step([vanish(m) for m in shown], 0.6, 0.2), Step([appear(plain)], 0.8, 4.0, shows=[plain])],
                  narration=_("One step of gradient descent with these gradients takes the loss from {before} to {after}.")
                  .format(before=loss_text(o.loss), after=loss_after_text(o.after)))

        clipped = wide_card(stage, [(line, None) for line in clip_lines(o, lr, sym)]
                            + [(_("loss before: {before}   after one step: {after}").format(
                                before=loss_text(o.loss), after=loss_after_text(o.after_clipped)), None)],
                            note=_("clipping by norm keeps every gradient's direction and caps the step's length"))
        fit(clipped, middle=True)
        self.beat(_("Clip the gradients to norm {clip}, then step").format(clip=f"{o.clip:g}"),
                  [Step([vanish(plain)], 0.6, 0.2), Step([appear(clipped)], 0.8, 5.0, shows=[clipped])],
                  narration=_("Scaled down to norm {clip} first, the same step takes the loss to {after}.").format(
                      clip=f"{o.clip:g}", after=loss_after_text(o.after_clipped)))
        self.beat(_("Clip the norm when gradients explode"), [Step([], 0.0, 2.0)],
                  narration=_("backprop train --clip-norm does this before every step."))
