"""`backprop course`: a course file → an offline site, rendered on worker processes, skipping what is
unchanged, isolating what fails; and `--plan`, a standalone command per job."""

import io
import json
import os
import shlex
import shutil
import subprocess
import sys
import textwrap

import av
import webvtt
import numpy as np
import pytest

from backprop.output import build
from backprop.output.course import read_course
from backprop.output.runner import JobResult, render_lesson
from tests.helpers import run_cli as run

CHAIN = {"name": "chain", "inputs": [[0.5]], "targets": [[1.0]], "loss": "mse",
         "layers": [{"units": 1, "activation": "tanh", "weights": [[0.8]], "bias": [0.1]},
                    {"units": 1, "activation": "sigmoid", "weights": [[1.5]], "bias": [0.0]}]}


def write_course(folder, lessons: str, head: str = 'title = "Week 3"\nquality = "low"\n'):
    (folder / "nets").mkdir(exist_ok=True)
    (folder / "nets" / "chain.json").write_text(json.dumps(CHAIN))
    path = folder / "course.toml"
    path.write_text(head + textwrap.dedent(lessons))
    return str(path)


THREE = """
[[lesson]]
scene = "title"
network = "seed"
formats = ["slides"]

[[lesson]]
scene = "title"
network = "nets/chain.json"
title = "A chain of two units"

[[lesson]]
scene = "title"
network = "branching"
"""


def files_under(folder):
    return sorted(os.path.relpath(os.path.join(d, f), folder) for d, _, fs in os.walk(folder) for f in fs)


@pytest.mark.parametrize("lessons, head, field", [
    ('[[lesson]]\nscene = "backwards"\n', None, "lesson[1].scene: unknown 'backwards' (did you mean 'backward'?)"),
    ('[[lesson]]\nscene = "title"\nnetwork = "nets/none.json"\n', None, "lesson[1].network: no preset or file"),
    ('[[lesson]]\nscene = "title"\nnetwork = "seed"\ncolour = "red"\n', None, "lesson[1].colour: unknown field"),
    ('[[lesson]]\nscene = "title"\nquality = "ultra"\n', None, "lesson[1].quality: unknown 'ultra'"),
    ('[[lesson]]\nscene = "title"\n', 'quality = "low"\n', "title: missing"),
    ('', 'title = "x"\n', "lesson: missing"),
    ('[[lesson]]\nscene = "title"\nformats = ["avi"]\n', None, "lesson[1].formats[0]: unknown 'avi'"),
    ('[[lesson]]\nscene = "title"\ntheme = "neon"\n', None, "lesson[1].theme: no theme named 'neon'"),
])
def test_a_bad_course_file_is_one_line_naming_the_field(capsys, tmp_path, lessons, head, field):
    path = write_course(tmp_path, lessons, **({"head": head} if head else {}))
    code, out, err = run(capsys, "course", path, "--output-dir", str(tmp_path / "site"))
    assert code == 2 and err.startswith(f"backprop: {field}") and err.count("\n") == 1
    assert not (tmp_path / "site").exists()


def test_the_lesson_networks_spec_errors_name_the_lesson(capsys, tmp_path):
    path = write_course(tmp_path, '[[lesson]]\nscene = "title"\nnetwork = "nets/bad.json"\n')
    (tmp_path / "nets" / "bad.json").write_text(json.dumps({**CHAIN, "loss": "l1"}))
    code, _, err = run(capsys, "course", path, "--output-dir", str(tmp_path / "site"))
    assert code == 2 and err.startswith("backprop: lesson[1].network: loss: unknown 'l1'")


