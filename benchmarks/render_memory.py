"""Peak memory of a real render per quality: `backprop render` in a child process, its peak resident
set (threads included) read from the kernel when the child ends (os.wait4), with the wall time.

    .venv/bin/python benchmarks/render_memory.py                          # seed, all four qualities
    .venv/bin/python benchmarks/render_memory.py --qualities 4k --pace 0.25

A 4k render of `seed` at the lecture's pace takes minutes; --pace shortens every animation and pause
alike (what is in flight at once does not depend on it). Prints figures; asserts nothing (see README).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def peak_of(cmd) -> tuple[float, float]:
    """(wall seconds, peak resident MB) of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"render failed ({child.returncode}): {' '.join(cmd)}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024  # Linux reports KiB


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--network", default="seed")
    parser.add_argument("--qualities", nargs="*", default=["low", "medium", "high", "4k"])
    parser.add_argument("--pace", type=float, default=1.0)
    args = parser.parse_args()
    print(f"{args.network}, pace {args.pace}: peak memory of one render (resident, MB)")
    with tempfile.TemporaryDirectory() as work:
        theme = Path(work, "theme.toml")
        theme.write_text(f"pace = {args.pace}\n", encoding="utf-8")
        for quality in args.qualities:
            cmd = [sys.executable, "-c", "from backprop.output.cli import main; main()", "render", "--network", args.network,
                   "--quality", quality, "--theme", str(theme), "--output-dir", str(Path(work, quality))]
            wall, peak = peak_of(cmd)
            print(f"  {quality:7} {peak:7.0f} MB   {wall:6.1f} s", flush=True)


if __name__ == "__main__":
    main()
