"""`backprop`: the command line. Engine-only commands never import manim, so they answer instantly.

Every failure a user can cause ends as one line on stderr and exit status 2; no traceback.
"""

from __future__ import annotations

import signal
import sys

# Ctrl-C while the modules below load (the first ~50 ms) ends the process quietly, as for any Unix
# tool, instead of printing a KeyboardInterrupt traceback; main() installs its own handlers.
try:
    _SIGINT_BEFORE = signal.signal(signal.SIGINT, signal.SIG_DFL)
except ValueError:  # imported outside the main thread: nothing to change
    _SIGINT_BEFORE = None

import codecs  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import unicodedata  # noqa: E402
from dataclasses import dataclass  # noqa: E402

import click  # noqa: E402

from backprop.engine.check import finite_difference_check  # noqa: E402
from backprop.engine.labels import element_name, fmt  # noqa: E402
from backprop.engine.params import resolve_param  # noqa: E402
from backprop.engine.graph.presets import GRAPH_PRESETS  # noqa: E402
from backprop.engine.graph.spec import Graph  # noqa: E402
from backprop.engine.presets import PRESETS  # noqa: E402
from backprop.engine.report import gradients_document, report_from_engine  # noqa: E402
from backprop.engine.spec import SpecError, load_network, suggest  # noqa: E402
from backprop.engine.timeline import GRANULARITIES, build_timeline  # noqa: E402
from backprop.output.render.files import OutputError, check_target, safe_name, write_output  # noqa: E402
from backprop.scenes.catalog import SCENES, cannot_play  # noqa: E402
from backprop.story.frame import ASPECTS  # noqa: E402

if _SIGINT_BEFORE is not None:
    signal.signal(signal.SIGINT, _SIGINT_BEFORE)

NETWORK_HELP = "a preset name (default: seed) or a JSON/TOML spec file"
SECURITY_HELP = ("with --scheduler tls://…: a TOML/JSON file of tls_ca_file, tls_client_cert, tls_client_key "
                 "(Dask's Security fields; paths relative to the file)")
THEME_HELP = "dark (default), light, print, high-contrast, or a JSON/TOML file of theme fields (base = a name)"
ASPECT_CHOICES = list(ASPECTS)  # --aspect: the frame's width:height
TABLE_ROWS = 60  # parameters the plain gradient table lists before it keeps only the largest


class UserError(Exception):
    """A problem with what the user asked for: printed as one line, exit status 2."""


