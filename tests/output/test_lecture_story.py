"""The whole lecture as one story, read from `transcript lecture` at the default pace (its chapters played
without drawing, once for the module): the title once, a bridge at the end of every chapter to the
next, the seven takeaways pointing at chapters of this lecture, worked cards long enough to check, one
notation throughout (tests/scenes/test_notation.py's checks: what `backprop transcript lecture --json`
prints, whose command tests/output/test_lecture.py runs)."""

import re

import pytest

from backprop.engine.spec import load_network
from backprop.output.render import lecture
from backprop.story.theme import Theme
from tests.notation import Reader, notation_problems
from tests.scenes.transcript_checks import arithmetic_problems

LESSON_TITLE = "Backpropagation: computing gradients layer by layer"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def played():
    return lecture.transcript(lecture.chapters(), Theme())


def of_chapter(played, n, role):
    return [i for i in played["items"] if i["chapter"] == n and i["role"] == role]


def test_the_title_is_shown_once_and_each_chapter_opens_with_its_own(played):
    titles = [i for i in played["items"] if i["role"] == "title"]
    assert [i["chapter"] for i in titles if i["text"] == LESSON_TITLE] == [0]
    for n, chapter in enumerate(played["chapters"][1:], start=1):
        shown = [i["text"] for i in of_chapter(played, n, "title")]
        assert shown[0] == chapter["title"]
        assert shown[1].startswith(f"Chapter {n + 1}")


def test_each_chapter_but_the_last_ends_with_a_bridge_to_the_next(played):
    chapters = played["chapters"]
    for n, chapter in enumerate(chapters):
        captions = sorted(of_chapter(played, n, "caption"), key=lambda i: i["start"])
        bridges = [i["text"] for i in captions if i["text"].startswith("Next:")]
        if n + 1 < len(chapters):
            assert bridges == [f"Next: {chapters[n + 1]['title']}"], chapter["title"]
            assert captions[-1]["text"] == bridges[0] and captions[-1]["end"] == pytest.approx(chapter["end"])
        else:
            assert bridges == []


def test_the_takeaways_close_the_lecture_pointing_at_its_chapters(played):
    chapters = played["chapters"]
    last = len(chapters) - 1
    assert chapters[last]["scene"] == "takeaways"
    rows = [i["text"] for i in of_chapter(played, last, "table")]
    assert len(rows) == 7
    for n, row in enumerate(rows, start=1):
        found = re.fullmatch(rf"{n} (.+) ch\. (\d+(?:, \d+)*)", row.replace("\n", " "))
        assert found, row
        for c in map(int, found.group(2).split(", ")):
            assert 1 <= c < last + 1  # a chapter of this lecture, before the takeaways
    # the chain rule's takeaway points at the chain-rule chapter, the sign's at the nudge
    number = {c["scene"]: k + 1 for k, c in enumerate(chapters)}
    assert f"ch. {number['chain-rule']}" in rows[2] and str(number["nudge"]) in rows[5].split("ch. ")[1]


def test_the_goal_comes_before_the_mechanics_and_the_update_right_after_the_gradients(played):
    scenes = [c["scene"] for c in played["chapters"]]
    assert scenes.index("title") < scenes.index("forward") < scenes.index("nudge") < scenes.index("why-backwards")
    assert scenes.index("why-backwards") < scenes.index("chain-rule") < scenes.index("backward")
    between = scenes[scenes.index("backward") + 1:scenes.index("update")]
    assert set(between) <= {"autodiff"}  # the library doing the same pass, then the update


def test_worked_cards_are_fully_visible_for_3_seconds(played):
    short = [(played["chapters"][i["chapter"]]["scene"], i["text"], i["visible"][1] - i["visible"][0])
             for i in played["items"] if i["role"] == "card" and i["visible"]
             and i["visible"][1] - i["visible"][0] < 3.0 - 1e-6]
    assert short == []


def test_where_the_local_gradients_come_from_is_shown_once_where_they_first_appear(played):
    chapters = played["chapters"]
    shown = [chapters[i["chapter"]]["scene"] for i in played["items"]
             if i["role"] == "caption" and i["text"] == "Where the local gradients come from"]
    assert shown == ["chain-rule"]
    card = next(i["text"] for i in played["items"] if i["role"] == "card" and "σ(z) = 1 ÷ (1 + e⁻ᶻ)" in i["text"])
    assert "σ(z)(1 − σ(z))" in card and "∂L/∂y = y − t" in card


def test_the_vanishing_chapter_shows_a_dead_unit(played):
    n = next(k for k, c in enumerate(played["chapters"]) if c["scene"] == "vanishing")
    assert played["chapters"][n]["network"] == "deep-dead"
    cards = [i["text"] for i in of_chapter(played, n, "card")]
    assert any("−0.50 ≤ 0, so ReLU′ = 0" in c for c in cards) and any(c.endswith("× 0 = 0.000") for c in cards)


def test_the_lecture_reads_in_one_notation(played):
    """Every chapter on its own network: the notation and the calculator rule hold everywhere."""
    found = []
    for k, chapter in enumerate(played["chapters"]):
        items = [i for i in played["items"] if i["chapter"] == k]
        net = load_network(chapter["network"])
        if not hasattr(net, "layers"):  # a computational graph (its own chapter's notation), not a network
            continue
        reader = Reader(net)
        found += [f"{chapter['scene']}: {p}" for p in notation_problems(items, reader) + arithmetic_problems({"items": items})]
    assert found == []
