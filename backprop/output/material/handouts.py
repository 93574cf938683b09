"""The gradient table for handouts: markdown, CSV and LaTeX, from the report the video's table uses.

`backprop gradients --format …` writes these. Each format words the same rows (engine/report.py):
markdown and LaTeX with the lesson's rounding and a true minus, for notes and printed sheets; CSV
with every digit and every parameter, for a spreadsheet (RFC 4180 through the csv module, UTF-8 with
a byte-order mark for Excel).
"""

from __future__ import annotations

import csv
import io
import re

from backprop.engine.labels import MINUS, fmt
from backprop.engine.report import GradientReport
from backprop.language import N_, _

HEADER = [N_("parameter"), N_("path"), N_("value"), N_("gradient"), N_("updated"), N_("to reduce the loss")]


def meaning(row) -> str:
    """What to do with the parameter, in the language spoken (English for the tables `gradients` writes)."""
    return _(ADVICE.get((row.advice, row.kind), "no change"))


ADVICE = {("increase", "weight"): N_("increase this weight"), ("decrease", "weight"): N_("decrease this weight"),
          ("increase", "bias"): N_("increase this bias"), ("decrease", "bias"): N_("decrease this bias"),
          ("leave", "weight"): N_("no change"), ("leave", "bias"): N_("no change")}


def _cells(row) -> list[str]:
    """One row as the lesson writes it (true minus; the gradient with its sign either way)."""
    return [row.symbol, row.path, fmt(row.value), fmt(row.gradient, plus=True), fmt(row.updated, 4), meaning(row)]


def _outputs(report: GradientReport, number) -> str:
    return "; ".join("[" + ", ".join(number(v) for v in row) + "]" for row in report.outputs)


def _left_out(report: GradientReport) -> str:
    return f"the {len(report.rows)} largest of {report.total:,} gradients; --format csv lists every one"


# ---- markdown ----------------------------------------------------------------------------------------

def _md(text: str) -> str:
    """A pipe-table cell: a `|` or backslash inside it escaped, so it cannot split the row."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _md_text(text: str) -> str:
    """Running text (the network's name): markdown's emphasis, code and link characters escaped."""
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", text.replace("\n", " "))


def markdown(report: GradientReport) -> str:
    """A pipe table (GitHub, Jupyter, pandoc), numbers right-aligned, under a line naming the network."""
    lines = [f"**{_md_text(report.network)}**: {_md_text(report.shape)}  ",
             f"loss L = {fmt(report.loss, 4)}, output y = {_outputs(report, fmt)}", "",
             "| " + " | ".join(HEADER) + " |", "|---|---|---:|---:|---:|---|"]
    lines += ["| " + " | ".join(_md(c) for c in _cells(r)) + " |" for r in report.rows]
    if report.left_out:
        lines += ["", f"({_left_out(report)})"]
    lines += ["", f"updated = value {MINUS} {report.learning_rate:g} × gradient (one gradient-descent step)"]
    return "\n".join(lines) + "\n"


# ---- CSV ---------------------------------------------------------------------------------------------

def csv_table(report: GradientReport) -> str:
    """RFC 4180: a header record, then one record per parameter, numbers with every digit (repr).
    It starts with a byte-order mark: without one Excel reads UTF-8 as the local code page and writes
    W₁ as mojibake (Python's `utf-8-sig`, pandas and LibreOffice read past it)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["name", "symbol", "path", "kind", "value", "gradient", "updated", "to reduce the loss"])
    for r in report.rows:
        writer.writerow([r.name, r.symbol, r.path, r.kind, repr(r.value), repr(r.gradient), repr(r.updated),
                         meaning(r)])
    return "\ufeff" + out.getvalue()


# ---- LaTeX -------------------------------------------------------------------------------------------

_LATEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                  "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉"
_SUPERSCRIPTS = "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"
# a symbol: a letter with subscripts and a layer superscript (x₁, W₁[1,2], h₂⁽¹⁾), or a lone letter (y, t)
_MATH_WORD = re.compile(rf"^([A-Za-z]+[{_SUBSCRIPTS}][{_SUBSCRIPTS},]*(⁽[{_SUPERSCRIPTS}]+⁾)?(\[[0-9,]+\])?|[A-Za-z])$")
_IN_TEXT = {"→": r"$\to$", MINUS: r"$-$", "×": r"$\times$", "—": "---", "…": r"\dots{}", "σ": r"$\sigma$",
            "≤": r"$\leq$", "≥": r"$\geq$", "·": r"$\cdot$"}


def latex_escape(text: str) -> str:
    """Plain text for LaTeX: its special characters escaped, the lesson's symbols as math."""
    return "".join(_LATEX_SPECIAL.get(c) or _IN_TEXT.get(c) or c for c in text)


def _latex_symbol(word: str) -> str:
    """W₁[1,2] → $W_{1}[1,2]$, h₂⁽¹⁾ → $h_{2}^{(1)}$."""
    body = re.sub(rf"[{_SUBSCRIPTS}][{_SUBSCRIPTS},]*",
                  lambda m: "_{" + m.group(0).translate(str.maketrans(_SUBSCRIPTS, "0123456789")) + "}", word)
    body = re.sub(rf"⁽([{_SUPERSCRIPTS}]+)⁾",
                  lambda m: "^{(" + m.group(1).translate(str.maketrans(_SUPERSCRIPTS, "-0123456789")) + ")}", body)
    return f"${body}$"


def latex_words(text: str) -> str:
    """A symbol, a path or a phrase: each subscripted word in math mode, the rest escaped."""
    return " ".join(_latex_symbol(w) if _MATH_WORD.match(w) else latex_escape(w) for w in text.split(" "))


def latex_number(x: float, places: int = 3, plus: bool = False) -> str:
    """In math mode, so the minus is a real minus: $-0.028$, $+4.0\\times10^{-5}$."""
    text = fmt(x, places, plus=plus, minus="-", times="×")
    mantissa, times, exponent = text.partition("×10")
    if times:
        power = exponent.translate(str.maketrans(_SUPERSCRIPTS, "-0123456789"))
        text = f"{mantissa}\\times10^{{{power}}}"
    return f"${text}$"


def latex(report: GradientReport) -> str:
    """A `tabular` (booktabs not needed): the network on a spanning first row, then the rows."""
    head = f"{latex_escape(report.network)}: {latex_escape(report.shape)}"
    loss = (f"loss $L = {latex_number(report.loss, 4)[1:-1]}$, output $y = $ "
            + _outputs(report, latex_number))
    lines = [r"\begin{tabular}{llrrrl}", r"\hline",
             rf"\multicolumn{{6}}{{l}}{{{head}}} \\", rf"\multicolumn{{6}}{{l}}{{{loss}}} \\", r"\hline",
             " & ".join(HEADER) + r" \\", r"\hline"]
    for r in report.rows:
        cells = [latex_words(r.symbol), latex_words(r.path), latex_number(r.value),
                 latex_number(r.gradient, plus=True), latex_number(r.updated, 4), meaning(r)]
        lines.append(" & ".join(cells) + r" \\")
    lines.append(r"\hline")
    if report.left_out:
        lines.append(rf"\multicolumn{{6}}{{l}}{{({latex_escape(_left_out(report))})}} \\")
    lines += [rf"\multicolumn{{6}}{{l}}{{updated = value $-$ ${report.learning_rate:g}$ $\times$ gradient}} \\",
              r"\end{tabular}"]
    return "\n".join(lines) + "\n"


FORMATS = {"markdown": markdown, "csv": csv_table, "latex": latex}