class Interrupted(KeyboardInterrupt):
    """SIGINT, SIGTERM or SIGHUP: unwinds like Ctrl-C, so every temporary file and folder is removed."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

# Plain stand-ins for the lesson's characters on a terminal whose encoding lacks them (latin-1, ASCII).
PLAIN = {"→": "->", "−": "-", "—": "-", "×": "x", "·": "*", "…": "...", "≤": "<=", "≥": ">=", "∂": "d",
         "σ": "sigma", "∞": "inf", "²": "^2", "⁴": "^4", "₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4", "₅": "5", "₆": "6", "₇": "7", "₈": "8", "₉": "9"}


def _plain_fallback(e: UnicodeEncodeError):
    return "".join(PLAIN.get(c, "?") for c in e.object[e.start:e.end]), e.end


codecs.register_error("backprop-plain", _plain_fallback)


def printable(text: str) -> str:
    """`text` without control characters (ANSI escapes, bidi overrides, lone surrogates) for a terminal."""
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf", "Cs"))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli():
    """Lecture videos of backpropagation, from real numbers."""


@cli.command("list")
def list_cmd():
    """Scenes and presets."""
    click.echo("scenes:")
    for name, scene in SCENES.items():
        click.echo(f"  {name:14} {scene.summary}")
    click.echo(f"  {'lecture':14} every scene above in teaching order, one chapter each (--jobs N: in parallel)")
    click.echo("presets:")
    for name, spec in PRESETS.items():
        click.echo(f"  {name:14} {spec['description']}")
    click.echo("graph presets (a program instead of layers):")
    for name, spec in GRAPH_PRESETS.items():
        click.echo(f"  {name:14} {spec['description']}")


@cli.command()
@click.argument("network", required=False, default="seed")
@click.option("--format", "table_format", type=click.Choice(["text", "markdown", "csv", "latex", "json"]),
              default=None, help="text (default), markdown, csv (every parameter, every digit), latex, json")
@click.option("--json", "as_json", is_flag=True, help="the same as --format json")
def gradients(network, table_format, as_json):
    """Loss, every gradient, and the parameters after one update."""
    if as_json and table_format not in (None, "json"):
        raise UserError(f"format: --json asks for json, --format for {table_format}; give one of them")
    net = load_network(network)
    if isinstance(net, Graph):
        return _graph_gradients(net, "json" if as_json else table_format or "text")
    if table_format in ("markdown", "csv", "latex"):
        from backprop.output.material.handouts import FORMATS

        report = report_from_engine(net, limit=None if table_format == "csv" else TABLE_ROWS)
        click.echo(FORMATS[table_format](report).encode("utf-8"), nl=False)  # UTF-8 whatever the terminal
        return
    if as_json or table_format == "json":
        click.echo(json.dumps(gradients_document(net), indent=2))
        return
    report = report_from_engine(net, limit=TABLE_ROWS)
    # as the video writes numbers, without spaces inside one (a column stays one word): 4.4×10⁻⁴
    style = dict(minus="-", times="×" if _can_print("×10⁻⁴") else "e")
    outputs = "; ".join("[" + ", ".join(fmt(v, **style) for v in row) + "]" for row in report.outputs)
    click.echo(f"{printable(report.network)}: {report.shape}")
    click.echo(f"loss L = {fmt(report.loss, 4, **style)}    output y = {outputs}")
    click.echo("")
    table = [("parameter", "", "value", "gradient", "updated", "to reduce the loss")]
    for r in report.rows:
        meaning = "no change" if r.advice == "leave" else f"{r.advice} this {r.kind}"
        meaning = f"frozen (would {meaning})" if r.frozen and r.advice != "leave" else meaning
        table.append((r.symbol, r.path, fmt(r.value, **style), fmt(r.gradient, plus=True, **style),
                      fmt(r.updated, 4, **style), meaning))
    widths = [max(len(r[c]) for r in table) for c in range(len(table[0]))]
    for r in table:
        click.echo("  ".join(cell.ljust(w) if c in (0, 1, 5) else cell.rjust(w)
                             for c, (cell, w) in enumerate(zip(r, widths))).rstrip())
    if report.left_out:
        click.echo(f"(the {TABLE_ROWS} largest of {report.total:,} gradients; --json lists every one)")
    click.echo(f"\nupdated = value − {report.learning_rate:g} × gradient (one gradient-descent step)"
               + ("; frozen parameters keep their value" if any(r.frozen for r in report.rows) else ""))


def _graph_gradients(graph: Graph, table_format: str) -> None:
    """A graph's output, and every named value with its gradient (a parameter's update beside it)."""
    from backprop.engine.graph.check import gradients_document as graph_document

    doc = graph_document(graph)
    if table_format == "json":
        click.echo(json.dumps(doc, indent=2))
        return
    if table_format != "text":
        raise UserError(f"format: a graph's gradients come as text or json, not {table_format}")
    style = dict(minus="-", times="×" if _can_print("×10⁻⁴") else "e")
    out = graph.output
    click.echo(f"{printable(graph.name)}: {graph.shape_line()}")
    click.echo(f"{out} = {fmt(doc['value'], 4, **style)}")
    click.echo("")
    table = [("name", "value", f"d{out}/dname" if not _can_print("∂") else f"∂{out}/∂name", "updated")]
    for name in graph.named:
        updated = fmt(doc["updated"][name], 4, **style) if name in doc["updated"] else ""
        table.append((printable(name), fmt(doc["values"][name], **style),
                      fmt(doc["gradients"][name], plus=True, **style), updated))
    widths = [max(len(r[c]) for r in table) for c in range(len(table[0]))]
    for r in table:
        click.echo("  ".join(cell.ljust(w) if c == 0 else cell.rjust(w)
                             for c, (cell, w) in enumerate(zip(r, widths))).rstrip())
    if graph.params:
        click.echo(f"\nupdated = value − {graph.learning_rate:g} × gradient, for the parameters "
                   f"({', '.join(graph.params)})")


@cli.command()
@click.argument("network", required=False, default="seed")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
              help="write to FILE instead of stdout (- is stdout)")
@click.option("--granularity", type=click.Choice(GRANULARITIES), default="auto", show_default=True,
              help="scalar: one event per unit and edge; layer: one per layer; auto picks by size")
def timeline(network, output, granularity):
    """The timeline of the backward pass, as JSON."""
    data = (build_timeline(load_network(network), granularity).to_json(indent=1) + "\n").encode("utf-8")
    if output and output != "-":
        write_output(output, data)
        click.echo(output)
    else:
        click.echo(data, nl=False)  # bytes: JSON is UTF-8 whatever the terminal's encoding


@cli.command()
@click.argument("network", required=False, default="seed")
def check(network):
    """Finite-difference check of every gradient; exit 1 if one disagrees."""
    net = load_network(network)
    if isinstance(net, Graph):
        from backprop.engine.graph.check import graph_check

        result = graph_check(net)
    else:
        result = finite_difference_check(net)
    click.echo(f"{printable(net.name)}: checked {result.checked} {'values' if isinstance(net, Graph) else 'parameters'}, worst relative error "
               f"{result.worst_error:.1e}" + (f" ({result.worst_param})" if result.worst_param else ""))
    if result.kinks:
        click.echo(f"skipped {len(result.kinks)} at a ReLU kink: {', '.join(result.kinks)} — nudging them "
                   "moves a ReLU input across 0, where ReLU has no derivative, so finite differences "
                   "cannot be compared there (not a failure)")
    if result.inconclusive:
        shown = ", ".join(result.inconclusive[:10]) + (", …" if len(result.inconclusive) > 10 else "")
        click.echo(f"inconclusive for {len(result.inconclusive)}: {shown} — the loss is computed from numbers "
                   f"of size ~{result.loss_magnitude:.1e}, so its rounding error, divided by the step, can "
                   "explain the difference found: finite differences cannot decide these (not a failure)")
    if not result.ok:
        click.echo(f"FAILED: above the tolerance {1e-6:g}", err=True)
        sys.exit(1)
    click.echo("OK")


@cli.command()
@click.argument("network", required=False, default="seed")
@click.option("--steps", default="100", show_default=True, help="gradient-descent steps to take")
@click.option("--json", "as_json", is_flag=True, help="machine-readable: losses and the final parameters")
@click.option("--optimizer", type=click.Choice(["sgd", "momentum", "adam"]), default="sgd", show_default=True,
              help="sgd: w − η·g; momentum 0.9; adam β₁ 0.9, β₂ 0.999, ε 10⁻⁸ (PyTorch's defaults)")
@click.option("--clip-norm", metavar="C", help="scale the gradients down to norm C when their norm "
              "(over all parameters together) is larger, before each step")
def train(network, steps, as_json, optimizer, clip_norm):
    """Gradient descent at the spec's learning rate: the loss step by step, the parameters after it."""
    from backprop.engine.frozen import frozen_names
    from backprop.engine.optimizers import OPTIMIZERS
    from backprop.engine.training import check_optimizer, check_steps, shown_steps, train as descend

    net = load_network(network)
    try:
        count = int(steps.strip())
    except ValueError:
        raise UserError(f"steps: expected a whole number of steps, got '{steps[:40]}'") from None
    clip = None
    if clip_norm is not None:
        try:
            clip = float(clip_norm.strip())
        except ValueError:
            raise UserError(f"clip-norm: expected a number above 0, got '{clip_norm[:40]}'") from None
    if isinstance(net, Graph):
        from backprop.engine.graph.training import train_graph

        if optimizer != "sgd" or clip is not None:
            raise UserError("optimizer: a graph trains with plain gradient descent (sgd) and no clipping")
        result, frozen = train_graph(net, count), []
    else:
        check_steps(net, count)
        check_optimizer(optimizer, clip)
        result = descend(net, count, optimizer, clip)
        frozen = frozen_names(net)
    if as_json:
        click.echo(json.dumps({
            "network": net.name,
            "steps": count,
            "learning_rate": net.learning_rate,
            "optimizer": optimizer,
            "clip_norm": clip,
            "frozen": frozen,
            "losses": result.losses,
            "parameters": {k: v.tolist() for k, v in result.params.items()},
        }, indent=2))
        return
    style = dict(minus="-", times="×" if _can_print("×10⁻⁴") else "e")
    click.echo(f"{printable(net.name)}: {net.shape_line()}")
    how = "gradient descent" if optimizer == "sgd" else OPTIMIZERS[optimizer].display
    click.echo(f"{count} steps of {how}, learning rate {net.learning_rate:g}"
               + (f", gradients clipped to norm {clip:g}" if clip is not None else "")
               + (f"; frozen: {', '.join(frozen)}" if frozen else ""))
    click.echo("")
    picks = shown_steps(count)
    width = max(4, len(str(count)))
    click.echo(f"{'step':>{width}}  loss")
    for k in picks:
        click.echo(f"{k:>{width}}  {fmt(result.losses[k], 4, **style)}")
    if len(picks) < count + 1:
        click.echo(f"({len(picks)} of {count + 1} losses; --json lists every one)")


