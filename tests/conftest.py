"""Options for every layer's tests. Nothing here imports manim: the engine's tests run without it."""


def pytest_addoption(parser):
    # manim's frame-comparison options (tests/scenes/test_frames.py): `--set_test` writes the control
    # data anew (look at the stills first).
    parser.addoption("--set_test", action="store_true", default=False,
                     help="write the frame-comparison control data instead of comparing against it")
    parser.addoption("--show_diff", action="store_true", default=False,
                     help="show the difference when a frame comparison fails (needs a display)")
