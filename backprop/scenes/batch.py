"""BatchMean: one parameter's gradient on each example of a batch (each from a backward pass on that
example alone: backprop.engine.batch), then their mean, equal to the batch gradient the timeline
holds — the batch loss is the mean of the examples' losses.

`backprop render batch [--param W1[1,2]]` (default network `batch`).
"""

from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, VGroup, config

from backprop.engine.batch import batch_gradient, default_param
from backprop.engine.labels import Symbols
from backprop.language import N_, _
from backprop.scenes.base import LessonScene
from backprop.scenes.steps import Step
from backprop.stage.motion import appear
from backprop.story.batch import (WRITTEN_OUT, batch_card, example_grad_text, example_text, mean_card)
from backprop.story.texts import grad_text

TITLE = N_("A batch gradient is an average")
ROWS_SHOWN = 6  # example rows drawn; the rest are counted in the mean card


class BatchMean(LessonScene):
    def construct(self):
        if self.network is None:
            raise ValueError(f"{type(self).__name__} asks the engine for numbers the timeline lacks: "
                             "construct it with network=")
        net, th = self.network, self.theme
        param = self.param or default_param(net)
        sym = Symbols(net.sizes).param(param)
        grads = batch_gradient(net, param)
        batch = self.batch_value(param, grads.batch)
        n = len(grads.per_example)
        shown_rows = min(n, ROWS_SHOWN)

        self.title_card(_(TITLE), hold=1.5)

        def rows_of(shown: int) -> list:
            rows = [self.stage.text(example_text(k, net.X[k].tolist(), net.T[k].tolist()), th.label_size,
                                    th.muted, "table") for k in range(shown)]
            if n > shown:
                more = f"{n - shown} more example{'s' if n - shown > 1 else ''}"
                rows.append(self.stage.text(f"… and {more}", th.label_size, th.muted, "table"))
            return rows

        rows = rows_of(shown_rows)
        labels = [self.stage.text(example_grad_text(k, sym, grads.per_example[k]), th.label_size,
                                  th.sign_color(grads.per_example[k]), "value") for k in range(shown_rows)]
        fw, fh = config.frame_width, config.frame_height
        # each example's gradient beside its row where the frame is wide enough (16:9, 4:3), else on a
        # line of its own under the row (1:1, 9:16: a row and its gradient are wider than the frame),
        # with as many rows as fit under the caption (the rest are counted)
        widest = max(label.width for label in labels)
        beside = min(fw * 0.58, max(r.width for r in rows)) - fw * 0.46 + 0.3 <= fw * 0.3 - widest / 2
        line_under = 0.0 if beside else max(label.height for label in labels) + 0.12
        while True:
            table = VGroup(*rows).arrange(DOWN, buff=0.3 + line_under, aligned_edge=LEFT)
            if table.width > fw * 0.58:  # only with very long numbers: rows are at most two inputs and targets
                table.scale_to_fit_width(fw * 0.58)
            table.move_to([-fw * 0.46 + table.width / 2, fh * 0.16 + line_under / 2, 0])
            if beside or shown_rows == 1 or table.get_top()[1] <= self.frame.caption_band:
                break
            shown_rows -= 1
            rows, labels = rows_of(shown_rows), labels[:shown_rows]
        self.beat(_("{n} examples, one parameter: {name}").format(n=n, name=sym), [Step([appear(table)], 1.0, 1.5)],
                  narration=_("A batch of {n} examples. We follow one parameter, {name}.").format(n=n, name=sym))

        steps = []
        for k, label in enumerate(labels):
            if beside:
                label.next_to(rows[k], RIGHT, buff=0.6)
                label.set_x(fw * 0.3)
            else:
                label.next_to(rows[k], DOWN, buff=0.12, aligned_edge=LEFT).shift(RIGHT * 0.5)
            steps.append(Step([appear(label)], 0.7, 1.2))
        self.beat(_("Each example alone: its own gradient"), steps,
                  narration=_("A backward pass on each example alone gives its own gradient: {values}.").format(
                      values=", ".join(grad_text(g) for g in grads.per_example[:WRITTEN_OUT])))

        mean = mean_card(sym, grads.per_example, grads.batch)
        # the sum of several terms is wider than a card: this one gets the frame's width
        card = self.stage.make_card(mean.top, mean.numbers, grads.batch, result_text=mean.result, side="centre")
        whole = batch_card(sym, batch, n)
        right = self.stage.make_card(whole.top, whole.numbers, batch, note=whole.note, result_text=whole.result,
                                     side="right")
        right.set_x(0)
        rows_bottom = table.get_bottom()[1] if beside else VGroup(table, *labels).get_bottom()[1]
        card.move_to([0, (rows_bottom + right.get_top()[1]) / 2, 0])  # midway: rows above, the card below
        self.beat(_("Their mean is the batch gradient"), [Step(self.stage.show_card(card), 0.8, 1.0, shows=[card]),
                                                        Step(self.stage.show_sum_card(right), 0.8, 1.0,
                                                             shows=[right])],
                  narration=_("Their mean, {mean}, is exactly the gradient the backward pass over the whole batch "
                              "gives: {batch}.").format(mean=grad_text(grads.batch), batch=grad_text(batch)))
        if self.end_on_network:  # the still: the rows and both cards
            return
        self.beat(_("A batch gradient is an average"), [Step([], 0, 1.5)],
                  narration=_("The batch loss is a mean, so its gradient is the mean of the examples' gradients."))

    def batch_value(self, param: str, engine: float) -> float:
        """The batch gradient as the timeline holds it (the engine's where the timeline is per layer)."""
        for e in self.timeline.of_kind("param_grad"):
            if e["param"] == param:
                return e["value"]
        return engine
