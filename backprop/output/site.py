"""The course site: static HTML, no script, no CDN. It opens from the file system or any web server.

`index.html` lists the lessons in order, each with its poster; a page per lesson plays its video with
captions and chapters tracks, and gives the transcript, the gradient table and the downloads.

The tracks are in the page as data: URLs: a browser treats every file: URL as its own origin and
refuses a track from another file, so a page opened from the disk would play without captions. The
.vtt files stay beside the video, as downloads.
"""

from __future__ import annotations

import base64
import os
from html import escape

from backprop.engine.labels import fmt
from backprop.engine.report import report_from_engine
from backprop.engine.spec import parse_spec
from backprop.output.course import Course, LessonJob

STYLE = """
body { font-family: "DejaVu Sans", system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #1d2430; background: #fff; line-height: 1.5; }
a { color: #0b5cad; } a:focus, video:focus { outline: 3px solid #e69f00; outline-offset: 2px; }
ol.lessons { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: 1rem; }
ol.lessons img { width: 100%; height: auto; border: 1px solid #c9d1dc; }
video { width: 100%; height: auto; background: #12161c; }
table { border-collapse: collapse; } th, td { padding: 0.2rem 0.6rem; border-bottom: 1px solid #dde2e8; text-align: right; }
th:first-child, td:first-child, th:nth-child(2), td:nth-child(2) { text-align: left; }
.failed { color: #a4262c; font-weight: bold; }
.transcript dt { font-variant-numeric: tabular-nums; color: #555; } .transcript dd { margin: 0 0 0.4rem 4.5rem; white-space: pre-line; }
"""

LABELS = {"mp4": "video (mp4)", "gif": "animation (gif)", "webm": "video (webm)", "png": "poster (png)",
          "srt": "subtitles (srt)", "vtt": "captions (WebVTT)", "html": "slides (html)", "json": "transcript (json)",
          "chapters.vtt": "chapters (WebVTT)"}


def label(name: str) -> str:
    """What a download is, by its name's ending (`x.chapters.vtt` is chapters, not captions)."""
    parts = name.split(".")
    for n in range(1, len(parts)):
        ending = ".".join(parts[n:])
        if ending in LABELS:
            return LABELS[ending]
    return name


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<link rel="icon" href="data:,">\n'  # no favicon.ico to ask a web server for
            f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


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
    items = []
    for job in course.lessons:
        entry = status.get(job.slug, {})
        media = f"media/{job.slug}/"
        roles = lesson_files(job, entry.get("files", []))
        poster = (f'<img src="{escape(media + roles["poster"])}" alt="Still of lesson {job.number}: {escape(job.title)}" '
                  f'width="854" height="480">' if "poster" in roles else "")
        failed = ' <span class="failed">(failed to render)</span>' if entry.get("error") else ""
        items.append(f'<li><a href="{escape(job.slug)}.html">{poster}<span>{job.number}. {escape(job.title)}</span></a>'
                     f"{failed}</li>")
    body = (f"<header><h1>{escape(course.title)}</h1></header>\n<main>\n<h2>Lessons</h2>\n"
            f'<ol class="lessons">\n' + "\n".join(items) + "\n</ol>\n</main>")
    return _page(course.title, body)


TRACKS = (("captions", 'srclang="en" label="English" default'), ("chapters", 'srclang="en" label="Chapters"'))


def track_src(folder: str, name: str) -> str | None:
    """A .vtt file as a data: URL, which a page opened from the disk may load (see the module's note);
    None if the file is gone (the page then plays without that track rather than failing the build)."""
    try:
        with open(os.path.join(folder, name), "rb") as f:
            return "data:text/vtt;base64," + base64.b64encode(f.read()).decode("ascii")
    except OSError:
        return None


