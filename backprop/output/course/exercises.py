"""`backprop exercises`: a folder per student with their network, worksheet, answer key and solution video.

Networks come from backprop.engine.exercises (deterministic in course seed and student id); the
solution videos render through the course runner (this machine's cores or a Dask cluster).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import sys
from dataclasses import dataclass

from backprop.engine.exercises import exercise_spec
from backprop.engine.report import gradients_document
from backprop.engine.spec import SpecError, parse_spec, read_regular_file, read_spec_file
from backprop.output.course.gradebook import answers_csv, moodle_xml, students_csv
from backprop.output.course.lessons import LessonJob, job_key
from backprop.output.course.runner import Progress, run_jobs
from backprop.output.course.worksheets import sheet
from backprop.output.render.files import OutputError, explain, folder_lock, is_plain_name, safe_name, write_atomic
from backprop.story.theme import Theme

MAX_STUDENTS = 5000
MAX_ROSTER_BYTES = 10 * 2**20
MAX_ID = 191  # characters: its network is named exercise-ID, and a name has at most 200
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"{p}{d}" for p in ("COM", "LPT") for d in range(1, 10))}
MANIFEST = ".backprop-exercises.json"


@dataclass
class Student:
    id: str  # as the roster writes it
    folder: str  # sanitised for a folder name


def read_roster(path: str) -> list[Student]:
    """A CSV with an `id` column (other columns ignored), at most 10 MiB, a regular file (a FIFO would
    wait for ever). Ids become folder names that differ on any file system (ids equal but for case,
    and names Windows reserves, get a short hash of the id); two equal ids (or two that sanitise to
    one folder) are an error, as is an empty id."""
    raw = read_regular_file(path, "roster", MAX_ROSTER_BYTES, "save the roster to a file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise SpecError("roster", f"'{path}' is not UTF-8 text (byte {e.start})") from None
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows = list(reader)
    except csv.Error as e:
        raise SpecError("roster", f"'{path}' is not valid CSV: {e}") from None
    if not reader.fieldnames or "id" not in reader.fieldnames:
        raise SpecError("roster", f"'{path}' needs a header row with an 'id' column")
    if not rows:
        raise SpecError("roster", f"'{path}' has its header row but no students")
    if len(rows) > MAX_STUDENTS:
        raise SpecError("roster", f"at most {MAX_STUDENTS} students, got {len(rows)}")
    students, seen, folded = [], {}, set()
    for n, row in enumerate(rows, start=2):  # line 1 is the header
        sid = (row.get("id") or "").strip()
        if not sid:
            raise SpecError(f"roster line {n}: id", "empty")
        if len(sid) > MAX_ID:
            raise SpecError(f"roster line {n}: id", f"at most {MAX_ID} characters, got {len(sid)}")
        folder = safe_name(sid)
        if folder in seen:
            raise SpecError(f"roster line {n}: id", f"'{sid}' repeats line {seen[folder][0]} ('{seen[folder][1]}')")
        seen[folder] = (n, sid)
        if folder.casefold() in folded or folder.split(".")[0].upper() in WINDOWS_RESERVED:
            stem, dot, rest = folder.partition(".")  # Windows reserves NUL.txt too: the hash goes in the stem
            folder = f"{stem}-{hashlib.sha256(sid.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}{dot}{rest}"
        folded.add(folder.casefold())
        students.append(Student(sid, folder))
    return students


def build_exercises(students: list[Student], course_seed: str, sizes: list[int], out: str, dead: bool = False,
                    videos: bool = True, workers: int = 1, scheduler: str | None = None, quality: str = "low",
                    progress_stream=None) -> dict[str, str]:
    """Write every student's folder; returns the students whose solution failed to render (id → why)."""
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as e:
        raise OutputError(f"output-dir: cannot create '{out}': {explain(e)}") from None
    with folder_lock(out):
        return _build(students, course_seed, sizes, out, dead, videos, workers, scheduler, quality, progress_stream)


def _build(students, course_seed, sizes, out, dead, videos, workers, scheduler, quality, progress_stream):
    taken: set = set()
    specs = {s.folder: exercise_spec(course_seed, s.id, sizes, dead=dead, taken=taken) for s in students}
    nets = {}
    for s in students:
        spec = specs[s.folder]
        net = nets[s.folder] = parse_spec(spec)
        folder = os.path.join(out, s.folder)
        os.makedirs(folder, exist_ok=True)
        write_atomic(os.path.join(folder, "network.json"), (json.dumps(spec, indent=2) + "\n").encode())
        write_atomic(os.path.join(folder, "worksheet.html"), sheet(net, s.id, answers=False).encode())
        write_atomic(os.path.join(folder, "answers.html"),
                     sheet(net, s.id, answers=True, video="solution.mp4" if videos else None).encode())
        write_atomic(os.path.join(folder, "answers.json"), (json.dumps(gradients_document(net), indent=2) + "\n").encode())
    write_atomic(os.path.join(out, "students.csv"), students_csv(students))
    write_atomic(os.path.join(out, "answers.csv"), answers_csv(students, nets))
    write_atomic(os.path.join(out, "moodle.xml"), moodle_xml(students, nets, course_seed))
    if not videos:
        return {}
    return _solutions(students, specs, out, workers, scheduler, quality, progress_stream)


def read_manifest(out: str, stream) -> dict[str, str]:
    """Each student folder's solution key from the last run, checked like user input: any doubt and
    every solution is rendered again, said once."""
    path = os.path.join(out, MANIFEST)
    if not os.path.lexists(path):
        return {}
    try:
        data = read_spec_file(path, field=MANIFEST)
        if not isinstance(data, dict) or not all(is_plain_name(k) and isinstance(v, str) for k, v in data.items()):
            raise SpecError("manifest", "expected an object of student folders and keys")
    except SpecError as e:
        print(f"backprop: {path}: {e.field}: {e.message}; rendering every solution again", file=stream, flush=True)
        return {}
    return data


def _solutions(students, specs, out, workers, scheduler, quality, progress_stream) -> dict[str, str]:
    done_before = read_manifest(out, progress_stream or sys.stderr)
    jobs = {}
    for s in students:
        job = LessonJob(number=0, slug=s.folder, title=f"solution for {s.id}", scene="backward", network=s.folder,
                        network_path=os.path.join(out, s.folder, "network.json"), spec=specs[s.folder],
                        theme=Theme(), theme_source="dark", quality=quality, formats=("mp4",), page=False)
        key = job_key(job)
        if done_before.get(s.folder) == key and os.path.isfile(os.path.join(out, s.folder, "solution.mp4")):
            continue
        jobs[s.folder] = LessonJob(**{**job.__dict__, "key": key})
    failed = {}
    progress = Progress(len(jobs), progress_stream)
    manifest = {k: v for k, v in done_before.items() if k not in jobs}
    try:
        for result in run_jobs(list(jobs.values()), workers, scheduler, done=progress):
            folder = result.job.slug
            if result.error:
                failed[folder] = result.error
                continue
            stem = f"{safe_name('backward')}-{safe_name(result.job.spec['name'])}"  # as render_scene names it
            for name, data in result.files.items():
                write_atomic(os.path.join(out, folder, "solution" + name.removeprefix(stem)), data)
            manifest[folder] = result.job.key
    finally:
        progress.close()
        write_atomic(os.path.join(out, MANIFEST), json.dumps(manifest, indent=1).encode())
    return failed
