"""Every number a scene shows, read out of its transcript and matched to a value the engine produced,
at the precision shown (a student's reading: −0.045 stands for anything in [−0.0455, −0.0445])."""

from __future__ import annotations

import re

from tests.arithmetic import SIGNED, precision, value_of

PARAM = re.compile(r"[Wb][\d₀-₉]+\[\d+(?:,\d+)?\]")  # W₁[1,2], W1[1,2]: a name, not numbers
SHAPE = re.compile(r"\b\d+(?:-\d+)+\b")  # 784-128-10
NUMBER = re.compile(SIGNED)


def numbers_in(text: str) -> tuple[list[str], list[tuple[str, float]]]:
    """(shapes, [(as shown, value)]) in `text`."""
    shapes = SHAPE.findall(text)
    text = SHAPE.sub(" ", PARAM.sub(" ", text))
    return shapes, [(m.group(0), value_of(m.group(0))) for m in NUMBER.finditer(text)]


def unexplained(items: list[dict], values, shapes=(), roles=None) -> list[str]:
    """Numbers in the transcript `items` (of `roles`, all but titles by default) that match none of
    `values` at their shown precision, and shapes not among `shapes`."""
    values = [float(v) for v in values]
    problems = []
    for item in items:
        if item["role"] == "title" if roles is None else item["role"] not in roles:
            continue
        seen_shapes, numbers = numbers_in(item["text"])
        problems += [f"shape {s} in {item['text']!r}" for s in seen_shapes if s not in shapes]
        for shown, value in numbers:
            half = precision(shown)
            if not any(abs(v - value) <= half * (1 + 1e-9) + 1e-15 for v in values):
                problems.append(f"{shown} in {item['text']!r}")
    return problems
