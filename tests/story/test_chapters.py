"""The lecture as one story, from its chapter list: bridges, the takeaways' pointers, the network
introduced once; and a chapter plugged in gets all three with no other change."""

from backprop.scenes.catalog import LECTURE, LectureChapter, lecture_chapters, lecture_place
from backprop.story.chapters import TAKEAWAYS, chapter_ref

# The lesson's closing list, in its words (backprop-lesson.md, "Key Takeaways"): a phrase of each
LESSON_TAKEAWAYS = ["every weight", "one pass gives all gradients", "chain rule", "local gradient",
                    "add up across", "negative gradient means increase", "automatically"]


def places(parts, networks=None):
    networks = networks or ["seed"] * len(parts)
    return [lecture_place(n, parts, networks) for n in range(1, len(parts) + 1)]


def test_the_takeaways_are_the_lessons_seven_in_its_order():
    texts = list(TAKEAWAYS.values())
    assert len(texts) == 7
    for phrase, text in zip(LESSON_TAKEAWAYS, texts):
        assert phrase in text, (phrase, text)


def test_each_chapter_but_the_last_bridges_to_the_next():
    parts = lecture_chapters()
    assert parts[-1].scene == "takeaways"
    for place, nxt in zip(places(parts), parts[1:] + [None]):
        assert place.bridge == (None if nxt is None else f"Next: {nxt.title}")


def test_every_takeaway_points_at_a_chapter_that_shows_it():
    parts = lecture_chapters()
    pointers = places(parts)[-1].pointers()
    assert [n for n, _, _ in pointers] == list(range(1, 8))
    # where the lesson shows each one: by scene, so the test does not read the catalog's `shows`
    shown_by = {1: {"title", "backward"}, 2: {"why-backwards"}, 3: {"chain-rule", "backward"}, 4: {"gates"},
                5: {"branch-sum", "backward"}, 6: {"nudge", "update"},
                7: {"autodiff", "matrix-form", "gradient-check", "vanishing", "saliency", "residual", "exploding"}}
    for n, _, chapters in pointers:
        assert chapters, n
        assert {parts[c - 1].scene for c in chapters} == shown_by[n]


def test_a_chapter_plugged_in_gets_its_bridge_and_its_pointers():
    """A new chapter is one catalog entry: the one before bridges to it, later chapters renumber, and
    the takeaways it names point at it."""
    parts = [c for c in LECTURE]
    at = [c.scene for c in parts].index("vanishing") + 1
    parts.insert(at, LectureChapter("exploding", "Exploding gradients", ("autodiff",)))
    plan = places(parts)
    assert plan[at - 1].bridge == "Next: Exploding gradients"
    assert plan[at].bridge == f"Next: {parts[at + 1].title}"
    n, _, chapters = plan[-1].pointers()[6]
    assert n == 7 and at + 1 in chapters
    assert chapter_ref(chapters).startswith("ch. ") and str(at + 1) in chapter_ref(chapters)
    assert chapter_ref([]) == "—"


def test_the_network_is_introduced_once():
    parts = [LectureChapter(s, s) for s in ("title", "forward", "branch-sum", "backward", "vanishing")]
    plan = places(parts, ["seed", "seed", "branching", "seed", "deep-sigmoid"])
    said = [p.network_note("SHAPE") for p in plan]
    assert said == ["SHAPE", None, "SHAPE", "the network of chapter 1", "SHAPE"]
