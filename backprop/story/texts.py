"""Every string the video shows, made from the timeline's numbers (formatting only, never arithmetic).

The layout measures these strings and the builders draw them, so what was placed is what is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from backprop.engine.labels import fmt


def value_text(x: float) -> str:
    """Forward values and parameters as the lesson writes them: 0.5, 0.54, 0.20, 0.444, −0.4."""
    text = fmt(x, 3)
    if "e" in text:
        return text
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    if len(frac) < 1:
        frac = frac.ljust(1, "0")
    return f"{whole}.{frac}"


def factor_text(x: float) -> str:
    """A local factor: ReLU's 1 and 0 as whole numbers, anything else as a value."""
    return str(int(x)) if x in (0.0, 1.0) else value_text(x)


def hidden_value_text(x: float) -> str:
    """Values inside units keep two decimals at least, like the lesson's table (0.54, 0.20)."""
    text = value_text(x)
    if "e" not in text and len(text.partition(".")[2]) < 2:
        text += "0"
    return text


def loss_text(x: float) -> str:
    return fmt(x, 4)


def grad_text(x: float) -> str:
    """A gradient: three decimals, a true minus or a plus sign, scientific form when tiny."""
    return fmt(x, 3, plus=True)


def operand_text(x: float) -> str:
    """A gradient inside a product or sum: three decimals like the lesson's (−0.093)."""
    return grad_text(x).lstrip("+")


def later_operand_text(x: float, text: str | None = None) -> str:
    """A later factor or term: negative numbers in parentheses, −0.093 × (−0.4)."""
    t = text if text is not None else operand_text(x)
    return f"({t})" if x < 0 else t


@dataclass
class Texts:
    symbol: dict[str, str]  # node id → its symbol (x₁, z₁₁, h₁, y, L)
    unit_lines: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # unit id → (symbol, value) rows
    badge: dict[str, list[str]] = field(default_factory=dict)  # unit id → every badge it will show
    weight: dict[str, str] = field(default_factory=dict)  # weight edge id → its value
    edge_badge: dict[str, str] = field(default_factory=dict)  # weight edge id → its final gradient
    bias: dict[str, str] = field(default_factory=dict)  # bias param → "b 0.1"
    bias_badge: dict[str, str] = field(default_factory=dict)  # bias param → its gradient


def make_texts(timeline) -> Texts:
    nodes = {n["id"]: n for n in timeline.nodes}
    texts = Texts(symbol={n["id"]: n["symbol"] for n in timeline.nodes})
    first_values: dict[str, float] = {}
    for e in timeline.of_kind("forward"):
        first_values.setdefault(e["node"], e["value"])
    loss = timeline.of_kind("loss")[-1]["value"]
    z_of = {e["target"]: e["source"] for e in timeline.edges if e["kind"] == "activation"}
    for nid, n in nodes.items():
        if n["kind"] == "input":
            texts.unit_lines[nid] = [(n["symbol"], value_text(first_values[nid]))]
        elif n["kind"] in ("h", "y"):
            z = z_of[nid]
            texts.unit_lines[nid] = [(nodes[z]["symbol"], hidden_value_text(first_values[z])),
                                     (n["symbol"], hidden_value_text(first_values[nid]))]
        elif n["kind"] == "loss":
            texts.unit_lines[nid] = [("L", loss_text(loss))]
    unit_of = {**{k: k for k in texts.unit_lines}, **{z: h for h, z in z_of.items()}}
    for e in timeline.events:
        target = e.get("node") if e["kind"] == "seed" else e.get("target")
        if e["kind"] in ("seed", "multiply", "accumulate") and target in unit_of and not e.get("partial"):
            texts.badge.setdefault(unit_of[target], []).append(grad_text(e["value"]))
    for p in timeline.params:
        if p["kind"] == "weight":
            texts.weight[p["edge"]] = value_text(p["value"])
        else:
            texts.bias[p["name"]] = f"b {value_text(p['value'])}"
    for e in timeline.of_kind("param_grad"):
        if e["param"] in texts.bias:
            texts.bias_badge[e["param"]] = grad_text(e["value"])
        else:
            texts.edge_badge[e["param"]] = grad_text(e["value"])
    texts.badge.setdefault("L", [])
    return texts
