"""The command line, through its real entry point: output, exit codes, and one-line errors."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from backprop.engine.presets import PRESETS
from tests.helpers import run_cli as run



def write(tmp_path, spec, name="net.json"):
    p = tmp_path / name
    p.write_text(spec if isinstance(spec, str) else json.dumps(spec), encoding="utf-8")
    return str(p)


def test_gradients_prints_the_lessons_table(capsys):
    code, out, err = run(capsys, "gradients")
    assert code == 0 and err == ""
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line[:2] in ("W₁", "W₂", "b₁", "b₂")}
    expected = {"W₁[1,1]": "-0.028", "W₁[1,2]": "-0.045", "W₁[2,1]": "+0.019", "W₁[2,2]": "+0.030",
                "b₁[1]": "-0.056", "b₁[2]": "+0.037", "W₂[1,1]": "-0.050", "W₂[1,2]": "-0.019", "b₂[1]": "-0.093"}
    for name, grad in expected.items():
        assert grad in rows[name], rows[name]
        meaning = "increase" if grad.startswith("-") else "decrease"
        assert meaning in rows[name]
    assert "0.3045" in rows["W₁[1,2]"]


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
    code = ("import sys; from backprop.output.cli import main\n"
            "try:\n    main(sys.argv[1:])\nfinally:\n    assert 'manim' not in sys.modules, 'manim imported'\n")
    ok = subprocess.run([sys.executable, "-c", code, "gradients"], capture_output=True, text=True,
                        cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    assert ok.returncode == 0 and "W₁[1,2]" in ok.stdout and ok.stderr == ""
    bad = subprocess.run([sys.executable, "-c", code, "gradients", "nope"], capture_output=True, text=True,
                         cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_unknown_option_is_one_line(capsys):
    code, _, err = run(capsys, "gradients", "--nope")
    assert code == 2 and err.count("\n") == 1 and "--nope" in err


# ---- text, names, numbers (issue 13) ------------------------------------------------------------

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))


def real_cli(*args, env=None, **kwargs):
    return subprocess.run([sys.executable, "-c", "from backprop.output.cli import main; main()", *args], cwd=ROOT,
                          capture_output=True, env=dict(os.environ, **(env or {})), **kwargs)


@pytest.mark.parametrize("command", ["gradients", "timeline", "check"])
@pytest.mark.parametrize("where,spec", [
    ("name", dict(GOOD, name="\ud800")),
    ("description", dict(GOOD, description="a\udfffb")),
    ("layers[0].activation", with_layer(0, activation="relu\ud800")),
])
def test_a_lone_surrogate_is_refused_naming_the_field(tmp_path, command, where, spec):
    """JSON can spell half a UTF-16 pair; no output (terminal, UTF-8 file) can hold it."""
    path = tmp_path / "net.json"
    path.write_text(json.dumps(spec), encoding="ascii")  # json.dumps writes "\ud800" as an escape
    done = real_cli(command, str(path), text=True)
    assert done.returncode == 2 and done.stdout == "", done.stderr
    assert done.stderr.startswith(f"backprop: {where}: holds a lone UTF-16 surrogate") and done.stderr.count("\n") == 1


def test_a_surrogate_pair_is_text(capsys, tmp_path):
    code, out, _ = run(capsys, "gradients", write(tmp_path, json.dumps(dict(GOOD, name="net \U0001F600"))))
    assert code == 0 and out.startswith("net \U0001F600:")


@pytest.mark.parametrize("command", ["gradients", "list", "timeline", "check"])
def test_a_latin1_terminal_gets_plain_text(command):
    done = real_cli(command, env={"PYTHONIOENCODING": "latin-1"})
    assert done.returncode == 0 and done.stderr == b"", done.stderr
    if command == "timeline":  # JSON is UTF-8 whatever the terminal
        assert json.loads(done.stdout.decode("utf-8"))["network"]["shape"] == "2 → 2 ReLU → 1 sigmoid, MSE, t = 1.0"
        return
    text = done.stdout.decode("latin-1")
    if command != "check":
        assert "2 -> 2 ReLU -> 1 sigmoid" in text
    if command == "gradients":
        assert "W1[1,2]    x2 -> h1      0.300    -0.045   0.3045" in text


def test_control_characters_in_a_name_never_reach_the_terminal(capsys, tmp_path):
    name = "evil\x1b[2J\x1b]0;owned\x07\u202e\x00name"
    for command in ("gradients", "check"):
        code, out, err = run(capsys, command, write(tmp_path, dict(GOOD, name=name)))
        assert code == 0 and out.startswith("evil[2J]0;ownedname:"), out
        assert not any(ord(c) < 32 and c != "\n" or c in "\x7f\u202e" for c in out + err)
    code, _, err = run(capsys, "gradients", write(tmp_path, dict(GOOD, loss="mse\x1b[31m")))
    assert code == 2 and "\x1b" not in err and err.count("\n") == 1


def test_names_are_capped(capsys, tmp_path):
    code, _, err = run(capsys, "gradients", write(tmp_path, dict(GOOD, name="n" * 201)))
    assert code == 2 and err == "backprop: name: at most 200 characters, got 201\n"
    assert run(capsys, "gradients", write(tmp_path, dict(GOOD, name="n" * 200)))[0] == 0


def test_distinct_names_get_distinct_files():
    from backprop.output.render.files import safe_name
    names = ["..", "...", ".", "-", "a b", "a-b", "a/b", "a\\b", "a:b", "é", "è", "x" * 100, "x" * 101,
             "seed", "Seed", "a-b-" + "0" * 8]
    files = [safe_name(n) for n in names]
    assert len(set(files)) == len(names), dict(zip(names, files))
    assert safe_name("seed") == "seed" and safe_name("deep-sigmoid") == "deep-sigmoid"  # clean names stay
    assert all(f and len(f) <= 80 and "/" not in f and not f.startswith(".") for f in files)


def test_a_byte_order_mark_is_accepted(capsys, tmp_path):
    path = tmp_path / "net.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(GOOD).encode())  # what Notepad saves
    code, out, err = run(capsys, "gradients", str(path))
    assert code == 0 and "W₁[1,2]" in out, err
    toml = tmp_path / "net.toml"
    toml.write_bytes(b"\xef\xbb\xbf" + b'input = [1.0]\ntarget = [0.5]\n[[layers]]\nunits = 1\nactivation = "linear"\n')
    assert run(capsys, "gradients", str(toml))[0] == 0


def test_duplicate_keys_are_refused_naming_the_key(capsys, tmp_path):
    text = json.dumps(GOOD)[:-1] + ', "learning_rate": 0.5}'
    assert text.count('"learning_rate"') == 2
    code, _, err = run(capsys, "gradients", write(tmp_path, text))
    assert code == 2 and err == "backprop: learning_rate: given twice in one object; keep one\n"
    theme = tmp_path / "theme.json"
    theme.write_text('{"pace": 1, "pace": 2}')
    code, _, err = run(capsys, "render", "--theme", str(theme))
    assert code == 2 and err.startswith("backprop: theme.pace: given twice")


def test_huge_values_print_in_scientific_form(capsys, tmp_path):
    spec = {"input": [1e6], "target": [0.0], "learning_rate": 1e6,
            "layers": [{"units": 1, "activation": "linear", "weights": [[1e6]], "bias": [0.0]}]}
    code, out, _ = run(capsys, "gradients", write(tmp_path, spec))
    # y = 1e12, L = ½y² = 5e23, ∂L/∂w = y·x = 1e18, updated w = 1e6 − 1e6·1e18 ≈ −1e24
    assert code == 0 and "loss L = 5.00×10²³" in out and "output y = [1.00×10¹²]" in out
    row = next(line for line in out.splitlines() if line.startswith("W₁[1,1]")).split()
    assert row[4:7] == ["1.00×10⁶", "+1.00×10¹⁸", "-1.00×10²⁴"]
    assert max(len(word) for word in out.split()) < 20


def test_pace_is_capped_at_four(capsys, tmp_path, monkeypatch):
    import backprop.output.render.scene
    monkeypatch.setattr(backprop.output.render.scene, "render_scene", lambda *a, **k: [])
    theme = tmp_path / "theme.json"
    theme.write_text('{"pace": 4.5}')
    code, _, err = run(capsys, "render", "--theme", str(theme))
    assert code == 2 and err == "backprop: theme.pace: expected a positive number (at least 0.1, at most 4)\n"
    theme.write_text('{"pace": 4}')
    assert run(capsys, "render", "--theme", str(theme))[0] == 0


@pytest.mark.parametrize("command", ["gradients", "timeline", "list", "check"])
def test_a_closed_pipe_ends_quietly(command):
    """`backprop gradients | head -1`: the reader has gone before we write; same quiet end for all."""
    read, write_end = os.pipe()
    os.close(read)  # the reader is gone before the first byte: EPIPE on the first write, every time
    done = subprocess.run([sys.executable, "-c", "from backprop.output.cli import main; main()", command], cwd=ROOT,
                          stdout=write_end, stderr=subprocess.PIPE, text=True)
    os.close(write_end)
    assert done.returncode == 141 and done.stderr == ""


def test_a_deleted_working_folder_is_explained(tmp_path):
    gone = tmp_path / "gone"
    gone.mkdir()
    code = (f"import os, sys; sys.path.insert(0, {ROOT!r}); os.chdir({str(gone)!r}); os.rmdir({str(gone)!r})\n"
            "from backprop.output.cli import main; main()")
    done = subprocess.run([sys.executable, "-c", code, "timeline", "-o", "t.json"], capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.startswith("backprop: the current folder no longer exists")


@pytest.mark.parametrize("args, field", [
    (["render", "backward", "--param", "W1[1,2]"], "param: backward follows no single parameter"),
    (["transcript", "title", "--param", "W1[1,2]"], "param: title follows no single parameter"),
])
def test_param_only_where_a_scene_follows_one(capsys, tmp_path, args, field):
    code, out, err = run(capsys, *args, "--output-dir", str(tmp_path)) if args[0] == "render" else run(capsys, *args)
    assert code == 2 and err.startswith(f"backprop: {field}") and err.count("\n") == 1 and os.listdir(tmp_path) == []
