"""The chain rule along paths: every path from the loss back to one parameter, factor by factor.

The timeline computes a gradient once per node, adding contributions where a value fed several units;
the lesson's chain rule reads the same numbers along one path at a time: ∂L/∂y × σ′(z) × w × ReLU′(z₁)
× x. This module walks the timeline's `sources` from a parameter's gradient back to the seed and
returns each path's factors, each naming the event (or the weight) it came from, and the running
product multiplied left to right as the timeline multiplies, so on a single path it equals the
timeline's own events bit for bit. Where the parameter has several paths, their products add up to
its gradient (the timeline's sum, regrouped). No manim here.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Factor:
    """One link of a path. `kind`: seed (∂L/∂y, or ∂L/∂z where the loss is fused), local (an
    activation's ∂h/∂z), weight (∂z/∂h is the weight), input (∂z/∂w is the input on the edge), or
    bias (∂z/∂b = 1)."""

    value: float
    kind: str
    node: str | None  # the node whose gradient this factor carries on to (seed, local), or the input node
    param: str | None  # the weight (weight factors, and the input factor's parameter)
    source: int | None  # the `t` of the event that produced the value; None for a weight or the bias's 1
    edge: str | None  # the drawn edge this factor crosses (for lighting), if any


@dataclass
class Path:
    factors: list[Factor]
    running: list[float] = field(default_factory=list)  # running[k] = factors[0] × … × factors[k]
    events: list[int | None] = field(default_factory=list)  # the event whose value running[k] is, if one is

    @property
    def product(self) -> float:
        return self.running[-1]

    @property
    def edges(self) -> list[str]:
        return [f.edge for f in self.factors if f.edge]


@dataclass
class ChainRule:
    param: str
    example: int  # 0-based: the example the paths belong to (0 for one example)
    paths: list[Path]
    gradient: int  # `t` of the event holding this example's gradient (param_grad, or its share in a batch)
    batch: int | None  # `t` of the accumulate that sums the examples' shares (a batch), else None

    @property
    def total(self) -> float:
        """The paths' products added up: the chain rule's answer (equal to the gradient up to rounding)."""
        return sum(p.product for p in self.paths)


def chain_rule(timeline, param: str, example: int = 0) -> ChainRule:
    """Every path from L to `param` (for one example of a batch), read from the timeline's sources."""
    if timeline.granularity != "scalar":
        raise ValueError("chain_rule reads a scalar timeline (one event per unit and edge)")
    events = timeline.events
    examples = timeline.network["examples"]
    if examples == 1:
        end = next(e for e in events if e["kind"] == "param_grad" and e["param"] == param)
        batch = None
    else:
        end = next(e for e in events if e["kind"] == "multiply" and e.get("partial") and e["target"] == param
                   and e.get("example") == example)
        batch = next(e for e in events if e["kind"] == "accumulate" and e["target"] == param)["t"]
    edge = {p["name"]: p.get("edge") for p in timeline.params}[param]
    d_z, *rest = end["sources"]
    tails = []
    if rest:  # a weight: ∂z/∂w is the input on its edge
        x = events[rest[0]]
        tails.append(Factor(x["value"], "input", x["node"], param, x["t"], edge))
    else:  # a bias: ∂z/∂b = 1
        tails.append(Factor(1.0, "bias", None, param, None, None))
    paths = []
    for links, produced in _paths_to(events, d_z):
        path = Path(links + tails)
        chain = produced + [end["t"]]
        running = None
        for k, f in enumerate(path.factors):
            running = f.value if running is None else running * f.value
            path.running.append(running)
            made = chain[k] if k < len(chain) else None
            path.events.append(made if made is not None and events[made]["value"] == running else None)
        paths.append(path)
    return ChainRule(param, example, paths, end["t"], batch)


def _paths_to(events, t: int) -> list[tuple[list[Factor], list[int]]]:
    """The paths from L to the gradient event `t`: each path's factors, and for each factor the event
    that holds the gradient reached after it (the multiply the timeline did there)."""
    e = events[t]
    if e["kind"] == "seed":
        node = e["node"]
        return [([Factor(e["value"], "seed", node, None, t, _loss_edge(events, e))], [t])]
    if e["kind"] == "accumulate":
        return [p for s in e["sources"] for p in _paths_to(events, s)]
    if e["kind"] == "multiply" and e["step"] == "activation":
        upstream, local = e["sources"]
        loc = events[local]
        return [(links + [Factor(loc["value"], "local", loc["wrt"], None, local, e.get("edge"))], made + [t])
                for links, made in _paths_to(events, upstream)]
    if e["kind"] == "multiply" and e["step"] == "back":
        d_z, _ = e["sources"]
        w = e["factors"][1]
        return [(links + [Factor(w, "weight", e["via"], e["edge"], None, e["edge"])],
                 made + [t])
                for links, made in _paths_to(events, d_z)]
    raise ValueError(f"event {t} ({e['kind']}) is not on a path from the loss")


def _loss_edge(events, seed: dict) -> str:
    """The edge from the output unit into L (the seed's node is z where the loss is fused)."""
    node = seed["node"]
    if node.startswith("z"):
        node = "y" + node.split("_")[1]
    return f"{node}->L"


# ---- why multiply ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Nudged:
    """The lesson's "why multiply" example: f = a·x, g = b·f, x nudged by δ."""

    slopes: tuple[float, float]
    x: float
    delta: float
    f_change: float  # f(x + δ) − f(x): ≈ a·δ
    g_change: float  # g(f(x + δ)) − g(f(x)): ≈ b·a·δ
    slope: float  # a × b: what the changes say the whole chain's slope is


def why_multiply(a: float = 2.0, b: float = 3.0, x: float = 1.0, delta: float = 0.01) -> Nudged:
    """Run f = a·x, g = b·f forward at x and at x + δ: the nudge grows by a, then by b (real passes)."""
    def f(v):
        return a * v

    def g(v):
        return b * v

    f_change = f(x + delta) - f(x)
    g_change = g(f(x + delta)) - g(f(x))
    return Nudged((a, b), x, delta, f_change, g_change, a * b)
