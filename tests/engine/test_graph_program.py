"""Bad graph programs: each one line naming the line and column (or the field), exit 2, no traceback."""

import json

import pytest

from tests.helpers import run_cli

VALUES = {"a": 2.0, "b": -3.0}


def fails(capsys, tmp_path, program, values=VALUES, **more):
    spec = tmp_path / "g.json"
    spec.write_text(json.dumps({"name": "bad", "graph": {"values": values, "program": program, **more}}))
    code, out, err = run_cli(capsys, "gradients", str(spec))
    assert code == 2 and out == "", (out, err)
    assert err.count("\n") == 1 and err.startswith("backprop: ") and "Traceback" not in err, err
    return err


@pytest.mark.parametrize("program, where, words", [
    ("c = a * q", "line 1 column 9", "unknown name 'q'"),
    ("c = a * b\nd = c + e", "line 2 column 9", "unknown name 'e'"),
    ("c = a * b\nc = c + a", "line 2 column 1", "'c' was assigned on line 1"),
    ("a = b * 2", "line 1 column 1", "'a' is a value in graph.values"),
    ("c = d + a\nd = c * b", "line 1 column 5", "used before it is assigned"),  # a cycle
    ("c = c + a", "line 1 column 5", "used before it is assigned"),
    ("c = print(a)", "line 1 column 5", "unknown function 'print'"),
    ("c = __import__('os')", "line 1 column 5", "unknown function '__import__'"),
    ("c = a.real * b", "line 1 column 5", "an attribute (.) is not allowed"),
    ("c = (lambda: a)()", "line 1 column 5", "only the functions"),
    ("c = a ** 1000", "line 1 column 10", "too large"),
    ("c = a ** 1e308", "line 1 column 10", "too large"),
    ("c = a ** b", "line 1 column 10", "must be a number"),
    ("c = tanh(a, b)", "line 1 column 5", "takes one value"),
    ("c = a * 'x'", "line 1 column 9", "not a number"),
    ("c = a * 1e9", "line 1 column 9", "|x| ≤"),
    ("c = a +", "line 1 column", "not a valid line"),
    ("import os", "line 1 column 1", "expected 'name = expression'"),
    ("a * b", "line 1 column 1", "expected 'name = expression'"),
    ("c = a * b\nd = c", "line 2 column 5", "second name"),
    ("c = 3", "line 1 column 5", "put it in graph.values"),
    ("c = a if b else a", "line 1 column 5", "if … else is not allowed"),
    ("x, y = a, b", "line 1 column 1", "one name on the left"),
    ("c = a < b", "line 1 column 5", "a comparison is not allowed"),
    ("c = a * b\nd = a + b", "line 1 column 1", "never used on the way to the output 'd'"),
    ("c = log(a - 2) * b", "line 1 column 5", "not a finite number"),
    ("c = a / (b + 3)", "line 1 column 1", "not a finite number"),
    ("c = exp(a * 1000) + b", "line 1 column 5", "not a finite number"),
    ("_c = a * b", "line 1 column 1", "cannot name a value"),
    ("c = a * b\nd = c * (a+b) + relu( c ** -1.5 ) + é", "line 2 column 37", "unknown name 'é'"),
    ("c = a * b  # fine\ne = c @ a", "line 2 column 5", "MatMult is not allowed"),
])
def test_bad_program(capsys, tmp_path, program, where, words):
    err = fails(capsys, tmp_path, program)
    assert f"graph.program: {where}" in err and words in err, err


def test_ten_thousand_lines(capsys, tmp_path):
    program = "c0 = a * b\n" + "\n".join(f"c{k} = c{k - 1} + a" for k in range(1, 10_000))
    err = fails(capsys, tmp_path, program)
    assert "graph.program: at most 2,000 lines, got 10,000" in err


def test_deep_nesting(capsys, tmp_path):
    err = fails(capsys, tmp_path, "c = " + "(" * 500 + "a" + ")" * 500)
    assert "graph.program" in err


def test_long_chain_of_operators(capsys, tmp_path):
    """a + a + … 50,000 times: one line, under the character limit? No: too long, said so."""
    err = fails(capsys, tmp_path, "c = " + " + ".join(["a"] * 50_000))
    assert "graph.program: at most 200,000 characters" in err


