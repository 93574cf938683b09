"""`--language de`: the German catalog covers every marked string; every scene of the catalog says in
German exactly the numbers the English one says (same numbers, same order, item by item and sentence
by sentence) with no English sentence left, its cards' arithmetic holds, its longer words stay
readable inside the frame; an unknown language is refused in one line before anything is written."""

import os
import re
import subprocess
import sys

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from backprop.engine.spec import load_network as load_preset
from backprop.engine.operations import ACTIVATIONS, LOSSES
from backprop.engine.timeline import build_timeline
from backprop.language import LOCALE_DIR, languages, speaking
from backprop.output.render.transcript import transcript
from backprop.scenes.catalog import SCENES
from backprop.story.beats import plan_beats
from backprop.story.narration import narrate
from tests.arithmetic import SIGNED, check_line, expressions
from tests.plays import played

NUMBER = re.compile(SIGNED)
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
    German's longer words); tests/plays.py plays each once for every module that reads it."""
    return {(lang, aspect): played("backward", "seed", aspect, lang)
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
    """The title scene's handout: the beats' captions and sentences, the title page (the preset's
    description too) and the table's heading in German, its numbers as in English."""
    from pypdf import PdfReader

    target = tmp_path / "title.pdf"
    proc = subprocess.run([sys.executable, "-m", "backprop.output.cli", "handout", "title", "--language", "de",
                           "--output", str(target)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(target).pages)
    for said in ("Der Vorwärtsdurchlauf", "Das Netz, das wir trainieren", "Alle Gradienten: seed",
                 "Parameter Pfad Wert Gradient aktualisiert um den Verlust zu senken", "dieses Gewicht erhöhen",
                 "das durchgerechnete Beispiel der Lektion", "−0.045", "0.3045", "Lernrate η = 0.1"):
        assert said in text, said


# Words that stay as the English writes them in every language: the activations' and losses' names
# (ReLU, sigmoid, MSE, …) and Adam's, the functions of formulas, a command line and code. A text of
# these, numbers and notation is the same in German; any other text the German scene shows as the
# English one does is an English sentence left.
KEPT = re.compile(r"backprop train --[a-z-]+|\w+Backward\d|AccumulateGrad|\.grad\b|torch\.\w+|\d if \S+ > 0 else \d"
                  r"|^\w+ = \w+$", re.M)  # PyTorch's names and a program's code (autodiff) too
NAMES = {w for record in (*ACTIVATIONS.values(), *LOSSES.values()) for w in re.findall(r"[A-Za-z]+", record.display)
         } | {"Adam", "sign", "log", "exp", "max", "tanh"}  # an optimizer's name, functions in formulas


def english_left(en: dict, de: dict) -> list[str]:
    """The texts (items on screen, beats' sentences) German shows exactly as English does, and that
    hold a word of three or more letters other than NAMES."""
    said = [(b["name"], b["narration"]) for b in en["beats"]], [(b["name"], b["narration"]) for b in de["beats"]]
    pairs = [(i["text"], j["text"]) for i, j in zip(en["items"], de["items"])] + [
        (a, b) for x, y in zip(*said) for a, b in zip(x, y)]
    return sorted({b for a, b in pairs if a == b and {w for w in re.findall(r"[A-Za-z]{3,}", KEPT.sub("", b))} - NAMES})


def same_numbers(en: dict, de: dict) -> None:
    """German says the English numbers item by item and sentence by sentence."""
    assert [i["role"] for i in de["items"]] == [i["role"] for i in en["items"]]
    assert [numbers(i["text"]) for i in de["items"]] == [numbers(i["text"]) for i in en["items"]]
    assert [numbers(b["narration"]) for b in de["beats"]] == [numbers(b["narration"]) for b in en["beats"]]


def true_and_inside(de: dict, aspect: str = "16:9") -> None:
    """Its cards' arithmetic holds, and every text is 16 px or more inside the frame."""
    assert [p for i in de["items"] if i["role"] == "card" for line in expressions(i["text"]) for p in check_line(line)] == []
    assert [i["text"] for i in de["items"] if i["role"] in ("card", "note", "caption", "table", "legend", "title")
            and i["px"] < 16 - 1e-6] == []
    w, h = PX[aspect]
    assert [(i["text"], i["box"]) for i in de["items"] if i.get("box") and not (
        -0.5 <= i["box"][0] and i["box"][2] <= w + 0.5 and -0.5 <= i["box"][1] and i["box"][3] <= h + 0.5)] == []


@pytest.mark.slow
@pytest.mark.parametrize("scene", sorted(SCENES))
def test_every_scene_speaks_german(scene):
    """Every scene of the catalog (a new one is in this list by being there) on its own network: no
    English sentence left on screen or in the narration, the English numbers in the same order, true
    arithmetic, ≥ 16 px inside the frame at 16:9 and in the portrait frame (German's longer words)."""
    network = SCENES[scene].network
    en, de = played(scene, network), played(scene, network, language="de")
    assert english_left(en, de) == []
    same_numbers(en, de)
    true_and_inside(de)
    true_and_inside(played(scene, network, "9:16", "de"), "9:16")


def test_english_left_finds_an_untranslated_sentence():
    """The check itself: a sentence the same in both is found; names, numbers and notation are not."""
    def data(*texts):
        return {"items": [{"text": t} for t in texts], "beats": [{"name": "x", "narration": "y"}]}
    en = data("The gradient's size, layer by layer", "2 → 2 ReLU → 1 sigmoid, MSE, t = 1.0", "∂L/∂W₁[1,2] = −0.045")
    de = data("The gradient's size, layer by layer", "2 → 2 ReLU → 1 sigmoid, MSE, t = 1.0", "∂L/∂W₁[1,2] = −0.045")
    assert english_left(en, de) == ["The gradient's size, layer by layer"]


@pytest.mark.parametrize("scene,network", [("forward", "classifier"), ("chain-rule", "branching"),
                                           ("matrix-form", "batch"), ("vanishing", "deep-sigmoid")])
def test_translated_chapters_on_other_networks_keep_their_numbers_and_fit(scene, network):
    """Other networks than the catalog's own: forward with softmax and cross-entropy, chain-rule on two
    paths, matrix-form on a batch, vanishing with no dead unit."""
    en, de = played(scene, network), played(scene, network, language="de")
    assert english_left(en, de) == []
    same_numbers(en, de)
    true_and_inside(de)
