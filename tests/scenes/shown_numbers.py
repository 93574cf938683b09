"""Every number a scene shows must be one the engine produced: the numbers read out of transcript items
(tests/arithmetic.py's NUMBER and value_of) and each matched to an engine value at its shown precision,
as a student would check. Shared by the chain-rule, gates, forward, nudge and update scene tests."""

from __future__ import annotations

import re

import numpy as np

from tests.arithmetic import SIGNED, precision, value_of

VALUE = re.compile(SIGNED)
# words and names that hold digits but are not values: counts, positions, parameter indices
NOT_VALUES = re.compile(r"\[\d+(?:,\d+)?\]|(?:factor|path|example|layer|hidden|Step|batch of) \d+(?: of \d+)?|÷ \d+"
                        r"|\d+ (?:paths|factors|examples|units|inputs|products|shares|contributions)\b")
# a number standing alone (not the digits of a name)
ALONE = re.compile(rf"(?<![\w.]){SIGNED}")


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
        for m in VALUE.finditer(text):
            shown = m.group(0)
            x, half = value_of(shown), precision(shown)
            if not any(abs(v - x) <= half * (1 + 1e-9) + 1e-12 for v in pool):
                problems.append(f"{shown} in {item['text']!r}")
    return problems


def played_once(scene: str, cases: dict):
    """`get(name)`: (timeline, transcript) of `scene` on `cases[name]` (a preset name or a spec), each
    network played once however many tests (and modules: tests/plays.py) ask for it."""
    from backprop.engine.timeline import build_timeline
    from tests.plays import network_of, played

    cache = {}

    def get(name):
        if name not in cache:
            cache[name] = (build_timeline(network_of(cases[name])), played(scene, cases[name]))
        return cache[name]
    return get


def shown_numbers(text: str) -> list[tuple[float, str]]:
    """(value, as shown) of every number in `text`; parameter indices ([1,2]) and the 2 of 2ε are names."""
    text = re.sub(r"\[[\d,\s]+\]", "", text).replace("2ε", "ε")
    return [(value_of(m.group(0)), m.group(0)) for m in ALONE.finditer(text)]


def flatten(values) -> list[float]:
    out = []
    for v in values:
        if isinstance(v, (list, tuple, np.ndarray)):
            out += flatten(list(np.ravel(np.asarray(v, dtype=float))))
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            out.append(float(v))
    return out


def timeline_numbers(timeline) -> list[float]:
    values = [p["value"] for p in timeline.params] + [timeline.network["learning_rate"]]
    values += [x for t in timeline.network["targets"] for x in t]
    examples = timeline.network["examples"]
    values += [examples] + list(range(1, examples + 1))  # "units: example 1 of 3"
    for e in timeline.events:
        values += [e[k] for k in ("value", "factors", "terms", "old", "grad", "lr") if k in e]
    return flatten(values)


def unexplained(data: dict, engine: list[float], roles=("card", "note", "table", "value", "weight", "badge",
                                                         "caption")) -> list[str]:
    """Shown numbers no engine value explains at their shown precision."""
    engine = np.array(engine)
    problems = []
    for item in data["items"]:
        if item["role"] not in roles:
            continue
        for value, text in shown_numbers(item["text"]):
            half = precision(text) * (1 + 1e-9)
            if not (np.abs(engine - value) <= half).any():
                problems.append(f"{text} in {item['text']!r}")
    return problems
