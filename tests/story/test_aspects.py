"""Every aspect ratio: the frame's pixels, its bands, and every network's layout inside its frame with
no two labels overlapping; labels placed counted against the network's weights, and any left out
reported (the scene then says so on screen)."""

import itertools

import pytest

from backprop.engine.presets import PRESETS
from backprop.engine.spec import load_network, parse_spec
from backprop.engine.timeline import build_timeline
from backprop.story.frame import ASPECTS, Frame, pixel_size
from backprop.story.layout import layout_network, legend_spot
from backprop.story.texts import make_texts
from backprop.story.theme import Theme
from tests.story.layout_checks import CLEARANCE, LINE_H, PX_PER_UNIT, apart, assert_labels_owned, edges_of

# Pixel sizes by hand: the short side is manim's height at each quality.
PIXELS = {("16:9", "low"): (854, 480), ("4:3", "low"): (640, 480), ("1:1", "low"): (480, 480),
          ("9:16", "low"): (480, 854), ("16:9", "high"): (1920, 1080), ("4:3", "high"): (1440, 1080),
          ("1:1", "high"): (1080, 1080), ("9:16", "high"): (1080, 1920), ("16:9", "medium"): (1280, 720),
          ("9:16", "4k"): (2160, 3840), ("4:3", "4k"): (2880, 2160)}


@pytest.mark.parametrize("aspect, quality", list(PIXELS))
def test_pixels_per_aspect_and_quality(aspect, quality):
    assert pixel_size(aspect, quality) == PIXELS[aspect, quality]


@pytest.mark.parametrize("aspect", list(ASPECTS))
def test_the_frame_has_the_pixels_shape_and_an_8_unit_short_side(aspect):
    f = Frame.of(aspect)
    w, h = PIXELS[aspect, "low"]
    assert f.width / f.height == pytest.approx(w / h, rel=0.005)  # not stretched
    assert min(f.width, f.height) == 8.0  # 60 px a unit at low quality: text keeps its pixel height
    assert h / f.height == pytest.approx(60, rel=0.005) and w / f.width == pytest.approx(60, rel=0.005)


@pytest.mark.parametrize("aspect", list(ASPECTS))
def test_bands_and_cards_stack_inside_the_frame(aspect):
    """Caption above the network above the cards; two cards of the widest size inside the frame and
    clear of each other, side by side or one above the other."""
    f = Frame.of(aspect)
    assert f.height / 2 > f.caption_y > f.caption_band > f.network_top > f.network_bottom() > f.card_zone()
    assert f.network_left > -f.width / 2 and f.network_right < f.width / 2
    cards = []
    for side in ("left", "right"):
        x, y = f.card_spot(side)
        l, r, b, t = x - f.card_w / 2, x + f.card_w / 2, y - 0.8, y + 0.8  # a card with a note: 1.6 tall
        assert -f.width / 2 <= l and r <= f.width / 2 and -f.height / 2 <= b and t <= f.card_zone() + 1e-9
        cards.append((l, r, b, t))
    (l1, r1, b1, t1), (l2, r2, b2, t2) = cards
    assert r1 <= l2 or t2 <= b1  # beside or below
    assert f.card_w * 0.75 >= 0.75 * 5.0 - 1e-9  # a card's text shrinks to at most 3/4 (≥ 17 px)


@pytest.mark.parametrize("aspect, side_by_side", [("16:9", True), ("4:3", True), ("1:1", False), ("9:16", False)])
def test_cards_side_by_side_in_16_9_and_4_3_and_stacked_in_1_1_and_9_16(aspect, side_by_side):
    """The README's claim, on the frame: two cards side by side where each can be 5 units wide."""
    f = Frame.of(aspect)
    assert f.cards_side_by_side is side_by_side
    assert f.card_rows == (1 if side_by_side else 2)
    (xl, yl), (xr, yr) = f.card_spot("left"), f.card_spot("right")
    if side_by_side:
        assert yl == yr and xr - xl >= f.card_w  # one row, the cards apart
        assert f.card_w >= 5.0
    else:
        assert xl == xr == 0.0 and yl > yr  # one column, the product card on top


def nets():
    def spec(sizes, act, examples=1):
        xs = [[0.5, -0.3, 0.8, 0.1][:sizes[0]]] * examples
        ts = [[0.2, -0.4, 0.6, 0.1][:sizes[-1]]] * examples
        return parse_spec({"inputs": xs, "targets": ts, "seed": 3,
                           "layers": [{"units": n, "activation": act} for n in sizes[1:]]})
    found = {p: load_network(p) for p in PRESETS}
    found["tanh 3-3-3"] = spec([3, 3, 3], "tanh")
    found["batch of 3"] = spec([2, 2, 1], "sigmoid", examples=3)
    found["tanh 3-3-3-3"] = spec([3, 3, 3, 3], "tanh")
    found["3-4-4-3"] = spec([3, 4, 4, 3], "tanh")
    found["4-6-6-3"] = spec([4, 6, 6, 3], "relu")
    return found


