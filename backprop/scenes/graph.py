"""The `graph` scene: any computational graph, forward node by node, then the backward walk.

The seed 1 at the output; then, operation by operation from the output back, each operand's product
∂L/∂out × ∂out/∂operand (the local rule in the card's note) flying into the operand's box; where a
value is used more than once, each contribution arrives on its own and adds up (`+=`), and the sum
is shown whole once the last has arrived.
"""

from __future__ import annotations

from backprop.language import N_, _
from backprop.scenes.base import LessonScene
from backprop.scenes.steps import Step
from backprop.stage.graph import GraphStage
from backprop.stage.motion import appear, vanish
from backprop.story.frame import Frame
from backprop.story.graph import GraphCards

TITLE = N_("Backprop on a computational graph")


class GraphWalk(LessonScene):
    def setup(self):
        from manim import config

        self.camera.background_color = self.theme.background
        self.frame = Frame(float(config.frame_width), float(config.frame_height))
        self.stage = GraphStage(self.timeline, self.theme, self.frame)
        self.cards = GraphCards(self.timeline)
        if self.transcript is not None:
            self.transcript.frame = self.frame
            for of, a, b, leader in self.stage.lines_labelled():
                self.transcript.add_edge(of, a, b, leader)

    def left_out(self) -> bool:
        return False

    def card(self, text, value, **kwargs):
        return self.stage.make_card(text.top, text.numbers, value if text.result is not None else None,
                                    note=text.note, result_text=text.result, alone=True, **kwargs)

    def construct(self):
        tl, st = self.timeline, self.stage
        self.title_card(_(TITLE), hold=2.0)
        self.network_shown = True
        legend = self.legend_box()
        self.beat(_("One box per value, one circle per operation"), [Step([appear(st.network()), appear(legend)], 1.5, 2.5)])
        forward = [e for e in tl.of_kind("forward") if st.node[e["node"]]["kind"] == "result"]
        self.beat(_("Forward: each value from the values before it"),
                  [Step([appear(st.value_labels[e["node"]])], 0.5, 0.2, event=e) for e in forward])
        seed = tl.of_kind("seed")[0]
        card = self.card(self.cards.seed(seed), 1.0)
        self.beat(_("Start at the output: {gradient} = 1").format(gradient=self.cards.d(seed['node'])),
                  [Step(st.show_card(card) + [vanish(legend)], 0.7, 1.2, event=seed, shows=[card]),
                   Step(st.land(card.result, seed["node"], 1.0, st.gradient_spot(seed["node"])), 1.0, 0.6)])
        for events in self.backward_beats():
            via = st.node[events[0].get("via") or events[0].get("target")]
            if events[0]["kind"] == "accumulate":
                caption = _("{name} is used more than once: its contributions add up").format(
                    name=st.node[events[0]['target']]['symbol'])
            else:
                caption = _("Back through {op}: {name}'s local gradients").format(op=via['op_symbol'], name=via['symbol'])
            steps = []
            for e in events:
                steps += self.steps_for_event(e)
            self.beat(caption, steps)
        self.beat(_("Every gradient, from one backward walk"),
                  [Step(st.clear_cards() + [appear(self.legend_box())], 0.6, 2.5)])
        self.mark_poster()

    def legend_box(self):
        """What a box and a circle hold, in the cards' place until the first card (and again at the end)."""
        out = self.cards.symbol[self.timeline.network["output"]]
        notes = [_("box: the value's name, its value, then ∂{output}/∂(the value)").format(output=out),
                 _("circle: the operation that makes the value after it")]
        size, room = self.theme.badge_size, self.frame.width - 1.0
        # a narrow frame: each note in two lines rather than the box shrunk below reading size
        legend = self.stage.legend([line for note in notes for line in self.stage.wrapped(note, size, room, 2)],
                                   signs=False)
        if legend.width > self.frame.width - 0.4:
            legend.scale_to_fit_width(self.frame.width - 0.4)
        return legend.move_to([0, self.frame.card_y, 0])

    def backward_beats(self):
        """The walk's events grouped by the operation they go back through (`layer`)."""
        groups: dict[int, list] = {}
        for e in self.timeline.events:
            if e["kind"] in ("multiply", "accumulate") and e["step"] == "back":
                groups.setdefault(e["layer"], []).append(e)
        out = []
        for n in sorted(groups):
            sums = [e for e in groups[n] if e["kind"] == "accumulate"]
            rest = [e for e in groups[n] if e["kind"] != "accumulate"]
            out += [[s] for s in sums]  # a fork's sum completes before its value passes on
            if rest:
                out.append(rest)
        return out

    def steps_for_event(self, e: dict) -> list[Step]:
        st = self.stage
        if e["kind"] == "accumulate":
            card = self.card(self.cards.summed(e), e["value"])
            return [Step(st.show_card(card), 0.7, 1.6, event=e, shows=[card]),
                    Step(st.land(card.result, e["target"], e["value"], st.gradient_spot(e["target"])), 0.8, 0.4)]
        card = self.card(self.cards.product(e), e["value"])
        steps = [Step(st.show_card(card), 0.7, 1.2, event=e, shows=[card])]
        anims = st.pulse(e["edge"], e["value"]) if e["edge"] in st.edges else []
        arriving = self.cards.arriving(e)
        if arriving is None:
            steps.append(Step(anims + st.land(card.result, e["target"], e["value"], st.gradient_spot(e["target"])),
                              1.0, 0.4))
            return steps
        total = self.cards.sums[e["target"]]
        k = total["sources"].index(e["t"])
        running = total["running"][k]
        sum_card = self.card(arriving, running)
        steps.append(Step(anims + st.show_card(sum_card), 0.8, 1.2, shows=[sum_card]))
        steps.append(Step(st.land(sum_card.result, e["target"], running, st.gradient_spot(e["target"])), 0.8, 0.4))
        return steps

