"""Where everything goes: units in columns, labels placed where they collide with nothing.

Pure geometry (no manim), so it is fast to test on any network. Every label (a weight's value, a
gradient's pill, a bias and its gradient) is placed on its own, on text boxes measured in the theme's
font: slid along its edge, then a little smaller, then off the edge with a leader line; only a label
that still finds no room is dropped, never a whole kind. A dense gap (six edges or more) first tries
two even columns, every weight at one point along its edge and every gradient at another. The unit
boxes carry less text (two value lines, one, the name, nothing) only where the labels need their room,
and a network that still does not fit is drawn smaller (ZOOMS) before any number is left out.

`measure` (text and label boxes), `geometry` (boxes, edges and leader lines, one or many at once),
`record` (the Layout), `candidates` (where an edge's label may go), `placer` (one label at a time, its
candidate spots tested together), `search` (the trials), `bound` (what a trial is sure to lose, so
the search can leave it unfinished).
"""

from backprop.story.frame import SIXTEEN_NINE as _F
from backprop.story.layout.geometry import GAP, Box
from backprop.story.layout.measure import (CHAR_W, LABEL_PAD, MIN_LINE_PX, PX, TEXT_H, block_text_size, measured_in,
                                           min_label_size, pill_box, plain_box, text_box, text_width)
from backprop.story.layout.record import Layout, legend_spot
from backprop.story.layout.search import MIN_GAP, MODES, ZOOMS, layout_network, unit_text

# The 16:9 frame's bands (14.22 × 8 units): caption on top, the network, the card zone below. Layouts
# take theirs from the Frame they are made for (backprop.story.frame); these are its 16:9 values.
FRAME_W, FRAME_H = _F.width, _F.height
CAPTION_Y = _F.caption_y
NETWORK_TOP, NETWORK_BOTTOM = _F.network_top, _F.network_bottom()
NETWORK_LEFT, NETWORK_RIGHT = _F.network_left, _F.network_right
CARD_Y = _F.card_y
CAPTION_BAND, CARD_ZONE = _F.caption_band, _F.card_zone()  # nothing of the network's above / below these

__all__ = ["Box", "CAPTION_BAND", "CAPTION_Y", "CARD_Y", "CARD_ZONE", "CHAR_W", "FRAME_H", "FRAME_W", "GAP",
           "LABEL_PAD", "Layout", "MIN_GAP", "MIN_LINE_PX", "MODES", "NETWORK_BOTTOM", "NETWORK_LEFT",
           "NETWORK_RIGHT", "NETWORK_TOP", "PX", "TEXT_H", "ZOOMS", "block_text_size", "layout_network",
           "legend_spot", "measured_in", "min_label_size", "pill_box", "plain_box", "text_box", "text_width",
           "unit_text"]