PARAM_HELP = "the parameter a scene follows (chain-rule, nudge), e.g. W1[1,2]"
SCENE_NETWORK_HELP = NETWORK_HELP.replace("default: seed", "default: the scene's own, seed for most")


@cli.command()
@click.argument("scene_names", metavar="[SCENE]...", nargs=-1)
@click.option("--network", help=SCENE_NETWORK_HELP)
@click.option("--param", help=PARAM_HELP)
@click.option("--quality", type=click.Choice(["low", "medium", "high", "4k"]), default="low", show_default=True)
@click.option("--format", "fmt_", type=click.Choice(["mp4", "gif", "webm", "mov", "png"]), default="mp4",
              show_default=True, help="png: the last frame, the annotated network")
@click.option("--output-dir", default="media", show_default=True, type=click.Path(file_okay=False))
@click.option("--theme", "theme_file", metavar="NAME|FILE", help=THEME_HELP)
@click.option("--transparent", is_flag=True, help="an alpha channel, to lay the video over a slide (webm, mov, png)")
@click.option("--still", metavar="STEP", help="only a PNG of the frame at the end of beat STEP (its number or "
              "caption, as `backprop transcript` lists them)")
@click.option("--poster", is_flag=True, help="also NAME.poster.png beside the video: the network with every gradient")
@click.option("--voice", is_flag=True, help="read each beat's sentence into the sound track (espeak-ng, offline)")
@click.option("--voice-name", metavar="VOICE", help="--voice: an espeak-ng voice (espeak-ng --voices), e.g. en-us")
@click.option("--speed", type=click.IntRange(80, 450), help="--voice: words per minute (default 150)")
@click.option("--narration", metavar="DIR", help="your own recordings as the sound track: DIR/01.wav, 02.mp3, … "
              "one per beat, numbered as `backprop transcript` lists them")
