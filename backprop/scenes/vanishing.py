"""Vanishing: the gradient's size layer by layer as bars (log scale), the factor between neighbours,
and each layer's local gradient (σ′ ≤ 0.25); then a ReLU unit with z < 0 passing nothing back, where
the network has one (the beat is skipped, and said to be, where it has none), on the network with its forward values.
Numbers from backprop.engine.depth and the timeline; what is said, from story.vanishing (true
of the network shown: ratios of means where a layer has several units).

`backprop render vanishing` (default network `deep-dead`).
"""

from __future__ import annotations

from manim import DOWN

from backprop.engine.depth import dead_units, gradient_by_layer, shrink_factors
from backprop.engine.labels import Symbols, fmt
from backprop.engine.operations import ACTIVATIONS
from backprop.language import N_, _
from backprop.scenes.base import LessonScene
from backprop.scenes.steps import Step
from backprop.stage.bars import LogBars
from backprop.stage.board import Said
from backprop.stage.network import network_with_values
from backprop.stage.motion import appear, vanish
from backprop.stage.sheets import usable_width
from backprop.story.pacing import BEAT_SECONDS, reading_seconds
from backprop.story.texts import factor_text, words
from backprop.story.vanishing import closing, is_chain, shrink_sentence, steps_caption, steps_key

TITLE = N_("Vanishing gradients")


def size_text(x: float) -> str:
    return fmt(x, 3)