def test_plan_prints_one_standalone_command_per_job(capsys, tmp_path):
    path = write_course(tmp_path, THREE)
    code, out, _ = run(capsys, "course", path, "--output-dir", str(tmp_path / "site"), "--plan")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 4 and not (tmp_path / "site").exists()  # a video (and its poster) per lesson
    args = [shlex.split(line) for line in lines]
    assert args[1][:3] == ["backprop", "slides", "title"]  # lesson 1's slides, asked for
    del args[1]
    assert all(a[:3] == ["backprop", "render", "title"] for a in args)
    # the spec file is named by its absolute path: the command runs from any folder
    assert args[1][args[1].index("--network") + 1] == str(tmp_path / "nets" / "chain.json")
    assert args[1][args[1].index("--output-dir") + 1] == str(tmp_path / "site" / "media" / "02-title-chain")
    assert "--poster" in args[1]


@pytest.mark.slow
def test_a_plan_line_runs_as_it_is(capsys, tmp_path):
    path = write_course(tmp_path, THREE)
    _, out, _ = run(capsys, "course", path, "--output-dir", str(tmp_path / "site"), "--plan")
    line = out.splitlines()[2]  # lesson 2
    args = shlex.split(line)
    done = subprocess.run([os.path.join(os.path.dirname(sys.executable), "backprop"), *args[1:]],
                          capture_output=True, text=True, cwd="/")
    assert done.returncode == 0, done.stderr
    folder = args[args.index("--output-dir") + 1]
    assert set(done.stdout.split()) >= {os.path.join(folder, "title-chain.mp4"), os.path.join(folder, "title-chain.poster.png")}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The three-lesson course built once with two worker processes (the embedded Dask cluster)."""
    folder = tmp_path_factory.mktemp("course")
    path = write_course(folder, THREE)
    site = folder / "site"
    done = subprocess.run([sys.executable, "-m", "backprop.output.cli", "course", path, "--output-dir", str(site),
                           "--jobs", "2"], capture_output=True, text=True)
    return folder, path, site, done


@pytest.mark.slow
def test_the_site_has_every_lesson_page_with_its_files(built):
    folder, path, site, done = built
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""  # the summary and progress go to stderr
    assert "3 rendered, 0 unchanged, 0 failed" in done.stderr
    index = (site / "index.html").read_text()
    course = read_course(path)
    for job in course.lessons:
        page = (site / f"{job.slug}.html").read_text()
        assert f'href="{job.slug}.html"' in index and f"<h1>{job.title}</h1>" in page
        media = site / "media" / job.slug
        names = sorted(os.listdir(media))
        stem = next(n for n in names if n.endswith(".mp4"))[:-4]
        assert {f"{stem}.mp4", f"{stem}.poster.png", f"{stem}.srt", "transcript.json"} <= set(names)
        assert f'src="media/{job.slug}/{stem}.mp4"' in page and f'poster="media/{job.slug}/{stem}.poster.png"' in page
        assert f'alt="Still of lesson {job.number}: ' in index
        if "slides" in job.formats:  # a presentation to download, asked for by lesson 1
            assert f"{stem}.html" in names and f'href="media/{job.slug}/{stem}.html" download' in page
        with av.open(str(media / f"{stem}.mp4")) as video:
            assert video.streams.video[0].frames > 10
        transcript = json.loads((media / "transcript.json").read_text())
        assert transcript["scene"] == "title" and transcript["network"] in page
    assert '<html lang="en">' in index and "<script" not in index and "http" not in index.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    # nothing half-written: no temporary file or folder left anywhere in the site
    assert not [f for f in files_under(site) if "tmp" in f or f.startswith(".backprop-") and f != build.MANIFEST]


@pytest.mark.slow
def test_a_lesson_page_plays_in_a_browser_with_its_captions_and_chapters(built, tmp_path):
    """Headless Chromium, networking off, opens the page from the file system: the video's metadata
    loads, its captions track shows the .vtt's cues, the chapters track has one cue per beat, and
    the console has no error."""
    from tests.browser import console_errors, network_requests, offline_browser, wait_for

    folder, path, site, done = built
    assert done.returncode == 0, done.stderr
    job = read_course(path).lessons[1]
    media = site / "media" / job.slug
    vtt = next(media.glob("*[!s].vtt"))  # the captions, not the chapters
    cues = webvtt.read(str(vtt))
    chapters = webvtt.read(str(next(media.glob("*.chapters.vtt"))))
    with offline_browser() as driver:
        driver.get((site / f"{job.slug}.html").as_uri())
        duration = wait_for(driver, "const v = document.querySelector('video');"
                                    "return v.readyState >= 1 && v.duration")
        tracks = wait_for(driver, """const t = document.querySelector('video').textTracks;
            for (const k of t) k.mode = k.kind === 'captions' ? 'showing' : 'hidden';
            return t.length == 2 && t[0].cues && t[0].cues.length && t[1].cues && t[1].cues.length
                && [...t].map(k => [k.kind, k.cues.length, k.cues[0].text]);""")
        driver.save_screenshot(str(tmp_path / "lesson.png"))
        errors = console_errors(driver)
        requests = [r for r in network_requests(driver) if not r.startswith("file:")]
    with av.open(str(next(media.glob("*.mp4")))) as video:
        assert abs(duration - video.duration / 1e6) < 0.2
    assert tracks == [["captions", len(cues), cues[0].text], ["chapters", len(chapters), chapters[0].text]]
    assert errors == [] and requests == []


@pytest.mark.slow
def test_a_rebuild_with_nothing_changed_renders_nothing(built, capsys):
    folder, path, site, _ = built
    before = {f: os.stat(site / "media" / f).st_mtime_ns for f in files_under(site / "media")}
    code, _, err = run(capsys, "course", path, "--output-dir", str(site))
    assert code == 0 and "0 rendered, 3 unchanged" in err
    assert {f: os.stat(site / "media" / f).st_mtime_ns for f in files_under(site / "media")} == before


@pytest.mark.slow
def test_a_changed_lesson_renders_again_and_only_it(built, capsys, tmp_path):
    folder, path, built_site, _ = built
    site = tmp_path / "site"
    shutil.copytree(built_site, site, copy_function=shutil.copy2)  # the built site stays as built
    before = {f: os.stat(site / "media" / f).st_mtime_ns for f in files_under(site / "media")}
    theme = tmp_path / "slow.toml"
    theme.write_text("pace = 1.5\n")
    text = open(path).read().replace('network = "branching"', f'network = "branching"\ntheme = "{theme}"')
    changed = folder / "changed.toml"
    changed.write_text(text)
    code, _, err = run(capsys, "course", str(changed), "--output-dir", str(site), "--jobs", "1")
    assert code == 0 and "1 rendered, 2 unchanged" in err
    after = {f: os.stat(site / "media" / f).st_mtime_ns for f in files_under(site / "media")}
    moved = {f for f in after if after[f] != before.get(f)}
    assert moved and all(f.startswith("03-title-branching/") for f in moved)


def test_a_failing_lesson_is_named_and_the_others_finish(capsys, tmp_path, monkeypatch):
    """The runner reports one lesson's error; the rest are written, the site marks the failure, exit 1."""
    path = write_course(tmp_path, THREE)

    def runner(jobs, workers, scheduler=None, done=lambda r: None):
        for job in jobs:
            if job.number == 2:
                result = JobResult(job, error="OutputError: output-dir: disk full")
            else:
                out = render_lesson(job)
                result = JobResult(job, out["files"], out["transcript"], worker=out["worker"])
            done(result)
            yield result

    monkeypatch.setattr(build, "run_jobs", runner)
    site = tmp_path / "site"
    code, out, err = run(capsys, "course", path, "--output-dir", str(site))
    assert code == 1
    assert "backprop: lesson 02-title-chain failed: OutputError: output-dir: disk full" in err.splitlines()
    assert "2 rendered, 0 unchanged, 1 failed" in err
    assert "failed to render" in (site / "index.html").read_text()
    assert "This lesson failed to render: OutputError: output-dir: disk full" in (site / "02-title-chain.html").read_text()
    assert sorted(os.listdir(site / "media")) == ["01-title-seed", "03-title-branching"]
    # the next build tries the failed lesson again, and only it
    monkeypatch.setattr(build, "run_jobs", lambda jobs, *a, **k: iter([JobResult(j, error="again") for j in jobs]))
    code, _, err = run(capsys, "course", path, "--output-dir", str(site))
    assert code == 1 and "0 rendered, 2 unchanged, 1 failed" in err


