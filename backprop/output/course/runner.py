"""Render many lessons at once: on this machine's cores, or on a Dask cluster.

The job function runs in a worker process and holds a lock while it renders: manim's config is
process-global, so a worker with several threads (`dask worker` starts one per core) must still render
one lesson at a time. It renders into a private temporary folder and returns the files' bytes, so
workers need no shared file system; the caller writes them atomically. Dask distributed (`pip install
.[cluster]`) runs the jobs on an embedded LocalCluster or on a cluster at `--scheduler`; without it, a
process pool runs the same function.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import queue
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from typing import Callable, Iterable

from backprop.engine.spec import SpecError
from backprop.output.course.lessons import LessonJob
from backprop.output.render.processes import spawn_in_own_groups

CLUSTER_HINT = "pip install 'backprop-manim[cluster]' (Dask distributed)"
CONNECT_TIMEOUT = "20s"  # how long to try a --scheduler address before saying it cannot be reached
ONE_RENDER = threading.Lock()  # one render per process: manim's config is global to it
SCRATCH: str | None = None  # a pool worker's private folder (the parent's, removed by it)


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
    from tqdm import tqdm

    # manim's progress bars would make tqdm create a multiprocessing lock: a worker stopped mid-render
    # (Ctrl-C) leaves it registered, and Python's resource tracker prints a warning about it at exit
    tqdm.set_lock(threading.RLock())
    with ONE_RENDER:
        return _render(job)


def _render(job: LessonJob) -> dict:
    from backprop.engine.spec import parse_spec
    from backprop.engine.timeline import build_timeline
    from backprop.output.render.request import RenderRequest
    from backprop.output.render.scene import render_scene
    from backprop.output.render.transcript import transcript

    net = parse_spec(job.spec)
    timeline = build_timeline(net)
    work = tempfile.mkdtemp(prefix="backprop-lesson-", dir=_scratch())
    try:
        written = []
        request = RenderRequest(job.scene, timeline, network=net, theme=job.theme, quality=job.quality,
                                output_dir=work, language=job.language)
        for fmt in job.formats:  # the mp4 with its poster (the network with every gradient) for a page
            if fmt == "slides":
                from backprop.output.material.slides import build_slides

                written += build_slides(request)
                continue
            written += render_scene(replace(request, fmt=fmt, poster=job.page and fmt == "mp4"))
        files = {}
        for path in written:
            with open(path, "rb") as f:
                files[os.path.basename(path)] = f.read()
        data = transcript(job.scene, timeline, job.theme, network=net, language=job.language) if job.page else None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"files": files, "transcript": data, "worker": _where()}


def _scratch() -> str | None:
    """Where a job's private folder goes: a Dask worker's own folder (the embedded cluster's lies in
    `backprop`'s scratch folder, removed however the worker ends), a pool worker's scratch, else /tmp."""
    try:
        from distributed import get_worker

        return get_worker().local_directory
    except (ImportError, ValueError):
        return SCRATCH


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


SCHEMES = ("tcp", "tls")  # what --scheduler takes; tls:// with --security (or Dask's own TLS settings)
SECURITY_FIELDS = ("tls_ca_file", "tls_client_cert", "tls_client_key")  # as distributed.security.Security names them


@dataclass(frozen=True)
class Scheduler:
    """A checked --scheduler address and the credentials to reach it (None for tcp://)."""

    address: str
    security: object = None  # distributed.security.Security


def check_scheduler(address: str, security_file: str | None) -> Scheduler:
    """--scheduler and --security checked before anything starts: the scheme, and TLS credentials that
    exist, for a tls:// address (a stranger's tcp:// cluster would run our jobs unencrypted)."""
    scheme, sep, rest = address.partition("://")
    if not sep or scheme not in SCHEMES or not rest.strip() or any(c.isspace() or ord(c) < 32 for c in address):
        raise SpecError("scheduler", f"expected tcp://HOST:PORT or tls://HOST:PORT, got '{address[:80]}'"
                        + (f" ({scheme}:// is not supported)" if sep and scheme not in SCHEMES else ""))
    if scheme == "tcp":
        if security_file:
            raise SpecError("security", "tcp:// is not encrypted; give the scheduler as tls://HOST:PORT")
        return Scheduler(address)
    from distributed.security import Security

    if security_file:
        return Scheduler(address, read_security(security_file))
    security = Security(require_encryption=True)  # Dask's own settings (distributed.comm.tls.*), if any
    if not (security.tls_ca_file and security.tls_client_cert):
        raise SpecError("security", f"'{address}' is tls://: give --security FILE naming the cluster's CA "
                                    "certificate and this client's certificate and key")
    return Scheduler(address, security)


def read_security(path: str):
    """A TOML or JSON file of Security's TLS fields (paths relative to the file), every file checked."""
    from distributed.security import Security

    from backprop.engine.spec import read_spec_file

    data = read_spec_file(path, field="security")
    if not isinstance(data, dict):
        raise SpecError("security", "expected a table of fields: " + ", ".join(SECURITY_FIELDS))
    base = os.path.dirname(os.path.abspath(path))
    paths = {}
    for name, value in data.items():
        if name not in SECURITY_FIELDS:
            raise SpecError(f"security.{name}", "unknown field; fields: " + ", ".join(SECURITY_FIELDS))
        if not isinstance(value, str) or not value or "\0" in value:
            raise SpecError(f"security.{name}", "expected a file's path")
        paths[name] = os.path.join(base, value)
        if not os.path.isfile(paths[name]):
            raise SpecError(f"security.{name}", f"no file '{value}'")
    for name in ("tls_ca_file", "tls_client_cert"):
        if name not in paths:
            raise SpecError(f"security.{name}", "missing (the cluster's CA certificate and this client's certificate)")
    try:
        security = Security(require_encryption=True, **paths)
        security.get_connection_args("client")  # reads and checks the PEM files now
    except (OSError, ValueError) as e:  # ssl.SSLError is an OSError
        raise SpecError("security", f"cannot use the certificates in '{path}': {_reason(e)}") from None
    return security


def connect(scheduler: Scheduler):
    """A Client of the cluster at `scheduler`. Dask bounds the connect but not the handshake after it
    (a server that accepts and never answers would hold the build for ever), so one bounded hello
    comes first."""
    from distributed import Client
    from distributed.comm import connect as dask_connect
    from distributed.security import Security

    security = scheduler.security or Security()
    seconds = parse_seconds(CONNECT_TIMEOUT)

    async def hello():
        comm = await dask_connect(scheduler.address, timeout=seconds, **security.get_connection_args("client"))
        await comm.close()

    where = f"cannot reach a Dask scheduler at '{scheduler.address}'"
    try:
        asyncio.run(asyncio.wait_for(hello(), seconds))
    except (TimeoutError, asyncio.TimeoutError):
        raise SpecError("scheduler", f"{where}: no answer within {CONNECT_TIMEOUT}") from None
    except Exception as e:  # refused, TLS refused, not Dask's protocol (garbage, an absurd frame size)
        raise SpecError("scheduler", f"{where}: {_reason(e)}") from None
    try:
        return Client(scheduler.address, timeout=CONNECT_TIMEOUT, security=security, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as e:
        raise SpecError("scheduler", f"{where}: {_reason(e)}") from None


def parse_seconds(text: str) -> float:
    from dask.utils import parse_timedelta

    return parse_timedelta(text, default="seconds")


def run_jobs(jobs: list[LessonJob], workers: int, scheduler: Scheduler | None = None,
             done: Callable[[JobResult], None] = lambda r: None) -> Iterable[JobResult]:
    """Every job's result as it finishes (any order); `done` is called with each first. Never more
    workers than jobs. The workers start in process groups of their own (Ctrl-C reaches only us), in a
    private scratch folder removed afterwards, whatever they left in it."""
    if not jobs:
        return
    workers = max(1, min(workers, len(jobs)))
    spawn_in_own_groups()
    scratch = tempfile.mkdtemp(prefix="backprop-workers-")
    try:
        if scheduler or have_dask():
            yield from _on_dask(jobs, workers, scheduler, done, scratch)
        else:
            yield from _on_processes(jobs, workers, done, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _on_dask(jobs, workers, scheduler, done, scratch):
    import logging

    import dask
    from distributed import Client, LocalCluster
    from distributed import as_completed as finished

    logging.getLogger("distributed").setLevel(logging.CRITICAL)  # a failed lesson is our one line, not Dask's log
    if scheduler:
        cluster = None
        client = connect(scheduler)
    else:
        # processes, one thread each: manim's config is global to a process. Everything on loopback,
        # TLS with credentials made for this build and held in memory (no one else on the machine can
        # submit work); no dashboard, and no HTTP routes at all on the port Dask's nodes open anyway
        # (any free one, not 8787: two builds at once do not collide).
        with dask.config.set({"distributed.scheduler.http.routes": [], "distributed.worker.http.routes": [],
                              "temporary-directory": scratch}):
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                   dashboard_address=None, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                                   silence_logs=logging.CRITICAL, security=True, local_directory=scratch)
        client = Client(cluster, set_as_default=False)
    try:
        futures = {client.submit(render_lesson, job, key=f"lesson-{job.slug}-{job.key}", pure=False,
                                 retries=0): job for job in jobs}
        for future in finished(futures, loop=client.loop):
            job = futures[future]
            if future.status == "error":
                result = JobResult(job, error=_reason(future.exception()))
            elif future.status != "finished":  # cancelled or lost with a worker or the scheduler
                result = JobResult(job, error=f"the cluster lost this lesson ({future.status})")
            else:
                out = future.result()
                result = JobResult(job, out["files"], out["transcript"], worker=out["worker"])
            done(result)
            yield result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _pool_start(scratch: str) -> None:
    global SCRATCH
    SCRATCH = scratch


def _on_processes(jobs, workers, done, scratch):
    """A pool of fresh processes (spawn: a clean manim in each); leaving it early (Ctrl-C) terminates them."""
    results = queue.SimpleQueue()
    with multiprocessing.get_context("spawn").Pool(workers, initializer=_pool_start, initargs=(scratch,)) as pool:
        for job in jobs:
            pool.apply_async(render_lesson, (job,), callback=lambda out, job=job: results.put((job, out, None)),
                             error_callback=lambda e, job=job: results.put((job, None, e)))
        for _ in jobs:
            job, out, error = results.get()
            if error is not None:
                result = JobResult(job, error=_reason(error))
            else:
                result = JobResult(job, out["files"], out["transcript"], worker=out["worker"])
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
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
            from rich.progress import Progress as Bar

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