@click.option("--jobs", type=click.IntRange(1, 64), default=None,
              help="lecture chapters rendered at once (default: the number of cores)")
@click.option("--aspect", type=click.Choice(ASPECT_CHOICES), default="16:9", show_default=True,
              help="the frame: 854×480, 640×480, 480×480, 480×854 at low quality")
@click.pass_context
def render(ctx, scene_names, network, param, quality, fmt_, output_dir, theme_file, transparent, still, poster, voice,
           voice_name, speed, narration, jobs, aspect):
    """Render scenes (default: backward) as video or still; prints the written paths."""
    if "lecture" in scene_names:
        if transparent or still is not None or poster or voice or narration or aspect != "16:9":
            raise UserError("scene: the lecture takes no --transparent, --still, --poster, --voice, --narration or "
                            "--aspect; "
                            "render a scene for those")
        return _render_lecture(scene_names, network, param, quality, fmt_, output_dir, theme_file, jobs)
    format_given = ctx.get_parameter_source("fmt_") != click.core.ParameterSource.DEFAULT
    _check_frame_options(fmt_, format_given, transparent, still, poster)
    fmt_ = "png" if still is not None else fmt_
    voice = _narration(fmt_, voice, voice_name, speed, narration)
    scene_jobs, theme = _scene_inputs(scene_names or ("backward",), network, theme_file, param, aspect)
    try:
        from backprop.output.render.progress import Bar
        from backprop.output.render.scene import check_targets, render_scene
    except ImportError as e:
        raise UserError(f"manim cannot be imported ({e}); {INSTALL_HINT}") from None
    for job in scene_jobs:
        check_targets([job.scene], job.timeline.network["name"], fmt_, output_dir, poster, still)
    for job in scene_jobs:
        with Bar(job.scene, "animations") as bar:
            paths = render_scene(job.scene, job.timeline, quality=quality, fmt=fmt_, output_dir=output_dir,
                                 theme=theme, param=job.param, network=job.network, voice=voice,
                                 transparent=transparent, still=still, poster=poster, bar=bar,
                                 aspect=aspect)
        for path in paths:
            click.echo(path)


def _check_frame_options(fmt: str, format_given: bool, transparent: bool, still: str | None, poster: bool) -> None:
    """--transparent, --still and --poster against the format, before anything is built."""
    if transparent and fmt in ("mp4", "gif") and not (still is not None and not format_given):
        raise UserError(f"transparent: {fmt} has no alpha channel; use --format webm or mov (or png for a still)")
    if still is not None:
        if not still.strip():
            raise UserError("still: expected a beat number or caption (backprop transcript lists them)")
        if format_given and fmt != "png":
            raise UserError(f"still: writes a PNG; drop --format {fmt}")
        if poster:
            raise UserError("poster: goes beside a video; --still writes one frame already")
    if poster and fmt == "png":
        raise UserError("poster: goes beside a video; --format png is a still already")


def _lecture_inputs(scene_names, network, param, theme_file):
    """The lecture's chapters and theme, checked before manim is imported."""
    if len(scene_names) > 1:
        raise UserError("scene: the lecture renders alone (it holds every scene); render the others separately")
    if param is not None:
        raise UserError("param: the lecture's chapters follow their own parameters; --param is for one scene")
    from backprop.output.render.lecture import chapters
    from backprop.story.theme import Theme, load_theme

    net = load_network(network) if network else None
    if net is not None:
        build_timeline(net)  # validates both passes, as for a scene
    return net, chapters(net), (load_theme(theme_file) if theme_file else Theme())


def _render_lecture(scene_names, network, param, quality, fmt_, output_dir, theme_file, jobs):
    from backprop.output.render import lecture
    if fmt_ not in lecture.VIDEO_FORMATS:
        raise UserError(f"format: the lecture is a video ({', '.join(lecture.VIDEO_FORMATS)}), not {fmt_}")
    net, parts, theme = _lecture_inputs(scene_names, network, param, theme_file)
    try:
        from backprop.output.render.progress import Bar
        import backprop.output.render.scene  # noqa: F401  (manim: its absence is a setup problem)
    except ImportError as e:
        raise UserError(f"manim cannot be imported ({e}); {INSTALL_HINT}") from None
    if jobs is None:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    with Bar("lecture", "chapters") as bar:
        paths = lecture.render(parts, theme, quality, fmt_, output_dir, jobs, lecture.stem(net), bar=bar)
    for path in paths:
        click.echo(path)


@cli.command()
@click.argument("scene", required=False, default="backward")
@click.option("--network", help=SCENE_NETWORK_HELP)
@click.option("--param", help=PARAM_HELP)
@click.option("--theme", "theme_file", metavar="NAME|FILE", help=THEME_HELP)
@click.option("--json", "as_json", is_flag=True, help="machine-readable: every item with start, end, role, px")
@click.option("--aspect", type=click.Choice(ASPECT_CHOICES), default="16:9", show_default=True,
              help="the frame the scene is laid out for")
