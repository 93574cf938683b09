"""The gradient check as the gradient-check scene writes it (formatting only; backprop.engine.gradient_check
computes): both gradients to seven significant figures, so a viewer can compare them digit by digit,
the relative error in a power of ten, and what the tolerance means."""

from __future__ import annotations

import math

from backprop.engine.gradient_check import TOLERANCE, CheckRow
from backprop.engine.labels import MINUS, Symbols, _scientific, fmt
from backprop.language import N_, _

FIGURES = 7  # enough digits to see numeric and analytic agree far past the three a card shows


def digits_text(x: float) -> str:
    """`x` to FIGURES significant figures: −0.02791082, 4.046754 × 10⁻⁵."""
    if x == 0 or not math.isfinite(x):
        return fmt(x)
    a = abs(x)
    if 1e-3 <= a < 1e5:
        return fmt(x, FIGURES - 1 - math.floor(math.log10(a)))
    return (MINUS if x < 0 else "") + _scientific(a, FIGURES, " × ")


def error_text(error: float | None) -> str:
    return "—" if error is None else fmt(error)


def tolerance_text() -> str:
    return fmt(TOLERANCE)


STATUS = {"ok": N_("✓ agree"), "failed": N_("✗ differ"), "kink": N_("ReLU kink: skipped"),
          "inconclusive": N_("inconclusive")}


def row_texts(row: CheckRow, symbols: Symbols) -> list[str]:
    return [symbols.param(row.param), "—" if row.numeric is None else digits_text(row.numeric), digits_text(row.analytic),
            error_text(row.error), _(STATUS[row.status])]


def shown_rows(rows: list[CheckRow], limit: int, worst: str) -> list[CheckRow]:
    """At most `limit` rows, in the check's order: the largest gradients (what a lecturer would pick,
    not a screen of dead units' zeros), and always the worst one (`worst`, "" if none was compared)."""
    if len(rows) <= limit:
        return list(rows)
    ranked = [r.param for r in sorted(rows, key=lambda r: -abs(r.analytic)) if r.param != worst]
    keep = set(ranked[:limit - 1 if worst else limit]) | ({worst} if worst else set())
    return [r for r in rows if r.param in keep]
