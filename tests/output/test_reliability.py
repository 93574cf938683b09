"""Nothing breaks, nothing is lost: fuzzed specs, injected faults, atomic output, determinism."""

import errno
import json
import os
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import backprop.output.render.scene
from backprop.engine.presets import PRESETS
from tests.helpers import run_cli as run
from backprop.output.render.files import safe_name

COMMANDS = ["gradients", "timeline", "check", "render"]



@pytest.fixture
def no_real_render(monkeypatch):
    """Specs that survive validation would render for a minute; the fuzz is about validation."""
    calls = []
    monkeypatch.setattr(backprop.output.render.scene, "render_scene", lambda *a, **k: calls.append(a) or [])
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
    monkeypatch.setattr("backprop.output.render.files.os.replace", full_disk)
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
    monkeypatch.setitem(sys.modules, "backprop.output.render.scene", None)  # import now raises ImportError
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
    done = subprocess.run([sys.executable, "-c", "from backprop.output.cli import main; main()", "gradients", str(p)],
                          capture_output=True, text=True, cwd=Path(__file__).parents[2])
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
    import backprop.engine.timeline

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
    monkeypatch.setattr(backprop.engine.timeline, "MAX_NUMBERS", int(numbers * 0.95))
    code, _, err = run(capsys, "timeline", str(p), "-o", str(tmp_path / "u.json"))
    assert code == 2 and err.startswith("backprop: inputs: the timeline would hold") and err.count("\n") == 1
    assert not (tmp_path / "u.json").exists()
    monkeypatch.setattr(backprop.engine.timeline, "MAX_NUMBERS", int(numbers * 1.05))
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


# ---- files that aren't regular files, modes, every target checked first (issue 13) -----------------

def test_timeline_to_stdout_dev_null_and_a_fifo_are_written_not_replaced(capsys, tmp_path, monkeypatch):
    import stat
    import threading
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "timeline", "seed", "-o", "-")
    assert code == 0 and json.loads(out)["network"]["name"] == "seed" and os.listdir(tmp_path) == []
    code, out, _ = run(capsys, "timeline", "seed", "-o", os.devnull)
    assert code == 0 and stat.S_ISCHR(os.stat(os.devnull).st_mode)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, _, err = run(capsys, "timeline", "seed", "-o", str(fifo))
    reader.join(10)
    assert code == 0, err
    assert json.loads(got[0])["network"]["name"] == "seed"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and os.listdir(tmp_path) == ["pipe"]  # no temp file either


@pytest.mark.parametrize("kind", ["fifo", "device"])
@pytest.mark.parametrize("what", ["network", "theme"])
def test_a_spec_or_theme_that_is_not_a_file_is_refused_at_once(tmp_path, kind, what):
    """A FIFO without a writer would block for ever; /dev/zero (size 0) would be read without end.
    A real process, so that a regression fails (time and memory bounded) instead of hanging the suite."""
    import resource
    import subprocess
    if kind == "fifo":
        path = str(tmp_path / "spec.json")
        os.mkfifo(path)
    else:
        path = "/dev/zero"
    args = ["gradients", path] if what == "network" else ["render", "--theme", path,
                                                          "--output-dir", str(tmp_path / "out")]
    proc = backprop_process(*args, preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (2**31, 2**31)))
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise AssertionError(f"still reading {path} after 60 s") from None
    assert proc.returncode == 2 and f"{what}: '{path}' is not a regular file" in err and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_timeline_files_get_the_usual_mode(capsys, tmp_path, umask):
    old = os.umask(umask)
    try:
        code, _, _ = run(capsys, "timeline", "seed", "-o", str(tmp_path / "t.json"))
        (tmp_path / "plain.txt").write_text("x")  # what any program's new file gets under this umask
    finally:
        os.umask(old)
    assert code == 0
    assert os.stat(tmp_path / "t.json").st_mode & 0o777 == os.stat(tmp_path / "plain.txt").st_mode & 0o777


def no_render_allowed(*args, **kwargs):
    raise AssertionError("rendered although a target could not be written")


@pytest.mark.parametrize("blocked", ["backward-seed.srt", "backward-seed.mp4"])
def test_every_target_is_checked_before_rendering(capsys, tmp_path, monkeypatch, blocked):
    from backprop.scenes.backward import BackwardPass
    monkeypatch.setattr(BackwardPass, "construct", no_render_allowed)
    (tmp_path / "backward-seed.mp4").write_bytes(b"old video") if blocked != "backward-seed.mp4" else None
    (tmp_path / blocked).mkdir()
    before = sorted(os.listdir(tmp_path))
    code, out, err = run(capsys, "render", "--output-dir", str(tmp_path))
    assert code == 2 and f"'{tmp_path / blocked}' is a folder" in err and err.count("\n") == 1 and out == ""
    assert sorted(os.listdir(tmp_path)) == before
    if blocked != "backward-seed.mp4":
        assert (tmp_path / "backward-seed.mp4").read_bytes() == b"old video"


