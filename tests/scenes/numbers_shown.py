"""Every number a scene shows must be one the engine produced: parse the numbers out of transcript
items and match each to an engine value at the shown precision. Shared by the chain-rule, gates and
forward scene tests."""

from __future__ import annotations

import re

from tests.arithmetic import precision

SUP = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")
NUMBER = re.compile(r"[−+-]?\d+(?:\.\d+)?(?: ?× ?10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?")
# words and names that hold digits but are not values: counts, positions, parameter indices
NOT_VALUES = re.compile(r"\[\d+(?:,\d+)?\]|(?:factor|path|example|layer|hidden|Step|batch of) \d+(?: of \d+)?|÷ \d+"
                        r"|\d+ (?:paths|factors|examples|units|inputs|products|shares|contributions)\b")


def value_of(text: str) -> float:
    text = text.replace("−", "-").replace(" ", "")
    if "×" in text:
        mantissa, power = text.split("×")
        return float(mantissa) * 10.0 ** int(power[2:].translate(SUP))
    return float(text)


def engine_values(timeline, *more) -> list[float]:
    """Every number the timeline holds (values, factors, terms, operands, parameters, inputs,
    targets, sizes), and `more` (numbers of the engine's other modules)."""
    found = []

    def take(x):
        if isinstance(x, bool) or x is None:
            return
        if isinstance(x, (int, float)):
            found.append(float(x))
        elif isinstance(x, (list, tuple)):
            for y in x:
                take(y)
        elif isinstance(x, dict):
            for y in x.values():
                take(y)

    for e in timeline.events:
        for key in ("value", "factors", "terms", "operands", "old", "grad", "lr"):
            take(e.get(key))
    take([p["value"] for p in timeline.params])
    take(timeline.network["targets"])
    take(timeline.network["sizes"])
    take(timeline.network["examples"])
    take(timeline.network["learning_rate"])
    take(list(more))
    return found


def unmatched(items: list[dict], values: list[float], constants=(1.0,)) -> list[str]:
    """Numbers shown that no engine value (nor a constant of a formula) rounds to."""
    pool = sorted(set(values) | set(constants))
    problems = []
    for item in items:
        text = NOT_VALUES.sub(" ", item["text"])
        for m in NUMBER.finditer(text):
            shown = m.group(0)
            x, half = value_of(shown), precision(shown)
            if not any(abs(v - x) <= half * (1 + 1e-9) + 1e-12 for v in pool):
                problems.append(f"{shown} in {item['text']!r}")
    return problems


def played_once(scene: str, cases: dict):
    """`get(name)`: (timeline, transcript) of `scene` on `cases[name]` (a preset name or a spec), each
    network played once however many tests ask for it."""
    from backprop.engine.spec import load_network, parse_spec
    from backprop.engine.timeline import build_timeline
    from backprop.output.render.transcript import transcript

    cache = {}

    def get(name):
        if name not in cache:
            source = cases[name]
            net = parse_spec(source) if isinstance(source, dict) else load_network(source)
            tl = build_timeline(net)
            cache[name] = (tl, transcript(scene, tl, network=net))
        return cache[name]
    return get
