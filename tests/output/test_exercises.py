"""`backprop exercises`: a network per student, reproducible and distinct, with an answer key that
equals an independent computation and a worksheet that gives nothing away."""

import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest

from backprop.engine.exercises import exercise_spec
from backprop.engine.spec import parse_spec
from tests.helpers import run_cli as run

ROSTER = "id,name\ns-001,Ada\ns-002,Grace\nbob smith,Bob\n../etc,Eve\n"


def roster(tmp_path, text=ROSTER):
    path = tmp_path / "roster.csv"
    path.write_text(text)
    return str(path)


def numeric_gradients(spec: dict) -> dict:
    """Central differences of the lesson's loss, ½ (y − t)², through a plain numpy forward pass written
    here (ReLU hidden layers, a sigmoid output): independent of the engine."""
    x = np.array(spec["inputs"][0])
    t = np.array(spec["targets"][0])
    layers = [(np.array(l["weights"], float), np.array(l["bias"], float)) for l in spec["layers"]]

    def loss(params):
        a = x
        for k, (W, b) in enumerate(params):
            z = W @ a + b
            a = 1 / (1 + np.exp(-z)) if k == len(params) - 1 else np.maximum(z, 0)
        return 0.5 * float(np.sum((a - t) ** 2))

    grads, h = {}, 1e-6
    for k, (W, b) in enumerate(layers):
        for name, array in ((f"W{k + 1}", W), (f"b{k + 1}", b)):
            g = np.zeros_like(array)
            for idx in np.ndindex(array.shape):
                old = array[idx]
                array[idx] = old + h
                up = loss(layers)
                array[idx] = old - h
                down = loss(layers)
                array[idx] = old
                g[idx] = (up - down) / (2 * h)
            grads[name] = g
    return grads


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("exercises")
    from backprop.output.exercises import build_exercises, read_roster

    build_exercises(read_roster(roster(tmp)), "week3", [2, 2, 1], str(tmp / "out"), videos=False)
    return tmp / "out"


def test_every_student_gets_a_folder_with_a_spec_a_worksheet_and_answers(folder):
    assert len(os.listdir(folder)) == 4 and "s-001" in os.listdir(folder)
    assert all(".." not in f and "/" not in f for f in os.listdir(folder))  # "../etc" stays inside
    for student in os.listdir(folder):
        assert sorted(os.listdir(folder / student)) == ["answers.html", "answers.json", "network.json", "worksheet.html"]


def test_answer_keys_equal_finite_differences_of_an_independent_forward_pass(folder):
    for student in os.listdir(folder):
        spec = json.loads((folder / student / "network.json").read_text())
        answers = json.loads((folder / student / "answers.json").read_text())
        expected = numeric_gradients(spec)
        for name, g in expected.items():
            np.testing.assert_allclose(answers["gradients"][name], g, atol=1e-7)
            # one update at the spec's learning rate
            params = spec["layers"][int(name[1:]) - 1]["weights" if name[0] == "W" else "bias"]
            np.testing.assert_allclose(answers["updated"][name], np.array(params) - 0.1 * g, atol=1e-7)


def test_a_students_spec_runs_through_the_gradients_command_and_gives_the_answer_key(folder):
    """`backprop gradients DIR/ID/network.json --json`, the command a student would run, in a fresh
    process: the spec is one every command takes, and answers.json is that command's document."""
    backprop = os.path.join(os.path.dirname(sys.executable), "backprop")
    for student in sorted(os.listdir(folder)):
        done = subprocess.run([backprop, "gradients", str(folder / student / "network.json"), "--json"],
                              capture_output=True, text=True, cwd="/")
        assert done.returncode == 0, done.stderr
        printed = json.loads(done.stdout)
        answers = json.loads((folder / student / "answers.json").read_text())
        assert printed["gradients"] == answers["gradients"] and printed["loss"] == answers["loss"]
        assert printed == answers  # outputs, updated values and learning rate too


def test_the_numbers_are_friendly_and_in_the_lessons_style(folder):
    for student in os.listdir(folder):
        spec = json.loads((folder / student / "network.json").read_text())
        answers = json.loads((folder / student / "answers.json").read_text())
        assert [l["activation"] for l in spec["layers"]] == ["relu", "sigmoid"] and spec["loss"] == "mse"
        numbers = sum((np.ravel(l["weights"]).tolist() + l["bias"] for l in spec["layers"]), spec["inputs"][0])
        assert all(abs(v * 10 - round(v * 10)) < 1e-9 and abs(v) <= 1 for v in numbers)  # one decimal, small
        assert spec["targets"][0][0] in (0.0, 1.0)
        # no gradient rounds to 0.000 (the worksheet asks for three decimals); no dead unit
        assert all(abs(g) >= 0.0005 for v in answers["gradients"].values() for g in np.ravel(v))
        x, layer = np.array(spec["inputs"][0]), spec["layers"][0]
        assert (np.array(layer["weights"]) @ x + layer["bias"] > 0).all()


