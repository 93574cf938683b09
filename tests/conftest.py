"""Options for every layer's tests, and how they share the cores and their plays. Nothing here
imports manim: the engine's tests run without it."""

import os
import shutil
import tempfile

import pytest

from tests.plays import FOLDER

PLAYS = pytest.StashKey[str]()


def pytest_addoption(parser):
    # manim's frame-comparison options (tests/scenes/test_frames.py): `--set_test` writes the control
    # data anew (look at the stills first).
    parser.addoption("--set_test", action="store_true", default=False,
                     help="write the frame-comparison control data instead of comparing against it")
    parser.addoption("--show_diff", action="store_true", default=False,
                     help="show the difference when a frame comparison fails (needs a display)")


def pytest_xdist_auto_num_workers(config):
    """`-n auto` (pyproject.toml): a worker per core for the suite or a folder; one file or one test runs
    in this process (each worker would import manim first). `-n 2` asks for workers anyway."""
    if len(config.args) == 1 and config.args[0].split("::")[0].endswith(".py"):
        return 0
    return None  # xdist's count of the cores


def pytest_collection_modifyitems(items):
    """The modules holding `slow` tests (renders, minutes of random networks) first, each module's tests
    kept together (its fixtures are made once): on two workers the long tests start early and the
    short ones fill the end, so neither worker waits long for the other."""
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow)  # stable: collection order otherwise


def pytest_configure(config):
    """The run's folder of shared plays (tests/plays.py), made before xdist starts its workers (they
    inherit the environment) and only by the process that starts them."""
    if not hasattr(config, "workerinput"):
        os.environ[FOLDER] = config.stash[PLAYS] = tempfile.mkdtemp(prefix="backprop-plays-")


def pytest_unconfigure(config):
    if PLAYS in config.stash:
        shutil.rmtree(config.stash[PLAYS], ignore_errors=True)
        os.environ.pop(FOLDER, None)
