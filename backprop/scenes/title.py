"""TitleCard: the lesson's title, then its network — the opening of a lecture.

`backprop render title --network NETWORK`, or `manim render backprop/scenes/title.py TitleCard -ql`.
"""

from __future__ import annotations

from backprop.scenes.backward import TITLE
from backprop.scenes.base import LessonScene


class TitleCard(LessonScene):
    def construct(self):
        self.title_card(TITLE, hold=2.5)
        self.show_network("The network we will train", 1.5, 3.0)