def video_html(media: str, folder: str, roles: dict[str, str]) -> str:
    """The lesson's video with its poster, and its captions (on by default) and chapters tracks."""
    poster = f' poster="{escape(media + roles["poster"])}"' if "poster" in roles else ""
    tracks = ""
    for kind, attributes in TRACKS:
        src = track_src(folder, roles[kind]) if kind in roles else None
        if src:
            tracks += f'\n<track kind="{kind}" src="{src}" {attributes}>'
    video = escape(media + roles["mp4"])
    return (f'<video controls preload="metadata" width="854" height="480"{poster}>\n'
            f'<source src="{video}" type="video/mp4">{tracks}\n'
            f'<p>Your browser does not play this video: <a href="{video}">download it</a>.</p>\n</video>')


def lesson_page(course: Course, job: LessonJob, entry: dict, site: str) -> str:
    media = f"media/{job.slug}/"
    parts = [f'<nav><a href="index.html">{escape(course.title)}</a></nav>', f"<main>\n<h1>{escape(job.title)}</h1>"]
    if entry.get("error"):
        parts.append(f'<p class="failed">This lesson failed to render: {escape(entry["error"])}</p>')
    roles = lesson_files(job, entry.get("files", []))
    if "mp4" in roles:
        parts.append(video_html(media, media_dir(site, job), roles))
    if entry.get("transcript"):
        parts.append("<h2>Transcript</h2>\n" + transcript_html(entry["transcript"]))
    parts.append("<h2>Gradients</h2>\n" + gradient_table(job))
    if entry.get("files"):
        links = [f'<li><a href="{escape(media + name)}" download>{escape(label(name))}: '
                 f"{escape(name)}</a></li>" for name in sorted(entry["files"])]
        parts.append("<h2>Downloads</h2>\n<ul>\n" + "\n".join(links) + "\n</ul>")
    return _page(f"{job.title} — {course.title}", "\n".join(parts) + "\n</main>")


def transcript_html(data: dict) -> str:
    """The captions and cards in order of appearance: each text once, at the time it first shows."""
    rows, seen = [], set()
    for item in sorted(data["items"], key=lambda i: i["start"]):
        text = item["text"].strip()
        if not text or (text, item["role"]) in seen or item["role"] in ("value", "weight", "badge", "legend"):
            continue
        seen.add((text, item["role"]))
        minutes, seconds = divmod(int(item["start"]), 60)
        rows.append(f"<dt>{minutes}:{seconds:02d}</dt><dd>{escape(text)}</dd>")
    return '<dl class="transcript">\n' + "\n".join(rows) + "\n</dl>"


def gradient_table(job: LessonJob) -> str:
    report = report_from_engine(parse_spec(job.spec), limit=60)
    head = ("<tr><th scope=\"col\">parameter</th><th scope=\"col\">path</th><th scope=\"col\">value</th>"
            "<th scope=\"col\">gradient</th><th scope=\"col\">updated</th></tr>")
    rows = [f"<tr><td>{escape(r.symbol)}</td><td>{escape(r.path)}</td><td>{escape(fmt(r.value))}</td>"
            f"<td>{escape(fmt(r.gradient, plus=True))}</td><td>{escape(fmt(r.updated))}</td></tr>" for r in report.rows]
    note = (f"<p>The {len(report.rows)} largest gradients of {report.total} parameters.</p>"
            if report.left_out else "")
    return (f"<p>Loss L = {escape(fmt(report.loss, 4))}; learning rate {escape(fmt(report.learning_rate))}.</p>\n"
            f"<table>\n<caption>Every gradient from one backward pass</caption>\n<thead>{head}</thead>\n<tbody>\n"
            + "\n".join(rows) + "\n</tbody>\n</table>" + note)


def site_pages(course: Course, status: dict[str, dict], site: str) -> dict[str, str]:
    """Every page's file name and HTML (the lessons' tracks are read from their files under `site`)."""
    pages = {"index.html": index_page(course, status)}
    for job in course.lessons:
        pages[f"{job.slug}.html"] = lesson_page(course, job, status.get(job.slug, {}), site)
    return pages


def media_dir(site: str, job: LessonJob) -> str:
    return os.path.join(site, "media", job.slug)
