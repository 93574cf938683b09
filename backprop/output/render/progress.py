"""Progress of a long render: one bar on stderr, on a terminal only.

A lecture-quality render is minutes of work; on a terminal `render` shows what is done of how much
(animations of a scene, chapters of the lecture), the time so far and the time left. Anywhere else
(a pipe, a log file, CI) it shows nothing, and stdout stays the list of written paths.
"""

from __future__ import annotations

import sys


def wanted(stream=None) -> bool:
    stream = stream or sys.stderr
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed, or not a real stream
        return False


class Bar:
    """`with Bar("backward", "animations") as bar: bar.start(total); bar.advance()`; every call does
    nothing when stderr is not a terminal (`bar.active` is False)."""

    def __init__(self, label: str, unit: str):
        self.label, self.unit = label, unit
        self.active = wanted()
        self._progress = self._task = None

    def __enter__(self):
        if self.active:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                      TextColumn(self.unit), TimeElapsedColumn(), TextColumn("left"),
                                      TimeRemainingColumn(), console=Console(file=sys.stderr),
                                      transient=True, redirect_stdout=False, redirect_stderr=False)
            self._progress.start()
        return self

    def start(self, total: int) -> None:
        if self._progress is not None:
            self._task = self._progress.add_task(self.label, total=total)

    def advance(self, n: int = 1) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task, n)

    def __exit__(self, *exc):
        if self._progress is not None:
            self._progress.stop()
        return False
