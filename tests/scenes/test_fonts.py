"""The layout's text widths are the widths manim draws, for any font the theme names."""

import pytest
from manim import Text

from backprop.story.fonts import font_file, text_width

STRINGS = ["0.054", "−0.093 × (−0.4) ≈", "∂L/∂h₁₂ = −8.8 × 10⁻⁴", "W₁[1,2]", "b₁[1]", "Step 3 · Output-layer weights"]


@pytest.mark.parametrize("font", ["DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono"])
def test_measured_width_is_the_drawn_width(font):
    assert font_file(font) is not None
    for s in STRINGS:
        for size in (20, 28):
            drawn = Text(s, font=font, font_size=size).width
            assert text_width(s, size, font) == pytest.approx(drawn, rel=0.005), (s, size)
