"""Takeaways: the lesson's seven key takeaways, each pointing at the lecture's chapters that showed it.

The lecture's closing chapter. The pointers come from the lecture's chapter list (each catalog entry
names the takeaways it shows: `LectureChapter.shows`); rendered alone, the scene points at the
catalog's lecture. `backprop render takeaways`.
"""

from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, UP, VGroup

from backprop.scenes.base import LessonScene
from backprop.scenes.catalog import SCENES, lecture_chapters, lecture_place
from backprop.scenes.steps import Step
from backprop.stage.board import Said
from backprop.stage.motion import appear
from backprop.stage.sheets import bottom_y, fit, top_y, usable_width
from backprop.story.chapters import TAKEAWAYS, chapter_ref

TITLE = "Key takeaways"
GAP = 0.3  # between a takeaway's number, its text and its pointer
ROW_GAP = 0.28


class Takeaways(LessonScene):
    def construct(self):
        place = self.lecture
        if place is None:  # alone: the catalog's lecture, as `backprop render lecture` plays it
            parts = lecture_chapters()
            place = lecture_place(len(parts), parts, [SCENES[c.scene].network for c in parts])
        self.title_card(TITLE, hold=1.5)
        rows = self.rows(place.pointers())
        for (n, text, chapters), row in zip(place.pointers(), rows):
            named = "; ".join(f"chapter {c}, {place.titles[c - 1]}" for c in chapters)
            self.beat(f"Takeaway {n} of {len(TAKEAWAYS)}", [Step([appear(row)], 0.6, 1.0, shows=[row])],
                      narration=f"{text}." + (f" Shown in {named}." if named else ""))
        self.beat("Backpropagation: every gradient, in one backward pass", [Step([], 0.0, 3.0)],
                  narration="That is backpropagation: every gradient, in one backward pass.")

    def rows(self, pointers) -> list[VGroup]:
        """One row per takeaway: its number, its text (in two lines where one is too wide for the
        frame) and, right-aligned, the chapters that showed it; fitted under the caption."""
        th, stage = self.theme, self.stage
        size = th.badge_size * 1.1
        numbers = [stage.text(f"{n}", size, th.muted, "table") for n, _, _ in pointers]
        refs = [stage.text(chapter_ref(chapters), size, th.muted, "table") for _, _, chapters in pointers]
        left = max(m.width for m in numbers) + GAP
        right = max(m.width for m in refs) + GAP
        room = usable_width() - left - right
        rows, y = [], 0.0
        for number, ref, (_, text, _) in zip(numbers, refs, pointers):
            lines = [stage.text(line, size, th.text, "table") for line in stage.wrapped(text, size, room, 2)]
            body = VGroup(*lines).arrange(DOWN, buff=0.08, aligned_edge=LEFT)
            body.move_to([left, y, 0], aligned_edge=UP + LEFT)
            number.move_to([left - GAP, y, 0], aligned_edge=UP + RIGHT)
            ref.move_to([left + room + right - GAP, y, 0], aligned_edge=UP + RIGHT)
            rows.append(Said(number, *lines, ref, role="table", sep=" "))
            y -= body.height + ROW_GAP
        table = VGroup(*rows)
        fit(table, top=top_y(), bottom=bottom_y(), middle=True)
        return rows
