"""A course file (TOML, data only) → the lessons to render, each a self-contained job.

A job carries everything its render needs (the spec's content, the theme's values), never a path: a
worker on another machine needs no shared file system. Its key names its inputs (scene, spec, theme,
quality, formats, versions), so a lesson whose key is unchanged since the last build is skipped.
"""

from __future__ import annotations

import dataclasses
import os
import shlex
import unicodedata
from dataclasses import dataclass, field

from backprop.engine.presets import PRESETS
from backprop.engine.spec import SpecError, parse_spec, read_spec_file, suggest
from backprop.language import SOURCE, LanguageError, check_language
from backprop.output.render.files import safe_name
from backprop.output.render.keys import inputs_key
from backprop.scenes.catalog import SCENES, cannot_play
from backprop.story.frame import QUALITIES
from backprop.story.theme import THEMES, Theme, load_theme

FORMATS = ("mp4", "gif", "webm", "slides")  # downloads besides the mp4 every lesson page plays
COURSE_FIELDS = {"title", "quality", "theme", "formats", "language", "lesson"}
LESSON_FIELDS = {"scene", "network", "theme", "quality", "title", "formats", "language"}
MAX_LESSONS = 500


@dataclass(frozen=True)
class LessonJob:
    number: int  # 1-based, the course's order
    slug: str  # folder and page name: 01-backward-seed
    title: str
    scene: str
    network: str  # as the course file names it (a preset, or a path relative to the course file)
    network_path: str  # the preset name or the absolute path: what `backprop render --network` takes
    spec: dict  # the spec's content: what the worker builds the network from
    theme: Theme
    theme_source: str  # a theme name or an absolute path, for --plan
    quality: str
    formats: tuple[str, ...]  # mp4 first
    language: str = SOURCE  # what its captions, cards and narration say (backprop.language)
    key: str = field(default="", compare=False)
    page: bool = True  # a course page's poster and transcript too (an exercise's solution needs neither)


@dataclass(frozen=True)
class Course:
    title: str
    lessons: list[LessonJob]
    language: str = SOURCE  # the index page's (each lesson page follows its lesson's)