@pytest.mark.slow
def test_on_a_dask_cluster_the_workers_render_the_same_frames(built, tmp_path):
    """A scheduler and two workers started here on 127.0.0.1: the lessons render on the workers, and
    the videos' frames equal the embedded cluster's."""
    folder, path, site, _ = built
    bin_dir = os.path.dirname(sys.executable)
    address_file = tmp_path / "scheduler.json"
    scheduler = subprocess.Popen([os.path.join(bin_dir, "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                                  "--no-dashboard", "--scheduler-file", str(address_file)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers = []
    try:
        _wait_for(address_file)
        for _ in range(2):
            workers.append(subprocess.Popen(
                [os.path.join(bin_dir, "dask"), "worker", "--scheduler-file", str(address_file), "--host",
                 "127.0.0.1", "--nthreads", "1", "--no-dashboard"], stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, cwd=str(tmp_path)))
        address = json.loads(address_file.read_text())["address"]
        from distributed import Client

        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
            worker_addresses = set(client.scheduler_info()["workers"])
        remote = tmp_path / "remote-site"
        summary = build.build_course(read_course(path), str(remote), workers=0, scheduler=address)
        assert sorted(summary.rendered) == [j.slug for j in read_course(path).lessons]
        assert summary.workers <= worker_addresses  # rendered on the cluster's workers, not here
        for slug in summary.rendered:
            stem = next(n for n in os.listdir(site / "media" / slug) if n.endswith(".mp4"))
            assert frames(remote / "media" / slug / stem) == frames(site / "media" / slug / stem)
    finally:
        for p in workers + [scheduler]:
            p.terminate()
        for p in workers + [scheduler]:
            p.wait(timeout=60)


def _wait_for(path, seconds=60):
    import time

    end = time.monotonic() + seconds
    while not (path.exists() and path.stat().st_size):
        assert time.monotonic() < end, "the Dask scheduler did not start"
        time.sleep(0.2)


def frames(path) -> list[bytes]:
    with av.open(str(path)) as video:
        return [np.asarray(f.to_ndarray(format="rgb24")).tobytes() for f in video.decode(video=0)]


def test_scheduler_and_jobs_are_checked(capsys, tmp_path):
    path = write_course(tmp_path, THREE)
    code, _, err = run(capsys, "course", path, "--output-dir", str(tmp_path / "s"), "--jobs", "2",
                       "--scheduler", "tcp://127.0.0.1:1")
    assert code == 2 and err.startswith("backprop: jobs: a cluster at --scheduler has its own workers")
    code, _, err = run(capsys, "course", path, "--output-dir", str(tmp_path / "s"), "--jobs", "0")
    assert code == 2 and "--jobs" in err and err.count("\n") == 1


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_is_one_bar_on_a_terminal_and_plain_lines_elsewhere():
    from backprop.output.course import LessonJob
    from backprop.output.runner import Progress
    from backprop.story.theme import Theme

    jobs = [LessonJob(n, f"0{n}-title-seed", "t", "title", "seed", "seed", {}, Theme(), "dark", "low", ("mp4",))
            for n in (1, 2, 3)]
    plain = io.StringIO()
    progress = Progress(3, plain)
    for job in jobs:
        progress(JobResult(job, error="disk full" if job.number == 2 else None))
    progress.close()
    assert plain.getvalue().splitlines() == ["[1/3] 01-title-seed rendered", "[2/3] 02-title-seed failed: disk full",
                                             "[3/3] 03-title-seed rendered"]
    terminal = _Terminal()
    progress = Progress(3, terminal)
    for job in jobs:
        progress(JobResult(job))
    progress.close()  # the bar's last state is drawn as it stops
    shown = terminal.getvalue()
    assert "0/3" in shown and "3/3" in shown and "ETA" in shown and "[1/3]" not in shown
