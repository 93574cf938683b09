"""Rounded rectangles made once per size and style, handed out as copies.

manim builds a RoundedRectangle's corners from arcs, each a VMobject with its colours set up: ~11 ms,
where a copy takes 0.1 ms. Cards, pills and unit boxes of one size and style recur (a 3-4-4-3
transcript makes 163 in 73 sizes), so each is made once and copied: the copy has the made one's
points and style. The originals are never handed out, so nothing changes them.
"""

from __future__ import annotations

from collections import OrderedDict

from manim import RoundedRectangle

LIMIT = 512  # sizes and styles kept (a few kB each), the least recently used dropped
_made: OrderedDict[tuple, RoundedRectangle] = OrderedDict()


def rounded_rectangle(**style) -> RoundedRectangle:
    """`RoundedRectangle(**style)` (keyword arguments only)."""
    key = tuple(sorted(style.items()))
    try:
        made = _made.get(key)
    except TypeError:  # a style value that cannot be a key (a list): made each time
        return RoundedRectangle(**style)
    if made is None:
        made = _made[key] = RoundedRectangle(**style)
        if len(_made) > LIMIT:
            _made.popitem(last=False)
    else:
        _made.move_to_end(key)
    return made.copy()