def transcript(scene, network, param, theme_file, as_json, aspect):
    """Every text a scene shows, with its times (course notes; the text alternative of a video)."""
    if scene == "lecture":
        net, parts, theme = _lecture_inputs([scene], network, param, theme_file)
        try:
            from backprop.output.render import lecture
            data = lecture.transcript(parts, theme, net)
        except ImportError as e:
            raise UserError(f"manim cannot be imported ({e}); {INSTALL_HINT}") from None
        click.echo(json.dumps(data, indent=1, ensure_ascii=False) if as_json else lecture.plain(data), nl=as_json)
        return
    (job,), theme = _scene_inputs([scene], network, theme_file, param, aspect)
    try:
        from backprop.output.render.transcript import plain, transcript as played
    except ImportError as e:
        raise UserError(f"manim cannot be imported ({e}); {INSTALL_HINT}") from None
    data = played(job.scene, job.timeline, theme, param=job.param, network=job.network, aspect=aspect)
    click.echo(json.dumps(data, indent=1, ensure_ascii=False) if as_json else plain(data), nl=as_json)


@cli.command()
@click.argument("course_file", metavar="COURSE.toml")
@click.option("--output-dir", required=True, type=click.Path(file_okay=False), help="where the site goes")
@click.option("--jobs", type=click.IntRange(1, 256), help="worker processes on this machine (default: all cores)")
@click.option("--scheduler", help="a Dask scheduler's address (tcp://host:8786, tls://host:8786) to render on its cluster")
@click.option("--security", metavar="FILE", help=SECURITY_HELP)
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
        click.echo(f"backprop: lesson {slug} failed: {_one_line(why)}", err=True)
    if summary.failed:
        sys.exit(1)


@cli.command()
@click.argument("roster", metavar="ROSTER.csv", type=click.Path(dir_okay=False))
@click.option("--course-seed", required=True, help="any text; the same seed and id always give the same network")
@click.option("--output-dir", required=True, type=click.Path(file_okay=False))
@click.option("--shape", default="2-2-1", show_default=True, help="inputs-hidden…-1 (ReLU hidden, sigmoid output)")
@click.option("--dead", is_flag=True, help="every network has exactly one dead ReLU unit (an exercise about them)")
@click.option("--videos/--no-videos", default=True, show_default=True, help="render solution.mp4 per student")
@click.option("--jobs", type=click.IntRange(1, 256), help="worker processes on this machine (default: all cores)")
@click.option("--scheduler", help="a Dask scheduler's address to render the solutions on its cluster")
@click.option("--security", metavar="FILE", help=SECURITY_HELP)
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
        click.echo(f"backprop: solution for {sid} failed: {_one_line(why)}", err=True)
    if failed:
        sys.exit(1)


@cli.command()
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
    try:
        import manim  # noqa: F401
    except ImportError as e:
        raise UserError(f"manim cannot be imported ({e}); {INSTALL_HINT}") from None
    return build(jobs or os.cpu_count() or 1, cluster)


def _narration(fmt: str, voice: bool, voice_name: str | None, speed: int | None, recordings: str | None):
    """--voice (with --voice-name, --speed) or --narration, checked: False, or a recordings.Narration."""
    from backprop.output.render.voice import ENGINE, INSTALL, WORDS_PER_MINUTE, available, has_voice

    if not voice and (voice_name or speed):
        raise UserError(f"{'voice-name' if voice_name else 'speed'}: goes with --voice (espeak-ng reading the beats)")
    if voice and recordings:
        raise UserError("narration: your recordings are the narration; leave out --voice")
    if not (voice or recordings):
        return False
    field = "voice" if voice else "narration"
    if fmt in ("gif", "png"):
        raise UserError(f"{field}: a {fmt.upper()} has no sound; use --format mp4, webm or mov")
    from backprop.output.render.recordings import Narration, find_recordings

    if recordings:
        if not os.path.isdir(recordings):
            raise UserError(f"narration: '{recordings}' is not a folder (of recordings 01.wav, 02.mp3, …)")
        find_recordings(recordings)  # every file readable, before anything renders
        return Narration(recordings=recordings)
    if not available():
        raise UserError(f"voice: the speech engine {ENGINE} is not installed; {INSTALL}")
    if voice_name is not None and not has_voice(voice_name):
        raise UserError(f"voice-name: {ENGINE} has no voice '{voice_name}' ({ENGINE} --voices lists them)")
    return Narration(voice_name=voice_name, speed=speed or WORDS_PER_MINUTE)


