"""How long `backprop transcript backward` takes on `seed` and on a 3-4-4-3 network (tanh), and how
many times `seed`'s the second is (issue 20: at most twice), in CPU seconds of the whole command
(Python's start and imports included); each the best of three, the two taken in turn so that the
machine's load falls on both alike. Prints the README's figures (Layout section).

    .venv/bin/python benchmarks/transcript_bench.py [RUNS]
"""

import json
import os
import subprocess
import sys
import tempfile

from layout_bench import spec  # benchmarks/: a script's own folder is on its path
from timing import child_cpu


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "3-4-4-3.json")
        with open(path, "w") as f:
            json.dump(spec((3, 4, 4, 3)), f)
        took: dict[str, list[float]] = {"seed": [], "3-4-4-3": []}
        for _ in range(runs):
            for name, network in (("seed", "seed"), ("3-4-4-3", path)):
                start = child_cpu()
                subprocess.run([sys.executable, "-m", "backprop", "transcript", "backward", "--network", network,
                                "--json"], check=True, capture_output=True)
                took[name].append(child_cpu() - start)
    seed, dense = min(took["seed"]), min(took["3-4-4-3"])
    print(f"backprop transcript backward, seed: {seed:.1f} s CPU; 3-4-4-3: {dense:.1f} s CPU; "
          f"3-4-4-3 / seed = {dense / seed:.2f} (best of {runs})")


if __name__ == "__main__":
    main()
