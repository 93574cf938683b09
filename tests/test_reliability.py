"""Nothing breaks, nothing is lost: fuzzed specs, injected faults, atomic output, determinism."""

import errno
import json
import os
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import scenes.render
from engine.presets import PRESETS
from tests.helpers import run_cli as run
from scenes.output import safe_name

COMMANDS = ["gradients", "timeline", "check", "render"]



@pytest.fixture
def no_real_render(monkeypatch):
    """Specs that survive validation would render for a minute; the fuzz is about validation."""
    calls = []
    monkeypatch.setattr(scenes.render, "render_scene", lambda *a, **k: calls.append(a) or [])
    return calls


junk = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-10**400, max_value=10**400)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@st.composite
def mutated_specs(draw):
    """The lesson's spec with one field replaced by junk, removed, or one junk field added."""
    spec = json.loads(json.dumps(PRESETS["seed"]))
    target = spec
    path = []
    while isinstance(target, (dict, list)) and target and draw(st.booleans()):
        key = draw(st.sampled_from(list(target) if isinstance(target, dict) else list(range(len(target)))))
        path.append(key)
        if not isinstance(target[key], (dict, list)):
            break
        target = target[key]
    action = draw(st.sampled_from(["replace", "remove", "add"]))
    if not path:
        action = "add"
    parent = spec
    for key in path[:-1]:
        parent = parent[key]
    if action == "replace":
        parent[path[-1]] = draw(junk)
    elif action == "remove":
        del parent[path[-1]]
    else:
        spec[draw(st.text(min_size=1, max_size=8))] = draw(junk)
    return json.dumps(spec, allow_nan=True)


def check_outcome(code, out, err, folder):
    assert code in (0, 2), (code, err)
    assert "Traceback" not in err and "internal error" not in err
    if code == 2:
        assert err.count("\n") == 1 and err.startswith("backprop: ") and ":" in err[10:], err
        assert not (folder / "out").exists() or not any((folder / "out").iterdir())


def fresh(tmp_path):
    """hypothesis runs many examples in one test's tmp_path: give each its own folder."""
    return Path(tempfile.mkdtemp(dir=tmp_path))


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(text=mutated_specs(), command=st.sampled_from(COMMANDS))
def test_fuzzed_specs_exit_0_or_one_line_2(capsys, tmp_path, no_real_render, text, command):
    tmp_path = fresh(tmp_path)
    p = tmp_path / "net.json"
    p.write_text(text, encoding="utf-8")
    args = [command, str(p)] if command != "render" else [command, "--network", str(p)]
    if command == "timeline":
        args += ["-o", str(tmp_path / "out" / "t.json")]
    if command == "render":
        args += ["--output-dir", str(tmp_path / "out")]
    check_outcome(*run(capsys, *args), tmp_path)


@FUZZ
@given(value=junk, command=st.sampled_from(COMMANDS))
def test_fuzzed_junk_documents(capsys, tmp_path, no_real_render, value, command):
    tmp_path = fresh(tmp_path)
    p = tmp_path / "net.json"
    p.write_text(json.dumps(value, allow_nan=True), encoding="utf-8")
    code, out, err = run(capsys, command, str(p)) if command != "render" else run(
        capsys, command, "--network", str(p), "--output-dir", str(tmp_path / "out"))
    assert code == 2  # no junk document is a network
    check_outcome(code, out, err, tmp_path)


@FUZZ
@given(raw=st.binary(max_size=200), command=st.sampled_from(COMMANDS))
def test_fuzzed_bytes(capsys, tmp_path, no_real_render, raw, command):
    tmp_path = fresh(tmp_path)
    p = tmp_path / "net.json"
    p.write_bytes(raw)
    code, out, err = run(capsys, command, str(p)) if command != "render" else run(
        capsys, command, "--network", str(p), "--output-dir", str(tmp_path / "out"))
    assert code == 2
    check_outcome(code, out, err, tmp_path)


@pytest.mark.parametrize("command", COMMANDS)
def test_deeply_nested_and_huge_inputs(capsys, tmp_path, no_real_render, command):
    cases = {"nested.json": "[" * 100_000 + "]" * 100_000,
             "digits.json": json.dumps(dict(PRESETS["seed"], learning_rate=10**500)),
             "toml.toml": "layers = [[[[[[ 1",
             "5000-digits.json": '{"learning_rate": ' + "9" * 5000 + "}",
             "5000-digits.toml": "learning_rate = " + "9" * 5000,
             "deep.toml": "a = " + "[" * 5000 + "]" * 5000,
             "wide.json": json.dumps(dict(PRESETS["seed"], layers=[{"units": 4096, "activation": "relu"}] * 64))}
    for name, text in cases.items():
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        code, out, err = run(capsys, command, str(p)) if command != "render" else run(
            capsys, command, "--network", str(p), "--output-dir", str(tmp_path / "out"))
        assert code == 2, (name, err)
        check_outcome(code, out, err, tmp_path)


