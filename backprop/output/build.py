"""`backprop course`: render the lessons whose inputs changed, write their files and the site's pages.

The manifest (`SITE/.backprop-course.json`) remembers each lesson's key, files and transcript: a
lesson with the same key and all its files in place is not rendered again. A failed lesson keeps its
last good files (if any), is marked on its page, and the others finish. A lesson's files are moved into
place together (all or none), so a write that fails half-way (a full disk) leaves its last build whole.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field

from backprop.engine.spec import SpecError
from backprop.output.course import Course
from backprop.output.files import OutputError, explain, move_all_into_place, private_folder, write_atomic
from backprop.output.runner import JobResult, Progress, run_jobs
from backprop.output.site import media_dir, site_pages

MANIFEST = ".backprop-course.json"


@dataclass
class BuildSummary:
    rendered: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # slug → reason
    workers: set[str] = field(default_factory=set)  # where the lessons rendered


def _read_manifest(site: str) -> dict:
    try:
        with open(os.path.join(site, MANIFEST), encoding="utf-8") as f:
            data = json.load(f)
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}  # none yet, or unreadable: render everything


def _up_to_date(site: str, entry: dict | None, key: str, slug: str) -> bool:
    return bool(entry and entry.get("key") == key and not entry.get("error") and entry.get("files")
                and all(os.path.isfile(os.path.join(site, "media", slug, name)) for name in entry["files"]))


def build_course(course: Course, site: str, workers: int, scheduler: str | None = None,
                 progress_stream=None) -> BuildSummary:
    created = not os.path.isdir(site)
    try:
        os.makedirs(site, exist_ok=True)
    except OSError as e:
        raise OutputError(f"output-dir: cannot create '{site}': {explain(e)}") from None
    old = _read_manifest(site)
    status: dict[str, dict] = {}
    summary = BuildSummary()
    todo = []
    for job in course.lessons:
        if _up_to_date(site, old.get(job.slug), job.key, job.slug):
            status[job.slug] = old[job.slug]
            summary.skipped.append(job.slug)
        else:
            todo.append(job)
    progress = Progress(len(todo), progress_stream)
    refused = False
    try:
        for result in run_jobs(todo, workers, scheduler, done=progress):
            try:
                status[result.job.slug] = _store(site, result, old.get(result.job.slug), summary)
            except OutputError as e:  # its files could not be written: a failed lesson, its last build kept
                status[result.job.slug] = _failed(str(e), old.get(result.job.slug), summary, result.job.slug)
    except SpecError:  # bad input found on the way (an unreachable --scheduler): nothing written
        refused = not status.keys() - summary.skipped
        raise
    finally:
        progress.close()
        if refused and created:
            shutil.rmtree(site, ignore_errors=True)
        elif not refused:
            # the site is written whatever happened: finished lessons stay usable, the rest keep their last build
            for job in course.lessons:
                status.setdefault(job.slug, {**old.get(job.slug, {}), "error": "not rendered (interrupted)"})
            for name, html in site_pages(course, status, site).items():
                write_atomic(os.path.join(site, name), html.encode("utf-8"))
            write_atomic(os.path.join(site, MANIFEST), json.dumps(status, indent=1, ensure_ascii=False).encode())
    return summary


def _failed(reason: str, before: dict | None, summary: BuildSummary, slug: str) -> dict:
    summary.failed[slug] = reason
    kept = {k: v for k, v in (before or {}).items() if k in ("files", "transcript")}
    return {**kept, "key": "", "error": reason}


def _store(site: str, result: JobResult, before: dict | None, summary: BuildSummary) -> dict:
    slug = result.job.slug
    if result.error:
        return _failed(result.error, before, summary, slug)
    folder = media_dir(site, result.job)
    files = dict(result.files)
    files["transcript.json"] = json.dumps(result.transcript, indent=1, ensure_ascii=False).encode()
    write_all(folder, files)
    for name in (before or {}).get("files", []):  # a format no longer asked for
        if name not in files:
            try:
                os.remove(os.path.join(folder, name))
            except OSError:
                pass
    summary.rendered.append(slug)
    summary.workers.add(result.worker)
    return {"key": result.job.key, "files": sorted(files), "transcript": result.transcript}


def write_all(folder: str, files: dict[str, bytes]) -> None:
    """Every file written in a private folder beside them, then all moved into place, or none (the old
    ones stay); the private folder (and the old files' backups in it) is removed whatever happens."""
    with private_folder(folder, "partial") as work:
        moves = []
        for n, (name, data) in enumerate(files.items()):
            tmp = os.path.join(work, str(n))  # mode from the umask (a web server's user reads the site)
            with open(tmp, "wb") as f:
                f.write(data)
            moves.append((tmp, os.path.join(folder, name)))
        move_all_into_place(moves)
