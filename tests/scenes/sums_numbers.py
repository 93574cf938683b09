"""The numbers a transcript shows, read back as a student would, and matched to the engine's values at
the shown precision (a helper for the lesson scenes' tests; no tests here)."""

from __future__ import annotations

import re

from tests.arithmetic import SIGNED, precision, value_of

# a number that is not part of a name: W₁[1,2]'s indices and subscripts are not numbers
NUMBER = re.compile(rf"(?<![\w\[,.·]){SIGNED}(?![\w\]])")


def shown_numbers(data: dict, roles=("card", "value", "table", "badge", "weight", "note"),
                  ignore: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(number as shown, the line it is in) for every number in items of `roles`, after removing the
    `ignore` patterns (counts, shapes, layer names)."""
    found = []
    for item in data["items"]:
        if item["role"] not in roles:
            continue
        for line in item["text"].split("\n"):
            text = line
            for pattern in ignore:
                text = re.sub(pattern, " ", text)
            found += [(m.group(0), line) for m in NUMBER.finditer(text)]
    return found


def unmatched(data: dict, values, **kwargs) -> list[str]:
    """Shown numbers that no engine value rounds to (values may be matched by size: bars show |x|)."""
    pool = sorted({float(v) for v in values} | {abs(float(v)) for v in values})
    problems = []
    for text, line in shown_numbers(data, **kwargs):
        x, half = value_of(text), precision(text)
        if not any(abs(x - v) <= half * (1 + 1e-9) + 1e-15 for v in pool):
            problems.append(f"{text} in {line!r}")
    return problems


def flat(x) -> list[float]:
    """Every number in a nested list / scalar."""
    if isinstance(x, (list, tuple)):
        return [v for item in x for v in flat(item)]
    if isinstance(x, dict):
        return [v for item in x.values() for v in flat(item)]
    if isinstance(x, bool) or x is None or isinstance(x, str):
        return []
    return [float(x)]


def timeline_values(timeline) -> list[float]:
    """Every number the timeline holds: events' values, factors, terms, operands; parameters."""
    values = []
    for e in timeline.events:
        for key in ("value", "factors", "terms", "operands", "old", "grad", "lr", "per_example"):
            if key in e:
                values += flat(e[key])
    for p in timeline.params:
        values += flat(p["value"])
    values += flat(timeline.network["targets"])
    return values
