"""What a scene shows, recorded from its own text mobjects as it plays (not from a second script).

After every play the recorder looks at what is on screen: an entry that is new appeared during that
play; one that is gone left during it. Each item keeps when it started to appear, when it was fully
shown, when it started to leave and when it was gone, in scene seconds (the theme's pace included).
"""

from __future__ import annotations

from dataclasses import dataclass

from backprop.stage.board import said


@dataclass
class Item:
    text: str
    role: str
    px: float
    start: float  # began to appear
    shown: float  # fully shown (its appearing play ended)
    hiding: float | None = None  # began to leave
    end: float | None = None  # gone

    def as_json(self, duration: float) -> dict:
        return {"start": round(self.start, 3), "end": round(duration if self.end is None else self.end, 3),
                "text": self.text, "role": self.role, "px": round(self.px, 1),
                "visible": [round(self.shown, 3), round(duration if self.hiding is None else self.hiding, 3)]}


class TranscriptRecorder:
    def __init__(self):
        self.items: list[Item] = []
        self._open: dict[tuple, Item] = {}  # (id of the mobject, entry index) → its item
        self._alive: dict[int, object] = {}  # keeps recorded mobjects alive, so ids are not reused

    def observe(self, mobjects, start: float, end: float) -> None:
        """Called after each play that ran from `start` to `end` with `mobjects` on screen after it."""
        now = {}
        for m in said(mobjects):
            self._alive[id(m)] = m
            for k, (role, text, px) in enumerate(m.transcript_entries()):
                now[(id(m), k)] = (role, text, px)
        for key, item in list(self._open.items()):
            if key not in now:
                item.hiding, item.end = start, end
                del self._open[key]
        for key, (role, text, px) in now.items():
            if key not in self._open:
                item = Item(text, role, px, start, end)
                self.items.append(item)
                self._open[key] = item

    def as_json(self, duration: float) -> list[dict]:
        return [item.as_json(duration) for item in sorted(self.items, key=lambda i: i.start)]
