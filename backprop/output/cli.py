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

import click  # noqa: E402

from backprop.engine.check import finite_difference_check  # noqa: E402
from backprop.engine.labels import fmt  # noqa: E402
from backprop.engine.presets import PRESETS  # noqa: E402
from backprop.engine.report import report_from_engine  # noqa: E402
from backprop.engine.spec import SpecError, load_network, suggest  # noqa: E402
from backprop.engine.timeline import GRANULARITIES, build_timeline  # noqa: E402
from backprop.output.files import OutputError, write_output  # noqa: E402
from backprop.scenes.catalog import SCENES  # noqa: E402
from backprop.story.frame import ASPECTS  # noqa: E402

if _SIGINT_BEFORE is not None:
    signal.signal(signal.SIGINT, _SIGINT_BEFORE)

NETWORK_HELP = "a preset name (default: seed) or a JSON/TOML spec file"
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
    click.echo("presets:")
    for name, spec in PRESETS.items():
        click.echo(f"  {name:14} {spec['description']}")


@cli.command()
@click.argument("network", required=False, default="seed")
@click.option("--json", "as_json", is_flag=True, help="machine-readable output")
def gradients(network, as_json):
    """Loss, every gradient, and the parameters after one update."""
    if as_json:
        from backprop.engine.backward import backward, update
        from backprop.engine.forward import forward

        net = load_network(network)
        fwd = forward(net)
        grads = backward(net, fwd).grads
        updated = update(net, grads)
        click.echo(json.dumps({
            "network": net.name,
            "loss": fwd.loss,
            "outputs": fwd.y.tolist(),
            "gradients": {k: v.tolist() for k, v in grads.items()},
            "updated": {k: v.tolist() for k, v in updated.items()},
            "learning_rate": net.learning_rate,
        }, indent=2))
        return
    report = report_from_engine(load_network(network), limit=TABLE_ROWS)
    # as the video writes numbers, without spaces inside one (a column stays one word): 4.4×10⁻⁴
    style = dict(minus="-", times="×" if _can_print("×10⁻⁴") else "e")
    outputs = "; ".join("[" + ", ".join(fmt(v, **style) for v in row) + "]" for row in report.outputs)
    click.echo(f"{printable(report.network)}: {report.shape}")
    click.echo(f"loss L = {fmt(report.loss, 4, **style)}    output y = {outputs}")
    click.echo("")
    table = [("parameter", "", "value", "gradient", "updated", "to reduce the loss")]
    for r in report.rows:
        meaning = "no change" if r.advice == "leave" else f"{r.advice} this {r.kind}"
        table.append((r.symbol, r.path, fmt(r.value, **style), fmt(r.gradient, plus=True, **style),
                      fmt(r.updated, 4, **style), meaning))
    widths = [max(len(r[c]) for r in table) for c in range(len(table[0]))]
    for r in table:
        click.echo("  ".join(cell.ljust(w) if c in (0, 1, 5) else cell.rjust(w)
                             for c, (cell, w) in enumerate(zip(r, widths))).rstrip())
    if report.left_out:
        click.echo(f"(the {TABLE_ROWS} largest of {report.total:,} gradients; --json lists every one)")
    click.echo(f"\nupdated = value − {report.learning_rate:g} × gradient (one gradient-descent step)")


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
    result = finite_difference_check(net)
    click.echo(f"{printable(net.name)}: checked {result.checked} parameters, worst relative error "
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
@click.argument("scene_names", metavar="[SCENE]...", nargs=-1)
@click.option("--network", default="seed", show_default=True, help=NETWORK_HELP)
@click.option("--quality", type=click.Choice(["low", "medium", "high", "4k"]), default="low", show_default=True)
@click.option("--format", "fmt_", type=click.Choice(["mp4", "gif", "webm", "mov", "png"]), default="mp4",
              show_default=True, help="png: the last frame, the annotated network")
@click.option("--output-dir", default="media", show_default=True, type=click.Path(file_okay=False))
@click.option("--theme", "theme_file", type=click.Path(dir_okay=False), help="a JSON/TOML file of theme fields")
@click.option("--aspect", type=click.Choice(ASPECT_CHOICES), default="16:9", show_default=True,
              help="the frame: 854×480, 640×480, 480×480, 480×854 at low quality")
def render(scene_names, network, quality, fmt_, output_dir, theme_file, aspect):
    """Render scenes (default: backward) as video or still; prints the written paths."""
    names = scene_names or ("backward",)
    timeline, theme = _scene_inputs(names, network, theme_file)
    try:
        from backprop.output.rendering import check_targets, render_scene
    except ImportError as e:
        raise UserError(f"manim cannot be imported ({e}); {INSTALL_HINT}") from None
    check_targets(names, timeline.network["name"], fmt_, output_dir)
    for name in names:
        for path in render_scene(name, timeline, quality=quality, fmt=fmt_, output_dir=output_dir, theme=theme,
                                 aspect=aspect):
            click.echo(path)


@cli.command()
@click.argument("scene", required=False, default="backward")
@click.option("--network", default="seed", show_default=True, help=NETWORK_HELP)
@click.option("--theme", "theme_file", type=click.Path(dir_okay=False), help="a JSON/TOML file of theme fields")
@click.option("--json", "as_json", is_flag=True, help="machine-readable: every item with start, end, role, px")
@click.option("--aspect", type=click.Choice(ASPECT_CHOICES), default="16:9", show_default=True,
              help="the frame the scene is laid out for")
def transcript(scene, network, theme_file, as_json, aspect):
    """Every text a scene shows, with its times (course notes; the text alternative of a video)."""
    timeline, theme = _scene_inputs([scene], network, theme_file)
    try:
        from backprop.output.transcript import plain, transcript as played
    except ImportError as e:
        raise UserError(f"manim cannot be imported ({e}); {INSTALL_HINT}") from None
    data = played(scene, timeline, theme, aspect)
    click.echo(json.dumps(data, indent=1, ensure_ascii=False) if as_json else plain(data), nl=as_json)


INSTALL_HINT = ("run ./setup.sh, or install the system libraries libcairo2-dev libpango1.0-dev pkg-config and "
                "then pip install -e .")


def _scene_inputs(names, network: str, theme_file: str | None):
    """The scene names checked, the timeline built once (which validates the spec and both passes
    before manim is even imported) and the theme read."""
    for name in names:
        if name not in SCENES:
            raise UserError(f"scene: unknown '{name}'{suggest(name, SCENES)}; scenes: {', '.join(SCENES)}")
    timeline = build_timeline(load_network(network))
    from backprop.story.theme import Theme, load_theme

    return timeline, (load_theme(theme_file) if theme_file else Theme())


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
        click.echo(f"backprop: {what}; nothing was written", err=True)
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
