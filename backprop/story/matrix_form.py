"""The backward pass as matrices, as the `matrix-form` scene writes it: entries as text, shapes, and
"=" or "≈" worked out on the entries as shown (a product of shown matrices must give the shown result
entry by entry for "="). Column convention, as textbooks write it: one column per example, so
δ = (Wᵀ δ) ⊙ f′(z) and ∂L/∂W = δ aᵀ; the engine stores examples as rows, and this module only
transposes. No manim."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from backprop.story.texts import (MORE_DIGITS, agrees, factor_text, operand_text, precise_text, relation, shown,
                                  unit_value_text, value_text)

SMALL = 4  # a matrix with at most this many rows and columns (examples included) shows every entry
CORNER = 3  # a big matrix shows its top-left CORNER × CORNER entries, then ⋯ and ⋮


@dataclass(frozen=True)
class MatrixText:
    symbol: str  # W₂ᵀ, δ₂, ∂L/∂W₁
    rows: int
    cols: int
    entries: list[list[str]]  # what is shown: every entry, or the corner with "⋯" / "⋮"
    whole: bool  # every entry shown
    values: tuple = ()  # every entry's exact value (rows), for more digits where a product needs them

    @property
    def shape(self) -> str:
        return f"{self.rows}×{self.cols}"

    def line(self) -> str:
        """As one line of text (the transcript): rows separated by "; "."""
        return "[" + "; ".join(", ".join(row) for row in self.entries) + "]"


FORMATS = {"weight": value_text, "grad": operand_text, "local": factor_text, "value": unit_value_text,
           "input": value_text}


def matrix_text(symbol: str, values, kind: str) -> MatrixText:
    """`values` already in the shown orientation (a list of rows); `kind` picks how entries read."""
    m = np.atleast_2d(np.asarray(values, dtype=float))
    rows, cols = m.shape
    show = FORMATS[kind]
    whole = rows <= SMALL and cols <= SMALL
    if whole:
        entries = [[show(float(v)) for v in row] for row in m]
    else:
        r, c = min(rows, CORNER), min(cols, CORNER)
        entries = [[show(float(v)) for v in row[:c]] + (["⋯"] if cols > c else []) for row in m[:r]]
        if rows > r:
            entries.append(["⋮"] * (c + (1 if cols > c else 0)))
    return MatrixText(symbol, rows, cols, entries, whole, tuple(tuple(float(v) for v in row) for row in m))


def with_digits(mt: MatrixText, extra: int) -> MatrixText:
    """Every inexact entry of a whole matrix with `extra` digits more (precise_text)."""
    if not extra or not mt.whole:
        return mt
    entries = [[t if abs(shown(t) - v) <= 1e-14 * abs(v) else precise_text(v, t, extra)
                for t, v in zip(row, values)] for row, values in zip(mt.entries, mt.values)]
    return replace(mt, entries=entries)


def calculator_true(a: MatrixText, b: MatrixText, result: MatrixText, op: str) -> tuple[MatrixText, MatrixText]:
    """a and b as shown, or with more digits where their shown entries cannot give every entry of the
    result within "≈" (story.texts.agrees): −0.019 + 0.029 + (−0.020) is not ≈ −0.0088."""
    if not (a.whole and b.whole and result.whole):
        return a, b
    for extra in range(MORE_DIGITS + 1):
        a2, b2 = with_digits(a, extra), with_digits(b, extra)
        worked = _shown(a2) @ _shown(b2) if op == "·" else _shown(a2) * _shown(b2)
        if all(agrees(float(w), r) for w_row, r_row in zip(worked, result.entries) for w, r in zip(w_row, r_row)):
            return a2, b2
    return a2, b2


def _shown(mt: MatrixText) -> np.ndarray:
    return np.array([[shown(t) for t in row] for row in mt.entries])


def product_relation(a: MatrixText, b: MatrixText, result: MatrixText, op: str) -> str:
    """"=" where the shown entries of a (op) b round to the shown result everywhere, "≈" where some
    entry does not, "→" where entries are hidden (a big matrix: only the shapes are checked)."""
    if not (a.whole and b.whole and result.whole):
        return "→"
    worked = _shown(a) @ _shown(b) if op == "·" else _shown(a) * _shown(b)
    same = all(relation(float(w), r) == "=" for w_row, r_row in zip(worked, result.entries)
               for w, r in zip(w_row, r_row))
    return "=" if same else "≈"


def shape_line(a: MatrixText, b: MatrixText, op: str, transposed: str = "") -> str:
    """`(1×2)ᵀ · (1×1) → 2×1`: the shapes as stored, the transpose marked, and the result's shape.
    `transposed` names which operand ("a" or "b") is shown transposed from how it is stored."""
    def part(m: MatrixText, t: bool) -> str:
        return f"({m.cols}×{m.rows})ᵀ" if t else f"({m.rows}×{m.cols})"

    rows = a.rows
    cols = b.cols
    return f"{part(a, transposed == 'a')} {op} {part(b, transposed == 'b')} → {rows}×{cols}"


def shapes_match(a: MatrixText, b: MatrixText, op: str) -> bool:
    return a.cols == b.rows if op == "·" else (a.rows, a.cols) == (b.rows, b.cols)


def narrower(mt: MatrixText, k: int = 2) -> MatrixText:
    """The same matrix showing at most its k × k corner (for a row of products too wide to read)."""
    data = [[c for c in row if c != "⋯"] for row in mt.entries if row[0] != "⋮"]
    r, c = min(len(data), k), min(len(data[0]), k)
    entries = [row[:c] + (["⋯"] if mt.cols > c else []) for row in data[:r]]
    if mt.rows > r:
        entries.append(["⋮"] * len(entries[0]))
    return replace(mt, entries=entries, whole=(r == mt.rows and c == mt.cols))
