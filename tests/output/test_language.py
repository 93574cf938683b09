"""`--language de`: the German catalog covers every marked string, the German backward and title
scenes say in German exactly the numbers the English ones say (same numbers, same order, item by
item), their cards' arithmetic holds, their longer words stay readable inside the frame, and an
unknown language is refused in one line before anything is written."""

import os
import re
import subprocess
import sys

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from backprop.engine.spec import load_network as load_preset
from backprop.engine.timeline import build_timeline
from backprop.language import LOCALE_DIR, languages, speaking
from backprop.output.render.transcript import transcript
from backprop.story.beats import plan_beats
from backprop.story.narration import narrate
from tests.arithmetic import check_line, expressions

# a number as the screen writes it: a true minus or a plus, digits, a decimal point, a power of ten
NUMBER = re.compile(r"[−+-]?\d+(?:\.\d+)?(?:\s?×\s?10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?")
PLACEHOLDER = re.compile(r"\{(\w*)\}|%\((\w+)\)s")
PX = {"16:9": (854, 480), "9:16": (480, 854)}


def numbers(text: str) -> list[str]:
    """The numbers of a text in order, subscripts and indices (W₁[1,2], x₁) included as digits."""
    return NUMBER.findall(text)


def german_catalog():
    with open(f"{LOCALE_DIR}/de/LC_MESSAGES/backprop.po", "rb") as f:
        return read_po(f, locale="de")


def test_the_german_catalog_translates_every_marked_string():
    """What `pybabel extract -F babel.cfg` finds (Python with its default keywords _, ngettext, N_ …;
    the Jinja2 templates) has a German entry, not fuzzy, with the same placeholders: no message
    falls back to English."""
    catalog = german_catalog()
    root = os.path.dirname(os.path.dirname(LOCALE_DIR))
    with open(f"{root}/babel.cfg") as f:
        method_map, options_map = parse_mapping_cfg(f)
    marked = {m[2] for m in extract_from_dir(root, method_map=method_map, options_map=options_map)}
    assert "Chapters" in marked and "Through {activation}" in marked  # templates and code
    assert len(marked) > 100
    problems = []
    for msgid in marked:
        entry = catalog.get(msgid)
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        strings = (entry.string if isinstance(entry.string, tuple) else (entry.string,)) if entry else ()
        if entry is None or entry.fuzzy or not all(strings):
            problems.append(("missing", msgid))
            continue
        wanted = set(PLACEHOLDER.findall(ids[-1]))  # a plural's singular may leave out its count
        if any(not set(PLACEHOLDER.findall(s)) <= wanted for s in strings) or set(PLACEHOLDER.findall(strings[-1])) != wanted:
            problems.append(("placeholders", msgid, strings))
    assert problems == []
    assert "de" in languages()


def test_german_narration_says_the_english_numbers():
    """Every beat's narrator sentence, on a one-example and a batch network, in both languages: the
    same numbers in the same order (spelled-out counts aside: "two" is a word in either)."""
    for preset in ("seed", "batch"):
        timeline = build_timeline(load_preset(preset))
        beats = plan_beats(timeline)
        english = [narrate(b, timeline) for b in beats]
        with speaking("de"):
            german = [narrate(b, timeline) for b in beats]
            captions = [b.caption for b in plan_beats(timeline)]
        assert [numbers(s) for s in german] == [numbers(s) for s in english]
        assert german != english
        assert any(c.startswith("Schritt 1 · ") for c in captions)


@pytest.fixture(scope="module")
def backward():
    """backward on seed: English, German 16:9 and German in the portrait frame (the narrowest for
    German's longer words); about 15 s each."""
    timeline = build_timeline(load_preset("seed"))
    return {(lang, aspect): transcript("backward", timeline, language=lang, aspect=aspect)
            for lang, aspect in (("en", "16:9"), ("de", "16:9"), ("de", "9:16"))}


