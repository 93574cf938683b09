"""`backprop exercises`: a network per student, reproducible and distinct, with an answer key that
equals an independent computation and a worksheet that gives nothing away."""

import csv
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import html5lib
import numpy as np
import pytest

from backprop.engine.exercises import exercise_spec
from backprop.engine.spec import parse_spec
from tests import oracle
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
            grads[name] = oracle.in_place_gradient(array, lambda: loss(layers), h)
    return grads


def students_of(folder) -> list[str]:
    return [f for f in os.listdir(folder) if (folder / f).is_dir()]


def after_gradients(page: str) -> str:
    """The gradients' table and what follows it (the instructions above it quote example numbers)."""
    return page.split("<h2>Gradients</h2>")[1].split("<table", 1)[1]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("exercises")
    from backprop.output.course.exercises import build_exercises, read_roster

    build_exercises(read_roster(roster(tmp)), "week3", [2, 2, 1], str(tmp / "out"), videos=False)
    return tmp / "out"


def test_every_student_gets_a_folder_with_a_spec_a_worksheet_and_answers(folder):
    assert sorted(f for f in os.listdir(folder) if not (folder / f).is_dir()) == ["answers.csv", "moodle.xml", "students.csv"]
    assert len(students_of(folder)) == 4 and "s-001" in students_of(folder)
    assert all(".." not in f and "/" not in f for f in os.listdir(folder))  # "../etc" stays inside
    for student in students_of(folder):
        assert sorted(os.listdir(folder / student)) == ["answers.html", "answers.json", "network.json", "worksheet.html"]


def test_answer_keys_equal_finite_differences_of_an_independent_forward_pass(folder):
    for student in students_of(folder):
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
    for student in sorted(students_of(folder)):
        done = subprocess.run([backprop, "gradients", str(folder / student / "network.json"), "--json"],
                              capture_output=True, text=True, cwd="/")
        assert done.returncode == 0, done.stderr
        printed = json.loads(done.stdout)
        answers = json.loads((folder / student / "answers.json").read_text())
        assert printed["gradients"] == answers["gradients"] and printed["loss"] == answers["loss"]
        assert printed == answers  # outputs, updated values and learning rate too


def test_the_numbers_are_friendly_and_in_the_lessons_style(folder):
    for student in students_of(folder):
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
    for student in students_of(folder):
        answers = json.loads((folder / student / "answers.json").read_text())
        sheet = (folder / student / "worksheet.html").read_text()
        key = (folder / student / "answers.html").read_text()
        in_key = [float(n.replace("−", "-")) for n in re.findall(r"[−+]?\d+\.\d+", after_gradients(key))]
        in_sheet = [float(n.replace("−", "-")) for n in re.findall(r"[−+]?\d+\.\d+", after_gradients(sheet))]
        for v in np.concatenate([np.ravel(g) for g in answers["gradients"].values()]):
            assert any(abs(n - v) < 0.0005 for n in in_key), (student, v)  # every answer, as rounded
        # none given away: the sheet's numbers after the forward pass are the parameters and η only
        spec = json.loads((folder / student / "network.json").read_text())
        given = {round(float(p), 6) for l in spec["layers"] for p in np.ravel(l["weights"]).tolist() + l["bias"]}
        assert {round(n, 6) for n in in_sheet} <= given | {spec["learning_rate"]}, student
        assert sheet.count('aria-label="your answer"') == sum(np.size(g) for g in answers["gradients"].values())
        assert '<html lang="en">' in sheet and "<svg" in sheet and "________" in sheet
        assert "solution.mp4" not in key  # --no-videos: no video to link


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
    key = html5lib.parse((tmp_path / "out" / "ada" / "answers.html").read_text(), namespaceHTMLElements=False)
    assert [a.get("href") for a in key.iter("a")] == ["solution.mp4"]  # the key links the solution video
    import av

    with av.open(str(tmp_path / "out" / "ada" / "solution.mp4")) as video:
        assert video.duration / 1e6 > 20  # the whole backward scene
    mtime = os.stat(tmp_path / "out" / "ada" / "solution.mp4").st_mtime_ns
    code, _, _ = run(capsys, "exercises", roster(tmp_path, "id\nada\n"), "--course-seed", "s", "--output-dir",
                     str(tmp_path / "out"), "--jobs", "1")
    assert code == 0 and os.stat(tmp_path / "out" / "ada" / "solution.mp4").st_mtime_ns == mtime  # not again


