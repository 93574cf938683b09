"""The roster-wide files of `backprop exercises`: `students.csv` (id → folder), `answers.csv` (a row
per student, every gradient at full precision) and `moodle.xml` (a Moodle XML question bank).

The CSVs are UTF-8 with a byte-order mark, which Excel needs to read W₁ and ü as written. The
question bank has a category per student and a numerical question per gradient the worksheet asks
for; each answer is the key's number, accepted within half a unit of its last shown digit (the
precision the worksheet asks for: three decimals, two significant figures below 0.01).
"""

from __future__ import annotations

import csv
import html
import io
import xml.etree.ElementTree as ET

from backprop.engine.report import report_from_engine
from backprop.engine.spec import Network
from backprop.story.texts import grad_text  # how the answer key (and the solution video) writes a gradient

SUPERSCRIPTS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")
BANK = "Backpropagation by hand"


def shown_decimals(text: str) -> int:
    """Decimal places of a number as the key writes it: −0.045 → 3, +0.0085 → 4, 5.2 × 10⁻⁴ → 5."""
    mantissa, _, power = text.partition("×")
    places = len(mantissa.strip().partition(".")[2])
    return places - int(power.strip()[2:].translate(SUPERSCRIPTS)) if power else places


def precision_words(decimals: int) -> str:
    return "three decimals" if decimals == 3 else f"{decimals} decimal places (two significant figures)"


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def students_csv(students) -> bytes:
    return _csv([["id", "folder"]] + [[s.id, s.folder] for s in students])


def answers_csv(students, nets: dict[str, Network]) -> bytes:
    """A header of parameter names (W1[1,2]) from the first network: every exercise has the same shape."""
    reports = [report_from_engine(nets[s.folder]) for s in students]
    names = [r.name for r in reports[0].rows] if reports else []
    rows = [["id", "folder", "loss"] + [f"dL/d{n}" for n in names]]
    for s, report in zip(students, reports):
        rows.append([s.id, s.folder, repr(report.loss)] + [repr(r.gradient) for r in report.rows])
    return _csv(rows)


def category_path(*names: str) -> str:
    """Moodle's category path: names joined by '/', a '/' inside a name doubled (and a name that starts
    or ends with one padded with a space), as Moodle's own exporter writes it."""
    escaped = []
    for name in names:
        name = name.replace("/", "//")
        escaped.append((" " if name.startswith("/") else "") + name + (" " if name.endswith("/") else ""))
    return "/".join(escaped)


def _text(parent: ET.Element, tag: str, text: str, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    ET.SubElement(element, "text").text = text
    return element


def moodle_xml(students, nets: dict[str, Network], course_seed: str) -> bytes:
    quiz = ET.Element("quiz")
    for s in students:
        category = ET.SubElement(quiz, "question", type="category")
        _text(category, "category", "$course$/top/" + category_path(f"{BANK} ({course_seed})", s.id))
        for r in report_from_engine(nets[s.folder]).rows:
            decimals = shown_decimals(grad_text(r.gradient))
            q = ET.SubElement(quiz, "question", type="numerical")
            _text(q, "name", f"∂L/∂{r.symbol} ({s.id})")
            asked = f"On your worksheet's network (student {s.id}): give ∂L/∂{r.symbol} ({r.path}) to {precision_words(decimals)}."
            _text(q, "questiontext", f"<p>{html.escape(asked)}</p>", format="html")
            _text(q, "generalfeedback", "", format="html")
            ET.SubElement(q, "defaultgrade").text = "1"
            ET.SubElement(q, "penalty").text = "0.3333333"
            ET.SubElement(q, "hidden").text = "0"
            answer = ET.SubElement(q, "answer", fraction="100", format="moodle_auto_format")
            ET.SubElement(answer, "text").text = f"{r.gradient:.{decimals}f}"
            ET.SubElement(answer, "tolerance").text = f"{0.5 * 10.0 ** -decimals:.{decimals + 1}f}"
            _text(answer, "feedback", "", format="html")
            for tag, value in (("unitgradingtype", "0"), ("unitpenalty", "0.1"), ("showunits", "3"), ("unitsleft", "0")):
                ET.SubElement(q, tag).text = value
    ET.indent(quiz)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="utf-8") + b"\n"