def test_german_transcript_shows_the_english_numbers_item_by_item(backward):
    en, de = backward["en", "16:9"], backward["de", "16:9"]
    assert [i["role"] for i in de["items"]] == [i["role"] for i in en["items"]]
    assert [numbers(i["text"]) for i in de["items"]] == [numbers(i["text"]) for i in en["items"]]
    captions = [i["text"] for i in de["items"] if i["role"] == "caption"]
    assert "Schritt 1 · Start beim Verlust" in captions
    assert "Wo Pfade sich verzweigen, addieren sich Gradienten" in captions
    notes = {i["text"] for i in de["items"] if i["role"] == "note"}
    assert "negativ: y sollte steigen" in notes
    table = [i["text"] for i in de["items"] if i["role"] == "table"]
    assert table[0].split() == ["Parameter", "Wert", "Gradient", "um", "den", "Verlust", "zu", "senken"]
    assert [b["n"] for b in de["beats"]] == [b["n"] for b in en["beats"]]
    # the numbers as the screen writes them: a point, never a German decimal comma
    assert not any(re.search(r"\d,\d{2}", i["text"]) for i in de["items"] if i["role"] in ("card", "table"))


@pytest.mark.parametrize("aspect", ["16:9", "9:16"])
def test_german_cards_hold_and_fit_the_frame(backward, aspect):
    data = backward["de", aspect]
    problems = [p for i in data["items"] if i["role"] == "card" for line in expressions(i["text"])
                for p in check_line(line)]
    assert problems == []
    small = [(i["role"], i["px"], i["text"]) for i in data["items"]
             if i["role"] in ("card", "note", "caption", "table", "legend", "title") and i["px"] < 16 - 1e-6]
    assert small == []
    w, h = PX[aspect]
    outside = [(i["text"], i["box"]) for i in data["items"] if i.get("box")
               and not (-0.5 <= i["box"][0] and i["box"][2] <= w + 0.5 and -0.5 <= i["box"][1] and i["box"][3] <= h + 0.5)]
    assert outside == []


def test_title_in_german():
    data = transcript("title", build_timeline(load_preset("seed")), language="de")
    texts = [i["text"] for i in data["items"]]
    assert "Backpropagation: Gradienten Schicht für Schicht berechnen" in texts
    assert "Das Ziel: ∂L/∂w für jedes Gewicht und jeden Bias" in "\n".join(texts)
    card = next(t for t in texts if t.startswith("Das Ziel: ∂L/∂w"))
    assert "9 Parameter, also 9 Gradienten" in card  # the seed network's 6 weights and 3 biases