@pytest.mark.parametrize("graph_fields, field, words", [
    ({"values": {}, "program": "c = 1"}, "graph.values", "an empty one"),
    ({"values": {"a": "x"}, "program": "c = a * a"}, "graph.values.a", "expected a number"),
    ({"values": {"tanh": 1.0}, "program": "c = tanh * 2"}, "graph.values.tanh", "a name of letters"),
    ({"values": {"a": 1.0, "q": 2.0}, "program": "c = a * a"}, "graph.values.q", "never used"),
    ({"values": {"a": 1.0}, "program": "c = a * a", "output": "a"}, "graph.output", "is a value"),
    ({"values": {"a": 1.0}, "program": "c = a * a", "output": "cc"}, "graph.output", "did you mean 'c'"),
    ({"values": {"a": 1.0}, "program": "c = a * a", "params": ["b"]}, "graph.params[0]", "not in graph.values"),
    ({"values": {"a": 1.0}, "program": "c = a * a", "params": "a"}, "graph.params", "expected a list"),
    ({"values": {"a": 1.0}, "program": "c = a * a", "extra": 1}, "graph.extra", "unknown field"),
    ({"values": {"a": 1.0}}, "graph.program", "missing"),
    ({"values": {"a": 1.0}, "program": ""}, "graph.program", "has no assignments"),
    ({"values": {"a": 1.0}, "program": 3}, "graph.program", "expected a string"),
])
def test_bad_fields(capsys, tmp_path, graph_fields, field, words):
    spec = tmp_path / "g.json"
    spec.write_text(json.dumps({"graph": graph_fields}))
    code, out, err = run_cli(capsys, "gradients", str(spec))
    assert code == 2 and err.startswith(f"backprop: {field}") and words in err and err.count("\n") == 1, err


def test_layers_and_graph_together(capsys, tmp_path):
    spec = tmp_path / "g.json"
    spec.write_text(json.dumps({"graph": {"values": {"a": 1.0}, "program": "c = a * a"}, "layers": []}))
    code, _, err = run_cli(capsys, "gradients", str(spec))
    assert code == 2 and "not both" in err


def test_toml_graph_spec(capsys, tmp_path):
    spec = tmp_path / "g.toml"
    spec.write_text('name = "cs231n"\n[graph]\nprogram = """\nq = x + y\nf = q * z\n"""\n'
                    "[graph.values]\nx = -2.0\ny = 5.0\nz = -4.0\n")
    code, out, err = run_cli(capsys, "gradients", str(spec), "--json")
    assert code == 0 and json.loads(out)["gradients"] == {"x": -4, "y": -4, "z": 3, "q": -4, "f": 1}


def test_graph_commands(capsys):
    code, out, _ = run_cli(capsys, "gradients", "micrograd", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["output"] == "L" and doc["value"] == -8 and doc["gradients"]["a"] == 6
    code, out, _ = run_cli(capsys, "gradients", "micrograd")
    assert code == 0 and "L = -8.0000" in out and any(line.split()[:4] == ["a", "2.000", "+6.000", "1.9400"]
                                                      for line in out.splitlines())
    code, out, _ = run_cli(capsys, "timeline", "fan-out")
    assert code == 0 and json.loads(out)["granularity"] == "graph"
    code, out, _ = run_cli(capsys, "check", "lesson-graph")
    assert code == 0 and out.strip().endswith("OK")
    code, out, _ = run_cli(capsys, "train", "lesson-graph", "--steps", "20", "--json")
    data = json.loads(out)
    assert code == 0 and len(data["losses"]) == 21 and data["losses"][-1] < data["losses"][0]
    assert set(data["parameters"]) == {"w11", "w12", "w21", "w22", "b11", "b12", "v1", "v2", "b2"}
    code, _, err = run_cli(capsys, "render", "backward", "--network", "micrograd")
    assert code == 2 and "computational graph" in err
    code, _, err = run_cli(capsys, "gradients", "micrograd", "--format", "csv")
    assert code == 2 and err.startswith("backprop: format:")