def test_worksheets_name_every_activation_and_the_loss_with_their_formulas(folder):
    """The lesson's ReLU hidden layer and sigmoid output, and the loss ½ (y − t)², written out, so a
    student can finish the sheet without the video."""
    for student in students_of(folder):
        spec = json.loads((folder / student / "network.json").read_text())
        text = " ".join(html5lib.parse((folder / student / "worksheet.html").read_text(),
                                       namespaceHTMLElements=False).find("body").itertext())
        assert [l["activation"] for l in spec["layers"]] == ["relu", "sigmoid"]
        for said in ("h₁, h₂ ReLU h = ReLU(z) = max(0, z)", "ReLU′(z) = 1 if z > 0 else 0",
                     "y sigmoid y = σ(z) = 1 / (1 + e⁻ᶻ)", "σ′(z) = y(1 − y)",
                     "loss: MSE L = ½ Σ (y − t)²", "∂L/∂y = y − t", "z = Σ w·x + b"):
            assert said in " ".join(text.split()), (student, said)


def key_numbers(page: str) -> dict[str, str]:
    """The answer key's gradients column: parameter symbol → the number as written."""
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    table = [t for t in tree.iter("table") if "∂L/∂parameter" in "".join(t.itertext())][0]
    rows = [["".join(td.itertext()) for td in tr.findall("td")] for tr in table.iter("tr")]
    return {row[0]: row[3] for row in rows if row}


