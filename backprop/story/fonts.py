"""Text measured from the font itself (a theme may name any font), without manim.

manim draws text with Pango and keeps its outlines; the width it ends up with is the ink box of the
glyphs, which FreeType (through Pillow) measures the same: frame units = ink em × font size × INK_SCALE,
measured equal to four figures for every string tried. fontconfig finds the font file by name, as Pango
does. Where either is missing, widths fall back to DejaVu Sans estimates.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache

INK_SCALE = 0.01389  # frame units per em per font-size point (manim's Text against FreeType's ink box)
_EM = 1000  # measure at 1000 px an em


@lru_cache(maxsize=32)
def font_file(name: str) -> str | None:
    """The file fontconfig picks for `name` (what Pango would draw with), or None."""
    if not shutil.which("fc-match"):
        return None
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}", name], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return found.stdout.strip() or None


@lru_cache(maxsize=32)
def _face(name: str):
    path = font_file(name)
    if path is None:
        return None
    try:
        from PIL import ImageFont

        return ImageFont.truetype(path, _EM)
    except (ImportError, OSError):
        return None


@lru_cache(maxsize=16384)
def ink_width_em(text: str, font: str) -> float | None:
    """Width of the glyphs' ink in ems, or None when the font cannot be measured here."""
    face = _face(font)
    if face is None:
        return None
    box = face.getmask(text).getbbox()
    return 0.0 if box is None else (box[2] - box[0]) / _EM


def text_width(text: str, size: float, font: str) -> float | None:
    em = ink_width_em(text, font)
    return None if em is None else em * size * INK_SCALE
