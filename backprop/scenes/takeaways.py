"""Takeaways: the lesson's seven key takeaways, each pointing at the lecture's chapters that showed it.

The lecture's closing chapter. The pointers come from the lecture's chapter list (each catalog entry
names the takeaways it shows: `LectureChapter.shows`); rendered alone, the scene points at the
catalog's lecture. `backprop render takeaways`.
"""

from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, UP, VGroup

from backprop.language import N_, _
from backprop.scenes.base import LessonScene
from backprop.scenes.catalog import SCENES, lecture_chapters, lecture_place
from backprop.scenes.steps import Step
from backprop.stage.board import Said
from backprop.stage.motion import appear, vanish
from backprop.stage.sheets import bottom_y, top_y, usable_width
from backprop.story.chapters import TAKEAWAYS, chapter_ref

TITLE = N_("Key takeaways")
GAP = 0.3  # between a takeaway's number, its text and its pointer
ROW_GAP = 0.28


class Takeaways(LessonScene):
    def construct(self):
        place = self.lecture
        if place is None:  # alone: the catalog's lecture, as `backprop render lecture` plays it
            parts = lecture_chapters()
            place = lecture_place(len(parts), parts, [SCENES[c.scene].network for c in parts])
        self.title_card(_(TITLE), hold=1.5)
        pointers = place.pointers()
        rows = self.rows(pointers)
        shown: list = []
        for (n, text, chapters), row in zip(pointers, rows):
            named = "; ".join(_("chapter {number}, {title}").format(number=c, title=_(place.titles[c - 1]))
                              for c in chapters)
            lead = []
            if row.page_start and shown:  # a frame too small for all seven: the next page
                lead, shown = [vanish(m) for m in shown], []
            shown.append(row)
            said = _("{takeaway}. Shown in {chapters}.").format(takeaway=text, chapters=named) if named else f"{text}."
            self.beat(_("Takeaway {n} of {total}").format(n=n, total=len(TAKEAWAYS)),
                      [Step([appear(row)], 0.6, 1.0, shows=[row])], lead=lead, narration=said)
        self.beat(_("Backpropagation: every gradient, in one backward pass"), [Step([], 0.0, 3.0)],
                  narration=_("That is backpropagation: every gradient, in one backward pass."))

    def rows(self, pointers) -> list[Said]:
        """One row per takeaway: its number, its text (wrapped to the room the frame has) and,
        right-aligned, the chapters that showed it. Rows keep their size and run down from under the
        caption; where the frame cannot hold all seven, a row that does not fit starts a new page
        (`.page_start`)."""
        th, stage = self.theme, self.stage
        size = th.badge_size * 1.1
        numbers = [stage.text(f"{n}", size, th.muted, "table") for n, _, _ in pointers]
        refs = [stage.text(chapter_ref(chapters), size, th.muted, "table") for _, _, chapters in pointers]
        left = max(m.width for m in numbers) + GAP
        right = max(m.width for m in refs) + GAP
        width = usable_width()
        below = width - left - right < 0.6 * width  # a narrow frame: the pointer under the text
        room = width - left - (0 if below else right)
        x0, top, bottom = -width / 2, top_y(), bottom_y()
        rows, y = [], top
        for number, ref, (_n, text, _refs) in zip(numbers, refs, pointers):
            lines = [stage.text(line, size, th.text, "table")
                     for line in stage.wrapped(text, size, room, most=len(text.split()))]
            body = VGroup(*lines, *([ref] if below else [])).arrange(DOWN, buff=0.08, aligned_edge=LEFT)
            start = y - body.height < bottom and y < top
            if start:
                y = top
            body.move_to([x0 + left, y, 0], aligned_edge=UP + LEFT)
            number.move_to([x0 + left - GAP, y, 0], aligned_edge=UP + RIGHT)
            if not below:
                ref.move_to([x0 + width, y, 0], aligned_edge=UP + RIGHT)
            row = Said(number, *lines, ref, role="table", sep=" ")
            row.page_start = start
            rows.append(row)
            y -= body.height + ROW_GAP
        return rows

