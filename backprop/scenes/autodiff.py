"""The `autodiff` chapter: what a library does with the lesson's network. The forward pass records
a graph of operations (the program); `loss.backward()` walks it from the loss back, each backward node
(PyTorch's names beside ours) multiplying its local gradient into the gradient flowing in and adding
where a value is used twice; every parameter's `.grad` ends as the backward chapter's gradient.

It plays a graph spec (`lesson-graph` by default: the lesson's network as a program); every number
is its timeline's.
"""

from __future__ import annotations

from backprop.language import N_, _
from backprop.scenes.base import LessonScene
from backprop.scenes.steps import Step
from backprop.stage.board import Board
from backprop.stage.motion import appear, vanish
from backprop.stage.sheets import bottom_y, fit, grid, top_y, wide_card
from backprop.story.autodiff import accumulated, backward_nodes, program_lines
from backprop.story.frame import Frame
from backprop.story.layout import MIN_LINE_PX

TITLE = N_("What a library does: automatic differentiation")


class Autodiff(LessonScene):
    def setup(self):
        from manim import config

        self.camera.background_color = self.theme.background
        self.frame = Frame(float(config.frame_width), float(config.frame_height))
        self.stage = Board(self.theme, 1.0, self.frame)
        if self.transcript is not None:
            self.transcript.frame = self.frame

    def left_out(self) -> bool:
        return False

    def construct(self):
        tl, st = self.timeline, self.stage
        self.title_card(_(TITLE), hold=2.0)
        code = wide_card(st, [(line, None) for line in program_lines(tl)] + [("loss = " + tl.network["output"], None)],
                         note=_("each operation records its inputs and its backward rule as it runs"))
        fit(code, middle=True)
        self.beat(_("The forward pass records a graph"), [Step([appear(code)], 0.8, 4.0, shows=[code])],
                  narration=_("As the forward pass runs, the library records every operation and what it used."))
        call = wide_card(st, [("loss.backward()", None),
                              (_("from the loss back, in reverse order of recording:"), None),
                              (_("each node: the gradient flowing in × its local gradient"), None),
                              (_("a value used twice: its gradients add up (+=)"), None)])
        fit(call, middle=True)
        self.beat(_("loss.backward() walks it back"), [Step([vanish(code), appear(call)], 0.8, 4.0, shows=[call])],
                  narration=_("One call walks the recorded graph from the loss back: the chain rule, node by node."))
        header = [_("PyTorch's node"), _("ours"), _("local gradients"), _("passes on")]
        last = call
        for code, rows in backward_nodes(tl):
            table = fit(grid(st, [header] + rows, numeric=set(), height=top_y() - bottom_y()))
            if min(e[2] for r in table.rows for e in r.transcript_entries()) < MIN_LINE_PX:
                # a narrow frame: the local gradients' column goes (each node still says what it passes on)
                narrow = [[row[0], row[1], row[3]] for row in [header] + rows]
                table = fit(grid(st, narrow, numeric=set(), height=top_y() - bottom_y()))
            steps = [Step([vanish(last), appear(table.rule), appear(table.rows[0])], 0.6, 0.3)]
            steps += [Step([appear(r)], 0.5, 1.2, shows=[r]) for r in table.rows[1:]]
            steps.append(Step([], 0.0, 1.5))
            self.beat(_("Backward through {code}").format(code=code), steps,
                      narration=_("Backward through the line {code}: each node passes its gradients on.").format(
                          code=code))
            last = table
        grads = accumulated(tl)
        signs = [e["value"] for p in tl.params for e in tl.events if e["kind"] == "param_grad" and e["param"] == p["name"]]
        colors = [None] + [[None, None, self.theme.sign_color(g)] for g in signs]
        closing = wide_card(st, [(_("the same gradients as the backward pass by hand"), None)],
                            note=_("a library computes exactly these, for every parameter, in one walk"))
        fit(closing, top=bottom_y() + closing.height)
        table = fit(grid(st, [[_("node"), _("stores"), _("gradient")]] + grads, numeric={2}, colors=colors,
                         height=top_y() - closing.get_top()[1] - 0.2), bottom=closing.get_top()[1] + 0.2)
        steps = [Step([vanish(last), appear(table.rule), appear(table.rows[0])], 0.6, 0.3)]
        steps += [Step([appear(r)], 0.4, 0.3) for r in table.rows[1:]]
        steps.append(Step([appear(closing)], 0.6, 3.5, shows=[closing]))
        self.beat(_("Every parameter's .grad: the backward pass's gradients"), steps,
                  narration=_("Each parameter's gradient lands in its .grad: the numbers we computed by hand."))
        self.mark_poster()
