"""The timeline's event kinds, one typed record each (the JSON objects of `backprop-timeline/1`).

Events stay plain dicts (they are the JSON), typed here so a new kind is declared once. Every event
carries `t` (its position), `kind`, `value`, and `step`: the step of the lesson it belongs to, which
beats group by. Events that combine earlier results name them in `sources`: the `t` of the event
that produced each factor or term (None for a number the forward pass or the spec gave).
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict, get_args

Kind = Literal["forward", "loss", "seed", "local", "multiply", "accumulate", "param_grad", "update"]
KINDS: tuple[str, ...] = get_args(Kind)

# The lesson's steps, in the order a pass visits them: the forward recap (with the loss), the loss
# gradient, through a layer's activation, that layer's parameter gradients, back to the layer
# before, and the weight update.
LessonStep = Literal["forward", "seed", "activation", "params", "back", "update"]
STEPS: tuple[str, ...] = get_args(LessonStep)
LAYERED_STEPS = ("activation", "params", "back")  # steps done once per layer


class Event(TypedDict):
    t: int
    kind: Kind
    value: float | list
    step: LessonStep
    example: NotRequired[int]  # 0-based, on per-example events of a batch
    layer: NotRequired[int]
    norm: NotRequired[float]  # layer granularity: the size of a matrix value


class ForwardEvent(Event):
    node: str


class LossEvent(Event):
    formula: str
    per_example: NotRequired[list]


class SeedEvent(Event):
    """∂L/∂(output), or ∂L/∂z where the loss is fused with the output activation."""

    node: str
    formula: str
    numbers: NotRequired[str]
    operands: NotRequired[dict]


class LocalEvent(Event):
    """A local gradient ∂h/∂z: not a gradient of L, a factor of one."""

    node: str
    wrt: str
    activation: str
    formula: str
    numbers: NotRequired[str]
    operands: NotRequired[dict]


class MultiplyEvent(Event):
    target: str
    factors: list
    sources: list[int | None]
    formula: str
    edge: NotRequired[str]
    via: NotRequired[str]
    partial: NotRequired[bool]  # one term of a later accumulate
    op: NotRequired[Literal["matmul", "elementwise"]]


class AccumulateEvent(Event):
    target: str
    terms: list
    sources: list[int | None]
    formula: str


class ParamGradEvent(Event):
    param: str
    factors: list
    sources: list[int | None]
    formula: str
    op: NotRequired[Literal["matmul"]]


class UpdateEvent(Event):
    param: str
    old: float | list
    grad: float | list
    lr: float
    sources: list[int]  # the param_grad event of `grad`
    frozen: NotRequired[bool | list]  # the spec's `frozen`: the value stays (layer: a mask of the array's shape)


def beat_key(e: Event) -> tuple:
    """The beat an event belongs to: its lesson step, and its layer where the step has one."""
    return (e["step"], e["layer"]) if e["step"] in LAYERED_STEPS else (e["step"],)