def test_unknown_names_suggest_the_closest(capsys):
    assert "did you mean 'branching'" in run(capsys, "gradients", "branchng")[2]
    code, _, err = run(capsys, "render", "backwrd")
    assert code == 2 and "did you mean 'backward'" in err


@pytest.mark.parametrize("name", ["../../etc/x", "/abs/path", "..", "", "a\x00b", "é" * 300, "CON.mp4"])
def test_output_names_stay_inside_the_folder(name):
    cleaned = safe_name(name)
    assert cleaned and "/" not in cleaned and "\x00" not in cleaned and not cleaned.startswith(".")
    assert len(cleaned) <= 80
    assert os.path.dirname(os.path.join("media", cleaned + ".mp4")) == "media"


def test_timeline_write_failure_leaves_the_old_file(capsys, tmp_path, monkeypatch):
    target = tmp_path / "t.json"
    target.write_text("old", encoding="utf-8")

    def full_disk(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr("scenes.output.os.replace", full_disk)
    code, out, err = run(capsys, "timeline", "seed", "-o", str(target))
    assert code == 2 and "the disk is full" in err and err.count("\n") == 1
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.json"]  # the temporary file is gone


def test_output_folder_that_cannot_exist(capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run(capsys, "render", "--output-dir", str(blocker / "media"))
    assert code == 2 and "output-dir" in err and err.count("\n") == 1


def test_missing_manim_is_one_line(capsys, monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "scenes.render", None)  # import now raises ImportError
    code, _, err = run(capsys, "render")
    assert code == 2 and "manim cannot be imported" in err and "./setup.sh" in err


def test_bad_theme_file(capsys, tmp_path):
    p = tmp_path / "theme.json"
    p.write_text(json.dumps({"negative": "orange"}))
    code, _, err = run(capsys, "render", "--theme", str(p))
    assert code == 2 and "theme.negative: expected a colour" in err
    p.write_text(json.dumps({"pase": 0.5}))
    assert "did you mean 'pace'" in run(capsys, "render", "--theme", str(p))[2]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_forward_pass_that_overflows_is_refused(capsys, tmp_path, no_real_render, command):
    layer = {"units": 1, "activation": "linear", "weights": [[1e6]]}
    p = tmp_path / "net.json"
    p.write_text(json.dumps({"input": [1e6], "target": [0.0], "layers": [layer] * 60}))  # 1e6⁶¹
    code, out, err = run(capsys, command, str(p)) if command != "render" else run(
        capsys, command, "--network", str(p), "--output-dir", str(tmp_path / "out"))
    assert code == 2 and "overflows" in err and err.count("\n") == 1


def test_no_numpy_warning_reaches_the_terminal(tmp_path):
    """Python's warnings bypass capsys: run the real process and read its stderr whole."""
    import subprocess
    import sys
    layer = {"units": 1, "activation": "linear", "weights": [[1e6]]}
    p = tmp_path / "net.json"
    p.write_text(json.dumps({"input": [1e6], "target": [0.0], "layers": [layer] * 60}))
    done = subprocess.run([sys.executable, "-c", "from scenes.cli import main; main()", "gradients", str(p)],
                          capture_output=True, text=True, cwd=Path(__file__).parents[1])
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Warning" not in done.stderr


def test_commands_refuse_work_that_would_not_finish(capsys, tmp_path):
    """Limits (README): the finite-difference check's total work, the size of a timeline."""
    wide = {"inputs": [[0.1] * 100] * 32, "targets": [[0.0] * 32] * 32, "seed": 1,
            "layers": [{"units": 150, "activation": "tanh"}, {"units": 32, "activation": "linear"}]}
    p = tmp_path / "wide.json"
    p.write_text(json.dumps(wide))
    code, _, err = run(capsys, "check", str(p))
    assert code == 2 and "check would take too long" in err
    big = {"inputs": [[0.1] * 10] * 4096, "targets": [[0.0]] * 4096, "seed": 1,
           "layers": [{"units": 1000, "activation": "relu"}] * 4 + [{"units": 1, "activation": "linear"}]}
    p = tmp_path / "big.json"
    p.write_text(json.dumps(big))
    code, _, err = run(capsys, "timeline", str(p), "-o", str(tmp_path / "t.json"))
    assert code == 2 and "the timeline would hold" in err and not (tmp_path / "t.json").exists()
    code, _, err = run(capsys, "timeline", "seed", "--granularity", "scalar")
    assert code == 0


def count_numbers(x) -> int:
    """The numbers in a JSON document (independently of the timeline's own estimate)."""
    if isinstance(x, list):
        return sum(count_numbers(v) for v in x)
    if isinstance(x, dict):
        return sum(count_numbers(v) for v in x.values())
    return int(isinstance(x, (int, float)) and not isinstance(x, bool))


def test_the_timeline_limit_counts_the_numbers_it_would_write(capsys, tmp_path, monkeypatch):
    """The limit is on the numbers really written (#13: the old estimate counted ~2.5× too few)."""
    import engine.timeline

    rng = np.random.default_rng(3)
    spec = {"inputs": rng.uniform(-1, 1, (50, 30)).round(3).tolist(), "seed": 1, "loss": "cross_entropy",
            "targets": np.eye(3)[rng.integers(0, 3, 50)].tolist(),
            "layers": [{"units": 40, "activation": "relu"}, {"units": 20, "activation": "tanh"},
                       {"units": 3, "activation": "softmax"}]}
    p = tmp_path / "net.json"
    p.write_text(json.dumps(spec))
    code, _, _ = run(capsys, "timeline", str(p), "-o", str(tmp_path / "t.json"))
    numbers = count_numbers(json.loads((tmp_path / "t.json").read_text()))
    assert code == 0 and numbers > 50_000
    monkeypatch.setattr(engine.timeline, "MAX_NUMBERS", int(numbers * 0.95))
    code, _, err = run(capsys, "timeline", str(p), "-o", str(tmp_path / "u.json"))
    assert code == 2 and err.startswith("backprop: inputs: the timeline would hold") and err.count("\n") == 1
    assert not (tmp_path / "u.json").exists()
    monkeypatch.setattr(engine.timeline, "MAX_NUMBERS", int(numbers * 1.05))
    assert run(capsys, "timeline", str(p), "-o", str(tmp_path / "u.json"))[0] == 0


@pytest.mark.parametrize("width, granularity, field", [(1153, "layer", "inputs"), (316, "scalar", "granularity")])
def test_timelines_past_the_limits_are_refused(capsys, tmp_path, width, granularity, field):
    """Just past the largest timelines allowed (benchmarks/limits_bench.py: 1152-1152-1 and 315-315-1 at
    batch 1 take ~10 s and under 1.5 GB): refused before any work, the field named, nothing written."""
    spec = {"input": [0.5] * width, "target": [0.0], "seed": 1,
            "layers": [{"units": width, "activation": "relu"}, {"units": 1, "activation": "linear"}]}
    p = tmp_path / "net.json"
    p.write_text(json.dumps(spec))
    code, out, err = run(capsys, "timeline", str(p), "-o", str(tmp_path / "t.json"), "--granularity", granularity)
    assert code == 2 and err.startswith(f"backprop: {field}: ") and err.count("\n") == 1, err
    assert out == "" and [f.name for f in tmp_path.iterdir()] == ["net.json"]


def test_check_refuses_a_deep_network_it_could_not_finish(capsys, tmp_path):
    """64 narrow layers: few multiply-adds, but 64 numpy steps per forward pass (#13: this took 35 s)."""
    spec = {"input": [0.5] * 17, "target": [0.0], "seed": 1,
            "layers": [{"units": 17, "activation": "tanh"}] * 63 + [{"units": 1, "activation": "linear"}]}
    p = tmp_path / "deep.json"
    p.write_text(json.dumps(spec))
    code, _, err = run(capsys, "check", str(p))
    assert code == 2 and err.startswith("backprop: inputs: check would take too long") and "64 layers" in err


def test_a_big_gradient_table_keeps_the_largest(capsys, tmp_path):
    spec = {"input": [0.3] * 20, "target": [1.0], "seed": 2,
            "layers": [{"units": 10, "activation": "tanh"}, {"units": 1, "activation": "linear"}]}
    p = tmp_path / "net.json"
    p.write_text(json.dumps(spec))
    code, out, _ = run(capsys, "gradients", str(p))
    rows = [line for line in out.splitlines() if line.startswith(("W", "b"))]
    assert code == 0 and len(rows) == 60 and "the 60 largest of 221 gradients" in out
