"""Named themes on screen: larger numerals in high-contrast (transcript px), and `print` telling every
sign without colour (numbers carry − or +, negative edges dashed in a greyscale still)."""


import numpy as np
import pytest
from PIL import Image

from backprop.engine.spec import load_network
from backprop.engine.timeline import build_timeline
from backprop.output.render.transcript import transcript
from backprop.story.layout import FRAME_H, FRAME_W, layout_network
from backprop.story.texts import make_texts
from backprop.story.theme import THEMES
from tests.helpers import run_cli

# The lesson's hand-worked gradients on `seed`'s edges (the loss edge carries ∂L/∂y = −0.391).
EDGE_SIGNS = {"W1[1,1]": -1, "W1[1,2]": -1, "W1[2,1]": +1, "W1[2,2]": +1, "W2[1,1]": -1, "W2[1,2]": -1,
              "y1->L": -1}


@pytest.fixture(scope="module")
def seed():
    return build_timeline(load_network("seed"))


def test_high_contrast_draws_larger_numbers_than_dark(seed):
    dark = transcript("backward", seed, THEMES["dark"])
    hc = transcript("backward", seed, THEMES["high-contrast"])
    for role in ("badge", "card", "caption", "value"):
        d = np.median([i["px"] for i in dark["items"] if i["role"] == role])
        h = np.median([i["px"] for i in hc["items"] if i["role"] == role])
        assert h > d * 1.05, (role, d, h)
    assert [i["text"] for i in hc["items"]] == [i["text"] for i in dark["items"]]  # the same lesson


def test_print_badges_say_their_sign_in_text(seed):
    """On paper a pill's colour may be lost: its number carries the sign (− or +) itself."""
    data = transcript("backward", seed, THEMES["print"])
    badges = [i["text"] for i in data["items"] if i["role"] == "badge"]
    assert len(badges) >= 12
    for text in badges:
        assert text[0] in "−+" or float(text) == 0, text


@pytest.mark.slow
def test_print_still_in_greyscale_shows_negative_edges_dashed(tmp_path, capsys, seed):
    code, out, err = run_cli(capsys, "render", "--format", "png", "--theme", "print", "--output-dir", str(tmp_path))
    assert code == 0, err
    grey = np.asarray(Image.open(out.strip()).convert("L"), dtype=float)  # ITU-R 601 luma
    h, w = grey.shape
    lay = layout_network(seed, THEMES["print"], make_texts(seed))
    labels = [box for _, box in lay.boxes]

    def pixel(p):
        return grey[int(round((FRAME_H / 2 - p[1]) * h / FRAME_H)), int(round((p[0] + FRAME_W / 2) * w / FRAME_W))]

    darkest = {}
    for edge, sign in EDGE_SIGNS.items():
        a, b = lay.segments[edge]
        samples = [pixel(a + (b - a) * t) for t in np.linspace(0.05, 0.95, 200)
                   if not any(abs((a + (b - a) * t)[0] - box.x) < box.w / 2 + 0.05
                              and abs((a + (b - a) * t)[1] - box.y) < box.h / 2 + 0.05 for box in labels)]
        samples = np.array(samples)
        assert len(samples) > 40, edge
        # between a dash (dark) and the paper (white): the lighter edge grey showing in a dash's gap
        gaps = np.mean((samples > 110) & (samples < 235))
        assert (gaps > 0.25) == (sign < 0), (edge, sign, round(gaps, 2))
        darkest[edge] = np.percentile(samples, 10)
    # and the two signs print as the same grey: only the pattern tells them apart
    neg = np.mean([v for e, v in darkest.items() if EDGE_SIGNS[e] < 0])
    pos = np.mean([v for e, v in darkest.items() if EDGE_SIGNS[e] > 0])
    assert abs(neg - pos) < 25, (neg, pos)
