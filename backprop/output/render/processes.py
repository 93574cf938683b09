"""Worker processes in process groups of their own, so Ctrl-C reaches only `backprop`.

A terminal sends SIGINT to its whole foreground process group: every worker would print a traceback
of its own (a process still starting Python, a Dask worker's event loop). In groups of their own the
workers hear nothing; `backprop` stops them itself and removes what they left (see the callers).
"""

from __future__ import annotations

import multiprocessing.util
import os


def _spawn_in_own_group(path, args, passfds):
    """multiprocessing's spawn (also Dask's nanny's), the child in a new process group."""
    for fd in passfds:
        os.set_inheritable(fd, True)
    try:
        return os.posix_spawn(path, args, os.environ, setpgroup=0)
    finally:
        for fd in passfds:
            os.set_inheritable(fd, False)


def spawn_in_own_groups() -> None:
    """From now on, every process started with multiprocessing's "spawn" gets a process group of its own."""
    multiprocessing.util.spawnv_passfds = _spawn_in_own_group
