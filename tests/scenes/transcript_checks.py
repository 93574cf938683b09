"""What the scene tests check in a transcript, read as a student with a calculator would: every line of
arithmetic true as shown, time to read, the network's gradients with two significant figures, every one shown."""

import numpy as np

from backprop.engine.backward import backward
from tests.arithmetic import check_line, evaluate, expressions, precision, significant_figures


def arithmetic_problems(data: dict) -> list[str]:
    problems = []
    for item in data["items"]:
        if item["role"] in ("card", "badge", "value", "weight", "table"):
            for line in expressions(item["text"]):
                problems += check_line(line)
    return problems


def readability_problems(data: dict) -> list:
    """What a student in the back row cannot read (tests/scenes/test_readable.py): a card, note, caption or
    table row under 16 px, and a card's line (broken or not) whose arithmetic does not hold."""
    small = [(i["role"], i["px"], i["text"]) for i in data["items"]
             if i["role"] in ("card", "note", "caption", "table") and i["px"] < 16 - 1e-6]
    return small + [p for i in data["items"] if i["role"] == "card" for line in expressions(i["text"])
                    for p in check_line(line)]


def timing_problems(data: dict) -> list[str]:
    problems = []
    for item in data["items"]:
        shown_for = item["visible"][1] - item["visible"][0]
        if item["role"] == "card" and ("=" in item["text"].split("\n")[-1] or "≈" in item["text"]):
            if shown_for < 2.5 - 1e-6:
                problems.append(f"card shown {shown_for:.2f} s: {item['text']!r}")
        if item["role"] == "caption":
            if item["end"] - item["start"] < 2.0 - 1e-6:
                problems.append(f"beat of {item['end'] - item['start']:.2f} s: {item['text']!r}")
            if item["text"].startswith("Forward pass recap") and item["end"] - item["start"] < 6.0:
                problems.append("forward recap under 6 s")
            words = len([w for w in item["text"].split() if any(c.isalnum() for c in w)])
            for other in data["items"]:
                if other["role"] in ("card", "note") and item["start"] <= other["start"] < item["end"]:
                    words += len([w for w in other["text"].split() if any(c.isalnum() for c in w)])
            wpm = words / ((item["end"] - item["start"]) / 60)
            if wpm > 140:
                problems.append(f"{wpm:.0f} words a minute in beat {item['text']!r}")
    return problems


def final_gradient_problems(data: dict) -> list[str]:
    """Every gradient still on the network at the end of the pass has two significant figures."""
    problems = []
    for item in data["items"]:
        if item["role"] != "badge":
            continue
        number = item["text"].split("=")[-1].strip()
        figures = significant_figures(number)
        if figures is not None and figures < 2:
            problems.append(f"badge {item['text']!r} has {figures} significant figure")
    return problems


def gradients_missing_from_network(data: dict, net, table: bool = False) -> list[str]:
    """Parameters whose gradient (the engine's, which tests/engine checks against finite differences)
    is not among the pills on the network when it leaves the screen: each pill read as a number and
    matched once, within its shown rounding. `table`: a gradient may be in the closing table instead
    (a layer too dense for every number), where the network says so ("see the table")."""
    badges = [i for i in data["items"] if i["role"] == "badge"]
    leaves = max(i["end"] for i in badges)
    shown = [i["text"].replace("×10", " × 10") for i in badges if i["end"] == leaves]  # a pill: "+8.0×10⁻⁴"
    cells = [i["text"].split("  ") for i in data["items"] if i["role"] == "table"]
    rows = [c[-2] for c in cells if len(c) >= 4 and c[-2] != "gradient"]  # parameter, path, value, gradient, advice
    missing, in_table = [], False
    for name, grad in backward(net).grads.items():
        for index, g in np.ndenumerate(grad):
            for pool in (shown, rows) if table else (shown,):
                match = next((t for t in pool if abs(evaluate(t) - g) <= precision(t) + 1e-9), None)
                if match is not None:
                    pool.remove(match)
                    in_table |= pool is rows
                    break
            else:
                missing.append(f"{name}{index}: {g:.6f}")
    if in_table:  # a gradient only in the table: the network said where to look
        assert any("see the table" in i["text"] for i in data["items"])
    return missing
