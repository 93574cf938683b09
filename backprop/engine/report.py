"""The gradient report: every parameter's value, gradient and updated value, in the lesson's order.

One model for `backprop gradients`, the closing table of a video and the exports: which rows a
short table keeps (the largest |gradient|s) and which way each parameter should move are decided
here once; each view only words and formats them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backprop.engine.backward import backward, update
from backprop.engine.forward import forward
from backprop.engine.frozen import is_frozen
from backprop.engine.labels import Symbols, element_name
from backprop.engine.spec import Network


@dataclass(frozen=True)
class Row:
    name: str  # W1[1,2]
    symbol: str  # W₁[1,2], as the video writes it
    path: str  # x₂ → h₁
    kind: str  # weight | bias
    value: float
    gradient: float
    updated: float
    frozen: bool = False  # the spec's `frozen`: the update leaves it

    @property
    def advice(self) -> str:
        """Which way gradient descent moves it: against the gradient's sign."""
        return "increase" if self.gradient < 0 else "decrease" if self.gradient > 0 else "leave"


@dataclass(frozen=True)
class GradientReport:
    network: str
    shape: str
    loss: float
    outputs: list[list[float]]
    learning_rate: float
    rows: list[Row]  # the lesson's order: a layer's weights row by row, then its biases
    total: int  # parameters in the network; more than len(rows) when a limit kept the largest

    @property
    def left_out(self) -> int:
        return self.total - len(self.rows)


def largest(gradients, limit: int | None) -> list[int]:
    """Positions of the rows a table of `limit` rows keeps, in their order: all of them, or the
    `limit` largest |gradient|s (the earlier one first on a tie)."""
    g = np.abs(np.asarray(gradients, dtype=float))
    if limit is None or g.size <= limit:
        return list(range(g.size))
    return sorted(np.argsort(-g, kind="stable")[:limit].tolist())


def report_from_engine(net: Network, limit: int | None = None) -> GradientReport:
    """From the vectorised engine: any size of network (rows are made only for what is kept)."""
    fwd = forward(net)
    grads = backward(net, fwd).grads
    updated = update(net, grads)
    sym = Symbols(net.sizes)
    params = net.params()
    entries = [(name, idx) for name, array in params.items() for idx in np.ndindex(array.shape)]
    flat = np.concatenate([grads[name].ravel() for name in params])
    rows = []
    for k in largest(flat, limit):
        name, idx = entries[k]
        element = element_name(name, idx)
        rows.append(Row(element, sym.param(element), sym.param_path(element),
                        "weight" if name[0] == "W" else "bias", float(params[name][idx]),
                        float(grads[name][idx]), float(updated[name][idx]), is_frozen(net, name, idx)))
    return GradientReport(net.name, net.shape_line(), fwd.loss, fwd.y.tolist(), net.learning_rate, rows,
                          len(entries))


def report_from_timeline(timeline, limit: int | None = None, first: frozenset = frozenset()) -> GradientReport:
    """From a scalar timeline's own events (what a scene shows must come from its timeline). `first`:
    parameters kept before the largest (those the network view had no room for)."""
    grads = {e["param"]: e["value"] for e in timeline.of_kind("param_grad")}
    updates = {e["param"]: e["value"] for e in timeline.of_kind("update")}
    layer = lambda p: int(p["name"][1:p["name"].index("[")])  # noqa: E731
    ordered = sorted(timeline.params, key=lambda p: (layer(p), p["kind"] == "bias"))
    frozen = {e["param"] for e in timeline.of_kind("update") if e.get("frozen") is True}
    rows = [Row(p["name"], p["symbol"], p["path"], p["kind"], p["value"], grads[p["name"]], updates[p["name"]],
                p["name"] in frozen) for p in ordered]
    owed = [k for k, r in enumerate(rows) if r.name in first][:limit]
    rest = [k for k in range(len(rows)) if k not in owed]
    more = largest([rows[k].gradient for k in rest], None if limit is None else limit - len(owed))
    kept = [rows[k] for k in sorted(owed + [rest[k] for k in more])]
    net = timeline.network
    loss = next(e["value"] for e in reversed(timeline.events) if e["kind"] == "loss")
    outputs = [[e["value"] for e in timeline.events if e["kind"] == "forward" and e.get("example", 0) == n
                and e["node"].startswith("y")] for n in range(net["examples"])]
    return GradientReport(net["name"], net["shape"], loss, outputs, net["learning_rate"], kept, len(rows))


def gradients_document(net: Network) -> dict:
    """`backprop gradients --json`: loss, outputs, every gradient and the parameters after one update,
    in the spec's shapes (also an exercise's answer key)."""
    fwd = forward(net)
    grads = backward(net, fwd).grads
    return {
        "network": net.name,
        "loss": fwd.loss,
        "outputs": fwd.y.tolist(),
        "gradients": {k: v.tolist() for k, v in grads.items()},
        "updated": {k: v.tolist() for k, v in update(net, grads).items()},
        "learning_rate": net.learning_rate,
    }
