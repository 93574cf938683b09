"""pytest options from manim's own test suite, so frame-comparison control data can be regenerated:
`pytest tests/test_frames.py --set_test` writes tests/control_data/ anew (look at the PNGs first)."""


def pytest_addoption(parser):
    parser.addoption("--set_test", action="store_true", default=False,
                     help="write the frame-comparison control data instead of comparing against it")
    parser.addoption("--show_diff", action="store_true", default=False,
                     help="show the difference when a frame comparison fails (needs a display)")