class Vanishing(LessonScene):
    def construct(self):
        if self.network is None:
            raise ValueError(f"{type(self).__name__} asks the engine for numbers the timeline lacks: "
                             "construct it with network=")
        th, st = self.theme, self.stage
        sizes = gradient_by_layer(self.network)
        factors = shrink_factors(sizes)  # from the output back: layer L → L−1, …
        depth = len(sizes)
        self.title_card(_(TITLE), hold=1.5)

        bars = LogBars(st, [s.grad for s in sizes], [size_text(s.grad) for s in sizes],
                       [_("layer {n}").format(n=s.layer) for s in sizes])
        scale = st.note(_("mean |∂L/∂z| per layer · log scale: each grid line is ×10"), usable_width())
        bars.above(scale)
        caption = _("The gradient's size, layer by layer")
        self.beat(caption, [Step([appear(bars.grid), appear(scale)], 0.8, 0.5)]
                  + [Step([appear(bars.bar(k))], 0.6, 0.4) for k in range(depth - 1, -1, -1)],
                  minimum=self.reading([scale] + bars.labels + bars.names, caption),
                  narration=_("Mean size of ∂L/∂z per layer, on a log scale, from the output back to layer 1."))

        steps = []
        gaps = []
        for n, f in enumerate(factors):  # n = 0: between layer L and L−1
            k = depth - 2 - n
            gap = bars.between(k, st.text(f"× {factor_text(f)}", th.label_size, th.text, "value"))
            gaps.append(gap)
            steps.append(Step([appear(gap)], 0.5, 0.3))
        locals_ = []
        for k, s in enumerate(sizes[:-1]):  # hidden layers: their f′ is what each step back multiplies by
            act = ACTIVATIONS[s.activation]
            t = bars.under(k, bars.under_text(st, act.symbol, factor_text(s.local), th.label_size, th.muted))
            locals_.append(t)
        chain = is_chain(self.network.sizes[1:])
        said = steps_key(chain)
        lines = st.wrapped(said, th.label_size, self.frame.width - 0.6, 2)  # two in a narrow frame
        key = st.text(said, th.label_size, th.muted, "note") if len(lines) == 1 else Said(
            *[st.text(line, th.label_size, th.muted, "note") for line in lines], role="note", sep=" ")
        key.arrange(DOWN, buff=0.06)
        key.move_to([0, bars.key_y, 0])
        if len(lines) > 1:  # its first line where the one line would be
            key.shift([0, -(key.height - key[0].height) / 2, 0])
        locals_.append(key)
        steps.append(Step([appear(t) for t in locals_], 0.8, 1.0))
        # hidden layers whose f′ is bounded below 1 (σ′ ≤ 0.25): what makes a deep stack of them shrink
        bounded = [a for a in dict.fromkeys(ACTIVATIONS[s.activation] for s in sizes[:-1]) if a.local_max < 1]
        caption = steps_caption(chain, bounded)
        self.beat(caption, steps,
                  narration=shrink_sentence(sizes, chain, bounded), minimum=self.reading(gaps + locals_, caption))

        if self.end_on_network:  # the still: the bars and their factors
            return
        on_screen = [bars.grid, scale] + [bars.bar(k) for k in range(depth)] + gaps + locals_
        dead = self.dead_relu_beat(on_screen)
        caption, said = closing(sizes, dead)
        self.beat(caption, [Step([], 0, 1.5)], lead=self.stage.clear_cards(), narration=said)

    @staticmethod
    def reading(labels: list, caption: str) -> float:
        """Seconds to read `labels` and the caption (story.pacing's rate): many short labels at once."""
        said = sum(words(text) for m in labels for _, text, _ in m.transcript_entries())
        return max(BEAT_SECONDS, reading_seconds(said + words(caption)))

    def dead_relu_beat(self, on_screen: list) -> bool:
        """The first ReLU unit with z < 0: on the network with its forward values (unit by unit), lit,
        its ReLU′ = 0 and ∂L/∂z = ∂L/∂h × 0 on cards beside it. Whether there was one."""
        dead = dead_units(self.network) if self.network is not None else []
        if not dead:
            self.beat(_("No ReLU unit here has z < 0: that beat is skipped"), [Step([], 0, 1.0)],
                      narration=_("This network has no ReLU unit with z below zero, so there is no blocked "
                                  "unit to show."))
            return False
        d = dead[0]
        lead = [vanish(m) for m in on_screen]
        steps = []
        local = self.relu_event(d, "local")
        if local is not None:
            steps.append(Step(network_with_values(self.stage), 1.2, 0.5))
            steps.append(Step(self.stage.flash_box(self.stage.layout.unit_of[local["wrt"]]), 1.0, 0.3))
            card = self.card(self.cards.local(local), local["value"], color=self.theme.text)
            mult = self.relu_event(d, "multiply")
            steps.append(Step(self.stage.show_card(card), 0.8, 1.0, shows=[card]))
            if mult is not None:
                prod = self.card(self.cards.product(mult), mult["value"], side="right")
                steps.append(Step(self.stage.show_sum_card(prod), 0.8, 1.0, shows=[prod]))
        else:  # a layer-granularity timeline: the engine's z, no per-unit card
            z = Symbols(self.network.sizes).z(d.layer, d.unit)
            text = self.stage.text(_("layer {layer}, unit {unit}: {z} = {value} < 0, so ReLU′ = 0").format(
                layer=d.layer, unit=d.unit, z=z, value=fmt(d.z, 3)),
                                   self.theme.card_size, self.theme.text, "card")
            steps.append(Step([appear(text)], 0.8, 2.5, shows=[text]))
        caption = (_("A ReLU unit with z < 0 passes nothing back (example {n})").format(n=d.example + 1)
                   if self.network.X.shape[0] > 1 else _("A ReLU unit with z < 0 passes nothing back"))
        self.beat(caption, steps, lead=lead,
                  narration=_("Where z is below zero, ReLU′ is 0: the unit passes no gradient back, and its "
                              "weights learn nothing from this example."))
        return True

    def relu_event(self, d, kind: str) -> dict | None:
        """The timeline's event for the dead unit (scalar timelines): its ReLU′, or ∂L/∂z = ∂L/∂h × 0."""
        if self.blocks:
            return None
        z = f"z{d.layer}_{d.unit}"
        for e in self.timeline.events:
            if e.get("example", 0) != d.example:
                continue
            if kind == "local" and e["kind"] == "local" and e["wrt"] == z:
                return e
            if kind == "multiply" and e["kind"] == "multiply" and e["step"] == "activation" and e["target"] == z:
                return e
        return None

    def card(self, text, value: float, side: str = "left", color: str | None = None):
        return self.stage.make_card(text.top, text.numbers, value, note=text.note, result_text=text.result,
                                    side=side, result_color=color)

