"""The slowest and largest work the limits allow (README, Limits): each case runs as `backprop` in its own
process; prints seconds, peak memory (RSS) and bytes written. Asserts nothing.

    .venv/bin/python benchmarks/limits_bench.py [timeline] [check]
"""

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from backprop.engine.gradient_check import MAX_CHECK_PARAMS, MAX_CHECK_SECONDS, estimated_seconds  # noqa: E402
from backprop.engine.spec import MAX_EXAMPLES, MAX_PARAMS, parse_spec  # noqa: E402
from backprop.engine.timeline import MAX_NUMBERS, SCALAR_MAX  # noqa: E402


def spec(sizes, examples, activation="relu"):
    rng = np.random.default_rng(0)
    return {"name": "limits", "seed": 1,
            "inputs": rng.uniform(-1, 1, (examples, sizes[0])).round(3).tolist(),
            "targets": rng.uniform(0, 1, (examples, sizes[-1])).round(3).tolist(),
            "layers": [{"units": n, "activation": activation} for n in sizes[1:-1]]
                      + [{"units": sizes[-1], "activation": "sigmoid"}]}


def n_params(sizes):
    return sum(a * b + b for a, b in zip(sizes, sizes[1:]))


def largest(make, fits):
    """The largest width w for which fits(make(w)) holds (make grows with w)."""
    w = 1
    while fits(make(w * 2)):
        w *= 2
    lo, hi = w, w * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if fits(make(mid)) else (lo, mid)
    return make(lo)


def run(args):
    """`backprop ARGS` in a child process: (exit status, seconds, peak RSS in bytes)."""
    argv = [sys.executable, "-c", "from backprop.output.cli import main; main()", *args]
    start = time.perf_counter()
    pid = os.posix_spawn(sys.executable, argv, {**os.environ, "PYTHONPATH": str(ROOT)},
                         file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
    _, status, usage = os.wait4(pid, 0)
    return os.waitstatus_to_exitcode(status), time.perf_counter() - start, usage.ru_maxrss * 1024


def timelines(folder):
    # The count engine/timeline.py limits: each parameter 6 times; per example, inputs 3 times, units 11.
    def numbers(case):
        sizes, examples = case
        return 6 * n_params(sizes) + examples * (3 * sizes[0] + 11 * sum(sizes[1:]))

    def layer_ok(case):
        return numbers(case) <= MAX_NUMBERS and n_params(case[0]) <= MAX_PARAMS

    cases = [
        ("layer, most examples", largest(lambda w: ([w, w, 1], 4096), layer_ok), "layer"),
        ("layer, batch 64", largest(lambda w: ([w, w, w, 10], 64), layer_ok), "layer"),
        ("layer, most parameters", largest(lambda w: ([w, w, 1], 1), layer_ok), "layer"),
        ("scalar, batch 1", largest(lambda w: ([w, w, 1], 1), lambda c: n_params(c[0]) <= SCALAR_MAX), "scalar"),
        ("scalar, batch 16", largest(lambda w: ([w, w, 1], 16), lambda c: n_params(c[0]) * 16 <= SCALAR_MAX),
         "scalar"),
    ]
    print(f"largest timelines (numbers ≤ {MAX_NUMBERS:,}; scalar: parameter-examples ≤ {SCALAR_MAX:,}), "
          "`backprop timeline NET -o FILE`")
    for label, (sizes, examples), granularity in cases:
        net, out = folder / "net.json", folder / "t.json"
        net.write_text(json.dumps(spec(sizes, examples)))
        code, seconds, rss = run(["timeline", str(net), "-o", str(out), "--granularity", granularity])
        size = out.stat().st_size if out.exists() else 0
        out.unlink(missing_ok=True)
        print(f"  {label:24} {'-'.join(map(str, sizes)):>16} × {examples:<5} {n_params(sizes):>9,} params  "
              f"exit {code}  {seconds:6.1f} s  peak {rss / 1e9:5.2f} GB  wrote {size / 1e6:7.1f} MB")


def checks(folder):
    def ok(case):
        sizes, examples = case
        if n_params(sizes) > MAX_CHECK_PARAMS or examples > MAX_EXAMPLES:
            return False
        return estimated_seconds(parse_spec(spec(sizes, examples))) <= MAX_CHECK_SECONDS

    cases = [
        ("64 layers, 1 example", largest(lambda w: ([w] * 64 + [1], 1), ok)),
        ("16 layers, 8 examples", largest(lambda w: ([w] * 16 + [1], 8), ok)),
        ("2 layers, 1 example", largest(lambda w: ([w, w, 1], 1), ok)),
        ("2 layers, 64 examples", largest(lambda w: ([w, w, 1], 64), ok)),
        ("2 layers, 100-wide", largest(lambda n: ([100, 100, 1], n), ok)),
        ("1 wide layer, most examples", largest(lambda w: ([2, w, 1], 4096), ok)),
        ("3 layers, most examples", largest(lambda w: ([w, w, w, 1], 4096), ok)),
    ]
    print(f"slowest checks (parameters ≤ {MAX_CHECK_PARAMS:,}, estimate ≤ {MAX_CHECK_SECONDS} s), `backprop check NET`")
    for label, (sizes, examples) in cases:
        net = folder / "net.json"
        net.write_text(json.dumps(spec(sizes, examples, "tanh")))
        code, seconds, rss = run(["check", str(net)])
        shape = f"{sizes[0]}-{sizes[1]}×{len(sizes) - 2}-{sizes[-1]}"
        print(f"  {label:28} {shape:>14} × {examples:<5} {n_params(sizes):>7,} params  exit {code}  "
              f"{seconds:5.1f} s  peak {rss / 1e9:4.2f} GB")


def main():
    which = sys.argv[1:] or ["timeline", "check"]
    with tempfile.TemporaryDirectory() as tmp:
        if "timeline" in which:
            timelines(Path(tmp))
        if "check" in which:
            checks(Path(tmp))


if __name__ == "__main__":
    main()
