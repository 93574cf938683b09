"""The package installs as one namespace. (That each layer imports only the layers below it, and the
engine and the story never manim, is import-linter's job: `lint-imports` in .ci/run.)"""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


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