def test_worksheets_give_no_answer_and_keys_give_every_one(folder):
    for student in os.listdir(folder):
        answers = json.loads((folder / student / "answers.json").read_text())
        sheet = (folder / student / "worksheet.html").read_text()
        key = (folder / student / "answers.html").read_text()
        in_key = [float(n.replace("−", "-")) for n in re.findall(r"[−+]?\d+\.\d+", key.split("<h2>Gradients</h2>")[1])]
        in_sheet = [float(n.replace("−", "-")) for n in re.findall(r"[−+]?\d+\.\d+", sheet.split("<h2>Gradients</h2>")[1])]
        for v in np.concatenate([np.ravel(g) for g in answers["gradients"].values()]):
            assert any(abs(n - v) < 0.0005 for n in in_key), (student, v)  # every answer, as rounded
        # none given away: the sheet's numbers after the forward pass are the parameters and η only
        spec = json.loads((folder / student / "network.json").read_text())
        given = {round(float(p), 6) for l in spec["layers"] for p in np.ravel(l["weights"]).tolist() + l["bias"]}
        assert {round(n, 6) for n in in_sheet} <= given | {spec["learning_rate"]}, student
        assert sheet.count('aria-label="your answer"') == sum(np.size(g) for g in answers["gradients"].values())
        assert '<html lang="en">' in sheet and "<svg" in sheet and "________" in sheet


def test_networks_are_reproducible_and_distinct():
    specs = [exercise_spec("week3", f"student-{i}", [2, 2, 1]) for i in range(40)]
    assert specs == [exercise_spec("week3", f"student-{i}", [2, 2, 1]) for i in range(40)]
    numbers = {json.dumps([s["inputs"], s["targets"], s["layers"]]) for s in specs}
    assert len(numbers) == 40
    assert exercise_spec("week4", "student-0", [2, 2, 1]) != specs[0]  # another course seed, other numbers


def test_a_forced_repeat_takes_the_next_draw():
    taken = set()
    first = exercise_spec("s", "a", [2, 2, 1], taken=taken)
    # the same id again (as if two students drew the same numbers): a different network
    second = exercise_spec("s", "a", [2, 2, 1], taken=taken)
    assert first["layers"] != second["layers"] or first["inputs"] != second["inputs"]


def test_dead_asks_for_exactly_one_dead_relu():
    spec = exercise_spec("s", "a", [2, 3, 1], dead=True)
    net = parse_spec(spec)
    z = net.layers[0].W @ net.X[0] + net.layers[0].b
    assert (z <= 0).sum() == 1


@pytest.mark.parametrize("text, field", [
    ("name\nAda\n", "roster: "),
    ("id,name\na,Ada\na,Again\n", "roster line 3: id: 'a' repeats line 2"),
    ("id\nx\n\n ,y\n", "roster line 3: id: empty"),
])
def test_bad_rosters_are_one_line(capsys, tmp_path, text, field):
    code, _, err = run(capsys, "exercises", roster(tmp_path, text), "--course-seed", "s", "--output-dir",
                       str(tmp_path / "out"), "--no-videos")
    assert code == 2 and err.startswith(f"backprop: {field}") and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_bad_shape_is_one_line(capsys, tmp_path):
    code, _, err = run(capsys, "exercises", roster(tmp_path), "--course-seed", "s", "--output-dir",
                       str(tmp_path / "out"), "--shape", "2-x-1")
    assert code == 2 and err.startswith("backprop: shape: ") and not (tmp_path / "out").exists()


@pytest.mark.slow
def test_solution_videos_render_through_the_runner(capsys, tmp_path):
    code, _, err = run(capsys, "exercises", roster(tmp_path, "id\nada\n"), "--course-seed", "s", "--output-dir",
                       str(tmp_path / "out"), "--jobs", "1")
    assert code == 0, err
    files = sorted(os.listdir(tmp_path / "out" / "ada"))
    assert "solution.mp4" in files and "solution.srt" in files
    import av

    with av.open(str(tmp_path / "out" / "ada" / "solution.mp4")) as video:
        assert video.duration / 1e6 > 20  # the whole backward scene
    mtime = os.stat(tmp_path / "out" / "ada" / "solution.mp4").st_mtime_ns
    code, _, _ = run(capsys, "exercises", roster(tmp_path, "id\nada\n"), "--course-seed", "s", "--output-dir",
                     str(tmp_path / "out"), "--jobs", "1")
    assert code == 0 and os.stat(tmp_path / "out" / "ada" / "solution.mp4").st_mtime_ns == mtime  # not again