@cli.command()
@click.argument("scene", required=False, default="backward")
@click.option("--network", help=SCENE_NETWORK_HELP)
@click.option("--quality", type=click.Choice(["low", "medium", "high", "4k"]), default="low", show_default=True)
@click.option("--output-dir", default="media", show_default=True, type=click.Path(file_okay=False))
@click.option("--theme", "theme_file", metavar="NAME|FILE", help=THEME_HELP)
@click.option("--pptx", is_flag=True, help="a PowerPoint file too")
def slides(scene, network, quality, output_dir, theme_file, pptx):
    """A presentation with a slide at every beat (narration as speaker notes): one offline HTML file."""
    (job,), theme = _scene_inputs([scene], network, theme_file)
    try:
        from backprop.output.material.slides import build_slides
    except ImportError as e:
        raise UserError(f"manim cannot be imported ({e}); {INSTALL_HINT}") from None
    for path in build_slides(scene, job.timeline, output_dir=output_dir, quality=quality, theme=theme,
                             pptx=pptx, network=job.network):
        click.echo(path)


@cli.command()
@click.argument("scene", required=False, default="backward")
@click.option("--network", help=SCENE_NETWORK_HELP)
@click.option("--theme", "theme_file", metavar="NAME|FILE", default="print", show_default=True,
              help=THEME_HELP.replace("dark (default)", "print (default), dark"))
@click.option("--output", type=click.Path(dir_okay=False), help="FILE.pdf (default: media/SCENE-NETWORK.pdf)")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True)
def handout(scene, network, theme_file, output, paper):
    """Printed notes as a PDF: the network, each beat's last frame (vector) with its sentence, the table."""
    if output is not None and not output.lower().endswith(".pdf"):
        raise UserError(f"output: a handout is a PDF; name it FILE.pdf, not '{output}'")
    if scene == "lecture":
        net, parts, theme = _lecture_inputs([scene], network, None, theme_file)
        jobs = [(c.scene, build_timeline(c.network), c.network, c.title) for c in parts]
        from backprop.output.render.lecture import stem as lecture_stem

        stem = lecture_stem(net)
    else:
        (job,), theme = _scene_inputs([scene], network, theme_file)
        jobs, stem = [(scene, job.timeline, job.network, "")], f"{safe_name(scene)}-{safe_name(job.network.name)}"
    output = output or os.path.join("media", f"{stem}.pdf")
    check_target(output)
    try:
        from backprop.output.material import handout_pdf
    except ImportError as e:
        raise UserError(f"manim cannot be imported ({e}); {INSTALL_HINT}") from None
    played = [handout_pdf.play(name, timeline, theme, network=net, title=title) for name, timeline, net, title in jobs]
    click.echo(handout_pdf.write_handout(played, output, paper))


INSTALL_HINT = ("run ./setup.sh, or install the system libraries libcairo2-dev libpango1.0-dev pkg-config and "
                "then pip install -e .")


@dataclass(frozen=True)
class SceneJob:
    scene: str
    network: object  # backprop.engine.spec.Network
    timeline: object  # backprop.engine.timeline.Timeline
    param: str | None  # canonical (`W1[1,2]`), or None: the scene's own choice


