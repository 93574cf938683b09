"""`backprop`: the command line. Engine-only commands never import manim, so they answer instantly.

Every failure a user can cause ends as one line on stderr and exit status 2; no traceback.
"""

from __future__ import annotations

import json
import os
import sys

import click
import numpy as np

from engine.check import finite_difference_check
from engine.labels import Symbols, element_name, fmt
from engine.presets import PRESETS
from engine.spec import SpecError, load_network, suggest
from engine.timeline import GRANULARITIES, build_timeline
from scenes.catalog import SCENES
from scenes.output import OutputError, write_atomic

NETWORK_HELP = "a preset name (default: seed) or a JSON/TOML spec file"
TABLE_ROWS = 60  # parameters the plain gradient table lists before it keeps only the largest


class UserError(Exception):
    """A problem with what the user asked for: printed as one line, exit status 2."""


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
    from engine.backward import backward, update
    from engine.forward import forward

    net = load_network(network)
    fwd = forward(net)
    grads = backward(net, fwd).grads
    updated = update(net, grads)
    if as_json:
        click.echo(json.dumps({
            "network": net.name,
            "loss": fwd.loss,
            "outputs": fwd.y.tolist(),
            "gradients": {k: v.tolist() for k, v in grads.items()},
            "updated": {k: v.tolist() for k, v in updated.items()},
            "learning_rate": net.learning_rate,
        }, indent=2))
        return
    sym = Symbols(net.sizes)
    outputs = "; ".join("[" + ", ".join(fmt(v, minus="-") for v in row) + "]" for row in fwd.y)
    click.echo(f"{net.name}: {net.shape_line()}")
    click.echo(f"loss L = {fmt(fwd.loss, 4, minus='-')}    output y = {outputs}")
    click.echo("")
    rows = [("parameter", "", "value", "gradient", "updated", "to reduce the loss")]
    shown = None
    if net.n_params > TABLE_ROWS:  # the largest gradients; --json has every one
        flat = [(abs(float(grads[name][idx])), name, idx) for name, array in net.params().items()
                for idx in np.ndindex(array.shape)]
        shown = {(name, idx) for _, name, idx in sorted(flat, key=lambda r: -r[0])[:TABLE_ROWS]}
    for name, array in net.params().items():
        for idx in np.ndindex(array.shape):
            if shown is not None and (name, idx) not in shown:
                continue
            pname = element_name(name, idx)
            g = float(grads[name][idx])
            what = "weight" if name[0] == "W" else "bias"
            meaning = f"increase this {what}" if g < 0 else f"decrease this {what}" if g > 0 else "no change"
            rows.append((pname, sym.param_path(pname), fmt(float(array[idx]), minus="-"),
                         fmt(g, minus="-", plus=True), fmt(float(updated[name][idx]), 4, minus="-"), meaning))
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    for r in rows:
        click.echo("  ".join(cell.ljust(w) if c in (0, 1, 5) else cell.rjust(w)
                             for c, (cell, w) in enumerate(zip(r, widths))).rstrip())
    if shown is not None:
        click.echo(f"(the {TABLE_ROWS} largest of {net.n_params:,} gradients; --json lists every one)")
    click.echo(f"\nupdated = value − {net.learning_rate:g} × gradient (one gradient-descent step)")


@cli.command()
@click.argument("network", required=False, default="seed")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="write to FILE instead of stdout")
@click.option("--granularity", type=click.Choice(GRANULARITIES), default="auto", show_default=True,
              help="scalar: one event per unit and edge; layer: one per layer; auto picks by size")
def timeline(network, output, granularity):
    """The timeline of the backward pass, as JSON."""
    text = build_timeline(load_network(network), granularity).to_json(indent=1) + "\n"
    if output:
        write_atomic(output, text.encode("utf-8"))
        click.echo(output)
    else:
        click.echo(text, nl=False)


@cli.command()
@click.argument("network", required=False, default="seed")
def check(network):
    """Finite-difference check of every gradient; exit 1 if one disagrees."""
    net = load_network(network)
    result = finite_difference_check(net)
    click.echo(f"{net.name}: checked {result.checked} parameters, worst relative error "
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
def render(scene_names, network, quality, fmt_, output_dir, theme_file):
    """Render scenes (default: backward) as video or still; prints the written paths."""
    names = scene_names or ("backward",)
    for name in names:
        if name not in SCENES:
            raise UserError(f"scene: unknown '{name}'{suggest(name, SCENES)}; scenes: {', '.join(SCENES)}")
    net = load_network(network)  # validate (spec, forward and backward) before manim is even imported
    timeline = build_timeline(net)
    from scenes.theme import Theme, load_theme

    theme = load_theme(theme_file) if theme_file else Theme()
    try:
        from scenes.render import render_scene
    except ImportError as e:
        raise UserError(f"manim cannot be imported ({e}); run ./setup.sh, or install the system libraries "
                        "libcairo2-dev libpango1.0-dev pkg-config and then pip install -e .") from None
    for name in names:
        for path in render_scene(name, net, quality=quality, fmt=fmt_, output_dir=output_dir, theme=theme,
                                 timeline=timeline):
            click.echo(path)


def main(argv=None):
    args = list(sys.argv[1:] if argv is None else argv) or ["--help"]
    try:
        # make_context + invoke rather than cli.main: click's main prints its own newline on Ctrl-C.
        with cli.make_context("backprop", args) as ctx:
            cli.invoke(ctx)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.ClickException as e:
        click.echo(f"backprop: {_one_line(e.format_message())}", err=True)
        sys.exit(2)
    except click.Abort:
        click.echo("backprop: interrupted; nothing was written", err=True)
        sys.exit(130)
    except (SpecError, UserError, OutputError) as e:
        click.echo(f"backprop: {_one_line(str(e))}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("backprop: interrupted; nothing was written", err=True)
        sys.exit(130)
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


def _one_line(text: str) -> str:
    return " ".join(text.split())


if __name__ == "__main__":
    main()
