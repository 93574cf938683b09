"""Numbers read back from a transcript and matched to the engine's: every number a scene shows must
be one the timeline or the engine produced, at the precision it is shown (as a student would check)."""

import re

import numpy as np

from tests.arithmetic import NUMBER, SUP, precision

SIGNED = re.compile(rf"(?<![\w.])(−|-)?{NUMBER}")


def shown_numbers(text: str) -> list[tuple[float, str]]:
    """(value, as shown) of every number in `text`; parameter indices ([1,2]) and the 2 of 2ε are names."""
    text = re.sub(r"\[[\d,\s]+\]", "", text).replace("2ε", "ε")
    found = []
    for m in SIGNED.finditer(text):
        body = m.group(0).lstrip("−-")
        if "×" in body:
            mantissa, power = body.split("×")
            value = float(mantissa) * 10.0 ** int(power.strip()[2:].translate(SUP))
        else:
            value = float(body)
        found.append((-value if m.group(1) else value, m.group(0)))
    return found


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
