"""`backprop course` on a shared machine (issue 23): a stranger's Dask client is refused during a real
build, a second build into the same folder refuses, Ctrl-C keeps the previous site; a scheduler that
never answers, a manifest that is not ours, and what a build deletes."""

import dataclasses
import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time

import psutil
import pytest

from backprop.output.course import build, exercises, runner
from backprop.output.course.lessons import read_course
from tests.helpers import run_cli as run
from tests.output.courses import course_with_a_spoiled_lesson, fake_runner, leftovers, write_course

LESSONS = "".join(f'\n[[lesson]]\nscene = "title"\nnetwork = "{net}"\n' for net in ("seed", "branching", "nets/chain.json"))

STRANGER = textwrap.dedent("""
    import asyncio, sys
    from distributed import Client
    from distributed.security import Security

    def intrude(path):
        open(path, "w").write("ran")

    async def attempt(address, security):
        async with Client(address, asynchronous=True, timeout="5s", security=security) as client:
            await client.submit(intrude, sys.argv[1], pure=False)

    async def each(scheme, port, security):
        try:
            await asyncio.wait_for(attempt(f"{scheme}://127.0.0.1:{port}", security), 10)
            return f"accepted {scheme} {port}"
        except BaseException as e:
            return f"refused {scheme} {port} {type(e).__name__}"

    async def main():
        own = Security.temporary()
        return await asyncio.gather(*[each(scheme, port, security) for port in sys.argv[2:]
                                      for scheme, security in (("tcp", None), ("tls", own))])

    print("\\n".join(asyncio.run(main())))
""")


def listening_ports(pid: int) -> set[int]:
    """The TCP ports the process and its children listen on."""
    ports = set()
    try:
        processes = [psutil.Process(pid)] + psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return ports
    for p in processes:
        try:
            ports |= {c.laddr.port for c in p.net_connections("tcp") if c.status == psutil.CONN_LISTEN}
        except psutil.NoSuchProcess:
            pass
    return ports


def previous_site(tmp_path):
    """A good site as a previous build left it (stubbed renders, other keys: the real build renders
    every lesson again); its pages' bytes."""
    course = read_course(write_course(tmp_path, LESSONS))
    old = dataclasses.replace(course, lessons=[dataclasses.replace(j, key="old-" + j.key) for j in course.lessons])
    site = tmp_path / "site"
    real = build.run_jobs
    build.run_jobs = fake_runner(b"LAST WEEK")
    try:
        assert not build.build_course(old, str(site), workers=1).failed
    finally:
        build.run_jobs = real
    return site, {name: (site / name).read_bytes() for name in os.listdir(site) if name.endswith(".html")}


