"""The example Sphinx site built in a subprocess with the render cache in a folder of the test's."""

import os
import subprocess
import sys


SPHINX_BUILD = [sys.executable, "-m", "sphinx", "-b", "html", "-q"]


def build(src, out, cache, *options):
    env = {**os.environ, "BACKPROP_CACHE": str(cache)}
    return subprocess.run([*SPHINX_BUILD, *options, str(src), str(out)], env=env, capture_output=True, text=True,
                          timeout=900)