@pytest.mark.parametrize("command", [["transcript", "backward"], ["render", "backward", "--still", "5"]])
def test_an_unknown_language_is_one_line_and_exit_2(tmp_path, command):
    out = tmp_path / "media"
    proc = subprocess.run([sys.executable, "-m", "backprop.output.cli", *command, "--language", "xx",
                           *(["--output-dir", str(out)] if command[0] == "render" else [])],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "backprop: language: unknown 'xx'; languages: en, de"
    assert proc.stdout == ""
    assert not out.exists()


COURSE = """title = "Woche 3"
language = "de"
[[lesson]]
scene = "title"
[[lesson]]
scene = "backward"
language = "en"
"""


def test_a_course_file_sets_the_language_of_its_lessons_and_pages(tmp_path):
    from backprop.output.course.lessons import plan_commands, read_course
    from backprop.output.course.site import site_pages

    (tmp_path / "course.toml").write_text(COURSE)
    course = read_course(str(tmp_path / "course.toml"))
    assert [job.language for job in course.lessons] == ["de", "en"]
    assert "--language de" in plan_commands(course, str(tmp_path / "site"))[0]
    assert "--language" not in plan_commands(course, str(tmp_path / "site"))[1]
    (tmp_path / "other.toml").write_text(COURSE.replace('language = "de"', 'language = "en"'))
    assert read_course(str(tmp_path / "other.toml")).lessons[0].key != course.lessons[0].key  # renders again
    pages = site_pages(course, {}, str(tmp_path / "site"))
    index, german, english = pages["index.html"], pages[course.lessons[0].slug + ".html"], pages[course.lessons[1].slug + ".html"]
    assert '<html lang="de">' in index and "<h2>Lektionen</h2>" in index
    assert '<html lang="de">' in german and "<h2>Gradienten</h2>" in german
    assert "<th scope=\"col\">Pfad</th>" in german and "Verlust L = 0.0764; Lernrate 0.1." in german
    assert '<html lang="en">' in english and "<h2>Gradients</h2>" in english


@pytest.mark.parametrize("where,text", [("language", 'language = "xx"'), ("lesson[2].language", 'language = "xx"')])
def test_a_course_files_unknown_language_names_its_field(tmp_path, where, text):
    from backprop.engine.spec import SpecError
    from backprop.output.course.lessons import read_course

    body = COURSE.replace('language = "de"', text) if where == "language" else COURSE.replace('language = "en"', text)
    (tmp_path / "course.toml").write_text(body)
    with pytest.raises(SpecError) as e:
        read_course(str(tmp_path / "course.toml"))
    assert e.value.field == where and "unknown 'xx'; languages: en, de" in str(e.value)


def test_a_lecture_chapter_carries_its_language_into_its_cache_key_and_bridge():
    from backprop.output.render.lecture import chapters, segment_key
    from backprop.story.theme import Theme

    first = chapters()[0]
    assert segment_key(first, Theme(), "low", "mp4", "de") != segment_key(first, Theme(), "low", "mp4")
    assert segment_key(first, Theme(), "low", "mp4", "en") == segment_key(first, Theme(), "low", "mp4")
    assert first.place.bridge == "Next: The forward pass"
    with speaking("de"):
        assert first.place.bridge == "Als Nächstes: Der Vorwärtsdurchlauf"
        assert chapters()[1].place.title == "Der Vorwärtsdurchlauf"
    assert first.place.bridge == "Next: The forward pass"  # the language before, after the block


def test_the_handout_is_printed_in_german(tmp_path):
    """The title scene's handout: the beats' captions and sentences, the title page and the table's
    heading in German, its numbers as in English."""
    from pypdf import PdfReader

    target = tmp_path / "title.pdf"
    proc = subprocess.run([sys.executable, "-m", "backprop.output.cli", "handout", "title", "--language", "de",
                           "--output", str(target)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(target).pages)
    for said in ("Der Vorwärtsdurchlauf", "Das Netz, das wir trainieren", "Alle Gradienten: seed",
                 "Parameter Pfad Wert Gradient aktualisiert um den Verlust zu senken", "dieses Gewicht erhöhen",
                 "−0.045", "0.3045", "Lernrate η = 0.1"):
        assert said in text, said


@pytest.mark.parametrize("scene,network", [("forward", "seed"), ("forward", "classifier"), ("takeaways", "seed"),
                                           ("chain-rule", "seed"), ("chain-rule", "branching"), ("branch-sum", "branching"),
                                           ("update", "seed"), ("nudge", "seed"), ("batch", "batch"),
                                           ("why-backwards", "seed"), ("gradient-check", "seed"),
                                           ("matrix-form", "seed"), ("matrix-form", "batch"), ("autodiff", "lesson-graph")])
def test_other_translated_chapters_keep_their_numbers_and_fit(scene, network):
    """The other translated chapters (forward with MSE and with softmax and cross-entropy, chain-rule on
    one path and on two, branch-sum, nudge, why-backwards, update, batch, gradient-check, matrix-form, autodiff,
    takeaways), as for backward: German words, the English numbers item by item, true arithmetic, ≥ 16 px
    inside the frame."""
    net = load_preset(network)
    timeline = build_timeline(net)
    en, de = (transcript(scene, timeline, network=net, language=lang) for lang in ("en", "de"))
    assert [i["role"] for i in de["items"]] == [i["role"] for i in en["items"]]
    assert [numbers(i["text"]) for i in de["items"]] == [numbers(i["text"]) for i in en["items"]]
    changed = [i["text"] for i, j in zip(de["items"], en["items"]) if i["role"] in ("caption", "card") and i != j]
    assert changed
    assert [p for i in de["items"] if i["role"] == "card" for line in expressions(i["text"]) for p in check_line(line)] == []
    assert [i["text"] for i in de["items"] if i["role"] in ("card", "note", "caption", "table") and i["px"] < 16 - 1e-6] == []
    assert [i["text"] for i in de["items"] if i.get("box") and not (-0.5 <= i["box"][0] and i["box"][2] <= 854.5
                                                                   and -0.5 <= i["box"][1] and i["box"][3] <= 480.5)] == []
