"""Every string the video shows, made from the timeline's numbers (formatting only, never arithmetic).

The layout measures these strings and the builders draw them, so what was placed is what is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from backprop.engine.labels import MINUS, fmt


def value_text(x: float) -> str:
    """Inputs and parameters as the lesson writes them: 0.5, −0.4, 0.444. Trailing zeros go only
    where what is left still has two significant figures or is the exact value (0.0010 stays)."""
    text = fmt(x, 3)
    if "×" in text or "." not in text:
        return text
    whole, _, frac = text.partition(".")
    short = f"{whole}.{frac.rstrip('0') or '0'}"
    digits = short.replace(MINUS, "").replace(".", "").lstrip("0")
    exact = abs(float(short.replace(MINUS, "-")) - x) <= 1e-9 * max(1.0, abs(x))
    return short if len(digits) >= 2 or exact else text


def unit_value_text(x: float) -> str:
    """Values a unit computed (z, h, y) keep two decimals at least, like the lesson's table (0.54,
    0.20): on the unit and on every card that quotes them."""
    text = value_text(x)
    if "×" not in text and len(text.partition(".")[2]) < 2:
        text += "0"
    return text


def factor_text(x: float) -> str:
    """A local gradient: ReLU's 1 and 0 as whole numbers, anything else as a value."""
    return str(int(x)) if x in (0.0, 1.0) else value_text(x)


def loss_text(x: float) -> str:
    return fmt(x, 4)


def updated_text(x: float) -> str:
    """A parameter after one step: four decimals, where 0.3 − 0.1 × (−0.045) = 0.3045 is exact."""
    return fmt(x, 4)


def grad_text(x: float) -> str:
    """A gradient: three decimals (at least two significant figures), a true minus or a plus sign."""
    return fmt(x, 3, plus=True)


def badge_text(x: float) -> str:
    """A gradient on the network: as on cards, a power of ten written tight (+2.3×10⁻⁴) to fit
    beside its neighbours."""
    return fmt(x, 3, plus=True, times="×")


def operand_text(x: float) -> str:
    """A gradient inside a product or sum: as a gradient, without the plus sign (−0.093, 0.037)."""
    return grad_text(x).lstrip("+")


def bracketed(text: str) -> str:
    """An operand after the first: a negative number or a power of ten in brackets, so that
    "−0.093 × (−0.4)" and "0.5 × (8.8 × 10⁻⁴)" read as one number each."""
    return f"({text})" if text.startswith(MINUS) or "×" in text else text


def direction(value: float) -> str:
    """Which way the quantity should move, against its gradient."""
    return "should go up" if value < 0 else "should go down" if value > 0 else "is on target"


def product_text(texts: list[str]) -> str:
    return " × ".join([texts[0]] + [bracketed(t) for t in texts[1:]])


def sum_text(texts: list[str]) -> str:
    return " + ".join([texts[0]] + [bracketed(t) for t in texts[1:]])


def shown(text: str) -> float:
    """The number a displayed text stands for (what a student would type into a calculator)."""
    text = text.strip().strip("()").replace(MINUS, "-").lstrip("+")
    if "×" in text:
        mantissa, power = text.split("×")
        exponent = power.strip()[2:].translate(_FROM_SUP)
        return float(mantissa) * 10.0 ** int(exponent)
    return float(text)


def relation(value: float, result: str) -> str:
    """"=" when `value` (worked out from the numbers as shown) rounds to `result` as shown, else "≈":
    every line a card shows must be true to a student with a calculator."""
    target = shown(result)
    body = result.replace(MINUS, "").lstrip("+")
    if "×" in body:
        mantissa, power = body.split("×")
        step = 10.0 ** (int(power.strip()[2:].translate(_FROM_SUP)) - len(mantissa.strip().partition(".")[2]))
    else:
        step = 10.0 ** -len(body.partition(".")[2])
    # a value exactly halfway is "≈": students round halves differently
    return "=" if abs(value - target) < step / 2 * (1 - 1e-9) else "≈"


_FROM_SUP = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


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
            texts.unit_lines[nid] = [(nodes[z]["symbol"], unit_value_text(first_values[z])),
                                     (n["symbol"], unit_value_text(first_values[nid]))]
        elif n["kind"] == "loss":
            texts.unit_lines[nid] = [("L", loss_text(loss))]
    unit_of = {**{k: k for k in texts.unit_lines}, **{z: h for h, z in z_of.items()}}
    for e in timeline.events:
        target = e.get("node") if e["kind"] == "seed" else e.get("target")
        if e["kind"] in ("seed", "multiply", "accumulate") and target in unit_of and not e.get("partial"):
            texts.badge.setdefault(unit_of[target], []).append(badge_text(e["value"]))
    for p in timeline.params:
        if p["kind"] == "weight":
            texts.weight[p["edge"]] = value_text(p["value"])
        else:
            texts.bias[p["name"]] = f"b {value_text(p['value'])}"
    for e in timeline.of_kind("param_grad"):
        if e["param"] in texts.bias:
            texts.bias_badge[e["param"]] = badge_text(e["value"])
        else:
            texts.edge_badge[e["param"]] = badge_text(e["value"])
    texts.badge.setdefault("L", [])
    return texts


def words(text: str) -> int:
    """Words a viewer reads: tokens with a letter or a digit (a number counts as one word)."""
    return sum(1 for token in text.split() if any(ch.isalnum() for ch in token))
