"""A frame as vector graphics: manim's Cairo camera drawing into a recording surface instead of its
pixel array, so a printed frame (the handout, a LaTeX build's still) is sharp at any size.

Cairo replays the recording onto a PDF page as paths and glyph outlines, never pixels. Only shapes
are drawn (VMobjects: every box, edge, card and label of the lesson); an image mobject would be left
out, and the scenes use none.
"""

from __future__ import annotations

import cairo
from manim import ManimColor, config
from manim.camera.camera import Camera


class VectorCamera(Camera):
    """manim's camera, its Cairo context the one it is given (`Camera.get_cairo_context` is public)."""

    def __init__(self, ctx: cairo.Context, **kwargs):
        super().__init__(**kwargs)
        self.target = ctx

    def get_cairo_context(self, pixel_array):
        return self.target


def record_frame(mobjects, background: str) -> cairo.RecordingSurface:
    """`mobjects` as the camera would draw them now (config's frame and pixel size), on `background`:
    a recording of pixel_width × pixel_height units to paint onto any page at any scale."""
    pw, ph = config.pixel_width, config.pixel_height
    fw, fh = config.frame_width, config.frame_height
    surface = cairo.RecordingSurface(cairo.CONTENT_COLOR_ALPHA, cairo.Rectangle(0, 0, pw, ph))
    ctx = cairo.Context(surface)
    ctx.set_source_rgb(*ManimColor(background).to_rgb())
    ctx.paint()
    # manim's own frame → pixel matrix (Camera.get_cairo_context), the frame centred
    ctx.set_matrix(cairo.Matrix(pw / fw, 0, 0, -(ph / fh), pw / 2, ph / 2))
    VectorCamera(ctx).capture_mobjects(mobjects)
    return surface
