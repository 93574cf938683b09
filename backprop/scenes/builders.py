"""The default registry for a network drawn unit by unit: event kind → animation builder.

A builder reads one timeline event and returns Steps; the scene plays them. A scene that shows a
kind differently overrides that entry of its registry. Builders only format the timeline's numbers;
they never compute a gradient.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from manim import Line, ReplacementTransform, VMobject

from backprop.scenes.steps import Context, Registry, Step
from backprop.stage.motion import appear, vanish
from backprop.story.cards import CardText
from backprop.story.layout import LABEL_PAD
from backprop.story.layout.step_spot import StepSpot
from backprop.story.texts import badge_text


def _card(ctx: Context, text: CardText, value: float | None, **kwargs):
    """A card from its text; the result coloured by the sign of `value` unless said otherwise."""
    return ctx.stage.make_card(text.top, text.numbers, value if text.result is not None else None,
                               note=text.note, result_text=text.result, **kwargs)


def build_forward(ctx: Context, e: dict) -> list[Step]:
    st = ctx.stage
    if not st.lines:
        return []
    node = e["node"]
    uid = st.layout.unit_of[node]
    lines = st.lines[uid]
    if not lines:  # compact and tiny layouts draw no values
        return []
    which = 0 if node.startswith(("x", "z")) else len(lines) - 1
    return [Step([appear(lines[which])], run_time=0.4, event=e)]


def build_loss(ctx: Context, e: dict) -> list[Step]:
    st = ctx.stage
    if e.get("example") is not None or not st.lines.get("L"):
        return []
    return [Step([appear(line) for line in st.lines["L"]], run_time=0.7, pause=0.6, event=e)]


def build_seed(ctx: Context, e: dict) -> list[Step]:
    st = ctx.stage
    uid = st.layout.unit_of[e["node"]]
    loss_edge = f"{uid}->L"
    if ctx.sweep:
        return _quiet_land(ctx, e, uid, [loss_edge])
    card = _card(ctx, ctx.cards.seed(e), e["value"], alone=True)  # the pass's first card: no sum beside it
    steps = [Step(st.show_card(card), shows=[card], run_time=0.7, pause=1.0, event=e)]
    anims = st.pulse(loss_edge, e["value"]) if loss_edge in st.edges else []
    anims += st.land(card.result, uid, e["value"], st.layout.badges[uid]) if uid in st.layout.badges else []
    anims += st.light(loss_edge, e["value"]) if loss_edge in st.edges else []
    steps.append(Step(anims, run_time=1.2, pause=0.6))
    return steps


def build_local(ctx: Context, e: dict) -> list[Step]:
    st = ctx.stage
    if ctx.sweep:
        return [Step([], run_time=0, event=e, quiet=True)]
    # A local gradient is not ∂L/∂something: shown plainly, not in the colours of a gradient's sign.
    card = _card(ctx, ctx.cards.local(e), e["value"], result_color=st.theme.text)
    uid = st.layout.unit_of[e["node"]]
    return [Step(st.show_card(card) + st.flash_box(uid), shows=[card], run_time=0.7, pause=1.0, event=e)]


def build_multiply(ctx: Context, e: dict) -> list[Step]:
    st = ctx.stage
    target = e["target"]
    if target not in st.layout.unit_of:  # one example's share of a parameter gradient (a batch)
        return [Step([], run_time=0, event=e, quiet=True)] if ctx.sweep else [_contribution_card(ctx, e)]
    uid = st.layout.unit_of[target]
    edge = e.get("edge")
    is_weight_edge = edge in st.edges
    if ctx.sweep:
        return _quiet_land(ctx, e, uid, [], partial=e.get("partial"),
                           pulses=st.pulse(edge, e["value"]) if is_weight_edge else [])
    card = _card(ctx, ctx.cards.product(e), e["value"])
    ctx.named = {_delta_badge(st, edge)} if is_weight_edge else set()
    # Through an activation, the unit's ∂L/∂h is used up by the card; its ∂L/∂z lands after.
    used = st.consume(uid) if e["step"] == "activation" else []
    steps = [Step(st.show_card(card) + used, shows=[card], run_time=0.7, pause=0.8, event=e)]
    if is_weight_edge and f"weight:{edge}" in st.layout.dropped:  # the weight the card multiplies by, on its edge
        steps += _stand_in(ctx, e, f"weight:{edge}")[0]
    # The pulse crosses the edge; the edge itself stays lit with its weight's gradient (its badge).
    anims = st.pulse(edge, e["value"]) if is_weight_edge else []
    if e.get("partial"):
        anims += _add_to_sum(ctx, e)
        steps[0].shows = [card, st.sum_card]
    elif uid in st.layout.badges:
        anims += st.land(card.result, uid, e["value"], st.layout.badges[uid])
    steps.append(Step(anims, run_time=1.1, pause=0.5))
    return steps


def _contribution_card(ctx: Context, e: dict) -> Step:
    st = ctx.stage
    card = _card(ctx, ctx.cards.product(e, top=f"example {e['example'] + 1}: {e['formula']}"), e["value"])
    anims = st.show_card(card) + _add_to_sum(ctx, e)
    return Step(anims, shows=[card, st.sum_card], run_time=1.0, pause=0.4, event=e)


def _add_to_sum(ctx: Context, e: dict) -> list:
    """Contributions gather in the sum card on the right until their accumulate event adds them up."""
    st = ctx.stage
    terms = [t for t in ctx.shown if t.get("target") == e["target"] and t.get("partial")] + [e]
    ctx.shown.append(e)
    card = _card(ctx, ctx.cards.partial_sum(e["target"], [t["value"] for t in terms]), None, side="right")
    return st.show_sum_card(card)


def build_accumulate(ctx: Context, e: dict) -> list[Step]:
    st = ctx.stage
    target = e["target"]
    if ctx.sweep:
        if target in st.layout.unit_of:
            return _quiet_land(ctx, e, st.layout.unit_of[target], [])
        return [Step([], run_time=0, event=e, quiet=True)]
    card = _card(ctx, ctx.cards.total(e), e["value"], side="right")
    steps = [Step(st.show_sum_card(card), shows=[card], run_time=0.7, pause=1.0, event=e)]
    ctx.shown = [t for t in ctx.shown if t.get("target") != target]
    if target in st.layout.unit_of:
        uid = st.layout.unit_of[target]
        if uid in st.layout.badges:
            steps.append(Step(st.land(card.result, uid, e["value"], st.layout.badges[uid])
                              + st.flash_box(uid),
                              run_time=1.2, pause=0.8))
    return steps


def build_param_grad(ctx: Context, e: dict) -> list[Step]:
    st = ctx.stage
    name = e["param"]
    is_bias = name in st.texts.bias
    if is_bias:
        pos = st.bias_badge_pos(name) if name in st.bias_labels else None
    else:
        pos = st.layout.edge_badges.get(name)
    key = f"bias-badge:{name}" if is_bias else f"edge-badge:{name}"
    left_out = pos is None and key in st.layout.dropped
    # its own place is covered by a left-out number standing in for its step: that one goes first
    first = step_back(ctx) if any(key in s.spot.aside for s in ctx.standing) else []
    if ctx.sweep:
        if left_out:
            shown, ok = _stand_in(ctx, e, key)
            first += shown
            if ok:
                return first
        anims = [] if is_bias else st.light(name, e["value"])
        if pos is not None:
            anims += st.put_badge(name, e["value"], pos)
            ctx.landed.add(key)
        return first + [Step(anims, run_time=1.0, event=e, quiet=True)]
    card = _card(ctx, ctx.cards.product(e), e["value"])
    ctx.named = {_delta_badge(st, name)}
    steps = [Step(st.show_card(card), shows=[card], run_time=0.7, pause=0.7, event=e)]
    if left_out:
        shown, ok = _stand_in(ctx, e, key, card.result)
        if ok:
            return first + steps + shown + step_back(ctx)
    anims = [] if is_bias else st.light(name, e["value"])
    if pos is not None:
        anims += st.land(card.result, name, e["value"], pos)
        ctx.landed.add(key)
    if anims:
        steps.append(Step(anims, run_time=1.0, pause=0.5))
    return first + steps


SWEPT_HOLD = 1.5  # seconds a sweep's left-out numbers stay, after the sweep's own pause, before they go


@dataclass
class Standing:
    """A number the layout left out, shown on the network for its step: its spot, its pill and leader
    line, and the finished labels that gave way to it."""

    spot: StepSpot
    shown: list
    aside: list
    swept: bool  # shown in a sweep, without a card: it stays a while to be read
    with_card: bool = False  # a factor of the card shown: it stays while the card does
    card: object = None  # that card


def _stand_in(ctx: Context, e: dict, key: str, source: VMobject | None = None) -> tuple[list[Step], bool]:
    """A number the layout left out, for its step: a weight's gradient on its own edge (a bias's, by
    its unit as a bias row; `key` "weight:…": the weight a card multiplies by, on its edge), flying from
    the card's `source`, or appearing (in a sweep beside the others of the sweep): finished labels in
    the way fade out, and come back when `step_back` takes it away. The steps, and whether it found a
    spot (a sweep's others may have had to go first to make room)."""
    st = ctx.stage
    kind, name = key.split(":", 1)
    weight = kind == "weight"
    text = st.texts.weight[name] if weight else badge_text(e["value"])
    first: list[Step] = []
    # what stays: the numbers this beat landed, the units' gradients the card up uses, and its own factor
    keep = ctx.landed | ctx.named | {_delta_badge(st, name)}
    # a weight stands as long as its card, while the sweep around it goes on, where it moves nothing aside
    spot = st.step_spot(key, text, [s.spot for s in ctx.standing], keep, aside=not weight)
    if spot is None and weight:
        spot = st.step_spot(key, text, [s.spot for s in ctx.standing], keep)
    if spot is None and not weight:  # readability first: the numbers this beat landed give way too
        spot = st.step_spot(key, text, [s.spot for s in ctx.standing], ctx.named | {_delta_badge(st, name)})
    if ctx.standing and not weight and (spot is None or spot.size < st.step_sizes[0]):
        alone = st.step_spot(key, text, keep=keep)  # no room (at full size) beside the ones shown: they go first
        if alone is not None and (spot is None or alone.size > spot.size):
            first, spot = step_back(ctx), alone
    if spot is None:
        return first, False
    at = (spot.box.x, spot.box.y)
    if weight:
        label = st.label(text, spot.size, st.theme.muted, at, "weight", pad=LABEL_PAD, of=st.of[name])
    else:
        label = st.badge(name, e["value"], at, spot.size)
    label.leader = spot.leader  # the transcript records the line with the label
    shown = [label]
    anims = [vanish(m, early=True) for m in st.step_aside(k for k in spot.aside
                                                          if not any(k in s.spot.aside for s in ctx.standing))]
    aside = [m.mobject for m in anims]
    if spot.value is not None:  # a bias row: its value before its pill
        row = st.label(st.texts.bias[name], spot.size, st.theme.muted, (spot.value.x, spot.value.y), "weight",
                       pad=LABEL_PAD, of=st.of[name])
        shown.append(row)
        anims.append(appear(row, late=True))
    if spot.leader is not None:
        (ax, ay), (bx, by) = spot.leader
        color = st.theme.muted if weight else st.theme.sign_color(e["value"])
        line = Line([ax, ay, 0], [bx, by, 0], stroke_color=color, stroke_width=1.5)
        shown.append(line)
        anims.append(appear(line, late=True))
    anims += st.light(name, e["value"]) if kind == "edge-badge" else []
    anims += [ReplacementTransform(source.copy(), label)] if source is not None else [appear(label, late=True)]
    ctx.standing.append(Standing(spot, shown, aside, source is None and not weight, weight, st.card if weight else None))
    if source is None:
        return first + [Step(anims, run_time=1.0 if not weight else 0.6, event=None if weight else e,
                             quiet=not weight)], True
    return first + [Step(anims, run_time=1.0, pause=1.5)], True


def _delta_badge(st, name: str) -> str:
    """The layout key of the unit gradient (∂L/∂z) a parameter's gradient, or an edge's contribution,
    is worked from: the unit the weight's edge feeds, or the bias is of."""
    target = next((p["node"] for p in st.timeline.params if p["name"] == name and p["kind"] == "bias"), None)
    if target is None:
        target = next(edge["target"] for edge in st.timeline.edges if edge["id"] == name)
    return f"badge:{st.layout.unit_of[target]}"


def step_back(ctx: Context, quiet: bool = False, card=None, only=None) -> list[Step]:
    """The left-out numbers shown for their step leave (for the closing table), and the labels that
    gave way to them come back; `quiet` (a sweep's event, no card): the card's own stay, where nothing
    had to give way to them (the sweep may show it again); so do those of `card` (the one up) for now.
    `only`: of those standing, these alone."""
    going = [s for s in ctx.standing if not ((quiet or (card is not None and s.card is card)) and s.with_card
                                             and not s.aside) and (only is None or s in only)]
    if not going:
        return []
    hold = [Step([], run_time=0, pause=SWEPT_HOLD)] if any(s.swept for s in going) else []
    anims = [vanish(m, early=True) for s in going for m in s.shown]
    anims += [appear(m, late=True) for s in going for m in s.aside]
    ctx.standing = [s for s in ctx.standing if s not in going]
    return hold + [Step(anims, run_time=0.6)]


def build_update(ctx: Context, e: dict) -> list[Step]:
    return []  # the preview beat picks one update itself; the rest are for `backprop gradients`


def _quiet_land(ctx: Context, e: dict, uid: str, edges: list, partial: bool = False,
                pulses: list | None = None) -> list[Step]:
    """Sweep mode: the gradient crosses its edge and its badge appears, without a card."""
    st = ctx.stage
    anims = list(pulses or [])
    for edge in edges:
        if edge in st.edges:
            anims += st.light(edge, e["value"])
    if not partial and uid in st.layout.badges:
        anims += st.put_badge(uid, e["value"], st.layout.badges[uid])
    return [Step(anims, run_time=1.0, event=e, quiet=True)]


def unit_steps(registry: Registry, ctx: Context, e: dict) -> list[Step]:
    """Steps for one event. Over a batch the units show the first example (as the forward recap
    does); later examples' unit events pass silently and only their shares of the parameter
    gradients are shown, adding up in sum cards."""
    node = e.get("node") if e["kind"] in ("forward", "seed", "local") else e.get("target")
    if e.get("example", 0) > 0 and node in ctx.stage.layout.unit_of:
        return [Step([], run_time=0, event=e, quiet=True)]
    # a sweep's left-out numbers leave before a worked card, or anything else than the next one
    card = ctx.stage.card  # a weight standing for the card up stays as long as that card does
    first = step_back(ctx, quiet=ctx.sweep, card=card) if not ctx.sweep or e["kind"] != "param_grad" else []
    held = [s for s in ctx.standing if s.with_card and s.card is card]
    steps = registry[e["kind"]](ctx, e)
    gone = step_back(ctx, only=held) if held and ctx.stage.card is not card else []
    at = next((k for k, step in enumerate(steps) if step.shows and card not in step.shows), None)
    if gone and at is not None:  # they go as their card does
        steps[at] = replace(steps[at], anims=gone[-1].anims + steps[at].anims)
    elif gone:
        first += gone
    if first and steps and steps[0].shows:  # they go as the next card comes: up while the last one is read
        back = first.pop()
        steps[0] = replace(steps[0], anims=back.anims + steps[0].anims)
    return first + steps


UNIT_BUILDERS: Registry = {
    "forward": build_forward,
    "loss": build_loss,
    "seed": build_seed,
    "local": build_local,
    "multiply": build_multiply,
    "accumulate": build_accumulate,
    "param_grad": build_param_grad,
    "update": build_update,
}
