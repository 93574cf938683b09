"""The layers hold: the engine and the story (and their tests) run where manim is not installed, and
the package installs as one namespace."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NO_MANIM = "import sys; sys.modules['manim'] = None; sys.modules['cairo'] = None; sys.modules['manimpango'] = None\n"


def test_engine_and_story_tests_pass_without_manim():
    code = NO_MANIM + (
        "import pkgutil, importlib, backprop.engine, backprop.story\n"
        "for pkg in (backprop.engine, backprop.story):\n"
        "    for m in pkgutil.iter_modules(pkg.__path__):\n"
        "        importlib.import_module(f'{pkg.__name__}.{m.name}')\n"
        "import pytest\n"
        "sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', 'tests/engine', 'tests/story',\n"
        "                      '--deselect', 'tests/engine/test_layers.py']))\n")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert " passed" in run.stdout and "error" not in run.stdout.lower()


def test_the_wheel_installs_only_backprop_and_works_beside_a_users_own_scenes(tmp_path):
    """A regular (non-editable) install, run from a folder with its own scenes.py and engine.py."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "-w", str(tmp_path / "dist"), str(ROOT)], check=True, capture_output=True)
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    tops = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"backprop"}
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    user = tmp_path / "lecture"
    user.mkdir()
    for name in ("scenes.py", "engine.py"):
        (user / name).write_text("raise SystemExit('the user\\'s own module was imported')\n")
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run([sys.executable, "-m", "backprop", "gradients", "seed"], cwd=user, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0 and "W₁[1,2]" in run.stdout, run.stderr
    where = subprocess.run([sys.executable, "-c", "import backprop.engine; print(backprop.engine.__file__)"],
                           cwd=user, env=env, capture_output=True, text=True)
    assert where.stdout.startswith(str(site)), where
