"""Engine speed: backward/forward time ratio on a 784-256-256-10 network at batch 64, and timeline
generation time against parameter count. Prints figures; asserts nothing (see README).

    .venv/bin/python benchmarks/engine_bench.py
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from backprop.engine.backward import backward  # noqa: E402
from backprop.engine.forward import forward  # noqa: E402
from backprop.engine.spec import parse_spec  # noqa: E402
from backprop.engine.timeline import build_timeline  # noqa: E402


def best_of(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def mlp(sizes, batch, seed=0):
    rng = np.random.default_rng(seed)
    return parse_spec({
        "name": "bench", "seed": seed,
        "inputs": rng.uniform(-1, 1, (batch, sizes[0])).tolist(),
        "targets": (np.eye(sizes[-1])[rng.integers(0, sizes[-1], batch)] if sizes[-1] > 1
                    else rng.uniform(0, 1, (batch, 1))).tolist(),
        "layers": [{"units": n, "activation": "relu"} for n in sizes[1:-1]]
                  + [{"units": sizes[-1], "activation": "softmax" if sizes[-1] > 1 else "sigmoid"}],
        "loss": "cross_entropy" if sizes[-1] > 1 else "mse",
    })


# glibc hands blocks above 128 KiB back to the OS on free, so every call page-faults fresh memory for
# its 1.6 MB gradient matrices; backward allocates more such blocks than forward. backward(out=) reuses
# the previous pass's matrices instead; raising the threshold shows the same from outside (users won't
# set it). One BLAS thread shows the arithmetic without thread hand-offs, which stall on a busy machine.
TUNED_MALLOC = {"MALLOC_MMAP_THRESHOLD_": "100000000", "MALLOC_TRIM_THRESHOLD_": "1000000000"}


def forward_backward(rounds=300):
    """Forward and backward alternate, so a busy machine slows all of them alike. Backward runs both
    ways: fresh arrays (a one-off call) and into the previous pass's arrays (out=, a training loop)."""
    net = mlp([784, 256, 256, 10], 64)
    fwd = forward(net)
    previous = backward(net, fwd)
    runs = {"forward": lambda: forward(net), "backward": lambda: backward(net, fwd),
            "backward, out=": lambda: backward(net, fwd, out=previous)}
    times = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            times[name].append(best_of(run, 1)[0])
    print(f"784-256-256-10, batch 64 ({net.n_params:,} parameters)")
    for name, ts in times.items():
        print(f"  {name:15} best {min(ts) * 1e3:7.2f} ms   median {statistics.median(ts) * 1e3:7.2f} ms")
    for name in ("backward", "backward, out="):
        print(f"  {name} / forward: medians {statistics.median(times[name]) / statistics.median(times['forward']):.2f},"
              f" best {min(times[name]) / min(times['forward']):.2f}")


def main():
    if "--forward-backward" in sys.argv:
        forward_backward()
        return
    for label, extra in (("as installed", {}), ("malloc mmap threshold raised", TUNED_MALLOC),
                         ("one BLAS thread", {"OPENBLAS_NUM_THREADS": "1"})):
        print(f"[{label}]")
        out = subprocess.run([sys.executable, __file__, "--forward-backward"], capture_output=True, text=True,
                             env={**os.environ, **extra}, check=True).stdout
        print(out, end="")
    print()
    print("timeline generation, batch 1 (seconds; per parameter in µs)")
    print(f"  {'parameters':>10}  {'scalar':>16}  {'layer':>16}")
    for width in (2, 9, 31, 99, 315, 999):  # w→w→1: about 10, 10², …, 10⁶ parameters
        net = mlp([width, width, 1], 1)
        row = f"  {net.n_params:>10,}"
        for granularity in ("scalar", "layer"):
            if granularity == "scalar" and net.n_params > 100_000:
                row += f"  {'(not scalar)':>16}"
                continue
            best, _ = best_of(lambda net=net, granularity=granularity: build_timeline(net, granularity).to_json(), 3 if net.n_params < 10**5 else 1)
            row += f"  {best:8.4f} {best / net.n_params * 1e6:6.2f}µs"
        print(row)


if __name__ == "__main__":
    main()
