"""The lesson's common confusions, answered with the timeline's own numbers (numpy only, no manim).

- Why multiply, not add: one path from the loss to a parameter, factor by factor, traced through the
  events' `sources`; the product of the factors is the parameter's gradient, their sum is not.
- Gradients flow backward, updates come after: where in the timeline the gradients are computed and
  where the updates happen, and a weight the backward pass used at its old value before it changed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from backprop.engine.spec import Network
from backprop.engine.timeline import SCALAR_LIMIT, Timeline


@dataclass(frozen=True)
class Factor:
    value: float
    symbol: str  # ∂L/∂y, σ′(z), W₂[1,1], ReLU′(z₁), x₂
    t: int | None  # the event it came from (None: a weight, a parameter of the network)


@dataclass(frozen=True)
class OnePath:
    param: str
    factors: tuple[Factor, ...]  # from the loss to the parameter
    gradient: float  # the timeline's ∂L/∂param
    product: float  # the factors multiplied: the gradient
    total: float  # the factors added: what "add the local gradients" would give


class SeveralPaths(Exception):
    """The parameter reaches the loss along more than one path (a sum on the way): no single product."""


def one_path(timeline: Timeline, param: str) -> OnePath:
    """The factors of `param`'s gradient along its one path; SeveralPaths if it has more than one
    (a value on the way fed several units, or the gradient sums a batch)."""
    events = timeline.events
    symbol = {n["id"]: n["symbol"] for n in timeline.nodes}
    param_symbol = {p["name"]: p["symbol"] for p in timeline.params}
    grad = next(e for e in timeline.of_kind("param_grad") if e["param"] == param)

    def expand(e: dict) -> list[Factor]:
        if e["kind"] == "accumulate":
            raise SeveralPaths(param)
        if e["kind"] in ("multiply", "param_grad"):
            if len(e["factors"]) != len(e["sources"]):
                raise SeveralPaths(param)
            found = []
            for value, source in zip(e["factors"], e["sources"]):
                if source is None:  # a weight: the edge the gradient crossed
                    found.append(Factor(value, param_symbol[e["edge"]], None))
                else:
                    found += expand_source(events[source], value)
            return found
        raise SeveralPaths(param)

    def expand_source(e: dict, value: float) -> list[Factor]:
        if e["kind"] == "seed":
            return [Factor(value, "∂L/∂" + symbol[e["node"]], e["t"])]
        if e["kind"] == "local":
            return [Factor(value, e["formula"].split(" = ")[0], e["t"])]
        if e["kind"] == "forward":
            return [Factor(value, symbol[e["node"]], e["t"])]
        return expand(e)

    if timeline.granularity != "scalar" or timeline.network["examples"] != 1:
        raise SeveralPaths(param)
    factors = tuple(expand(grad))
    values = [f.value for f in factors]
    return OnePath(param, factors, grad["value"], math.prod(values), math.fsum(values))


def longest_path(timeline: Timeline, max_factors: int | None = None) -> OnePath | None:
    """The parameter with one path of the most factors, at most `max_factors` (the largest gradient
    among those): on `seed` the lesson's W₁[1,2]. None if no parameter has a single path (a batch,
    a layer-granularity timeline)."""
    best = None
    if timeline.granularity != "scalar" or timeline.network["examples"] != 1:
        return None
    for p in timeline.params:
        try:
            path = one_path(timeline, p["name"])
        except SeveralPaths:
            continue
        if max_factors is not None and len(path.factors) > max_factors:
            continue
        if best is None or (len(path.factors), abs(path.gradient)) > (len(best.factors), abs(best.gradient)):
            best = path
    return best


@dataclass(frozen=True)
class Order:
    """Positions are 1-based: event 1 is the first of the timeline."""
    events: int
    forward: tuple[int, int]  # first and last event of the forward pass (values and the loss)
    backward: tuple[int, int]  # first and last event of the backward pass (seed … last gradient)
    updates: tuple[int, int]  # first and last update
    gradients: int  # parameter gradients computed
    changed: int  # parameters changed during the backward pass (always 0)
    weight: str  # a weight the backward pass multiplied by
    known_at: int  # the event that computed that weight's gradient
    used_at: int  # the event that used it
    used_value: float  # its value then (the old one)
    updated_at: int  # the event that changed it
    new_value: float


def event_order(timeline: Timeline) -> Order:
    """The order of the timeline's events: every gradient before any update. ValueError if a
    timeline has no update or no weight the backward pass multiplied by (none the engine makes)."""
    events = timeline.events

    def span(kinds) -> tuple[int, int]:
        ts = [e["t"] + 1 for e in events if e["kind"] in kinds]
        return (min(ts), max(ts))

    updates = {u["param"]: u for u in timeline.of_kind("update")}
    # the first weight the backward pass multiplied by that has an update event of its own
    used = next((e for e in timeline.of_kind("multiply") if None in e["sources"] and e["edge"] in updates), None)
    if used is None:
        raise ValueError("the timeline has no update of a weight the backward pass used")
    weight = used["edge"]
    update = updates[weight]
    first_update = min(u["t"] for u in updates.values())
    # a parameter "changed" during the backward pass if an update came before a gradient
    changed = sum(1 for u in updates.values() if u["t"] < max(e["t"] for e in timeline.of_kind("param_grad")))
    return Order(events=len(events), forward=span(("forward", "loss")),
                 # the backward pass: from the first seed to the event before the first update
                 # (first_update is 0-based, so as a 1-based position it is that event)
                 backward=(span(("seed",))[0], first_update), updates=span(("update",)),
                 gradients=len(timeline.of_kind("param_grad")), changed=changed, weight=weight,
                 known_at=next(e["t"] for e in timeline.of_kind("param_grad") if e["param"] == weight) + 1,
                 used_at=used["t"] + 1, used_value=used["factors"][used["sources"].index(None)],
                 updated_at=update["t"] + 1, new_value=update["value"])


def cannot_show(net: Network) -> str | None:
    """Why the confusions cannot be shown on `net` (None: they can): they follow single events of
    one example's scalar timeline."""
    examples = net.X.shape[0]
    if examples != 1:
        return (f"its gradients sum a batch of {examples} examples, so no single path's product is a "
                "gradient; give it one example")
    if net.n_params > SCALAR_LIMIT:
        return (f"it has {net.n_params:,} parameters, more than the {SCALAR_LIMIT:,} a timeline shows "
                "event by event")
    return None
