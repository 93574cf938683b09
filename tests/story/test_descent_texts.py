"""The nudge and update scenes' texts without manim: true as shown, the sign's direction, frozen said."""

import pytest

from backprop.engine.nudge import nudge
from backprop.engine.presets import PRESETS
from backprop.engine.spec import load_network, parse_spec
from backprop.engine.timeline import build_timeline
from backprop.engine.training import train
from backprop.story.descent import DescentTexts, NudgeTexts, loss_places, nice_ticks, step_sentence, units_note
from tests.arithmetic import check_line


def lines(card):
    return [card.top, f"{card.numbers} {card.result}" if card.result else card.numbers]


@pytest.mark.parametrize("param", ["W1[1,1]", "W1[1,2]", "W1[2,1]", "W1[2,2]", "b1[1]", "W2[1,1]", "W2[1,2]",
                                   "b2[1]"])
def test_every_seed_nudge_card_is_true_as_shown(param):
    n = nudge(load_network("seed"), param)
    say = NudgeTexts(n, param)
    for card in (say.moved(True), say.moved(False), say.change(), say.predicted(), say.slope()):
        for line in lines(card):
            assert check_line(line) == [], line
    # the sign says which way: a negative gradient, the loss falls as the parameter goes up
    assert ("increase" in say.direction_note()) == (n.gradient < 0)


def test_places_show_the_change_with_two_figures():
    assert loss_places(-4.46e-4) == 5 and loss_places(0.0) == 4 and loss_places(0.05) == 4
    assert loss_places(8.8e-6) == 7


def test_ticks_cover_the_top():
    assert nice_ticks(0.0764) == [0.0, 0.02, 0.04, 0.06, 0.08]
    assert nice_ticks(100) == [0.0, 50.0, 100.0]
    assert nice_ticks(1.3336)[-1] >= 1.3336


def test_forward_again_and_the_curve_words_follow_the_losses():
    say = DescentTexts(train(load_network("seed"), 100))
    card = say.forward_again()
    assert card.numbers == "= 0.0764 − 0.0744 =" and card.result == "0.0020" and "lower" in card.note
    assert "down from 0.0764" in say.said_curve()
    up = DescentTexts(train(parse_spec({"inputs": [[1.0]], "targets": [[1.0]], "loss": "mse", "learning_rate": 2.5,
                                        "layers": [{"units": 1, "activation": "linear"}]}), 3))
    assert "went up" in up.forward_again().note and "up from" in up.said_curve()
    for line in lines(up.forward_again()):
        assert check_line(line) == []


def test_a_frozen_parameter_is_said_frozen():
    tl = build_timeline(parse_spec({**PRESETS["seed"], "frozen": ["W1[1,2]"]}))
    assert step_sentence(tl, "W1[1,2]") == "W₁[1,2] is frozen: it keeps its value, 0.3, whatever its gradient says."
    assert "goes up from 0.4" in step_sentence(tl, "W1[1,1]")
    assert units_note(tl) == ""
