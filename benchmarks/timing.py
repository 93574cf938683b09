"""The benchmarks' one timer: the best of a few runs, the least disturbed by the machine's other work."""

import resource
import time


def best_of(f, runs=3, clock=time.perf_counter):
    """The shortest of `runs` calls of `f`, in seconds (`clock`: wall time, or `cpu` / `child_cpu`:
    CPU time, which other work on a shared machine disturbs far less)."""
    times = []
    for _ in range(runs):
        start = clock()
        f()
        times.append(clock() - start)
    return min(times)


cpu = time.process_time  # this process's CPU time


def child_cpu() -> float:
    """CPU time of the subprocesses that have ended."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime
