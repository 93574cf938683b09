"""ChainRule: one path from L to one weight, factor by factor; where the weight has several paths,
their products add up to its gradient. Opens with the lesson's "why multiply" nudge.

`backprop render chain-rule [--param W1[1,2]] [--network NETWORK]`. Every number is the engine's
(backprop.engine.chain_rule reads the timeline's sources); the scene only formats and lights the path.
"""

from __future__ import annotations

from backprop.engine.chain_rule import chain_rule, why_multiply
from backprop.language import _
from backprop.scenes.base import LessonScene
from backprop.scenes.steps import Step
from backprop.stage.motion import appear, vanish
from backprop.stage.worked import lines_card
from backprop.story.cards import CardWriter
from backprop.story.chain_rule import ChainTexts, whole
from backprop.story.texts import grad_text

DEFAULT_PARAM = "W1[1,2]"  # the lesson's w₁₂


def default_param(timeline) -> str:
    names = [p["name"] for p in timeline.params]
    return DEFAULT_PARAM if DEFAULT_PARAM in names else names[0]


class ChainRule(LessonScene):
    """Why multiply; the network; path 1 factor by factor along its lit edges; the other paths'
    products; their sum, equal to the backward pass's gradient; a batch's shares adding up."""

    def construct(self):
        tl = self.timeline
        self.texts = ChainTexts(tl)
        param = self.param or default_param(tl)
        example = 0
        rule = chain_rule(tl, param, example)
        sym = self.texts.param_symbol[param]
        self.title_card(_("The chain rule: from the loss to {name}").format(name=sym), hold=2.0)
        self.why_multiply()
        many = tl.network["examples"] > 1
        self.show_network((_("The network: we follow {name} (example 1)") if many
                           else _("The network: we follow {name}")).format(name=sym), 1.5, 1.0)
        self.forward_values(param)
        self.local_origins()
        first = rule.paths[0]
        self.walk(first, 1, len(rule.paths))
        if len(rule.paths) == 1:
            self.same_as_backward(rule, first)
        else:
            self.other_paths(rule)
        if rule.batch is not None:
            self.batch(rule)
        self.beat(_("A gradient along a path is a product of local factors"),
                  [Step(self.stage.clear_cards(), 0.6, 2.5)],
                  narration=_("Multiply along a path; add where paths meet."))

    def forward_values(self, param: str):
        """The forward pass's values on the units (the factors reuse them), the followed weight's edge marked."""
        st = self.stage
        values = [m for lines in st.lines.values() for m in lines if getattr(m, "original_text", None)]
        edge = {p["name"]: p.get("edge") for p in self.timeline.params}[param]
        marked = st.light(edge, st.max_grad, self.theme.text) if edge in st.edges else []
        self.beat(_("The forward values, and {name}").format(name=self.texts.param_symbol[param]),
                  [Step([appear(m) for m in values] + marked, 1.0, 1.5)],
                  narration=_("The forward pass left its values on the units; the path will reuse them."))

    def card(self, lines: list[str], note: str | None = None, colors: dict | None = None):
        colors = colors or {}
        return lines_card(self.stage, [[(line, colors.get(k))] for k, line in enumerate(lines)], note=note)

    def why_multiply(self):
        n = why_multiply()
        card = self.card(self.texts.nudge_lines(n), note=_("the effects compound: slopes along a chain multiply"))
        a, b = (whole(s) for s in n.slopes)
        self.beat(_("Why multiply? A nudge passes through f, then g"),
                  [Step(self.stage.show_card(card), 0.8, 1.0, shows=[card])],
                  narration=_("Why multiply: a nudge δ in x moves f by {a}δ, and g by {b} × {a}δ = {ab}δ.").format(
                      a=a, b=b, ab=whole(n.slope)))
        self.stage.clear_cards()
        self.play_front([vanish(card)], self.theme.seconds(0.5))

    def walk(self, path, number: int, paths: int):
        """Factor by factor: the edge it crosses lights up, the card shows the running product."""
        st = self.stage
        steps = []
        for k, f in enumerate(path.factors):
            head, run = self.texts.factor_lines(path, k)
            card = self.card([head, run], colors={1: self.theme.sign_color(path.running[k])})
            anims = st.show_card(card)
            if f.edge in st.edges:
                anims += st.light(f.edge, path.running[k])
            unit = st.layout.unit_of.get(f.node) if f.kind == "local" else None
            if unit in st.boxes:
                anims += st.flash_box(unit)
            steps.append(Step(anims, 0.8, 0.6, shows=[card]))
        names = dict(number=number, paths=paths, name=self.texts.param_symbol[path.factors[-1].param],
                     product=grad_text(path.product))
        if paths > 1:
            caption = _("Path {number} of {paths}: multiply the factors from L back to {name}").format(**names)
            said = _("Along path {number} of {paths}, multiply one local factor after another: the running product "
                     "ends at {product}.").format(**names)
        else:
            caption = _("The path: multiply the factors from L back to {name}").format(**names)
            said = _("Along the path, multiply one local factor after another: the running product ends at "
                     "{product}.").format(**names)
        self.beat(caption, steps, narration=said)

    def same_as_backward(self, rule, path):
        top, numbers = self.texts.path_lines(path, None)
        card = self.card([top, numbers, self.texts.gradient_line(rule)],
                         colors={1: self.theme.sign_color(path.product)},
                         note=_("the same number: the backward pass multiplied the same factors"))
        g = grad_text(self.tl_value(rule.gradient))
        self.beat(_("The product is the gradient"), [Step(self.stage.show_card(card), 0.8, 1.0, shows=[card])],
                  narration=_("The path's product is the backward pass's gradient: ∂L/∂{name} = {value}.").format(
                      name=self.texts.param_symbol[rule.param], value=g))

    def other_paths(self, rule):
        st = self.stage
        unlit = [vanish(m) for m in st.lit.values()]
        st.lit.clear()
        steps = []
        for k, path in enumerate(rule.paths[1:], start=2):
            top, numbers = self.texts.path_lines(path, k)
            card = self.card([top, numbers], colors={1: self.theme.sign_color(path.product)})
            anims = st.show_card(card) + (unlit if k == 2 else [])
            for f, running in zip(path.factors, path.running):
                if f.edge in st.edges:
                    anims += st.light(f.edge, running)
            steps.append(Step(anims, 0.8, 0.6, shows=[card]))
            if k >= 6 and len(rule.paths) > 7:  # the rest only in the sum
                break
        n = len(rule.paths)
        self.beat(_("{name} reaches the loss along {n} paths").format(name=self.texts.param_symbol[rule.param], n=n),
                  steps, narration=_("The weight reaches the loss along {n} paths; each path gives a product of its "
                                     "own.").format(n=n))
        top, numbers = self.texts.sum_lines(rule)
        g = self.tl_value(rule.gradient)
        card = self.card([top, numbers], colors={1: self.theme.sign_color(g)},
                         note=_("where paths meet, their products add: the backward pass's gradient"))
        self.beat(_("The paths' products add up to the gradient"),
                  [Step(st.show_card(card), 0.8, 1.0, shows=[card])],
                  narration=_("Add the paths' products: ∂L/∂{name} = {value}, the backward pass's number.").format(
                      name=self.texts.param_symbol[rule.param], value=grad_text(g)))

    def batch(self, rule):
        total = self.timeline.events[rule.batch]
        n = self.timeline.network["examples"]
        text = CardWriter(self.timeline).total(total)
        sym = self.texts.param_symbol[rule.param]
        card = self.card([_("∂L/∂{name} over the batch = the sum of {n} examples' shares").format(name=sym, n=n),
                          text.numbers + " " + text.result],
                         colors={1: self.theme.sign_color(total["value"])},
                         note=_("each share is one example's gradient ÷ {n}").format(n=n))
        self.beat(_("The batch: {n} examples' shares add up").format(n=n),
                  [Step(self.stage.show_card(card), 0.8, 1.0, shows=[card])],
                  narration=_("Each example has its own paths; the shares add up to ∂L/∂{name} = {value}.").format(
                      name=sym, value=text.result))

    def tl_value(self, t: int) -> float:
        return self.timeline.events[t]["value"]
