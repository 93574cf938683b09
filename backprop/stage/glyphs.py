"""Pango's glyph outlines for a line of text: the points manim's `Text` ends up with, made ~10× faster.

manim's Text has Pango write an SVG (fast) and then parses it with svgelements into a VMobject per
glyph and a VGroup per SVG element, which is most of a skip-animations play (~50 ms a text). We keep
Pango and manim's SVG file, read the file ourselves (glyph paths once per distinct glyph) and repeat
manim's arithmetic on plain arrays in manim's order: each glyph's path moved to where its `<use>` puts
it, lines made cubic as `VMobjectFromSVGPath` does, flipped about the anchors' centre, centred, each
curve closed as `Text` closes it, scaled by `TEXT_MOB_SCALE_FACTOR`. The points come out equal to the
last bit (tests/stage/test_glyphs.py compares them with manim's Text over fonts, sizes and both
languages). An SVG with anything else in it (an image, a transform, a command Cairo does not write)
is left to manim's Text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import lru_cache

import numpy as np
from manim import RIGHT, TAU, Text
from manim.mobject.text.text_mobject import TEXT_MOB_SCALE_FACTOR
from manim.utils.space_ops import rotation_matrix

_SVG = "{http://www.w3.org/2000/svg}"
_HREFS = ("{http://www.w3.org/1999/xlink}href", "href")
_KNOWN = {_SVG + tag for tag in ("svg", "defs", "g", "symbol", "path", "use")}
_PATH = re.compile(r"[MLCZ0-9eE.+\- ]*")  # what Cairo writes for a glyph: absolute M, L, C and Z
_TOKEN = re.compile(r"[MLCZ]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARGS = {"M": 2, "L": 2, "C": 6, "Z": 0}
_FLIP = rotation_matrix(TAU / 2, RIGHT)  # manim's SVGMobject turns SVG's downward y up with this


class _PangoFile(Text):
    """manim's Text up to the SVG file Pango writes (`file_name`): the same file, same name, same
    settings; the parse is ours."""

    def init_svg_mobject(self, use_svg_cache: bool):
        return self


class _Unexpected(Exception):
    """The SVG holds something this reader does not repeat manim's handling of."""


@lru_cache(maxsize=4096)
def outlines(s: str, font: str, size: float) -> tuple[np.ndarray, ...]:
    """Each drawn glyph's points (an (n, 3) array, read-only), as `Text(s, font=font,
    font_size=size)`'s glyphs have them; made once per string, font and size."""
    try:
        made = _read(_PangoFile(s, font=font, font_size=size).file_name)
    except _Unexpected:
        made = tuple(m.points for m in Text(s, font=font, font_size=size))
    for points in made:
        points.flags.writeable = False  # shared by every label of this text
    return made


def _read(svg) -> tuple[np.ndarray, ...]:
    root = ET.parse(svg).getroot()
    if any(e.tag not in _KNOWN or e.get("transform") for e in root.iter()):
        raise _Unexpected
    symbols = {}
    for symbol in root.iter(_SVG + "symbol"):
        paths = list(symbol)
        if len(paths) != 1 or paths[0].tag != _SVG + "path":
            raise _Unexpected
        symbols["#" + symbol.get("id", "")] = paths[0].get("d", "")
    drawn = []
    for use in root.iter(_SVG + "use"):
        href = next((use.get(h) for h in _HREFS if use.get(h)), None)
        if href not in symbols:
            raise _Unexpected
        points = _placed(_path(symbols[href]), float(use.get("x", 0)), float(use.get("y", 0)))
        if len(points):
            drawn.append(points)
    if not drawn:
        return ()
    about = _centre(drawn)  # SVGMobject: flip(RIGHT) about the centre, then center()
    drawn = [np.dot(p - about, _FLIP.T) + about for p in drawn]
    shift = -_centre(drawn)
    drawn = [_closed(p + shift) for p in drawn]  # Text closes every curve
    about = _centre(drawn)
    return tuple(TEXT_MOB_SCALE_FACTOR * (p - about) + about for p in drawn)


@lru_cache(maxsize=4096)
def _path(d: str) -> tuple[tuple[str, tuple[float, ...]], ...]:
    """A glyph's path as (command, its numbers), once per distinct glyph."""
    tokens, commands, i = _TOKEN.findall(d), [], 0
    if not _PATH.fullmatch(d) or "".join(tokens) != d.replace(" ", ""):
        raise _Unexpected
    while i < len(tokens):
        command, n = tokens[i], _ARGS.get(tokens[i])
        if n is None or i + 1 + n > len(tokens) or any(t in _ARGS for t in tokens[i + 1:i + 1 + n]):
            raise _Unexpected
        commands.append((command, tuple(float(t) for t in tokens[i + 1:i + 1 + n])))
        i += 1 + n
    return tuple(commands)


def _placed(path, x: float, y: float) -> np.ndarray:
    """The path moved by its `<use>`'s (x, y), as cubic curves: `VMobjectFromSVGPath.handle_commands`."""
    points: list[np.ndarray] = []
    pen = start = None

    def at(px: float, py: float) -> np.ndarray:
        return np.array([px + x, py + y, 0.0])

    def line(a: np.ndarray, b: np.ndarray) -> None:
        points.extend((a, (a + a + b) / 3, (a + b + b) / 3, b))

    for command, v in path:
        if command == "M":
            pen = start = at(*v)
        elif pen is None:
            raise _Unexpected
        elif command == "L":
            end = at(*v)
            line(pen, end)
            pen = end
        elif command == "C":
            end = at(v[4], v[5])
            points.extend((pen, at(v[0], v[1]), at(v[2], v[3]), end))
            pen = end
        elif abs(np.linalg.norm(pen - start)) > 0.0001:  # Z: a closing line unless already there
            line(pen, start)
            pen = start
    return np.array(points, ndmin=2, dtype="float64") if points else np.zeros((0, 3))


def _centre(drawn: list[np.ndarray]) -> np.ndarray:
    """The centre of the curves' anchors (what a VMobject's centre is)."""
    anchors = np.concatenate([np.concatenate((p[0::4], p[3::4])) for p in drawn])
    return (anchors.min(axis=0) + anchors.max(axis=0)) / 2


def _closed(points: np.ndarray) -> np.ndarray:
    """`Text`'s closing: where a curve does not start at the last one's end, a line back to the
    start of that run of curves; and one at the end."""
    out: list[np.ndarray] = []
    run_start = points[0]

    def line_to(end: np.ndarray) -> None:
        a = out[-1]
        out.extend((a, (a + a + end) / 3, (a + end + end) / 3, end))

    last = len(points) - 1
    for i, point in enumerate(points):
        out.append(point)
        if i != last and (i + 1) % 4 == 0 and any(point != points[i + 1]):
            line_to(run_start)
            run_start = points[i + 1]
    line_to(run_start)
    return np.array(out, ndmin=2)
