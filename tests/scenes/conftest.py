"""Scene tests: manim's frame comparisons enabled on this machine's Cairo."""

import pytest


@pytest.fixture(autouse=True, scope="session")
def _compare_frames_on_this_cairo():
    # manim skips frame comparisons on Cairo older than the one its own control data was made with
    # (Debian 12 has 1.16). Our control data is made here, on the same Cairo as CI, so the check
    # does not apply; without this the frame tests would silently skip.
    from manim.utils.testing import frames_comparison

    frames_comparison.MIN_CAIRO_VERSION = 0
