"""`backprop gradients --format markdown|csv|latex|json`: each format parsed back and compared with
gradients computed independently (central differences, and the lesson's hand-worked numbers)."""

import csv
import io
import json
import math
import os
import re
import subprocess
import sys

import numpy as np
import pytest

from backprop.engine.spec import load_network
from tests.helpers import central_differences
from tests.helpers import run_cli as run

# The lesson's hand-worked gradients for `seed` (three decimals).
LESSON = {"W1[1,1]": -0.028, "W1[1,2]": -0.045, "W1[2,1]": 0.019, "W1[2,2]": 0.030, "b1[1]": -0.056,
          "b1[2]": 0.037, "W2[1,1]": -0.050, "W2[1,2]": -0.019, "b2[1]": -0.093}
SUB = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")


def by_name(preset):
    """Central differences of the loss, keyed W1[1,2] (1-based, as the tables name them)."""
    grads = central_differences(load_network(preset))
    return {f"{k}[{','.join(str(i + 1) for i in idx)}]": float(g[idx])
            for k, g in grads.items() for idx in np.ndindex(g.shape)}


def symbol_to_name(symbol: str) -> str:
    return symbol.translate(SUB)


def as_shown(text: str) -> float:
    """A number as a table shows it: a true minus or an ASCII one, a plus, 4.0×10⁻⁵ or 4.0\\times10^{-5}."""
    text = text.strip().strip("$").replace("−", "-").replace("\\times", "×").replace(" ", "")
    m = re.fullmatch(r"([+-]?[0-9.]+)×10(?:\^\{([-0-9]+)\}|([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+))", text)
    if m:
        power = m.group(2) or m.group(3).translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789"))
        return float(m.group(1)) * 10 ** int(power)
    return float(text)


def close_as_rounded(shown: float, exact: float):
    """Equal to the rounding shown: three decimals, or two significant figures when smaller."""
    tol = max(5e-4 * 1.0001, abs(exact) * 0.051) if abs(exact) < 0.01 else 5e-4 * 1.0001
    assert abs(shown - exact) <= tol, (shown, exact)


def markdown_rows(text: str) -> list[dict]:
    """A small pipe-table reader: the first table's header, its alignment row, then its rows."""
    lines = [line for line in text.splitlines() if line.startswith("|")]
    split = lambda line: [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]  # noqa: E731
    header, rule, body = split(lines[0]), split(lines[1]), [split(line) for line in lines[2:]]
    assert all(re.fullmatch(r":?-{3,}:?", c) for c in rule) and len(rule) == len(header)
    assert all(len(row) == len(header) for row in body)
    return [dict(zip(header, row)) for row in body]


@pytest.mark.parametrize("preset", ["seed", "classifier", "deep-sigmoid"])
def test_markdown_table_reads_back_as_the_gradients(capsys, preset):
    code, out, err = run(capsys, "gradients", preset, "--format", "markdown")
    assert code == 0 and err == ""
    rows = markdown_rows(out)
    exact = by_name(preset)
    assert [symbol_to_name(r["parameter"]) for r in rows] == list(exact)
    for r in rows:
        g = exact[symbol_to_name(r["parameter"])]
        close_as_rounded(as_shown(r["gradient"]), g)
        assert ("−" in r["gradient"]) == (g < 0) and "-" not in r["gradient"]  # a true minus
        assert r["to reduce the loss"].startswith("increase" if g < 0 else "decrease")
    assert out.count("|---|---|---:|---:|---:|---|") == 1


def test_markdown_seed_is_the_lessons_table(capsys):
    rows = markdown_rows(run(capsys, "gradients", "seed", "--format", "markdown")[1])
    assert {symbol_to_name(r["parameter"]): as_shown(r["gradient"]) for r in rows} == LESSON
    w12 = next(r for r in rows if r["parameter"] == "W₁[1,2]")
    assert (w12["path"], w12["value"], w12["updated"]) == ("x₂ → h₁", "0.300", "0.3045")


@pytest.mark.parametrize("preset", ["seed", "branching", "classifier"])
def test_csv_is_rfc4180_with_every_digit(capsys, preset):
    code, out, err = run(capsys, "gradients", preset, "--format", "csv")
    assert code == 0 and err == "" and out.startswith("\ufeff")  # the byte-order mark Excel needs
    out = out[1:]
    assert "\r\n" in out and out.endswith("\r\n") and out.count("\n") == out.count("\r\n")  # CRLF records
    records = list(csv.DictReader(io.StringIO(out, newline="")))
    exact = by_name(preset)
    assert [r["name"] for r in records] == list(exact)
    net = load_network(preset)
    for r in records:
        g = float(r["gradient"])
        assert math.isclose(g, exact[r["name"]], rel_tol=1e-6, abs_tol=1e-9), r
        assert float(r["updated"]) == pytest.approx(float(r["value"]) - net.learning_rate * g, rel=1e-12, abs=1e-15)
        assert r["symbol"].translate(SUB) == r["name"] and r["kind"] in ("weight", "bias")
    if preset == "seed":
        assert {r["name"]: round(float(r["gradient"]), 3) for r in records} == LESSON