def _text(value, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SpecError(where, f"expected a non-empty string, got {type(value).__name__}")
    return value


def _choice(value, where: str, choices) -> str:
    if value not in choices:
        raise SpecError(where, f"unknown '{value}'{suggest(str(value), choices)}; expected one of {', '.join(choices)}")
    return value


def _formats(value, where: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise SpecError(where, "expected a list of formats, like [\"gif\"]")
    chosen = [_choice(v, f"{where}[{i}]", FORMATS) for i, v in enumerate(value)]
    if "slides" in chosen:  # before anything renders: the extra and reveal.js for offline slides
        from backprop.output.material.slides import check_revealjs, require_manim_slides
        from backprop.output.render.files import OutputError

        try:
            require_manim_slides()
            check_revealjs()
        except OutputError as e:
            raise SpecError(where, str(e)) from None
    return ("mp4",) + tuple(f for f in FORMATS[1:] if f in chosen)


def _theme(value, where: str, base: str) -> tuple[Theme, str]:
    name = _path_text(value, where)
    if name in THEMES:
        return THEMES[name], name
    path = os.path.join(base, name)
    if not (name.endswith((".json", ".toml")) or os.path.exists(path)):
        raise SpecError(where, f"no theme named '{name}'{suggest(name, THEMES)}; themes: {', '.join(THEMES)}, "
                               "or a theme file")
    try:
        return load_theme(path), os.path.abspath(path)
    except SpecError as e:
        raise SpecError(f"{where}: {e.field}", e.message) from None


def _language(value, where: str) -> str:
    try:
        return check_language(_text(value, where).strip())
    except LanguageError as e:
        raise SpecError(where, str(e)) from None


def _path_text(value, where: str) -> str:
    """A file's name as the course file gives it: text without control characters (a NUL cannot name
    a file; a newline would split a --plan line)."""
    text = _text(value, where)
    if any(unicodedata.category(c) == "Cc" for c in text):
        raise SpecError(where, f"a file name with a control character ({next(c for c in text if unicodedata.category(c) == 'Cc')!r})")
    return text


def _network(value, where: str, base: str, read: dict) -> tuple[dict, object, str]:
    """The spec, its parsed network and the path `backprop render --network` takes; a file read and
    parsed once however many lessons name it (`read`: path → (spec, network))."""
    source = _path_text(value, where)
    path = source if source in PRESETS else os.path.abspath(os.path.join(base, source))
    if path not in read:
        if source in PRESETS:
            spec = PRESETS[source]
        else:
            try:
                spec = read_spec_file(path, field=where)
            except SpecError:
                if not os.path.lexists(path):
                    raise SpecError(where, f"no preset or file named '{source}'{suggest(source, PRESETS)}") from None
                raise
        try:
            read[path] = spec, parse_spec(spec)
        except SpecError as e:
            raise SpecError(f"{where}: {e.field}", e.message) from None
    return (*read[path], path)


def read_course(path: str) -> Course:
    """Read and check a course file: every problem is one SpecError naming its field (`lesson[2].scene`)."""
    data = read_spec_file(path, field="course")
    if not isinstance(data, dict):
        raise SpecError("course", "expected a table of fields")
    for key in data:
        if key not in COURSE_FIELDS:
            raise SpecError(key, f"unknown field{suggest(key, COURSE_FIELDS)}; fields: {', '.join(sorted(COURSE_FIELDS))}")
    base = os.path.dirname(os.path.abspath(path))
    if "title" not in data:
        raise SpecError("title", "missing (the course's title, shown on its index page)")
    title = _text(data["title"], "title")
    quality = _choice(data.get("quality", "low"), "quality", QUALITIES)
    theme = _theme(data.get("theme", "dark"), "theme", base)
    formats = _formats(data.get("formats", []), "formats")
    language = _language(data.get("language", SOURCE), "language")
    raw = data.get("lesson")
    if not isinstance(raw, list) or not raw:
        raise SpecError("lesson", "missing: add lessons as [[lesson]] tables with a scene and a network")
    if len(raw) > MAX_LESSONS:
        raise SpecError("lesson", f"at most {MAX_LESSONS} lessons, got {len(raw)}")
    lessons, read = [], {}
    for n, lesson in enumerate(raw, start=1):
        where = f"lesson[{n}]"
        if not isinstance(lesson, dict):
            raise SpecError(where, "expected a table with scene and network")
        for key in lesson:
            if key not in LESSON_FIELDS:
                raise SpecError(f"{where}.{key}", f"unknown field{suggest(key, LESSON_FIELDS)}")
        scene = _choice(_text(lesson.get("scene"), f"{where}.scene"), f"{where}.scene", SCENES)
        network = lesson.get("network", SCENES[scene].network)
        spec, net, network_path = _network(network, f"{where}.network", base, read)
        reason = cannot_play(scene, net)
        if reason:
            raise SpecError(f"{where}.network", reason)
        lesson_theme = _theme(lesson["theme"], f"{where}.theme", base) if "theme" in lesson else theme
        job = LessonJob(
            number=n, slug=f"{n:02d}-{safe_name(scene)}-{safe_name(net.name)}",
            title=_text(lesson["title"], f"{where}.title") if "title" in lesson else f"{scene} on {net.name}",
            scene=scene, network=str(network), network_path=network_path, spec=spec,
            theme=lesson_theme[0], theme_source=lesson_theme[1],
            quality=_choice(lesson.get("quality", quality), f"{where}.quality", QUALITIES),
            formats=_formats(lesson["formats"], f"{where}.formats") if "formats" in lesson else formats,
            language=_language(lesson["language"], f"{where}.language") if "language" in lesson else language)
        lessons.append(dataclasses.replace(job, key=job_key(job)))
    return Course(title=title, lessons=lessons, language=language)


def _plain(arg: str, where: str) -> None:
    if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in arg):
        raise SpecError(where, f"'{arg.encode('unicode_escape').decode()[:120]}' has a control character (a newline "
                               "would split its --plan line in two); rename it")


def job_key(job: LessonJob) -> str:
    """What the lesson's files depend on: a change in any of these (or in this package) renders it again."""
    return inputs_key(job.scene, job.spec, job.theme, job.quality, job.formats, job.page, job.language)


def plan_commands(course: Course, site: str) -> list[str]:
    """One standalone shell command per lesson (and download format): a Slurm array or GNU parallel
    runs the list as it is, a line each. Every argument is shell-quoted; one with a control character
    (a newline would split a command in two) is refused, naming where it came from."""
    _plain(os.path.abspath(site), "output-dir")
    for job in course.lessons:
        _plain(job.network_path, f"lesson[{job.number}].network")
        _plain(job.theme_source, f"lesson[{job.number}].theme")
    lines = []
    for job in course.lessons:
        out = os.path.join(os.path.abspath(site), "media", job.slug)
        theme = [] if job.theme_source == "dark" else ["--theme", job.theme_source]
        theme += [] if job.language == SOURCE else ["--language", job.language]
        for fmt in job.formats:
            if fmt == "slides":
                lines.append(shlex.join(["backprop", "slides", job.scene, "--network", job.network_path,
                                         "--quality", job.quality, *theme, "--output-dir", out]))
                continue
            poster = ["--poster"] if fmt == "mp4" else []
            lines.append(shlex.join(["backprop", "render", job.scene, "--network", job.network_path,
                                     "--quality", job.quality, "--format", fmt, *poster, *theme, "--output-dir", out]))
    return lines
