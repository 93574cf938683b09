"""pytest options from manim's own test suite, so frame-comparison control data can be regenerated:
`pytest tests/test_frames.py --set_test` writes tests/control_data/ anew (look at the PNGs first)."""


def pytest_addoption(parser):
    parser.addoption("--set_test", action="store_true", default=False,
                     help="write the frame-comparison control data instead of comparing against it")
    parser.addoption("--show_diff", action="store_true", default=False,
                     help="show the difference when a frame comparison fails (needs a display)")


def pytest_configure(config):
    # manim skips frame comparisons on Cairo older than the one its own control data was made with
    # (Debian 12 has 1.16). Our control data is made here, on the same Cairo as CI, so the check
    # does not apply; without this the frame tests would silently skip.
    from manim.utils.testing import frames_comparison

    frames_comparison.MIN_CAIRO_VERSION = 0