def test_csv_bytes_are_utf8_with_a_byte_order_mark_for_excel():
    """The bytes a `> gradients.csv` gets, whatever the terminal's encoding: EF BB BF, then UTF-8."""
    done = subprocess.run([sys.executable, "-m", "backprop.output.cli", "gradients", "seed", "--format", "csv"],
                          capture_output=True, env={**os.environ, "PYTHONIOENCODING": "latin-1"})
    assert done.returncode == 0 and done.stdout.startswith(b"\xef\xbb\xbf")
    assert '"W₁[1,2]",x₂ → h₁' in done.stdout[3:].decode("utf-8")


def test_csv_lists_every_parameter_where_text_keeps_the_largest(capsys, tmp_path):
    spec = {"name": "wide", "inputs": [[0.1] * 8], "targets": [[1.0]],
            "layers": [{"units": 8, "activation": "tanh"}, {"units": 1, "activation": "sigmoid"}],
            "loss": "mse", "seed": 3}
    path = tmp_path / "wide.json"
    path.write_text(json.dumps(spec))
    records = list(csv.reader(io.StringIO(run(capsys, "gradients", str(path), "--format", "csv")[1][1:], newline="")))
    assert len(records) == 1 + 8 * 8 + 8 + 8 + 1
    md = run(capsys, "gradients", str(path), "--format", "markdown")[1]
    assert len(markdown_rows(md)) == 60 and "largest of 81 gradients" in md


def latex_rows(text: str) -> list[list[str]]:
    lines = text.splitlines()
    assert lines[0] == r"\begin{tabular}{llrrrl}" and lines[-1] == r"\end{tabular}"
    body = [line for line in lines if line.endswith(r"\\") and not line.startswith(("\\multicolumn", "parameter"))]
    return [[c.strip() for c in line[:-2].split(" & ")] for line in body]


@pytest.mark.parametrize("preset", ["seed", "classifier", "deep-sigmoid"])
def test_latex_rows_read_back_with_real_minus_signs(capsys, preset):
    code, out, err = run(capsys, "gradients", preset, "--format", "latex")
    assert code == 0 and err == ""
    exact = by_name(preset)
    rows = latex_rows(out)
    names = [re.sub(r"_\{([0-9,]+)\}", r"\1", r[0]).strip("$") for r in rows]
    assert names == list(exact)
    for name, row in zip(names, rows):
        assert len(row) == 6
        close_as_rounded(as_shown(row[3]), exact[name])
        for number in row[2:5]:  # every number in math mode, where '-' is a minus sign
            assert re.fullmatch(r"\$[-+]?[0-9.]+(\\times10\^\{-?[0-9]+\})?\$", number), number
    assert "−" not in out and "→" not in out and "₁" not in out  # no Unicode a plain LaTeX may not know


def test_latex_escapes_specials_in_the_name(capsys, tmp_path):
    spec = {"name": "net_1 & 50% #2 {a} $x ~^\\", "inputs": [[0.5, -0.3]], "targets": [[1.0]],
            "layers": [{"units": 1, "activation": "sigmoid"}], "loss": "mse", "seed": 0}
    path = tmp_path / "n.json"
    path.write_text(json.dumps(spec))
    out = run(capsys, "gradients", str(path), "--format", "latex")[1]
    head = out.splitlines()[2]
    assert (r"net\_1 \& 50\% \#2 \{a\} \$x \textasciitilde{}\textasciicircum{}\textbackslash{}" in head), head
    md = run(capsys, "gradients", str(path), "--format", "markdown")[1]
    assert md.startswith("**net\\_1 & 50% \\#2 {a} $x ~^\\\\**")  # markdown's own specials escaped


def test_json_alias_and_conflicting_formats(capsys):
    a, b = run(capsys, "gradients", "seed", "--json")[1], run(capsys, "gradients", "seed", "--format", "json")[1]
    assert a == b and json.loads(a)["gradients"]["W1"][0][1] == pytest.approx(-0.04466, abs=1e-5)
    assert run(capsys, "gradients", "--json", "--format", "json")[0] == 0
    code, out, err = run(capsys, "gradients", "seed", "--json", "--format", "csv")
    assert code == 2 and out == "" and err.count("\n") == 1 and "format" in err
    code, out, err = run(capsys, "gradients", "seed", "--format", "xlsx")
    assert code == 2 and out == "" and err.count("\n") == 1 and "--format" in err
    assert run(capsys, "gradients", "seed", "--format", "text")[1] == run(capsys, "gradients", "seed")[1]