@pytest.mark.slow
def test_a_real_build_refuses_strangers_and_a_second_build_and_ctrl_c_keeps_the_previous_site(tmp_path):
    """During a real three-lesson build (one worker): every port it listens on refuses a stranger's
    Dask client (plain tcp://, and tls:// with credentials of the stranger's own), whose task never
    runs; no dashboard on 8787; a second build into the folder is one line, exit 2; SIGINT to the
    process group, as a terminal sends it, is one line, exit 130, every page of the previous site as it
    was (but for a lesson that finished), no temporary folder left, no worker process left."""
    site, pages = previous_site(tmp_path)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    cli = [sys.executable, "-m", "backprop.output.cli", "course", str(tmp_path / "course.toml"), "--output-dir", str(site)]
    build_process = subprocess.Popen(cli + ["--jobs", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     env=env, start_new_session=True)  # its own group, as a terminal's job
    try:
        deadline = time.monotonic() + 120
        while not any(n.startswith("backprop-lesson-") for _, _, names in os.walk(scratch) for n in names) and \
                not any(d.startswith("backprop-lesson-") for _, dirs, _ in os.walk(scratch) for d in dirs):
            assert build_process.poll() is None, build_process.communicate()
            assert time.monotonic() < deadline, "no lesson started rendering"
            time.sleep(0.2)
        workers = psutil.Process(build_process.pid).children(recursive=True)
        ports = listening_ports(build_process.pid)
        assert ports and 8787 not in ports
        # the workers held still while the build is probed: on a quiet machine three small lessons
        # would otherwise finish (and let go of the folder) before the second build tries it
        for worker in workers:
            worker.suspend()

        marker = tmp_path / "stranger-was-here"
        stranger = subprocess.run([sys.executable, "-c", STRANGER, str(marker), *map(str, sorted(ports))],
                                  capture_output=True, text=True, timeout=300, cwd=tmp_path)
        assert stranger.stdout.count("refused") == 2 * len(ports), stranger.stdout + stranger.stderr
        assert not marker.exists()

        second = subprocess.run(cli, capture_output=True, text=True, env=env, timeout=120)
        assert second.returncode == 2 and second.stderr.count("\n") == 1, second.stderr
        assert second.stderr.startswith(f"backprop: output-dir: another build is writing '{site}' "
                                        f"(process {build_process.pid})")

        assert build_process.poll() is None, "the build ended before Ctrl-C: the checks above proved nothing"
        for worker in workers:
            worker.resume()
        os.killpg(build_process.pid, signal.SIGINT)
        _, err = build_process.communicate(timeout=120)
    finally:
        if build_process.poll() is None:
            os.killpg(build_process.pid, signal.SIGKILL)
            build_process.wait()
    said = [line for line in err.splitlines() if not line.startswith("[")]  # but the progress lines
    assert build_process.returncode == 130 and len(said) == 1, err
    assert said[0].startswith("backprop: interrupted; ")
    manifest = json.loads((site / build.MANIFEST).read_text())
    finished = {slug for slug, entry in manifest.items() if not entry["key"].startswith("old-")}
    assert len(finished) < 3
    for name, html in pages.items():
        if name.removesuffix(".html") not in finished:
            assert (site / name).read_bytes() == html, name
    assert os.listdir(scratch) == [] and leftovers(site) == []
    psutil.wait_procs(workers, timeout=30)
    assert not [p for p in workers if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


def test_a_manifest_that_is_not_ours_deletes_nothing_and_means_render_everything(tmp_path, capsys, monkeypatch):
    """A manifest naming a file outside the site (an absolute path, ../), a wrong-typed entry, garbage:
    one line, every lesson rendered again, nothing outside the lessons' files deleted; next time no word."""
    path = write_course(tmp_path, LESSONS)
    site = tmp_path / "site"
    monkeypatch.setattr(build, "run_jobs", fake_runner(b"V1"))
    assert run(capsys, "course", path, "--output-dir", str(site))[0] == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("not the site's")
    (site / "media" / "keep.txt").write_text("not the build's either")
    good = json.loads((site / build.MANIFEST).read_text())
    slug = next(iter(good))
    bad_manifests = [
        {**good, slug: {**good[slug], "key": "stale", "files": [str(victim)]}},
        {**good, slug: {**good[slug], "key": "stale", "files": ["../keep.txt"]}},
        {**good, slug: {**good[slug], "files": 7}},
        {**good, slug: {**good[slug], "transcript": {"items": [{"text": 1}]}}},
        {**good, "../../victim": {"files": []}},
        [1, 2],
    ]
    for manifest in bad_manifests + ["{not json", b"\xff\xfe"]:
        data = manifest if isinstance(manifest, bytes) else (
            manifest if isinstance(manifest, str) else json.dumps(manifest)).encode()
        (site / build.MANIFEST).write_bytes(data)
        code, _, err = run(capsys, "course", path, "--output-dir", str(site))
        said = [line for line in err.splitlines() if not line.startswith("[")][:-1]  # but progress and the summary
        assert code == 0 and "3 rendered, 0 unchanged" in err, (manifest, err)
        assert len(said) == 1 and said[0].endswith("; rendering every lesson again"), (manifest, err)
        assert said[0].startswith(f"backprop: {site / build.MANIFEST}: ")
        assert victim.read_text() == "not the site's" and (site / "media" / "keep.txt").exists()
        code, _, err = run(capsys, "course", path, "--output-dir", str(site))
        assert code == 0 and err.splitlines() == [f"0 rendered, 3 unchanged, 0 failed: {site / 'index.html'}"]


def test_a_bad_exercises_manifest_is_one_line_and_renders_every_solution(tmp_path, capsys, monkeypatch):
    (tmp_path / "roster.csv").write_text("id\nada\nbob\n")
    out = tmp_path / "out"

    def solutions(jobs, workers, scheduler=None, done=lambda r: None):
        for job in jobs:
            result = runner.JobResult(job, {f"backward-{job.spec['name']}.mp4": b"video"}, None, worker="here")
            done(result)
            yield result

    monkeypatch.setattr(exercises, "run_jobs", solutions)
    args = ["exercises", str(tmp_path / "roster.csv"), "--course-seed", "s", "--output-dir", str(out)]
    assert run(capsys, *args)[0] == 0
    for manifest in ('{"ada": 5}', "[]", '{"../x": "k"}', "\x00"):
        (out / exercises.MANIFEST).write_text(manifest)
        code, _, err = run(capsys, *args)
        said = [line for line in err.splitlines() if not line.startswith("[")]
        assert code == 0 and "[2/2]" in err and said[0].endswith("; rendering every solution again"), err
        assert len(said) == 2  # and the summary


def test_a_second_build_into_a_folder_being_built_is_one_line(tmp_path, capsys, monkeypatch):
    """The first build holds the folder's lock while its (stubbed) lessons render; the second, in another
    thread of the same process even, refuses with one line; after the first, a build runs again."""
    path = write_course(tmp_path, LESSONS)
    site = tmp_path / "site"
    rendering, release = threading.Event(), threading.Event()
    stub = fake_runner(b"V1")

    def slow(jobs, *a, **k):
        rendering.set()
        release.wait(60)
        yield from stub(jobs, *a, **k)

    monkeypatch.setattr(build, "run_jobs", slow)
    first = threading.Thread(target=lambda: build.build_course(read_course(path), str(site), workers=1))
    first.start()
    try:
        assert rendering.wait(60)
        code, out, err = run(capsys, "course", path, "--output-dir", str(site))
        assert code == 2 and err.count("\n") == 1
        assert err.startswith(f"backprop: output-dir: another build is writing '{site}' (process {os.getpid()})")
    finally:
        release.set()
        first.join(60)
    monkeypatch.setattr(build, "run_jobs", stub)
    code, _, err = run(capsys, "course", path, "--output-dir", str(site))
    assert code == 0 and "0 rendered, 3 unchanged" in err


@pytest.fixture
def server():
    """A TCP server on 127.0.0.1 that accepts and then sends `reply` (nothing: it never answers)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    state = {"reply": b"", "open": []}

    def serve():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            state["open"].append(conn)
            if state["reply"]:
                conn.sendall(state["reply"])

    threading.Thread(target=serve, daemon=True).start()
    yield listener.getsockname()[1], state
    listener.close()
    for conn in state["open"]:
        conn.close()


@pytest.mark.parametrize("reply, said", [
    (b"", "no answer within 2s"),
    ((3 * 2**60).to_bytes(8, "little") + b"\xff" * 64, ""),  # a frame of 3 EiB, as Dask's header says it
])
def test_a_scheduler_that_accepts_and_never_answers_is_one_line(tmp_path, capsys, monkeypatch, server, reply, said):
    port, state = server
    state["reply"] = reply
    monkeypatch.setattr(runner, "CONNECT_TIMEOUT", "2s")
    address = f"tcp://127.0.0.1:{port}"
    start = time.monotonic()
    code, out, err = run(capsys, "course", write_course(tmp_path, LESSONS), "--output-dir", str(tmp_path / "out"),
                         "--scheduler", address)
    assert time.monotonic() - start < 30
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert err.startswith(f"backprop: scheduler: cannot reach a Dask scheduler at '{address}': {said}")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("scheduler, security, said", [
    ("ucx://127.0.0.1:8786", None, "scheduler: expected tcp://HOST:PORT or tls://HOST:PORT, got 'ucx://127.0.0.1:8786' "
                                   "(ucx:// is not supported)"),
    ("127.0.0.1:8786", None, "scheduler: expected tcp://HOST:PORT or tls://HOST:PORT"),
    ("tls://127.0.0.1:8786", None, "security: 'tls://127.0.0.1:8786' is tls://: give --security FILE"),
    ("tcp://127.0.0.1:8786", "sec.toml", "security: tcp:// is not encrypted"),
    ("tls://127.0.0.1:8786", "sec.toml", "security.tls_ca: unknown field"),
    ("tls://127.0.0.1:8786", "none.toml", "security: file"),
])
def test_scheduler_and_security_are_checked_before_anything_runs(tmp_path, capsys, scheduler, security, said):
    (tmp_path / "sec.toml").write_text('tls_ca = "ca.pem"\n')
    args = ["--security", str(tmp_path / security)] if security else []
    code, out, err = run(capsys, "course", write_course(tmp_path, LESSONS), "--output-dir", str(tmp_path / "out"),
                         "--scheduler", scheduler, *args)
    assert code == 2 and err.count("\n") == 1 and err.startswith(f"backprop: {said}"), err
    assert not (tmp_path / "out").exists()


def test_a_tls_scheduler_takes_a_client_with_its_certificates_and_refuses_others(tmp_path, monkeypatch):
    """A scheduler with TLS on 127.0.0.1 (credentials made here, written as PEM files): `--security` with
    them connects; with another CA's, one line."""
    from distributed import LocalCluster
    from distributed.security import Security

    theirs = Security.temporary()
    pem = tmp_path / "cluster.pem"
    pem.write_text(theirs.tls_ca_file)
    key = tmp_path / "cluster.key"
    key.write_text(theirs.tls_client_key)
    (tmp_path / "ok.toml").write_text('tls_ca_file = "cluster.pem"\ntls_client_cert = "cluster.pem"\ntls_client_key = "cluster.key"\n')
    other = Security.temporary()
    (tmp_path / "other.pem").write_text(other.tls_ca_file)
    (tmp_path / "other.key").write_text(other.tls_client_key)
    (tmp_path / "other.toml").write_text('tls_ca_file = "other.pem"\ntls_client_cert = "other.pem"\ntls_client_key = "other.key"\n')
    monkeypatch.setattr(runner, "CONNECT_TIMEOUT", "5s")
    with LocalCluster(n_workers=0, processes=False, host="127.0.0.1", security=theirs, dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tls://")
        client = runner.connect(runner.check_scheduler(address, str(tmp_path / "ok.toml")))
        try:
            assert client.scheduler_info()["address"] == address
        finally:
            client.close()
        with pytest.raises(runner.SpecError) as refused:
            runner.connect(runner.check_scheduler(address, str(tmp_path / "other.toml")))
        assert refused.value.field == "scheduler" and "\n" not in refused.value.message


def test_plan_lines_are_one_job_each_and_run_no_injected_code(tmp_path, capsys):
    """A spec file whose name holds shell syntax: each --plan line, run by a shell as GNU parallel or a
    Slurm array would, gives back exactly its arguments and runs nothing else."""
    folder = tmp_path / "a course; $(touch pwned)"
    folder.mkdir()
    path = write_course(folder, '[[lesson]]\nscene = "title"\nnetwork = "nets/x\'$(touch pwned2)`touch pwned3`.json"\n')
    (folder / "nets" / "x'$(touch pwned2)`touch pwned3`.json").write_text((folder / "nets" / "chain.json").read_text())
    code, out, err = run(capsys, "course", path, "--output-dir", str(folder / "site"), "--plan")
    assert code == 0, err
    for line in out.splitlines():
        assert line.startswith("backprop render ")
        echoed = subprocess.run(["sh", "-c", "printf '%s\\0' " + line.removeprefix("backprop ")], capture_output=True,
                                cwd=tmp_path, check=True).stdout.decode().split("\0")[:-1]
        assert echoed[echoed.index("--network") + 1] == str(folder / "nets" / "x'$(touch pwned2)`touch pwned3`.json")
    assert not [p for p in os.listdir(tmp_path) if p.startswith("pwned")]


@pytest.mark.parametrize("where", ["course folder", "output-dir", "course file"])
def test_a_control_character_in_a_planned_path_is_one_line(tmp_path, capsys, where):
    folder = tmp_path / ("week\n3" if where == "course folder" else "week3")
    folder.mkdir()
    network = 'nets/chain\\u0000.json' if where == "course file" else "nets/chain.json"
    path = write_course(folder, f'[[lesson]]\nscene = "title"\nnetwork = "{network}"\n')
    site = tmp_path / ("site\r\nrm -rf x" if where == "output-dir" else "site")
    code, out, err = run(capsys, "course", path, "--output-dir", str(site), "--plan")
    field = {"course folder": "lesson[1].network: '", "output-dir": "output-dir: '",
             "course file": "lesson[1].network: a file name with a control character"}[where]
    assert code == 2 and out == "" and err.count("\n") == 1 and err.startswith(f"backprop: {field}"), err


@pytest.mark.parametrize("roster, said", [
    ("fifo", "roster: '{path}' is not a regular file (a device, FIFO or socket)"),
    ("big", "roster: '{path}' is larger than 10 MiB"),
    ("id\n", "roster: '{path}' has its header row but no students"),
    ("name\nada\n", "roster: '{path}' needs a header row with an 'id' column"),
    ("id\n" + "a" * 192 + "\n", "roster line 2: id: at most 191 characters, got 192"),
])
def test_a_roster_that_cannot_be_read_whole_is_one_line(tmp_path, capsys, roster, said):
    path = tmp_path / "roster.csv"
    if roster == "fifo":
        os.mkfifo(path)  # nobody writes: reading it would wait for ever
    elif roster == "big":  # ids up to the limit and past it: cut at 10 MiB, the last would lose letters
        path.write_text("id\n" + "".join(f"student-{n:07d}\n" for n in range(10 * 2**20 // 16 + 1)))
    else:
        path.write_text(roster)
    code, out, err = run(capsys, "exercises", str(path), "--course-seed", "s", "--output-dir", str(tmp_path / "out"),
                         "--no-videos")
    assert code == 2 and err.count("\n") == 1 and err.startswith(f"backprop: {said.format(path=path)}"), err
    assert not (tmp_path / "out").exists()


def test_ids_equal_but_for_case_or_reserved_on_windows_get_folders_that_differ_everywhere(tmp_path, capsys):
    (tmp_path / "roster.csv").write_text("id\nAlice\nalice\nCON\nnul.txt\nbob\n")
    out = tmp_path / "out"
    code, _, err = run(capsys, "exercises", str(tmp_path / "roster.csv"), "--course-seed", "s", "--output-dir",
                       str(out), "--no-videos")
    assert code == 0, err
    folders = sorted(f for f in os.listdir(out) if (out / f).is_dir())  # beside them: the class's own files
    assert len(folders) == 5 and len({f.casefold() for f in folders}) == 5
    assert "Alice" in folders and "bob" in folders  # ids that need no change keep their name
    reserved = {"CON", "PRN", "AUX", "NUL", *(f"{p}{d}" for p in ("COM", "LPT") for d in range(1, 10))}
    assert not [f for f in folders if f.split(".")[0].upper() in reserved]


@pytest.mark.slow
def test_on_dask_a_failing_lesson_is_one_line_and_never_more_workers_than_lessons(capfd, tmp_path, monkeypatch):
    """The embedded cluster (`--jobs 8`, two lessons: two workers). Lesson 2's theme has a colour manim
    cannot read (as if its theme file changed after the course was checked): the exception raised in
    the worker is that lesson's one line, with no log or traceback of Dask's on the terminal (the
    workers' stderr is this one); lesson 1 is written; exit 1."""
    import distributed

    started = []
    real_cluster = distributed.LocalCluster
    monkeypatch.setattr(distributed, "LocalCluster", lambda **k: started.append(k["n_workers"]) or real_cluster(**k))
    path = course_with_a_spoiled_lesson(tmp_path, monkeypatch)
    from backprop.output.cli import main

    with pytest.raises(SystemExit) as ended:
        main(["course", path, "--output-dir", str(tmp_path / "site"), "--jobs", "8"])
    out, err = capfd.readouterr()
    assert ended.value.code == 1 and started == [2], err
    said = [line for line in err.splitlines() if not line.startswith("[")]
    assert said == ["1 rendered, 0 unchanged, 1 failed: " + str(tmp_path / "site" / "index.html"),
                    "backprop: lesson 02-title-chain failed: ValueError: Color mauvish not found"], err
    assert os.listdir(tmp_path / "site" / "media") == ["01-title-seed"]


def test_a_lesson_inserted_at_the_top_renders_only_itself_and_the_old_pages_go(tmp_path, capsys, monkeypatch):
    """Lessons are keyed by their content, not their number: a lesson inserted first renumbers the
    others (new folders), whose files move with them; only the new one renders; the old pages and
    folders, which the build no longer makes, are removed; what is not the build's stays."""
    path = write_course(tmp_path, LESSONS)
    site = tmp_path / "site"
    rendered = []
    stub = fake_runner(b"V1")

    def counting(jobs, *a, **k):
        rendered.extend(job.slug for job in jobs)
        yield from stub(jobs, *a, **k)

    monkeypatch.setattr(build, "run_jobs", counting)
    assert run(capsys, "course", path, "--output-dir", str(site))[0] == 0
    before = {slug: {n: (site / "media" / slug / n).read_bytes() for n in os.listdir(site / "media" / slug)}
              for slug in rendered}
    (site / "notes.html").write_text("the lecturer's own page")
    rendered.clear()
    (tmp_path / "course.toml").write_text(open(path).read().replace(
        '[[lesson]]', '[[lesson]]\nscene = "title"\nnetwork = "batch"\n\n[[lesson]]', 1))
    code, _, err = run(capsys, "course", path, "--output-dir", str(site))
    assert code == 0 and "1 rendered, 3 unchanged" in err, err
    assert rendered == ["01-title-batch"]
    now = [job.slug for job in read_course(path).lessons]
    assert now == ["01-title-batch", "02-title-seed", "03-title-branching", "04-title-chain"]
    assert sorted(os.listdir(site / "media")) == now
    for old_slug, files in before.items():
        new_slug = next(s for s in now if s[3:] == old_slug[3:])
        assert {n: (site / "media" / new_slug / n).read_bytes() for n in os.listdir(site / "media" / new_slug)} == files
    assert sorted(n for n in os.listdir(site) if n.endswith(".html")) == sorted(
        ["index.html", "notes.html"] + [f"{s}.html" for s in now])
    code, _, err = run(capsys, "course", path, "--output-dir", str(site))
    assert code == 0 and "0 rendered, 4 unchanged" in err


def test_a_spec_named_by_many_lessons_is_read_once_and_a_symlink_loop_says_so(tmp_path, capsys, monkeypatch):
    from backprop.output.course import lessons as course_module
    path = write_course(tmp_path, '[[lesson]]\nscene = "title"\nnetwork = "nets/chain.json"\n' * 4)
    reads = []
    real = course_module.read_spec_file
    monkeypatch.setattr(course_module, "read_spec_file", lambda p, **k: reads.append(p) or real(p, **k))
    parsed = read_course(path)
    assert len(parsed.lessons) == 4 and reads == [path, str(tmp_path / "nets" / "chain.json")]
    assert all(job.spec is parsed.lessons[0].spec for job in parsed.lessons)  # one copy in memory
    os.symlink("loop.json", tmp_path / "nets" / "loop.json")
    path = write_course(tmp_path, '[[lesson]]\nscene = "title"\nnetwork = "nets/loop.json"\n')
    code, _, err = run(capsys, "course", path, "--output-dir", str(tmp_path / "site"), "--plan")
    assert code == 2 and err.startswith("backprop: lesson[1].network: cannot read ") and "symbolic links" in err
