"""A rounded rectangle handed out as a copy (stage/shapes.py) is the one manim would make, and each
copy is its own: changing one leaves the next untouched."""

import numpy as np
from manim import RoundedRectangle

from backprop.stage.shapes import rounded_rectangle

STYLE = dict(corner_radius=0.15, width=1.7, height=0.62, stroke_color="#56B4E9", stroke_width=1.5,
             fill_color="#101010", fill_opacity=0.95)


def test_a_copy_is_manims_rounded_rectangle_and_its_own():
    made = RoundedRectangle(**STYLE)
    first = rounded_rectangle(**STYLE)
    for shape in (first, rounded_rectangle(**STYLE)):
        assert np.array_equal(shape.points, made.points)
        assert np.array_equal(shape.get_fill_rgbas(), made.get_fill_rgbas())
        assert np.array_equal(shape.get_stroke_rgbas(), made.get_stroke_rgbas())
        assert shape.get_stroke_width() == made.get_stroke_width()
    first.shift([1, 2, 0]).set_fill("#FF0000")
    again = rounded_rectangle(**STYLE)
    assert np.array_equal(again.points, made.points) and np.array_equal(again.get_fill_rgbas(), made.get_fill_rgbas())
    other = rounded_rectangle(**{**STYLE, "width": 2.0})
    assert np.array_equal(other.points, RoundedRectangle(**{**STYLE, "width": 2.0}).points)