def test_a_failed_second_move_puts_the_first_back(capsys, tmp_path, monkeypatch):
    """The subtitles cannot be moved into place: the old video and subtitles stay, as a pair."""
    from backprop.scenes.backward import BackwardPass
    from tests.output.stand_ins import tiny_construct
    short = tiny_construct()

    def with_subtitles(self):
        short(self)
        self.add_subcaption("a caption", duration=0.3, offset=-0.3)
    monkeypatch.setattr(BackwardPass, "construct", with_subtitles)
    (tmp_path / "backward-seed.mp4").write_bytes(b"old video")
    (tmp_path / "backward-seed.srt").write_bytes(b"old subtitles")
    real = os.replace

    def srt_fails(src, dst):
        if str(dst).endswith("backward-seed.srt"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(src, dst)
    monkeypatch.setattr("backprop.output.render.files.os.replace", srt_fails)
    code, _, err = run(capsys, "render", "--output-dir", str(tmp_path))
    assert code == 2 and "the disk is full" in err
    assert (tmp_path / "backward-seed.mp4").read_bytes() == b"old video"
    assert (tmp_path / "backward-seed.srt").read_bytes() == b"old subtitles"
    assert sorted(os.listdir(tmp_path)) == ["backward-seed.mp4", "backward-seed.srt"]


# ---- signals and leftovers (issue 13) -----------------------------------------------------------

ROOT = Path(__file__).parents[2]


def backprop_process(*args, code="from backprop.output.cli import main; main()", **kwargs):
    import subprocess
    import sys
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


@pytest.mark.slow
@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_sigterm_and_sighup_mid_render_clean_up_like_ctrl_c(tmp_path, signame):
    import signal
    import time
    (tmp_path / "backward-seed.mp4").write_bytes(b"last week's good video")
    proc = backprop_process("render", "--output-dir", str(tmp_path))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:  # until segments are being encoded
        if any(f.endswith(".mp4") for root, _, files in os.walk(tmp_path) if ".render-" in root for f in files):
            break
        time.sleep(0.05)
    assert proc.poll() is None, proc.communicate()
    proc.send_signal(getattr(signal, signame))
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 128 + getattr(signal, signame), err
    assert err == f"backprop: stopped by {signame}; nothing was written\n"
    assert os.listdir(tmp_path) == ["backward-seed.mp4"]  # no .render-* folder left
    assert (tmp_path / "backward-seed.mp4").read_bytes() == b"last week's good video"


def test_sigterm_while_a_timeline_is_written_leaves_no_partial_file(tmp_path):
    (tmp_path / "t.json").write_text("old")
    code = ("import os, signal\nreal = os.replace\n"
            "def killed_now(src, dst):\n    os.kill(os.getpid(), signal.SIGTERM)\n    real(src, dst)\n"
            "os.replace = killed_now\nfrom backprop.output.cli import main; main()")
    proc = backprop_process("timeline", "-o", str(tmp_path / "t.json"), code=code)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143 and err.count("\n") == 1 and "Traceback" not in err, err
    assert os.listdir(tmp_path) == ["t.json"] and (tmp_path / "t.json").read_text() == "old"


def test_ctrl_c_while_the_modules_load_prints_no_traceback():
    """The first ~50 ms of a run import numpy and click: Ctrl-C arriving then ends the run quietly."""
    import signal
    code = ("import importlib.abc, os, signal, sys\n"
            "class CtrlC(importlib.abc.MetaPathFinder):\n"
            "    def find_spec(self, name, path, target=None):\n"
            "        if name == 'numpy':\n            os.kill(os.getpid(), signal.SIGINT)\n"
            "sys.meta_path.insert(0, CtrlC())\n"
            "from backprop.output.cli import main; main()")
    proc = backprop_process("gradients", code=code)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode in (-signal.SIGINT, 130) and err == "" and out == ""


def dead_pid():
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


def host_tag():
    import hashlib
    import socket
    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]


def leftovers(folder):
    """A killed run's temp folder and file, a running one's, and one this version did not name."""
    dead, alive = dead_pid(), os.getpid()
    (folder / f".render-{dead}-{host_tag()}-x1y2").mkdir(parents=True)
    (folder / f".render-{dead}-{host_tag()}-x1y2" / "frame.png").write_bytes(b"x" * 1000)
    (folder / f".partial-{dead}-{host_tag()}-a7b8").write_bytes(b"{")
    (folder / f".render-{alive}-{host_tag()}-c3d4").mkdir()
    (folder / f".render-{dead}-00000000-e5f6").mkdir()  # another host's: its PIDs mean nothing here
    return {f".render-{alive}-{host_tag()}-c3d4", f".render-{dead}-00000000-e5f6"}


def test_a_later_timeline_removes_what_a_killed_one_left(capsys, tmp_path):
    kept = leftovers(tmp_path)
    code, _, _ = run(capsys, "timeline", "seed", "-o", str(tmp_path / "t.json"))
    assert code == 0 and set(os.listdir(tmp_path)) == kept | {"t.json"}


def test_a_later_render_removes_what_a_killed_one_left(capsys, tmp_path, monkeypatch):
    from backprop.scenes.backward import BackwardPass
    from tests.output.stand_ins import tiny_construct
    monkeypatch.setattr(BackwardPass, "construct", tiny_construct())
    kept = leftovers(tmp_path)
    code, _, err = run(capsys, "render", "--output-dir", str(tmp_path))
    assert code == 0, err
    assert set(os.listdir(tmp_path)) == kept | {"backward-seed.mp4"}  # (no captions: no subtitles)
