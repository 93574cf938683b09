"""Every string the video shows, made from the timeline's numbers (formatting only, never arithmetic).

The layout measures these strings and the builders draw them, so what was placed is what is shown.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from backprop.engine.labels import MINUS, fmt
from backprop.language import N_, _


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


def saturated_text(h: float) -> str | None:
    """A saturated unit's output (|h| near 1, where its local gradient is about 1 − |h|) with digits
    enough that 1 − |h| keeps two significant figures: 0.9968, not 0.997 (1 − 0.997 loses the point).
    None where the usual text already does."""
    gap = 1.0 - abs(h)
    if not 0 < gap < 0.05:
        return None
    places = 1 - math.floor(math.log10(float(f"{gap:.1e}")))  # decimals for two figures of 1 − |h|
    return None if places <= 3 else fmt(h, places)


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


def direction(value: float, symbol: str) -> str:
    """The sign of `symbol`'s gradient and which way the quantity should move, against it:
    "negative: y should go up"."""
    if value < 0:
        return _("negative: {symbol} should go up").format(symbol=symbol)
    if value > 0:
        return _("positive: {symbol} should go down").format(symbol=symbol)
    return _("zero: {symbol} is on target").format(symbol=symbol)


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
    # a value exactly halfway is "≈": students round halves differently
    return "=" if abs(value - shown(result)) < _step(result) / 2 * (1 - 1e-9) else "≈"


def _step(result: str) -> float:
    """A unit in the last shown place of `result`."""
    body = result.strip().strip("()").replace(MINUS, "").lstrip("+")
    if "×" in body:
        mantissa, power = body.split("×")
        return 10.0 ** (int(power.strip()[2:].translate(_FROM_SUP)) - len(mantissa.strip().partition(".")[2]))
    return 10.0 ** -len(body.partition(".")[2])


_FROM_SUP = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")
APPROX = 0.02  # "≈" within 2 % of the result (or half its last place), as a calculator would let pass
MORE_DIGITS = 14  # at most this many digits more on a line's operands before it settles for "≈"


def agrees(value: float, result: str) -> bool:
    """Whether "≈ result" is true of `value` (worked out from the numbers as shown): within the
    larger of half a unit in the result's last place and 2 % of the result."""
    target = shown(result)
    return abs(value - target) <= max(_step(result) / 2, APPROX * abs(target)) * (1 + 1e-9)


def precise_text(x: float, text: str, extra: int) -> str:
    """`x` with `extra` digits more than `text` shows it, no plus sign: −0.0167 where −0.017 would
    make a sum's result unreachable."""
    body = text.strip().strip("()").replace(MINUS, "").lstrip("+")
    if "×" in body:
        return fmt(x, 3, figures=len(body.split("×")[0].strip().replace(".", "")) + extra)
    return fmt(x, max(3, len(body.partition(".")[2])) + extra, figures=2 + extra)


def worked_line(values: list[float], texts: list[str], combine, result: str) -> tuple[list[str], str]:
    """The operands as a line writes them and its relation: as `texts` when the shown numbers give
    `result` ("=") or come close enough for "≈" (`agrees`); otherwise each inexact operand with one
    digit more, then two…, so that no line shows a "≈" a calculator disagrees with.
    `combine` works the shown operands (floats) out as the line's operation does."""
    out = texts
    for extra in range(MORE_DIGITS + 1):
        if extra:
            out = [t if abs(shown(t) - v) <= 1e-14 * abs(v) else precise_text(v, t, extra)
                   for t, v in zip(texts, values)]
        worked = combine([shown(t) for t in out])
        rel = relation(worked, result)
        if rel == "=" or agrees(worked, result):
            return out, rel
    return out, rel


SKIP_TEXT = N_("skip ×1")  # a skip's label: no weight, its local gradient is 1 (h = h_prev + f(z))


@dataclass
class Texts:
    symbol: dict[str, str]  # node id → its symbol (x₁, z₁₁, h₁, y, L)
    unit_lines: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # unit id → (symbol, value) rows
    badge: dict[str, list[str]] = field(default_factory=dict)  # unit id → every badge it will show
    weight: dict[str, str] = field(default_factory=dict)  # weight edge id → its value
    edge_badge: dict[str, str] = field(default_factory=dict)  # weight edge id → its final gradient
    bias: dict[str, str] = field(default_factory=dict)  # bias param → "b 0.1"
    bias_badge: dict[str, str] = field(default_factory=dict)  # bias param → its gradient
    skip: dict[str, str] = field(default_factory=dict)  # skip edge id → its label: it passes h_prev on × 1


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
    for e in timeline.edges:
        if e["kind"] == "skip":
            texts.skip[e["id"]] = _(SKIP_TEXT)
    texts.badge.setdefault("L", [])
    return texts


def words(text: str) -> int:
    """Words a viewer reads: tokens with a letter or a digit (a number counts as one word)."""
    return sum(1 for token in text.split() if any(ch.isalnum() for ch in token))


def units_note(timeline) -> str:
    """What a batch's unit values are (the first example's), for a caption; nothing for one example."""
    n = timeline.network["examples"]
    return " (" + _("units: example 1 of {examples}").format(examples=n) + ")" if n > 1 else ""


NBSP = "\u00a0"


def glued(shape: str) -> str:
    """A network's shape line with no break inside a layer's "1 sigmoid + skip" or "t = 1.0" (a break
    there reads as two layers), so a narrow frame wraps it at the arrows and commas."""
    glue = re.sub(r"(?<=\d) (?=[^\d\s→+,])", NBSP, shape)
    return glue.replace(" = ", f"{NBSP}={NBSP}").replace(" + ", f"{NBSP}+{NBSP}")
