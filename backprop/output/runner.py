"""Render many lessons at once: on this machine's cores, or on a Dask cluster.

The job function runs in a worker process and holds a lock while it renders: manim's config is
process-global, so a worker with several threads (`dask worker` starts one per core) must still render
one lesson at a time. It renders into a private temporary folder and returns the files' bytes, so
workers need no shared file system; the caller writes them atomically. Dask distributed (`pip install
.[cluster]`) runs the jobs on an embedded LocalCluster or on a cluster at `--scheduler`; without it, a
process pool runs the same function.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Callable, Iterable

from backprop.engine.spec import SpecError
from backprop.output.course import LessonJob

CLUSTER_HINT = "pip install 'backprop-manim[cluster]' (Dask distributed)"
CONNECT_TIMEOUT = "20s"  # how long to try a --scheduler address before saying it cannot be reached
ONE_RENDER = threading.Lock()  # one render per process: manim's config is global to it


@dataclass
class JobResult:
    job: LessonJob
    files: dict[str, bytes] | None = None  # file name → content
    transcript: dict | None = None
    error: str | None = None  # one line: why this lesson failed
    worker: str = ""  # where it ran (a Dask worker's address, or this machine's pid)


def render_lesson(job: LessonJob) -> dict:
    """In a worker: the lesson's video (and each download format), its poster and its transcript.
    Other threads of this process wait for it (see ONE_RENDER)."""
    with ONE_RENDER:
        return _render(job)


def _render(job: LessonJob) -> dict:
    from backprop.engine.spec import parse_spec
    from backprop.engine.timeline import build_timeline
    from backprop.output.rendering import render_scene
    from backprop.output.transcript import transcript

    net = parse_spec(job.spec)
    timeline = build_timeline(net)
    work = tempfile.mkdtemp(prefix="backprop-lesson-")
    try:
        written = []
        for fmt in job.formats:  # the mp4 with its poster (the network with every gradient) for a page
            if fmt == "slides":
                from backprop.output.slides import build_slides

                written += build_slides(job.scene, timeline, output_dir=work, quality=job.quality,
                                        theme=job.theme, network=net)
                continue
            written += render_scene(job.scene, timeline, quality=job.quality, fmt=fmt, output_dir=work,
                                    theme=job.theme, network=net, poster=job.page and fmt == "mp4")
        files = {}
        for path in written:
            with open(path, "rb") as f:
                files[os.path.basename(path)] = f.read()
        data = transcript(job.scene, timeline, job.theme, network=net) if job.page else None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"files": files, "transcript": data, "worker": _where()}


def _where() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return f"pid {os.getpid()}"


def _reason(e: BaseException) -> str:
    text = " ".join(str(e).split()) or type(e).__name__
    return text if type(e).__name__ in ("SpecError", "OutputError", "UserError") else f"{type(e).__name__}: {text}"


def have_dask() -> bool:
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


def run_jobs(jobs: list[LessonJob], workers: int, scheduler: str | None = None,
             done: Callable[[JobResult], None] = lambda r: None) -> Iterable[JobResult]:
    """Every job's result as it finishes (any order); `done` is called with each first."""
    if not jobs:
        return
    if scheduler or have_dask():
        yield from _on_dask(jobs, workers, scheduler, done)
    else:
        yield from _on_processes(jobs, workers, done)


def _on_dask(jobs, workers, scheduler, done):
    import logging

    from distributed import Client, LocalCluster, as_completed as finished

    logging.getLogger("distributed").setLevel(logging.ERROR)  # not a screen of INFO lines per build
    if scheduler:
        cluster = None
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as e:
            raise SpecError("scheduler", f"cannot reach a Dask scheduler at '{scheduler}': {_reason(e)}") from None
    else:
        # processes, one thread each: manim's config is global to a process; everything on loopback
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        futures = {client.submit(render_lesson, job, key=f"lesson-{job.slug}-{job.key}", pure=False,
                                 retries=0): job for job in jobs}
        for future in finished(futures):
            job = futures[future]
            if future.status == "error":
                result = JobResult(job, error=_reason(future.exception()))
            else:
                out = future.result()
                result = JobResult(job, out["files"], out["transcript"], worker=out["worker"])
            done(result)
            yield result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _on_processes(jobs, workers, done):
    context = multiprocessing.get_context("spawn")  # a clean manim in every worker
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {pool.submit(render_lesson, job): job for job in jobs}
        for future in as_completed(futures):
            job = futures[future]
            try:
                out = future.result()
                result = JobResult(job, out["files"], out["transcript"], worker=out["worker"])
            except Exception as e:
                result = JobResult(job, error=_reason(e))
            done(result)
            yield result


class Progress:
    """One overall bar (lessons done / total, elapsed, ETA) on a terminal; plain lines otherwise."""

    def __init__(self, total: int, stream=None):
        self.stream = stream or sys.stderr
        self.total = total
        self.count = 0
        self.start = time.monotonic()
        self.bar = None
        if total and self.stream.isatty():
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn,
                                       TimeElapsedColumn, TimeRemainingColumn)

            self.bar = Bar(TextColumn("lessons"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                           TextColumn("ETA"), TimeRemainingColumn(), console=Console(file=self.stream),
                           transient=True)
            self.task = self.bar.add_task("lessons", total=total)
            self.bar.start()

    def __call__(self, result: JobResult):
        self.count += 1
        if self.bar is not None:
            self.bar.advance(self.task)
        else:
            what = f"failed: {result.error}" if result.error else "rendered"
            print(f"[{self.count}/{self.total}] {result.job.slug} {what}", file=self.stream, flush=True)

    def close(self):
        if self.bar is not None:
            self.bar.stop()
