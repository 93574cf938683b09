"""The nudge scene's texts without manim: true as shown, the change with two figures."""

import pytest

from backprop.engine.nudge import nudge
from backprop.engine.spec import load_network
from backprop.story.nudge import NudgeTexts, loss_places
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