def decimals_of(text: str) -> int:
    """Decimal places of 0.045 (3), +0.0085 (4), 5.2 × 10⁻⁴ (5)."""
    m = re.fullmatch(r"[−+]?\d+\.(\d+)(?: × 10([⁻⁰-⁹]+))?", text)
    assert m, text
    exponent = int(m[2].translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789"))) if m[2] else 0
    return len(m[1]) - exponent


def value_of(text: str) -> float:
    """−0.045 → -0.045; 5.2 × 10⁻⁴ → 0.00052."""
    mantissa, _, power = text.replace("−", "-").partition(" × 10")
    exponent = int(power.translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789"))) if power else 0
    return float(mantissa) * 10.0 ** exponent


def test_the_key_gives_the_precision_the_worksheet_asks_for(folder):
    """Three decimals, or two significant figures below 0.01: each key number obeys the rule the
    worksheet states, and is the exact gradient rounded so."""
    for student in students_of(folder):
        sheet = " ".join((folder / student / "worksheet.html").read_text().split())
        assert "to three decimals" in sheet and "two significant figures when it is smaller than 0.01" in sheet
        answers = json.loads((folder / student / "answers.json").read_text())
        shown = key_numbers((folder / student / "answers.html").read_text())
        assert len(shown) == sum(np.size(g) for g in answers["gradients"].values())
        for symbol, text in shown.items():
            name, index = parameter(symbol)
            exact = np.asarray(answers["gradients"][name])[index]
            value, places = value_of(text), decimals_of(text)
            significant = places + int(np.floor(np.log10(abs(value)))) + 1
            assert places == 3 if abs(value) >= 0.01 else significant == 2, (symbol, text)
            assert abs(value - exact) <= 0.5 * 10.0 ** -places + 1e-15, (symbol, text, exact)


def parameter(symbol: str) -> tuple[str, tuple[int, ...]]:
    """W₁[1,2] → ("W1", (0, 1))."""
    m = re.fullmatch(r"([Wb])([₀-₉]+)\[([\d,]+)\]", symbol)
    return m[1] + m[2].translate(str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")), tuple(int(i) - 1 for i in m[3].split(","))


def read_csv_with_bom(path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, for Excel
    return list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"), newline="")))


def test_students_csv_maps_every_id_to_its_folder(folder):
    rows = read_csv_with_bom(folder / "students.csv")
    assert [r["id"] for r in rows] == ["s-001", "s-002", "bob smith", "../etc"]  # the roster's order
    assert sorted(r["folder"] for r in rows) == sorted(students_of(folder))
    assert all(r["id"] in (folder / r["folder"] / "worksheet.html").read_text() for r in rows if "<" not in r["id"])


def test_answers_csv_has_a_row_per_student_with_every_gradient_at_full_precision(folder):
    rows = read_csv_with_bom(folder / "answers.csv")
    assert [r["folder"] for r in rows] == [r["folder"] for r in read_csv_with_bom(folder / "students.csv")]
    for row in rows:
        answers = json.loads((folder / row["folder"] / "answers.json").read_text())
        expected = {f"dL/d{name}[{','.join(str(i + 1) for i in idx)}]": float(np.asarray(g)[idx])
                    for name, g in answers["gradients"].items() for idx in np.ndindex(np.shape(g))}
        assert set(row) == {"id", "folder", "loss"} | set(expected)
        assert all(float(row[k]) == v for k, v in expected.items())  # every digit: equal, not close
        assert float(row["loss"]) == answers["loss"]


MOODLE_SPLIT = re.compile(r"(?<!/)/(?!/)")  # Moodle's split_category_path: '/' separates, '//' is a '/'


def test_moodle_xml_is_a_question_bank_of_the_keys_answers(folder):
    """The Moodle XML format's structure (docs.moodle.org/en/Moodle_XML_format; Moodle's
    question/format/xml importer): <quiz> of <question> elements, a category question opening each
    student's questions, a numerical question per gradient with its name, HTML question text and one
    answer at 100 % with a tolerance. Each answer is the key's number, its tolerance half a unit of the
    precision the question (and the worksheet) asks for, and it accepts the exact gradient."""
    tree = ET.parse(folder / "moodle.xml")
    quiz = tree.getroot()
    assert quiz.tag == "quiz" and all(q.tag == "question" for q in quiz)
    by_student, current = {}, None
    for q in quiz:
        if q.get("type") == "category":
            path = q.find("category/text").text
            names = [n.replace("//", "/").strip() for n in MOODLE_SPLIT.split(path)]
            assert names[:2] == ["$course$", "top"] and len(names) == 4
            current = names[-1]
            assert current not in by_student
            by_student[current] = []
        else:
            assert q.get("type") == "numerical" and current is not None
            by_student[current].append(q)
    students = {r["id"]: r["folder"] for r in read_csv_with_bom(folder / "students.csv")}
    assert set(by_student) == set(students)  # "../etc" too: its '/' doubled in the path
    for sid, questions in by_student.items():
        answers = json.loads((folder / students[sid] / "answers.json").read_text())
        key = key_numbers((folder / students[sid] / "answers.html").read_text())
        assert len(questions) == len(key) == sum(np.size(g) for g in answers["gradients"].values())
        asked = set()
        for q in questions:
            assert q.find("name/text").text and q.find("questiontext").get("format") == "html"
            text = q.find("questiontext/text").text
            symbol = re.search(r"∂L/∂(\S+)", text)[1]
            asked.add(symbol)
            (answer,) = q.findall("answer")
            assert answer.get("fraction") == "100"
            value, tolerance = float(answer.find("text").text), float(answer.find("tolerance").text)
            places = decimals_of(key[symbol])
            assert tolerance == pytest.approx(0.5 * 10.0 ** -places, rel=1e-12)
            assert ("three decimals" in text) == (places == 3) and (f"{places} decimal places" in text) == (places != 3)
            assert value == pytest.approx(value_of(key[symbol]), abs=1e-15)  # the key's number
            name, index = parameter(symbol)
            assert abs(value - np.asarray(answers["gradients"][name])[index]) <= tolerance + 1e-15
        assert asked == set(key)  # a question per gradient the worksheet asks for


def test_moodle_xml_asks_a_tiny_gradient_to_its_two_significant_figures():
    """A saturated sigmoid: ∂L/∂w = (y − t) y (1 − y) x ≈ −5.6 × 10⁻⁸, which the key writes in powers
    of ten. Its question asks for the decimals those two figures take; its tolerance is half the last one."""
    from backprop.output.course.exercises import Student
    from backprop.output.course.gradebook import moodle_xml

    spec = {"name": "flat", "inputs": [[0.5]], "targets": [[1.0]], "loss": "mse",
            "layers": [{"units": 1, "activation": "sigmoid", "weights": [[4.0]], "bias": [6.0]}]}
    y = 1 / (1 + np.exp(-(4.0 * 0.5 + 6.0)))
    exact = {"W₁[1,1]": (y - 1) * y * (1 - y) * 0.5, "b₁[1]": (y - 1) * y * (1 - y)}
    quiz = ET.fromstring(moodle_xml([Student("a/b", "a-b")], {"a-b": parse_spec(spec)}, "s"))
    category, *questions = quiz
    assert [n.replace("//", "/") for n in MOODLE_SPLIT.split(category.find("category/text").text)][-1] == "a/b"
    for q in questions:
        symbol = re.search(r"∂L/∂(\S+)", q.find("questiontext/text").text)[1]
        value, tolerance = float(q.find("answer/text").text), float(q.find("answer/tolerance").text)
        places = -int(np.floor(np.log10(abs(exact[symbol])))) + 1  # two significant figures
        assert f"{places} decimal places (two significant figures)" in q.find("questiontext/text").text
        assert tolerance == pytest.approx(0.5 * 10.0 ** -places) and value == round(exact[symbol], places)
        assert abs(value - exact[symbol]) <= tolerance
