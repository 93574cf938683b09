"""The update scene's texts without manim: the loss chart's ticks, the words after one step, frozen said."""

from backprop.engine.presets import PRESETS
from backprop.engine.spec import load_network, parse_spec
from backprop.engine.timeline import build_timeline
from backprop.engine.training import train
from backprop.story.loss_chart import nice_ticks
from backprop.story.texts import units_note
from backprop.story.update import UpdateTexts, step_sentence
from tests.arithmetic import check_line


def test_ticks_cover_the_top():
    assert nice_ticks(0.0764) == [0.0, 0.02, 0.04, 0.06, 0.08]
    assert nice_ticks(100) == [0.0, 50.0, 100.0]
    assert nice_ticks(1.3336)[-1] >= 1.3336


def test_forward_again_and_the_curve_words_follow_the_losses():
    say = UpdateTexts(train(load_network("seed"), 100))
    card = say.forward_again()
    assert card.numbers == "= 0.0764 − 0.0744 =" and card.result == "0.0020" and "lower" in card.note
    assert "down from 0.0764" in say.said_curve()
    up = UpdateTexts(train(parse_spec({"inputs": [[1.0]], "targets": [[1.0]], "loss": "mse", "learning_rate": 2.5,
                                        "layers": [{"units": 1, "activation": "linear"}]}), 3))
    assert "went up" in up.forward_again().note and "up from" in up.said_curve()
    card = up.forward_again()
    for line in [card.top, f"{card.numbers} {card.result}"]:
        assert check_line(line) == []


def test_a_frozen_parameter_is_said_frozen():
    tl = build_timeline(parse_spec({**PRESETS["seed"], "frozen": ["W1[1,2]"]}))
    assert step_sentence(tl, "W1[1,2]") == "W₁[1,2] is frozen: it keeps its value, 0.3, whatever its gradient says."
    assert "goes up from 0.4" in step_sentence(tl, "W1[1,1]")
    assert units_note(tl) == ""