def _scene_inputs(names, network: str | None, theme_file: str | None, param: str | None = None,
                  aspect: str = "16:9"):
    """The scene names checked, each scene's timeline built (which validates the spec and both passes
    before manim is even imported; a network shared by several scenes is built once), checked playable
    by its scene, and the theme read."""
    for name in names:
        if name not in SCENES:
            raise UserError(f"scene: unknown '{name}'{suggest(name, SCENES)}; scenes: {', '.join(SCENES)}")
    if param is not None and not any(SCENES[n].takes_param for n in names):
        takers = ", ".join(n for n, s in SCENES.items() if s.takes_param) or "none"
        raise UserError(f"param: {', '.join(names)} follows no single parameter (scenes that do: {takers})")
    built: dict[str, tuple] = {}
    jobs = []
    for name in names:
        source = network or SCENES[name].network
        if source not in built:
            net = load_network(source)
            built[source] = (net, build_timeline(net))
        net, timeline = built[source]
        reason = cannot_play(name, net, aspect)
        if reason:
            raise UserError(f"network: {reason}")
        canonical = None
        if param is not None and SCENES[name].takes_param:
            canonical = element_name(*resolve_param(net, param))
        jobs.append(SceneJob(name, net, timeline, canonical))
    from backprop.story.theme import Theme, load_theme

    return jobs, (load_theme(theme_file) if theme_file else Theme())


def main(argv=None):
    args = list(sys.argv[1:] if argv is None else argv) or ["--help"]
    before = _handle_signals()
    try:
        _plain_streams()
        _check_cwd()
        # make_context + invoke rather than cli.main: click's main prints its own newline on Ctrl-C.
        with cli.make_context("backprop", args) as ctx:
            cli.invoke(ctx)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except BrokenPipeError:  # `backprop gradients | head -1`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        sys.exit(128 + signal.SIGPIPE)
    except click.ClickException as e:
        click.echo(f"backprop: {_one_line(e.format_message())}", err=True)
        sys.exit(2)
    except click.Abort:
        click.echo("backprop: interrupted; nothing was written", err=True)
        sys.exit(130)
    except (SpecError, UserError, OutputError) as e:
        click.echo(f"backprop: {_one_line(str(e))}", err=True)
        sys.exit(2)
    except KeyboardInterrupt as e:
        signum = getattr(e, "signum", signal.SIGINT)
        what = "interrupted" if signum == signal.SIGINT else f"stopped by {signal.Signals(signum).name}"
        click.echo(f"backprop: {what}; {getattr(e, 'written', 'nothing was written')}", err=True)
        sys.exit(128 + signum)
    except OSError as e:
        click.echo(f"backprop: {_one_line(e.strerror or str(e))}" + (f": {e.filename}" if e.filename else ""),
                   err=True)
        sys.exit(2)
    except Exception as e:  # a bug of ours: still one line, the traceback on request
        if os.environ.get("BACKPROP_DEBUG"):
            raise
        click.echo(f"backprop: internal error: {_one_line(f'{type(e).__name__}: {e}')} "
                   "(run with BACKPROP_DEBUG=1 for the traceback, and please report it)", err=True)
        sys.exit(1)
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def _handle_signals() -> dict:
    """SIGTERM and SIGHUP (a closed terminal, `kill`) unwind like Ctrl-C; returns the handlers before."""
    def stop(signum, frame):
        for s in STOP_SIGNALS:  # one is enough: a second must not interrupt the cleanup
            signal.signal(s, signal.SIG_IGN)
        raise Interrupted(signum)

    try:
        return {s: signal.signal(s, stop) for s in STOP_SIGNALS}
    except ValueError:  # not the main thread (an embedding program): leave its handlers alone
        return {}


def _plain_streams() -> None:
    """On a terminal that cannot show "→" (PYTHONIOENCODING=latin-1, LANG=C), print plain stand-ins."""
    for stream in (sys.stdout, sys.stderr):
        try:
            "→−₁".encode(stream.encoding or "ascii")
        except (UnicodeEncodeError, LookupError):
            try:
                stream.reconfigure(errors="backprop-plain")
            except (AttributeError, ValueError):
                pass


def _can_print(text: str) -> bool:
    try:
        text.encode(sys.stdout.encoding or "ascii")
        return True
    except (UnicodeEncodeError, LookupError):
        return False


def _check_cwd() -> None:
    try:
        os.getcwd()
    except FileNotFoundError:
        raise UserError("the current folder no longer exists (deleted or moved); cd into a folder that "
                        "does, then run the command again") from None


def _one_line(text: str) -> str:
    return printable(" ".join(text.split()))


if __name__ == "__main__":
    main()
