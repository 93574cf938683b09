"""The default registry for a network drawn unit by unit: event kind → animation builder.

A builder reads one timeline event and returns Steps; the scene plays them. A scene that shows a
kind differently overrides that entry of its registry. Builders only format the timeline's numbers;
they never compute a gradient.
"""

from __future__ import annotations

from backprop.scenes.steps import Context, Registry, Step
from backprop.stage.motion import appear
from backprop.story.cards import CardText


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
    # Through an activation, the unit's ∂L/∂h is used up by the card; its ∂L/∂z lands after.
    used = st.consume(uid) if e["step"] == "activation" else []
    steps = [Step(st.show_card(card) + used, shows=[card], run_time=0.7, pause=0.8, event=e)]
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
    if ctx.sweep:
        anims = [] if is_bias else st.light(name, e["value"])
        if pos is not None:
            anims += st.put_badge(name, e["value"], pos)
        return [Step(anims, run_time=1.0, event=e, quiet=True)]
    card = _card(ctx, ctx.cards.product(e), e["value"])
    steps = [Step(st.show_card(card), shows=[card], run_time=0.7, pause=0.7, event=e)]
    anims = [] if is_bias else st.light(name, e["value"])
    if pos is not None:
        anims += st.land(card.result, name, e["value"], pos)
    if anims:
        steps.append(Step(anims, run_time=1.0, pause=0.5))
    return steps


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
    return registry[e["kind"]](ctx, e)


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
