"""The course site: static HTML, no CDN. It opens from the file system or any web server that answers
byte ranges (a video seeks through them; `backprop serve` previews a site so).

`index.html` lists the lessons in order, each with its poster; a page per lesson plays its video with
captions and chapters tracks, and gives its chapters, the transcript (each time a link that seeks the
video), the gradient table as the video writes it, the downloads and the previous and next lessons.
One inline script makes the links seek and marks the chapter and line playing; without it each link
opens the video file at its time (a media fragment, `#t=12.5`).

The tracks are in the page as data: URLs: a browser treats every file: URL as its own origin and
refuses a track from another file, so a page opened from the disk would play without captions. The
.vtt files stay beside the video, as downloads.
"""

from __future__ import annotations

import base64
import html
import os

import webvtt

from backprop.engine.report import report_from_engine
from backprop.engine.spec import parse_spec
from backprop.language import N_, _, speaking
from backprop.output.course.lessons import Course, LessonJob
from backprop.output.material.pages import render
from backprop.story.texts import grad_text, loss_text, updated_text, value_text

LABELS = {"mp4": N_("video (mp4)"), "gif": N_("animation (gif)"), "webm": N_("video (webm)"),
          "png": N_("poster (png)"), "srt": N_("subtitles (srt)"), "vtt": N_("captions (WebVTT)"),
          "html": N_("slides (html)"), "json": N_("transcript (json)"), "chapters.vtt": N_("chapters (WebVTT)")}


def label(name: str) -> str:
    """What a download is, by its name's ending (`x.chapters.vtt` is chapters, not captions)."""
    parts = name.split(".")
    for n in range(1, len(parts)):
        ending = ".".join(parts[n:])
        if ending in LABELS:
            return _(LABELS[ending])
    return name


def lesson_files(job: LessonJob, names: list[str]) -> dict[str, str]:
    """Which of a lesson's files plays what: video, poster, captions, chapters, subtitles."""
    roles = {}
    for name in sorted(names):
        if name.endswith(".chapters.vtt"):
            roles["chapters"] = name
        elif name.endswith(".poster.png"):
            roles["poster"] = name
        elif name.endswith(".vtt"):
            roles["captions"] = name
        else:
            roles.setdefault(name.rsplit(".", 1)[-1], name)
    return roles


def index_page(course: Course, status: dict[str, dict]) -> str:
    lessons = []
    for job in course.lessons:
        entry = status.get(job.slug, {})
        roles = lesson_files(job, entry.get("files", []))
        lessons.append({"job": job, "failed": bool(entry.get("error")),
                        "poster": f"media/{job.slug}/{roles['poster']}" if "poster" in roles else None})
    with speaking(course.language):
        return render("index.html", course=course, lessons=lessons)


TRACKS = (("captions", "English", True), ("chapters", "Chapters", False))


def track_src(folder: str, name: str) -> str | None:
    """A .vtt file as a data: URL, which a page opened from the disk may load (see the module's note);
    None if the file is gone (the page then plays without that track rather than failing the build)."""
    try:
        with open(os.path.join(folder, name), "rb") as f:
            return "data:text/vtt;base64," + base64.b64encode(f.read()).decode("ascii")
    except OSError:
        return None


def video(media: str, folder: str, roles: dict[str, str]) -> dict:
    """The lesson's video with its poster, and its captions (on by default) and chapters tracks."""
    tracks = []
    for kind, name, default in TRACKS:
        src = track_src(folder, roles[kind]) if kind in roles else None
        if src:
            tracks.append({"kind": kind, "src": src, "label": name, "default": default})
    return {"src": media + roles["mp4"], "poster": media + roles["poster"] if "poster" in roles else None,
            "tracks": tracks}


def chapters(folder: str, name: str | None) -> list[dict]:
    """The chapters file's cues (title and start), read back and checked; none if it is gone or not
    WebVTT (the page then lists no chapters rather than failing the build)."""
    if not name:
        return []
    try:
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            cues = webvtt.from_string(f.read(2**20)).captions
    except (OSError, webvtt.errors.MalformedFileError, webvtt.errors.MalformedCaptionError, UnicodeDecodeError):
        return []
    # cue text is tag-free (webvtt-py drops tags) but keeps WebVTT's escapes (&amp; &lt;): unescaped here,
    # escaped again by the template
    return [{"start": round(seconds(cue.start), 3), "title": html.unescape(cue.text).strip()}
            for cue in cues if cue.text.strip()]


def seconds(stamp: str) -> float:
    """A WebVTT time (`01:02.500` or `00:01:02.500`) in seconds."""
    total = 0.0
    for part in stamp.split(":"):
        total = total * 60 + float(part)
    return total


def clock(t: float) -> str:
    minutes, secs = divmod(int(t), 60)
    return f"{minutes}:{secs:02d}"


def lesson_page(course: Course, job: LessonJob, entry: dict, site: str) -> str:
    """The lesson's page, its words in the lesson's language."""
    with speaking(job.language):
        return _lesson_page(course, job, entry, site)


def _lesson_page(course: Course, job: LessonJob, entry: dict, site: str) -> str:
    media = f"media/{job.slug}/"
    roles = lesson_files(job, entry.get("files", []))
    downloads = [{"href": media + name, "label": label(name), "name": name} for name in sorted(entry.get("files", []))]
    lessons = course.lessons
    at = lessons.index(job)
    return render("lesson.html", course=course, job=job, error=entry.get("error"), clock=clock,
                  video=video(media, media_dir(site, job), roles) if "mp4" in roles else None,
                  chapters=chapters(media_dir(site, job), roles.get("chapters")) if "mp4" in roles else [],
                  transcript=transcript_lines(entry["transcript"]) if entry.get("transcript") else [],
                  table=gradient_table(job), downloads=downloads,
                  previous=lessons[at - 1] if at > 0 else None, next=lessons[at + 1] if at + 1 < len(lessons) else None)


def transcript_lines(data: dict) -> list[dict]:
    """The captions and cards in order of appearance: each text once, at the time it first shows."""
    lines, seen = [], set()
    for item in sorted(data["items"], key=lambda i: i["start"]):
        text = item["text"].strip()
        if not text or (text, item["role"]) in seen or item["role"] in ("value", "weight", "badge", "legend"):
            continue
        seen.add((text, item["role"]))
        lines.append({"start": round(float(item["start"]), 3), "text": text})
    return lines


def gradient_table(job: LessonJob) -> dict:
    """Every row as the video's closing table and update cards write it (0.3, +0.045, 0.3045)."""
    report = report_from_engine(parse_spec(job.spec), limit=60)
    rows = [[r.symbol, r.path, value_text(r.value), grad_text(r.gradient), updated_text(r.updated)] for r in report.rows]
    return {"loss": loss_text(report.loss), "learning_rate": value_text(report.learning_rate), "rows": rows,
            "left_out": report.left_out, "total": report.total}


def site_pages(course: Course, status: dict[str, dict], site: str) -> dict[str, str]:
    """Every page's file name and HTML (the lessons' tracks are read from their files under `site`)."""
    pages = {"index.html": index_page(course, status)}
    for job in course.lessons:
        pages[f"{job.slug}.html"] = lesson_page(course, job, status.get(job.slug, {}), site)
    return pages


def media_dir(site: str, job: LessonJob) -> str:
    return os.path.join(site, "media", job.slug)
