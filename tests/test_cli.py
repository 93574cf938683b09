"""The command line, through its real entry point: output, exit codes, and one-line errors."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from engine.presets import PRESETS
from tests.helpers import run_cli as run



def write(tmp_path, spec, name="net.json"):
    p = tmp_path / name
    p.write_text(spec if isinstance(spec, str) else json.dumps(spec), encoding="utf-8")
    return str(p)


def test_gradients_prints_the_lessons_table(capsys):
    code, out, err = run(capsys, "gradients")
    assert code == 0 and err == ""
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line[:2] in ("W1", "W2", "b1", "b2")}
    expected = {"W1[1,1]": "-0.028", "W1[1,2]": "-0.045", "W1[2,1]": "+0.019", "W1[2,2]": "+0.030",
                "b1[1]": "-0.056", "b1[2]": "+0.037", "W2[1,1]": "-0.050", "W2[1,2]": "-0.019", "b2[1]": "-0.093"}
    for name, grad in expected.items():
        assert grad in rows[name], rows[name]
        meaning = "increase" if grad.startswith("-") else "decrease"
        assert meaning in rows[name]
    assert "0.3045" in rows["W1[1,2]"]


def test_gradients_json(capsys):
    code, out, _ = run(capsys, "gradients", "seed", "--json")
    data = json.loads(out)
    assert code == 0 and set(data) >= {"loss", "outputs", "gradients", "updated"}
    assert np.array(data["gradients"]["W1"]).shape == (2, 2) and np.array(data["gradients"]["b2"]).shape == (1,)
    assert data["updated"]["W1"][0][1] == pytest.approx(0.3 - 0.1 * data["gradients"]["W1"][0][1], rel=1e-15)
    assert round(data["outputs"][0][0], 3) == 0.609


def test_list_names_scenes_and_presets(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0 and "backward" in out and all(p in out for p in PRESETS)


def test_timeline_to_file(capsys, tmp_path):
    target = tmp_path / "t.json"
    code, out, _ = run(capsys, "timeline", "branching", "-o", str(target))
    assert code == 0 and out.strip() == str(target)
    assert json.loads(target.read_text())["network"]["name"] == "branching"
    assert [p.name for p in tmp_path.iterdir()] == ["t.json"]  # no temporary file left behind


def test_check_passes_on_presets(capsys):
    for preset in PRESETS:
        code, out, _ = run(capsys, "check", preset)
        assert code == 0 and out.strip().endswith("OK"), out


def test_check_explains_a_relu_kink(capsys, tmp_path):
    spec = {"input": [1.0], "target": [1.0], "layers": [
        {"units": 1, "activation": "relu", "weights": [[1.0]], "bias": [-1.0]},
        {"units": 1, "activation": "linear", "weights": [[1.0]], "bias": [0.0]}]}
    code, out, _ = run(capsys, "check", write(tmp_path, spec))
    assert code == 0 and "ReLU kink" in out and "W1[1,1]" in out


def test_check_says_inconclusive_and_exits_0_when_rounding_cannot_decide(capsys, tmp_path):
    spec = {"input": [1e6, 1e6], "target": [0.0], "loss": "binary_cross_entropy",
            "layers": [{"units": 1, "activation": "sigmoid", "weights": [[1e5, 1e5]], "bias": [0.0]}]}
    code, out, err = run(capsys, "check", write(tmp_path, spec))
    assert code == 0 and "checked 2 parameters" in out and "inconclusive for 1: b1[1]" in out, out + err
    assert out.strip().endswith("OK") and "FAILED" not in err


GOOD = PRESETS["seed"]


def with_layer(n, **changes):
    layers = [dict(layer) for layer in GOOD["layers"]]
    layers[n].update(changes)
    return dict(GOOD, layers=layers)


BAD_INPUTS = [
    ("missing file", "does/not/exist.json", "network: file"),
    ("unknown preset", "seeed", "did you mean 'seed'"),
    ("invalid JSON", '{"layers": [', "not valid JSON"),
    ("unknown activation", with_layer(0, activation="relux"), "layers[0].activation: unknown 'relux'"),
    ("unknown loss", dict(GOOD, loss="hinge"), "loss: unknown 'hinge'"),
    ("wrong weight shape", with_layer(1, weights=[[0.6, -0.4], [0.1, 0.1]]), "layers[1].weights: expected 1×2, got 2×2"),
    ("NaN literal", json.dumps(GOOD).replace("0.6", "NaN"), "NaN is not a number"),
    ("infinite number", json.dumps(GOOD).replace("0.6", "1e999"), "layers[1].weights[0][0]: expected a finite"),
    ("empty layer list", dict(GOOD, layers=[]), "layers: expected a non-empty list"),
    ("softmax on a hidden layer", with_layer(0, activation="softmax"), "softmax is only allowed on the last layer"),
    ("targets of the wrong size", dict(GOOD, targets=[[1.0, 0.0]]), "targets: expected 1×1, got 1×2"),
    ("targets outside a probability", dict(with_layer(1, activation="sigmoid"), loss="binary_cross_entropy",
                                           targets=[[2.0]]), "targets: binary_cross_entropy needs targets between 0 and 1"),
    ("cross-entropy without softmax", dict(GOOD, loss="cross_entropy"), "loss: cross_entropy needs a softmax output"),
    ("a string for a number", with_layer(0, units="2"), "layers[0].units: expected a whole number"),
    ("unknown field", dict(GOOD, layer=[]), "layer: unknown field (did you mean 'layers'?)"),
]


@pytest.mark.parametrize("what,spec,message", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
@pytest.mark.parametrize("command", ["gradients", "timeline", "check"])
def test_bad_input_is_one_line_and_exit_2(capsys, tmp_path, what, spec, message, command):
    target = spec if isinstance(spec, str) and not spec.startswith("{") else write(tmp_path, spec)
    code, out, err = run(capsys, command, target)
    assert code == 2, (out, err)
    assert out == ""
    assert err.count("\n") == 1 and message in err, err
    assert "Traceback" not in err


def test_a_directory_and_non_utf8_bytes(capsys, tmp_path):
    code, _, err = run(capsys, "gradients", str(tmp_path))
    assert code == 2 and "is a directory" in err
    p = tmp_path / "bad.json"
    p.write_bytes(b'{"name": "\xff\xfe"}')
    code, _, err = run(capsys, "gradients", str(p))
    assert code == 2 and "not UTF-8" in err


def test_real_process_has_no_traceback_and_imports_no_manim(tmp_path):
    """The installed entry point, as a user runs it; engine-only commands must not load manim."""
    code = ("import sys; from scenes.cli import main\n"
            "try:\n    main(sys.argv[1:])\nfinally:\n    assert 'manim' not in sys.modules, 'manim imported'\n")
    ok = subprocess.run([sys.executable, "-c", code, "gradients"], capture_output=True, text=True,
                        cwd=os.path.dirname(os.path.dirname(__file__)))
    assert ok.returncode == 0 and "W1[1,2]" in ok.stdout and ok.stderr == ""
    bad = subprocess.run([sys.executable, "-c", code, "gradients", "nope"], capture_output=True, text=True,
                         cwd=os.path.dirname(os.path.dirname(__file__)))
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_unknown_option_is_one_line(capsys):
    code, _, err = run(capsys, "gradients", "--nope")
    assert code == 2 and err.count("\n") == 1 and "--nope" in err
