"""A course's test fixtures, shared by the course, site and safety tests: a course file written to a
folder, a runner that renders nothing, the files a failed writer leaves, a page checked as strict HTML5."""

import dataclasses
import json
import os
import re
import textwrap

import html5lib

from backprop.output.course import build
from backprop.output.course.runner import JobResult


CHAIN = {"name": "chain", "inputs": [[0.5]], "targets": [[1.0]], "loss": "mse",
         "layers": [{"units": 1, "activation": "tanh", "weights": [[0.8]], "bias": [0.1]},
                    {"units": 1, "activation": "sigmoid", "weights": [[1.5]], "bias": [0.0]}]}


def write_course(folder, lessons: str, head: str = 'title = "Week 3"\nquality = "low"\n'):
    (folder / "nets").mkdir(exist_ok=True)
    (folder / "nets" / "chain.json").write_text(json.dumps(CHAIN))
    path = folder / "course.toml"
    path.write_text(head + textwrap.dedent(lessons))
    return str(path)


def leftovers(site) -> list[str]:
    """Temporary files and folders our writers leave if they fail half-way: `.partial-<pid>-…` and
    `.render-<pid>-…` (every name we write that starts with a dot, but for the manifest)."""
    found = []
    for folder, dirs, names in os.walk(site):
        for name in dirs + names:
            path = os.path.relpath(os.path.join(folder, name), site)
            if name.startswith(".") and path != build.MANIFEST:
                found.append(path)
    return found


def parse(html: str):
    """The page parsed strictly (html5lib raises on the first parse error), as an ElementTree."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)


def check_page(html: str):
    """A valid HTML5 page in a language, its script inline, nothing fetched from another host."""
    tree = parse(html)
    assert tree.get("lang") == "en"
    assert all(script.get("src") is None for script in tree.iter("script"))
    for element in tree.iter():
        for attribute in ("src", "href", "poster", "data"):
            value = element.get(attribute, "")
            assert not re.match(r"(https?:)?//", value.strip(), re.I), (element.tag, attribute, value)
    return tree


def text_of(element) -> str:
    return "".join(element.itertext()).strip()


def fake_runner(content: bytes):
    """A run_jobs that renders nothing: each lesson's files say `content` and their name."""
    def run_jobs(jobs, workers, scheduler=None, done=lambda r: None):
        for job in jobs:
            stem = f"title-{job.spec.get('name', 'seed')}"
            names = [f"{stem}.srt", f"{stem}.vtt", f"{stem}.chapters.vtt", f"{stem}.mp4"]  # the mp4 last
            files = {n: (b"WEBVTT\n\n" if n.endswith(".vtt") else b"") + content + b" " + n.encode() for n in names}
            result = JobResult(job, files, {"items": []}, worker="here")
            done(result)
            yield result
    return run_jobs


def course_with_a_spoiled_lesson(tmp_path, monkeypatch) -> str:
    """Two title lessons; the second's theme has a colour manim cannot read, as if its theme file
    changed after the course was checked (read_course hands the spoiled job on)."""
    from backprop.output.course import lessons as course_module
    checked = course_module.read_course

    def read_then_spoil(path):
        parsed = checked(path)
        bad = dataclasses.replace(parsed.lessons[1], theme=dataclasses.replace(parsed.lessons[1].theme, text="mauvish"))
        return dataclasses.replace(parsed, lessons=[parsed.lessons[0], bad])

    monkeypatch.setattr(course_module, "read_course", read_then_spoil)
    return write_course(tmp_path, '[[lesson]]\nscene = "title"\nnetwork = "seed"\n\n'
                                  '[[lesson]]\nscene = "title"\nnetwork = "nets/chain.json"\n')
