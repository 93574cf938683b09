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
# its 1.6 MB gradient matrices; backward allocates more such blocks than forward. Raising the
# threshold (a long-lived training process reaches the same state through glibc's dynamic threshold)
# shows the arithmetic alone. Both are reported.
TUNED_MALLOC = {"MALLOC_MMAP_THRESHOLD_": "100000000", "MALLOC_TRIM_THRESHOLD_": "1000000000"}


def forward_backward():
    net = mlp([784, 256, 256, 10], 64)
    fwd = forward(net)
    f_best, f_med = best_of(lambda: forward(net), 50)
    b_best, b_med = best_of(lambda: backward(net, fwd), 50)
    print(f"784-256-256-10, batch 64 ({net.n_params:,} parameters)")
    print(f"  forward   best {f_best * 1e3:7.2f} ms   median {f_med * 1e3:7.2f} ms")
    print(f"  backward  best {b_best * 1e3:7.2f} ms   median {b_med * 1e3:7.2f} ms")
    print(f"  backward / forward (medians): {b_med / f_med:.2f}")


def main():
    if "--forward-backward" in sys.argv:
        forward_backward()
        return
    for label, extra in (("glibc malloc as it comes", {}), ("malloc mmap threshold raised", TUNED_MALLOC)):
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
            best, _ = best_of(lambda: build_timeline(net, granularity).to_json(), 3 if net.n_params < 10**5 else 1)
            row += f"  {best:8.4f} {best / net.n_params * 1e6:6.2f}µs"
        print(row)


if __name__ == "__main__":
    main()