NETS = nets()
# Every weight and weight gradient on the network, by aspect (the rest say "see the table" on screen).
# (No number lies on another edge: where no spot on its own edge is uncut, it goes to the table.)
COMPLETE = {"16:9": ["seed", "branching", "deep-sigmoid", "classifier", "tanh 3-3-3", "batch of 3"],
            "4:3": ["seed", "branching", "deep-sigmoid", "classifier", "batch of 3"],
            "1:1": ["seed", "branching", "deep-sigmoid", "batch", "batch of 3"],
            "9:16": ["seed", "branching", "deep-sigmoid", "classifier", "batch of 3"]}


def assert_clean_in(layout, frame):
    left, right, bottom, top = layout.band
    assert (left, right, bottom, top) == (frame.network_left, frame.network_right, frame.network_bottom(),
                                          frame.network_top)
    assert -frame.width / 2 < left and right < frame.width / 2 and bottom > -frame.height / 2
    for name, box in layout.boxes:
        l, r, b, t = edges_of(box)
        assert left - 1e-9 <= l and r <= right + 1e-9 and bottom - 1e-9 <= b and t <= top + 1e-9, name
    for (a, box_a), (b, box_b) in itertools.combinations(layout.boxes, 2):
        both_units = a.startswith("unit:") and b.startswith("unit:")
        assert apart(box_a, box_b, 0.0 if both_units else CLEARANCE * layout.scale), (a, b)
    assert layout.scale >= 0.8
    for key, size in layout.font.items():
        assert LINE_H * size * PX_PER_UNIT >= 16 * layout.scale - 1e-6, key
    assert_labels_owned(layout)


@pytest.mark.parametrize("aspect", list(ASPECTS))
@pytest.mark.parametrize("name", list(NETS))
def test_every_network_fits_every_frame(name, aspect):
    frame = Frame.of(aspect)
    timeline = build_timeline(NETS[name])
    layout = layout_network(timeline, Theme(), make_texts(timeline), frame)
    assert layout.frame == frame
    assert_clean_in(layout, frame)
    units = {n["id"] for n in timeline.nodes if n["kind"] in ("input", "h", "y", "loss")}
    if layout.value_lines >= 0 and name != "3-4-4-3":
        assert set(layout.badges) == units  # every unit's gradient
    badges_missing = len(units) - len(layout.badges) if layout.value_lines >= 0 else 0
    weights = {p["name"] for p in timeline.params if p["kind"] == "weight"}
    placed = len(layout.weight_labels) + len(layout.edge_badges)
    expected = 2 * len(weights) if layout.value_lines >= 0 and max(
        sum(1 for n in timeline.nodes if n["kind"] in ("input", "h", "y") and n["layer"] == k)
        for k in range(len(timeline.network["sizes"]))) <= 4 else 0
    biases = {p["name"] for p in timeline.params if p["kind"] == "bias"}
    biases_missing = 2 * len(biases) - len(layout.bias) - len(layout.bias_badges)
    # what is missing is counted, so the scene can say so; nothing placed twice, nothing invented
    assert layout.numbers_left_out == expected - placed + badges_missing + biases_missing
    assert set(layout.weight_labels) <= weights and set(layout.edge_badges) <= weights
    if name in COMPLETE[aspect]:
        assert placed == 2 * len(weights)


@pytest.mark.parametrize("aspect", list(ASPECTS))
def test_the_legend_spot_is_inside_the_frame(aspect):
    frame = Frame.of(aspect)
    timeline = build_timeline(load_network("seed"))
    layout = layout_network(timeline, Theme(), make_texts(timeline), frame)
    spot = legend_spot(layout, 3.0, 0.4)
    if spot is not None:
        assert abs(spot[0]) + 1.5 <= frame.width / 2 and frame.card_zone() <= spot[1] - 0.2
        assert spot[1] + 0.2 <= frame.caption_band


@pytest.mark.parametrize("name", ["seed", "batch"])
def test_layers_down_a_portrait_frame_keep_every_bias_beside_its_unit(name):
    """9:16: the lesson's network runs down the frame and still shows every bias and its gradient, each
    row level with its unit or a row or two off it, next to the box."""
    timeline = build_timeline(load_network(name))
    layout = layout_network(timeline, Theme(), make_texts(timeline), Frame.of("9:16"))
    assert layout.badge_side == "beside" and layout.dropped == []
    boxes = dict(layout.boxes)
    for p in timeline.params:
        if p["kind"] != "bias":
            continue
        unit = boxes[f"unit:{layout.unit_of[p['node']]}"]
        for key in (f"bias:{p['name']}", f"bias-badge:{p['name']}"):
            box = boxes[key]
            assert abs(box.y - unit.y) <= unit.h / 2 + 2 * box.h + 0.2, key
            assert min(abs(box.x - box.w / 2 - (unit.x + unit.w / 2)), abs(unit.x - unit.w / 2 - (box.x + box.w / 2)),
                       abs(box.x - unit.x)) < 2.5, key
