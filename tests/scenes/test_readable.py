"""Text a student in the back row can read: on a dense network (16:9) and in a portrait, square and
4:3 frame, every card, note, caption and table row of every scene stays at least 16 px tall (long
lines break, captions take two lines and wide tables fold their rows instead of shrinking), and the
arithmetic of broken lines still holds."""

import pytest

from backprop.engine.spec import load_network
from backprop.engine.timeline import build_timeline
from backprop.output.render.transcript import transcript
from backprop.scenes.catalog import SCENES, unplayable
from tests.plays import network_of, played as shared
from tests.scenes.transcript_checks import readability_problems

DENSE = {"input": [0.5, -0.3, 0.8], "target": [1.0, 0.0, 0.0], "seed": 7, "name": "3-4-4-3",
         "layers": [{"units": 4, "activation": "relu"}, {"units": 4, "activation": "tanh"},
                    {"units": 3, "activation": "sigmoid"}]}
# In the portrait, square and 4:3 frames on seed (or the scene's own network where it cannot play seed):
# where that is the scene's own network, tests/scenes/test_aspects.py's play of it in those frames checks
# the same (readability_problems); here the rest.
CASES = [(scene, network, aspect) for scene in SCENES if scene != "lecture"
         for network, aspect in (("3-4-4-3", "16:9"), ("seed", "9:16"), ("seed", "1:1"), ("seed", "4:3"))
         if network != "seed" or SCENES[scene].network != "seed" and not unplayable(scene, load_network("seed"))]


def played(scene, network, aspect):
    source = DENSE if network == "3-4-4-3" else network
    if unplayable(scene, network_of(source)):
        source = SCENES[scene].network
    return shared(scene, source, aspect)


@pytest.mark.parametrize("scene,network,aspect", CASES)
def test_cards_notes_and_captions_stay_readable(scene, network, aspect):
    assert readability_problems(played(scene, network, aspect)) == []


def test_a_note_too_long_for_two_lines_of_a_narrow_frame_takes_three(tmp_path):
    """Board.note(most=3) in a square frame: three lines, each as drawn by Pango within the room, the
    words in order, at 16 px; by default (two lines at most) the same note is wider than the frame."""
    from manim import tempconfig

    from backprop.output.render.scene import frame_options
    from backprop.stage.board import Board
    from backprop.stage.sheets import usable_width
    from backprop.story.frame import Frame
    from backprop.story.theme import Theme

    text = ("the gradient's size per hidden layer, output side first: without skips h₁⁽¹⁾'s is 633 times "
            "smaller than h₁⁽⁵⁾'s; with skips it is 1.25 times larger")
    with tempconfig({**frame_options("1:1", "low"), "media_dir": str(tmp_path), "verbosity": "ERROR"}):
        board, room = Board(Theme(), 1.0, Frame.of("1:1")), usable_width()
        three = board.note(text, room, most=3).submobjects
        two = board.note(text, room).submobjects
    assert " ".join(m.original_text for m in three) == text
    assert len(three) == 3 and all(m.width <= room and m.px >= 16 - 1e-6 for m in three)
    assert len(two) == 2 and max(m.width for m in two) > room


@pytest.mark.parametrize("aspect", ["16:9", "1:1", "9:16"])
def test_a_long_network_shape_on_the_title_stays_readable(aspect):
    """deep-residual's shape runs over 100 characters: it takes more lines, not smaller type."""
    net = load_network("deep-residual")
    data = transcript("title", build_timeline(net), network=net, aspect=aspect)
    titles = [(i["px"], i["text"]) for i in data["items"] if i["role"] == "title"]
    assert len(titles) == 2 and all(px >= 16 for px, _ in titles), titles


@pytest.mark.parametrize("network", ["seed", "deep-residual", "classifier", "batch"])
def test_a_portrait_title_breaks_the_shape_between_layers(tmp_path, network):
    """At 9:16 the shape line wraps; a break inside "1 sigmoid", "1 sigmoid + skip" or "t = 1.0" would
    read as another layer, so each line ends at an arrow or a comma (or the end) and begins with a
    count or an arrow (or continues after a comma), and the lines rejoin into the shape."""
    import re

    from manim import tempconfig

    from backprop.output.render.scene import frame_options
    from backprop.stage.board import Board
    from backprop.story.frame import Frame
    from backprop.story.theme import Theme

    shape = load_network(network).shape_line()
    with tempconfig({**frame_options("9:16", "low"), "media_dir": str(tmp_path), "verbosity": "ERROR"}):
        lines = [m.original_text for m in Board(Theme(), 1.0, Frame.of("9:16")).title("Backpropagation", shape)[1]]
    assert " ".join(lines) == shape
    if network in ("seed", "deep-residual"):
        assert len(lines) > 1  # the case this test is about
    for before, after in zip(lines, lines[1:]):
        assert before.endswith(("→", ",")) or after.startswith("→"), (before, after)
        assert not re.search(r"\d$", before) or after.startswith("→"), (before, after)
