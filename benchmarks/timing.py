"""The benchmarks' one timer: the best of a few runs, the least disturbed by the machine's other work."""

import time


def best_of(f, runs=3):
    """The shortest of `runs` calls of `f`, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return min(times)
