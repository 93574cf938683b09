"""Our glyph outlines are manim's Text's to the last bit (stage/glyphs.py reads Pango's SVG itself).

The reference is manim's own `Text`, built here the usual way: the same string, font and size must give
the same glyphs with byte-equal points. Strings: both languages of the catalog (every twentieth message)
and the notation the scenes show; fonts a theme may name; the theme's sizes and shrunk ones.
"""

from pathlib import Path

import numpy as np
import pytest
from babel.messages.pofile import read_po
from manim import Text, tempconfig

from backprop.stage import glyphs as glyph_module
from backprop.stage.glyphs import outlines

CATALOG = Path(glyph_module.__file__).parents[1] / "locale" / "de" / "LC_MESSAGES" / "backprop.po"
NOTATION = ["∂L/∂W₁[1,2] = δ₂[1] × h₁[2] = −0.021 × 0.54", "h₁ = tanh(z₁) = tanh(0.54) = 0.49",
            "+8.4×10⁻⁴", "σ′(z) ≤ 0.25", "Σ ∂L/∂a · ∂a/∂w ≈ 1.0e-3", "L = ½(ŷ − y)²", "x", "  a  b  ",
            "(sum of 3) ÷ 3 =", "ReLU′(−0.2) = 0", "Größe ÄÖÜ äöü ß", "W₁  b₁  h₁  z₁  ∂L/∂h₁"]
SIZES = [20, 28, 36, 24, 17.6, 22.4]


def catalog_strings() -> list[str]:
    with open(CATALOG, "rb") as f:
        messages = [m for m in read_po(f) if m.id and isinstance(m.id, str)][::20]
    return [s for m in messages for s in (m.id, m.string) if s]


def same(ours, manims) -> bool:
    return len(ours) == len(manims) and all(a.shape == b.shape and a.tobytes() == b.tobytes()
                                            for a, b in zip(ours, manims))


@pytest.fixture(autouse=True)
def media(tmp_path):
    with tempconfig({"media_dir": str(tmp_path), "verbosity": "ERROR", "quality": "low_quality"}):
        yield


def test_every_string_of_both_languages_in_the_default_font():
    strings = NOTATION + catalog_strings()
    assert len(strings) > 60 and any("ü" in s or "ä" in s for s in strings)
    for k, s in enumerate(strings):
        size = SIZES[k % len(SIZES)]
        manims = [m.points for m in Text(s, font="DejaVu Sans", font_size=size)]
        assert manims or not s.strip()
        assert same(outlines(s, "DejaVu Sans", size), manims), (s, size)


@pytest.mark.parametrize("font", ["DejaVu Serif", "Liberation Sans", "DejaVu Sans Mono"])
def test_other_fonts(font):
    for k, s in enumerate(NOTATION):
        size = SIZES[k % len(SIZES)]
        assert same(outlines(s, font, size), [m.points for m in Text(s, font=font, font_size=size)]), (s, font)


def test_an_svg_it_does_not_know_is_left_to_manim(tmp_path):
    svg = tmp_path / "odd.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg"><rect x="0" y="0" width="4" height="4"/></svg>')
    with pytest.raises(glyph_module._Unexpected):
        glyph_module._read(svg)
    with pytest.raises(glyph_module._Unexpected):  # a command Cairo does not write for glyphs
        glyph_module._path("M 0 0 Q 1 1 2 0 Z")
    assert np.array_equal(outlines("H", "DejaVu Sans", 20)[0], Text("H", font="DejaVu Sans", font_size=20)[0].points)
