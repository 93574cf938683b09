"""The course commands: `course` (an offline site of lessons), `exercises` (a network of their own per
student) and `serve` (a preview of a site), rendered on this machine's cores or on a Dask cluster."""

from __future__ import annotations

import os
import sys

import click

from backprop.output.cli.errors import UserError, needs_manim
from backprop.output.cli.options import cluster_options, output_dir_option
from backprop.output.cli.terminal import one_line


@click.command()
@click.argument("course_file", metavar="COURSE.toml")
@output_dir_option("where the site goes", required=True)
@cluster_options("a Dask scheduler's address (tcp://host:8786, tls://host:8786) to render on its cluster")
@click.option("--plan", is_flag=True, help="print one standalone `backprop render` command per job, render nothing")
def course(course_file, output_dir, jobs, scheduler, security, plan):
    """Build an offline course site: every lesson's video, poster, captions, transcript and table."""
    from backprop.output.course.lessons import plan_commands, read_course

    parsed = read_course(course_file)
    if plan:
        click.echo("\n".join(plan_commands(parsed, output_dir)))
        return
    from backprop.output.course.build import build_course

    summary = _run_on_workers(lambda workers, cluster: build_course(parsed, output_dir, workers, cluster), jobs,
                             scheduler, security)
    click.echo(f"{len(summary.rendered)} rendered, {len(summary.skipped)} unchanged, {len(summary.failed)} failed: "
               f"{os.path.join(output_dir, 'index.html')}", err=True)
    for slug, why in summary.failed.items():
        click.echo(f"backprop: lesson {slug} failed: {one_line(why)}", err=True)
    if summary.failed:
        sys.exit(1)


@click.command()
@click.argument("roster", metavar="ROSTER.csv", type=click.Path(dir_okay=False))
@click.option("--course-seed", required=True, help="any text; the same seed and id always give the same network")
@output_dir_option(required=True)
@click.option("--shape", default="2-2-1", show_default=True, help="inputs-hidden…-1 (ReLU hidden, sigmoid output)")
@click.option("--dead", is_flag=True, help="every network has exactly one dead ReLU unit (an exercise about them)")
@click.option("--videos/--no-videos", default=True, show_default=True, help="render solution.mp4 per student")
@cluster_options("a Dask scheduler's address to render the solutions on its cluster")
def exercises(roster, course_seed, output_dir, shape, dead, videos, jobs, scheduler, security):
    """A network of their own per student: network.json, worksheet, answer key, solution video."""
    from backprop.engine.exercises import parse_shape
    from backprop.output.course.exercises import build_exercises, read_roster

    sizes = parse_shape(shape)
    students = read_roster(roster)
    failed = _run_on_workers(lambda workers, cluster: build_exercises(
        students, course_seed, sizes, output_dir, dead=dead, videos=videos, workers=workers, scheduler=cluster),
        jobs, scheduler, security)
    click.echo(f"{len(students)} students: {output_dir}", err=True)
    for sid, why in failed.items():
        click.echo(f"backprop: solution for {sid} failed: {one_line(why)}", err=True)
    if failed:
        sys.exit(1)


@click.command()
@click.argument("site", metavar="SITE")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="0: any free port")
def serve(site, port):
    """Preview a course site at http://127.0.0.1:PORT/ (byte ranges answered, so its videos seek)."""
    from backprop.output.course.serve import serve_site

    serve_site(site, port, lambda url: click.echo(f"serving {site} at {url} (Ctrl-C stops)", err=True))


def _run_on_workers(build, jobs: int | None, scheduler: str | None, security: str | None):
    """`build(workers, cluster)` with the worker count and the cluster checked against what is installed."""
    from backprop.output.course.runner import CLUSTER_HINT, check_scheduler, have_dask

    if security and not scheduler:
        raise UserError("security: goes with --scheduler tls://HOST:PORT (the embedded cluster makes its own)")
    if scheduler and not have_dask():
        raise UserError(f"scheduler: rendering on a Dask cluster needs Dask distributed: {CLUSTER_HINT}")
    if scheduler and jobs:
        raise UserError("jobs: a cluster at --scheduler has its own workers; leave out --jobs")
    cluster = check_scheduler(scheduler, security) if scheduler else None
    needs_manim("manim")
    return build(jobs or os.cpu_count() or 1, cluster)
