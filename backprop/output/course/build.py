"""`backprop course`: render the lessons whose inputs changed, write their files and the site's pages.

The manifest (`SITE/.backprop-course.json`) remembers each lesson's key, files and transcript: a
lesson with the same key and all its files in place is not rendered again. A failed lesson keeps its
last good files (if any), is marked on its page, and the others finish. A lesson's files are moved into
place together (all or none), so a write that fails half-way (a full disk) leaves its last build whole.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
from dataclasses import dataclass, field

from backprop.engine.spec import SpecError, read_spec_file
from backprop.output.course.lessons import Course
from backprop.output.course.runner import JobResult, Progress, run_jobs
from backprop.output.course.site import media_dir, site_pages
from backprop.output.render.files import (
    OutputError,
    explain,
    folder_lock,
    is_plain_name,
    move_all_into_place,
    private_folder,
    write_atomic,
)

MANIFEST = ".backprop-course.json"
ENTRY_FIELDS = {"key", "files", "transcript", "error"}


@dataclass
class BuildSummary:
    rendered: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # slug → reason
    workers: set[str] = field(default_factory=set)  # where the lessons rendered


def read_manifest(site: str, stream) -> dict:
    """The last build's manifest, checked like user input: any doubt (unreadable, not what this
    program writes, a file name that is not a plain name in the lesson's folder) and every lesson is
    rendered again, said once; nothing it names is trusted, so nothing it names is deleted."""
    path = os.path.join(site, MANIFEST)
    if not os.path.lexists(path):
        return {}
    try:
        data = read_spec_file(path, field=MANIFEST)
        check_manifest(data)
    except SpecError as e:
        print(f"backprop: {path}: {e.field}: {e.message}; rendering every lesson again", file=stream, flush=True)
        return {}
    return data


def check_manifest(data) -> None:
    if not isinstance(data, dict):
        raise SpecError("manifest", "expected an object of lessons")
    for slug, entry in data.items():
        if not is_plain_name(slug):
            raise SpecError(f"'{slug[:60]}'", "not a lesson's folder name")
        if not isinstance(entry, dict) or not entry.keys() <= ENTRY_FIELDS:
            raise SpecError(slug, "expected an object of " + ", ".join(sorted(ENTRY_FIELDS)))
        if not isinstance(entry.get("key", ""), str) or not isinstance(entry.get("error", ""), str):
            raise SpecError(slug, "key and error are text")
        files = entry.get("files", [])
        if not isinstance(files, list) or not all(isinstance(n, str) and is_plain_name(n) for n in files):
            raise SpecError(f"{slug}.files", "expected file names inside the lesson's folder")
        transcript = entry.get("transcript")
        if transcript is not None and not _transcript_ok(transcript):
            raise SpecError(f"{slug}.transcript", "not a transcript")


def _transcript_ok(data) -> bool:
    """What the lesson page reads from a stored transcript: items with text, role and a start time."""
    items = data.get("items") if isinstance(data, dict) else None
    return isinstance(items, list) and all(
        isinstance(i, dict) and isinstance(i.get("text"), str) and isinstance(i.get("role"), str)
        and isinstance(i.get("start"), (int, float)) and not isinstance(i.get("start"), bool)
        and math.isfinite(i["start"]) and i["start"] >= 0 for i in items)


def _up_to_date(site: str, entry: dict | None, key: str, slug: str) -> bool:
    return bool(entry and entry.get("key") == key and not entry.get("error") and entry.get("files")
                and all(os.path.isfile(os.path.join(site, "media", slug, name)) for name in entry["files"]))


def build_course(course: Course, site: str, workers: int, scheduler=None, progress_stream=None) -> BuildSummary:
    """Render what changed into `site` and write its pages, holding the folder's lock throughout.

    Interrupted (Ctrl-C, SIGTERM): the lessons finished so far are in place with their pages and
    manifest entries; every other page stays as the previous build left it."""
    created = not os.path.isdir(site)
    try:
        os.makedirs(site, exist_ok=True)
    except OSError as e:
        raise OutputError(f"output-dir: cannot create '{site}': {explain(e)}") from None
    stream = progress_stream or sys.stderr
    summary = BuildSummary()
    try:
        with folder_lock(site):
            _build(course, site, workers, scheduler, stream, summary)
    except SpecError:  # bad input found before any lesson was written (an unreachable --scheduler)
        if created and not summary.rendered:
            shutil.rmtree(site, ignore_errors=True)
        raise
    return summary


def _build(course: Course, site: str, workers: int, scheduler, stream, summary: BuildSummary) -> None:
    old = read_manifest(site, stream)
    status: dict[str, dict] = {}
    todo = []
    for job in course.lessons:
        if _up_to_date(site, old.get(job.slug), job.key, job.slug):
            status[job.slug] = old[job.slug]
            summary.skipped.append(job.slug)
        else:
            todo.append(job)
    moved = _reuse(site, old, todo, status)
    summary.skipped += moved
    todo = [job for job in todo if job.slug not in moved]
    progress = Progress(len(todo), stream)
    try:
        for result in run_jobs(todo, workers, scheduler, done=progress):
            try:
                status[result.job.slug] = _store(site, result, old.get(result.job.slug), summary)
            except OutputError as e:  # its files could not be written: a failed lesson, its last build kept
                status[result.job.slug] = _failed(str(e), old.get(result.job.slug), summary, result.job.slug)
    except BaseException as e:  # Ctrl-C, a lost cluster: what finished is kept, every other page stays as it was
        progress.close()
        finished = [job for job in course.lessons if job.slug in summary.rendered or job.slug in moved]
        if finished:
            _write_site(course, site, {**old, **{j.slug: status[j.slug] for j in finished}}, pages_of=finished)
        e.written = (f"{len(finished)} finished lesson{'s' * (len(finished) != 1)} written, every other page as "
                     "it was") if finished else "the site is as it was"
        raise
    progress.close()
    _write_site(course, site, status, pages_of=course.lessons)
    _remove_old_lessons(site, old, course)


def _write_site(course: Course, site: str, status: dict[str, dict], pages_of: list) -> None:
    """The index (for a whole build), the pages of `pages_of`, and the manifest last."""
    pages = site_pages(course, status, site)
    slugs = {job.slug for job in pages_of}
    for name, html in pages.items():
        if name == "index.html" and len(slugs) < len(course.lessons) or \
                name != "index.html" and name.removesuffix(".html") not in slugs:
            continue
        write_atomic(os.path.join(site, name), html.encode("utf-8"))
    write_atomic(os.path.join(site, MANIFEST), json.dumps(status, indent=1, ensure_ascii=False).encode())


def _remove_old_lessons(site: str, old: dict, course: Course) -> None:
    """The pages and files of lessons the course no longer has: only those the manifest (checked by
    read_manifest) says this program wrote."""
    current = {job.slug for job in course.lessons}
    for slug, entry in old.items():
        if slug in current:
            continue
        for path in [os.path.join(site, f"{slug}.html")] + [os.path.join(site, "media", slug, n) for n in entry.get("files", [])]:
            try:
                os.remove(path)
            except OSError:
                pass
        try:
            os.rmdir(os.path.join(site, "media", slug))
        except OSError:
            pass  # something else is in it: not ours to remove


def _failed(reason: str, before: dict | None, summary: BuildSummary, slug: str) -> dict:
    summary.failed[slug] = reason
    kept = {k: v for k, v in (before or {}).items() if k in ("files", "transcript")}
    return {**kept, "key": "", "error": reason}


def _reuse(site: str, old: dict, todo: list, status: dict) -> list[str]:
    """Lessons whose key an old lesson of another folder has (a lesson inserted above renumbers the
    ones below): that lesson's files, hard-linked (or copied) into the new folder, all staged before
    any is moved, so folders that swap contents do not overwrite each other. Returns their slugs."""
    by_key = {entry["key"]: (slug, entry) for slug, entry in old.items()
              if _up_to_date(site, entry, entry.get("key"), slug)}
    found = [(job, *by_key[job.key]) for job in todo if job.key in by_key]
    if not found:
        return []
    moves, cleanup = [], []
    with private_folder(os.path.join(site, "media"), "partial") as work:
        for n, (job, slug, entry) in enumerate(found):
            for name in entry["files"]:
                staged = os.path.join(work, f"{n}-{name}")
                try:
                    os.link(os.path.join(site, "media", slug, name), staged)
                except OSError:
                    shutil.copy2(os.path.join(site, "media", slug, name), staged)
                moves.append((staged, os.path.join(media_dir(site, job), name)))
            cleanup += [os.path.join(media_dir(site, job), n) for n in old.get(job.slug, {}).get("files", [])
                        if n not in entry["files"]]
        for job, _, _ in found:
            os.makedirs(media_dir(site, job), exist_ok=True)
        move_all_into_place(moves)
    for path in cleanup:  # the files of what this folder held before, not the reused lesson's
        try:
            os.remove(path)
        except OSError:
            pass
    for job, _, entry in found:
        status[job.slug] = {"key": job.key, "files": entry["files"], "transcript": entry.get("transcript")}
    return [job.slug for job, _, _ in found]


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
