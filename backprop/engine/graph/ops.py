"""The graph's operations: one record each, its forward, its local gradients and how they are written.

The functions a program may call are the layers' activations themselves (`ACTIVATIONS` in
backprop.engine.operations: the same forward, the same local rule, the same formula), plus exp and
log. `formulas` and `numbers` are templates per operand: `{a}`, `{b}` the operands, `{out}` the result,
`{p}` a power's exponent (an activation's operand is `{z}`, as in its own record); the timeline fills
`formulas` with symbols and leaves `numbers` for the story layer to fill with formatted numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from backprop.engine.operations import ACTIVATIONS


@dataclass(frozen=True)
class GraphOp:
    name: str
    symbol: str  # in the operation's circle: +, ×, tanh, …
    torch: str  # the node PyTorch's autograd builds for it (its grad_fn's name); "" if none
    arity: int
    forward: Callable  # (operands…, p) → value
    local: Callable  # (operands tuple, out, p) → ∂out/∂operand for each operand
    formulas: tuple[str, ...]  # per operand: ∂out/∂operand in symbols
    numbers: tuple[str, ...]  # per operand: the same with the numbers
    keys: tuple[str, ...] = ("a", "b")  # the operands' names in the templates

    def operand_keys(self) -> tuple[str, ...]:
        return self.keys[: self.arity]


def _power_local(v, out, p):
    return (p * v[0] ** (p - 1),)


ARITHMETIC: dict[str, GraphOp] = {
    op.name: op
    for op in (
        GraphOp("add", "+", "AddBackward0", 2, lambda a, b, p: a + b, lambda v, out, p: (1.0, 1.0),
                ("1", "1"), ("1", "1")),
        GraphOp("sub", "−", "SubBackward0", 2, lambda a, b, p: a - b, lambda v, out, p: (1.0, -1.0),
                ("1", "−1"), ("1", "−1")),
        GraphOp("mul", "×", "MulBackward0", 2, lambda a, b, p: a * b, lambda v, out, p: (v[1], v[0]),
                ("{b}", "{a}"), ("{b}", "{a}")),
        GraphOp("div", "÷", "DivBackward0", 2, lambda a, b, p: a / b,
                lambda v, out, p: (1.0 / v[1], -v[0] / (v[1] * v[1])),
                ("1/{b}", "−{a}/{b}²"), ("1 ÷ {b}", "−{a} ÷ {b}²")),
        GraphOp("neg", "−", "NegBackward0", 1, lambda a, p: -a, lambda v, out, p: (-1.0,), ("−1",), ("−1",)),
        GraphOp("square", "²", "PowBackward0", 1, lambda a, p: a * a, lambda v, out, p: (2.0 * v[0],),
                ("2{a}",), ("2 × {a}",)),
        GraphOp("pow", "^", "PowBackward0", 1, lambda a, p: a ** p, _power_local,
                ("{p}·{a}^({p} − 1)",), ("{p} × {a}^({p} − 1)",)),
        GraphOp("exp", "exp", "ExpBackward0", 1, lambda a, p: np.exp(a), lambda v, out, p: (out,),
                ("exp({a})",), ("{out}",)),
        GraphOp("log", "log", "LogBackward0", 1, lambda a, p: np.log(a), lambda v, out, p: (1.0 / v[0],),
                ("1/{a}",), ("1 ÷ {a}",)),
    )
}

def function_name(activation: str) -> str:
    """An activation's name in a program: a Python name, as PyTorch's (leaky-relu → leaky_relu)."""
    return activation.replace("-", "_")


def _activation_op(name: str) -> GraphOp:
    """An activation as a graph operation: its record's forward and local rule, called on one value."""
    act = ACTIVATIONS[name]
    rhs = act.formula.split(" = ", 1)[1] if " = " in act.formula else act.formula
    return GraphOp(function_name(name), act.display, act.torch_node, 1,
                   lambda z, p: float(act.forward(np.array([z]))[0]),
                   lambda v, out, p: (float(act.local(np.array([v[0]]), np.array([out]))[0]),),
                   (rhs,), (act.numbers,), keys=("z",))


# Every activation a graph may call whose local gradient is elementwise (softmax's is a Jacobian across a layer).
FUNCTIONS: dict[str, GraphOp] = {
    **{function_name(name): _activation_op(name) for name, act in ACTIVATIONS.items()
       if act.elementwise and act.in_graphs},
    "exp": ARITHMETIC["exp"],
    "log": ARITHMETIC["log"],
}

OPS: dict[str, GraphOp] = {**ARITHMETIC, **FUNCTIONS}
