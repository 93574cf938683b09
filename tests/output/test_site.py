"""The course site's pages written from a course and its lessons' files (no render): chapters and
transcript times as links into the video, the lessons around each page, the gradient table as the video
writes it. The browser tests (tests/output/test_course.py) click them."""

import re
import socket

import pytest

from backprop.output.course.lessons import read_course
from backprop.output.course.site import site_pages
from tests.helpers import run_cli as run
from tests.output.courses import check_page, text_of

COURSE = """title = "Week <3>"
quality = "low"
[[lesson]]
scene = "title"
network = "seed"
[[lesson]]
scene = "backward"
network = "seed"
title = "Backward & forward"
[[lesson]]
scene = "title"
network = "branching"
"""

CHAPTERS = "WEBVTT\n\n00:00.000 --> 00:02.500\nTitle\n\n00:02.500 --> 01:05.250\nForward &amp; <b>back</b>\n\n01:05.250 --> 01:10.000\nBackward\n"


@pytest.fixture
def pages(tmp_path):
    (tmp_path / "course.toml").write_text(COURSE)
    course = read_course(str(tmp_path / "course.toml"))
    status = {}
    for job in course.lessons:
        media = tmp_path / "site" / "media" / job.slug
        media.mkdir(parents=True)
        (media / "a.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n")
        (media / "a.chapters.vtt").write_text(CHAPTERS if job.number != 3 else "not WebVTT at all")
        status[job.slug] = {"files": ["a.mp4", "a.vtt", "a.chapters.vtt", "a.poster.png", "transcript.json"],
                            "transcript": {"items": [{"start": 0.25, "role": "caption", "text": "Backpropagation"},
                                                     {"start": 66.5, "role": "card", "text": "∂L/∂y = y − t"}]}}
    return course, site_pages(course, status, str(tmp_path / "site"))


def test_chapters_are_links_that_seek_the_video_and_open_it_at_their_time_without_script(pages):
    course, html = pages
    tree = check_page(html["01-title-seed.html"])
    links = tree.find(".//ol[@class='chapters']").iter("a")
    assert [(text_of(a), a.get("data-start"), a.get("href")) for a in links] == [
        ("0:00 Title", "0.0", "media/01-title-seed/a.mp4#t=0.0"),
        ("0:02 Forward & back", "2.5", "media/01-title-seed/a.mp4#t=2.5"),
        ("1:05 Backward", "65.25", "media/01-title-seed/a.mp4#t=65.25")]
    times = [(text_of(a), a.get("data-start")) for a in tree.find(".//dl[@class='transcript']").iter("a")]
    assert times == [("0:00", "0.25"), ("1:06", "66.5")]
    script = "".join(text_of(s) for s in tree.iter("script"))
    assert "currentTime" in script and "aria-current" in script  # seeks, and marks what plays


def test_a_chapters_file_that_is_not_webvtt_leaves_out_the_list_not_the_page(pages):
    course, html = pages
    tree = check_page(html["03-title-branching.html"])
    assert tree.find(".//ol[@class='chapters']") is None and tree.find(".//video") is not None


def test_every_lesson_links_the_lessons_before_and_after_it(pages):
    course, html = pages
    around = []
    for job in course.lessons:
        nav = check_page(html[f"{job.slug}.html"]).find(".//nav[@class='lessons-around']")
        around.append({a.get("rel"): (a.get("href"), text_of(a)) for a in nav.iter("a")})
    assert around == [{"next": ("02-backward-seed.html", "2. Backward & forward →")},
                      {"prev": ("01-title-seed.html", "← 1. title on seed"),
                       "next": ("03-title-branching.html", "3. title on branching →")},
                      {"prev": ("02-backward-seed.html", "← 2. Backward & forward")}]


def test_the_gradient_table_writes_the_numbers_as_the_video_does(pages):
    """The lesson's worked update (backprop-lesson.md): w₁₂ = 0.3, ∂L/∂w₁₂ = −0.045, and
    0.3 − 0.1 × (−0.045) = 0.3045, four decimals as the update card shows it, not 0.304."""
    course, html = pages
    tree = check_page(html["01-title-seed.html"])
    rows = {text_of(tr.find("td")): [text_of(td) for td in tr.findall("td")] for tr in tree.iter("tr") if tr.find("td") is not None}
    assert rows["W₁[1,2]"] == ["W₁[1,2]", "x₂ → h₁", "0.3", "−0.045", "0.3045"]
    assert re.search(r"Loss L = 0\.0764; learning rate 0\.1\.", "".join(tree.itertext()))


@pytest.mark.parametrize("args, field", [
    (["--port", "70000"], "Invalid value for '--port'"),
    (["--port", "x"], "Invalid value for '--port'"),
])
def test_serve_checks_its_port(capsys, tmp_path, args, field):
    (tmp_path / "index.html").write_text("<!DOCTYPE html>")
    code, out, err = run(capsys, "serve", str(tmp_path), *args)
    assert code == 2 and err.startswith(f"backprop: {field}") and err.count("\n") == 1


def test_serve_needs_a_course_site(capsys, tmp_path):
    code, out, err = run(capsys, "serve", str(tmp_path / "nowhere"))
    assert code == 2 and err.startswith("backprop: site: ") and "index.html" in err and err.count("\n") == 1
    assert not (tmp_path / "nowhere").exists()


def test_serve_on_a_taken_port_is_one_line(capsys, tmp_path):
    (tmp_path / "index.html").write_text("<!DOCTYPE html>")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = run(capsys, "serve", str(tmp_path), "--port", str(port))
    assert code == 2 and err.startswith(f"backprop: port: cannot listen on 127.0.0.1:{port}") and err.count("\n") == 1
