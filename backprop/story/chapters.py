"""A chapter's place in the lecture, as data: what it bridges to, and which chapters the takeaways point at.

The lecture is one story: each chapter but the last ends by naming the one that follows, and the
closing chapter lists the lesson's seven key takeaways, each pointing at the chapters that showed it.
Both come from the lecture's chapter list (`backprop.scenes.catalog.LECTURE`), so a chapter added
there gets its bridge and its takeaway pointers with no other change. A scene rendered alone has no
place (None): it opens with its own title and ends without a bridge.
"""

from __future__ import annotations

from dataclasses import dataclass

from backprop.language import N_, _

# The lesson's key takeaways (its closing list), in its order, each under the key a chapter names in
# the catalog (`LectureChapter.shows`) when it shows it.
TAKEAWAYS = {
    "every weight": N_("Backprop computes ∂L/∂w for every weight in one backward pass"),
    "one pass": N_("Backward is efficient: one pass gives all gradients, not one pass per weight"),
    "chain rule": N_("It is the chain rule applied systematically: multiply local gradients going back"),
    "local gradients": N_("Each operation has a local gradient: its output's derivative by its input"),
    "paths add": N_("Gradients add up across the paths from one value"),
    "sign": N_("A negative gradient means increase the weight; a positive one, decrease it"),
    "autodiff": N_("Libraries do this automatically; understanding it helps debug and design networks"),
}


@dataclass(frozen=True)
class Place:
    """Chapter `number` (from 1) of a lecture whose chapters have these titles, scenes, networks
    (names) and takeaway keys (`shows`), all in the lecture's order."""
    number: int
    titles: tuple[str, ...]
    scenes: tuple[str, ...]
    networks: tuple[str, ...]
    shows: tuple[tuple[str, ...], ...]

    @property
    def title(self) -> str:
        return _(self.titles[self.number - 1])  # the catalog's titles are marked N_

    @property
    def bridge(self) -> str | None:
        """The caption a chapter ends on: the next chapter's title (none after the last)."""
        return _("Next: {title}").format(title=_(self.titles[self.number])) if self.number < len(self.titles) else None

    def network_note(self, shape: str) -> str | None:
        """What the chapter's title card says of its network (introduced once): its shape where the
        lecture has not played it before, where a chapter returns to one the chapter that introduced
        it, nothing where the chapter before played it too."""
        mine = self.networks[self.number - 1]
        first = self.networks.index(mine) + 1
        if first == self.number:
            return shape
        if self.networks[self.number - 2] != mine:
            return _("the network of chapter {number}").format(number=first)
        return None

    def pointers(self) -> list[tuple[int, str, list[int]]]:
        """The takeaways (number, text, chapters that showed it), each pointing at the chapters of
        this lecture whose catalog entry names it."""
        return [(n, text, [c + 1 for c, shows in enumerate(self.shows) if key in shows])
                for n, (key, text) in enumerate(((k, _(t)) for k, t in TAKEAWAYS.items()), start=1)]


def chapter_ref(numbers: list[int]) -> str:
    """`ch. 4`, `ch. 4, 7` (the takeaways' pointers); a dash for a takeaway no chapter showed."""
    return _("ch. {numbers}").format(numbers=", ".join(str(n) for n in numbers)) if numbers else "—"
