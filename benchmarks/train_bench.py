"""`backprop train` at its limits: seconds for the most steps allowed (MAX_STEPS, or MAX_WORK
multiply-adds), each case a `backprop train --json` process. Prints the figures the README quotes."""

import json
import os
import subprocess
import sys
import tempfile
import time

from backprop.engine.spec import parse_spec
from backprop.engine.training import MAX_STEPS, MAX_WORK

CASES = {
    "seed (2-2-1)": ("seed", None),
    "100-300-10 × 64": ({"inputs": [[0.01 * (i % 7) for i in range(100)]] * 64, "targets": [[0.0] * 10] * 64, "loss": "mse",
                         "layers": [{"units": 300, "activation": "relu"}, {"units": 10, "activation": "linear"}]},
                        None),
    "784-256-10 × 64": ({"inputs": [[0.01] * 784] * 64, "targets": [[0.1] * 10] * 64, "loss": "mse",
                         "layers": [{"units": 256, "activation": "tanh"}, {"units": 10, "activation": "linear"}]},
                        None),
}


def main():
    backprop = os.path.join(os.path.dirname(sys.executable), "backprop")
    with tempfile.TemporaryDirectory() as tmp:
        for label, (spec, _) in CASES.items():
            if isinstance(spec, dict):
                path = os.path.join(tmp, "net.json")
                with open(path, "w") as f:
                    json.dump(spec, f)
                net = parse_spec(spec)
            else:
                path = spec
                from backprop.engine.spec import load_network
                net = load_network(spec)
            per_step = 3 * net.n_params * net.X.shape[0]
            steps = min(MAX_STEPS, MAX_WORK // per_step)
            start = time.perf_counter()
            out = subprocess.run([backprop, "train", path, "--steps", str(steps), "--json"], capture_output=True,
                                 check=True).stdout
            seconds = time.perf_counter() - start
            losses = json.loads(out)["losses"]
            print(f"{label:18} {steps:>7,} steps  {seconds:5.1f} s   loss {losses[0]:.4g} → {losses[-1]:.4g}")


if __name__ == "__main__":
    main()
