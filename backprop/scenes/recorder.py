"""What a scene shows, recorded from its own text mobjects as it plays (not from a second script).

After every play the recorder looks at what is on screen: an entry that is new appeared during that
play; one that is gone left during it. Each item keeps when it started to appear, when it was fully
shown, when it started to leave and when it was gone, in scene seconds (the theme's pace included).

Where it is drawn is recorded too, so a test can check the screen without the layout's code: each
item's `box` (its drawn extent when it was first fully shown, in pixels at the low-quality size,
origin top left) and `of` (the thing a number labels: `W₁[1,2]`, `b₁[1]`, `h₁`, set by whoever built
the mobject as its `of` attribute); and the lines a label may sit on (`add_edge`), in the same pixels.
A label shown only for a while with its own leader line (its `leader` attribute: a number the layout
left out, on the network for its step) brings the line with it: an edge with a `visible` window.
"""

from __future__ import annotations

from dataclasses import dataclass

from backprop.stage.board import said
from backprop.story.frame import Frame
from backprop.story.layout import PX


@dataclass
class Item:
    text: str
    role: str
    px: float
    start: float  # began to appear
    shown: float  # fully shown (its appearing play ended)
    box: list[float]  # x0, y0, x1, y1 in pixels at low quality, origin top left
    of: str | None = None  # what it labels (a weight, a bias, a unit), if anything
    hiding: float | None = None  # began to leave
    end: float | None = None  # gone

    def as_json(self, duration: float) -> dict:
        return {"start": round(self.start, 3), "end": round(duration if self.end is None else self.end, 3),
                "text": self.text, "role": self.role, "px": round(self.px, 1),
                "visible": [round(self.shown, 3), round(duration if self.hiding is None else self.hiding, 3)],
                "box": self.box, "of": self.of}


def places(m, n: int) -> list[tuple[object, str | None]]:
    """For each of `m`'s n transcript entries: the mobject whose extent it is drawn in, and what it
    labels. A mobject with several entries (a card and its note) says so with `transcript_places`."""
    if hasattr(m, "transcript_places"):
        return m.transcript_places()
    return [(m, getattr(m, "of", None))] * n


class TranscriptRecorder:
    def __init__(self, frame: Frame | None = None):
        self.frame = frame or Frame()  # the scene sets its own in setup
        self.items: list[Item] = []
        self.edges: list[dict] = []
        self._open: dict[tuple, Item] = {}  # (id of the mobject, entry index) → its item
        self._alive: dict[int, object] = {}  # keeps recorded mobjects alive, so ids are not reused
        self._lines: dict[tuple, dict] = {}  # (id of the mobject, entry index) → the leader line it brought
        self._followed: dict[int, tuple] = {}  # id of a line mobject → (it, its latest edge entry)

    def pixels(self, x: float, y: float) -> list[float]:
        """A point of the frame in pixels at low quality (60 a unit at every aspect), origin top left."""
        return [round(float(x + self.frame.width / 2) * PX, 1), round(float(self.frame.height / 2 - y) * PX, 1)]

    def box(self, m) -> list[float]:
        (x0, y0, _), (x1, y1, _) = m.get_corner([-1, -1, 0]), m.get_corner([1, 1, 0])
        return self.pixels(x0, y1) + self.pixels(x1, y0)

    def add_edge(self, of: str | None, start, end, leader: bool = False, line=None) -> None:
        """A line labels may sit on (frame coordinates): an edge of the network, `of` the weight it
        carries (None for an edge without one); `leader`: the line from a label to its edge; `line`:
        its mobject, followed on screen (a leader stepping aside for a step has a `visible` window)."""
        edge = {"of": of, "from": self.pixels(start[0], start[1]), "to": self.pixels(end[0], end[1])}
        self.edges.append({**edge, "leader": True} if leader else edge)
        if line is not None:
            self._followed[id(line)] = (line, self.edges[-1])

    def observe(self, mobjects, start: float, end: float) -> None:
        """Called after each play that ran from `start` to `end` with `mobjects` on screen after it."""
        now = {}
        for m in said(mobjects):
            self._alive[id(m)] = m
            entries = m.transcript_entries()
            for k, ((role, text, px), (drawn, of)) in enumerate(zip(entries, places(m, len(entries)))):
                now[(id(m), k)] = (role, text, px, drawn, of)
        for key, item in list(self._open.items()):
            if key not in now:
                item.hiding, item.end = start, end
                del self._open[key]
                if key in self._lines:
                    self._lines.pop(key)["visible"][1] = round(end, 3)
        for key, (role, text, px, drawn, of) in now.items():
            if key not in self._open:
                item = Item(text, role, px, start, end, self.box(drawn), of)
                self.items.append(item)
                self._open[key] = item
                if getattr(drawn, "leader", None) is not None:  # on the screen from its start to its end
                    self.add_edge(of, *drawn.leader, leader=True)
                    self.edges[-1]["visible"] = [round(start, 3), None]
                    self._lines[key] = self.edges[-1]
        if self._followed:
            self._follow(mobjects, start, end)

    def _follow(self, mobjects, start: float, end: float) -> None:
        """Followed lines that left the screen during the play end their window as an item would;
        one back on it opens a new one."""
        on = {id(f) for m in mobjects for f in m.get_family()}
        for key, (line, entry) in list(self._followed.items()):
            shown = "visible" not in entry or entry["visible"][1] is None
            if shown and key not in on:
                entry["visible"] = [entry.get("visible", [0.0])[0], round(start, 3)]
            elif not shown and key in on:
                again = {**entry, "visible": [round(end, 3), None]}
                self.edges.append(again)
                self._followed[key] = (line, again)

    def edges_json(self, duration: float) -> list[dict]:
        """The lines, a leader shown for a while with its `visible` window (to the end if still shown)."""
        return [{**e, "visible": [e["visible"][0], duration if e["visible"][1] is None else e["visible"][1]]}
                if "visible" in e else e for e in self.edges]

    def as_json(self, duration: float) -> list[dict]:
        return [item.as_json(duration) for item in sorted(self.items, key=lambda i: i.start)]
