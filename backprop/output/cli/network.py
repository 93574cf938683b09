"""The engine's commands: a network's numbers (gradients, timeline, finite-difference check, training),
answered without importing manim."""

from __future__ import annotations

import json
import sys

import click

from backprop.engine.gradient_check import finite_difference_check
from backprop.engine.graph.presets import GRAPH_PRESETS
from backprop.engine.graph.spec import Graph
from backprop.engine.labels import fmt
from backprop.engine.optimizers import OPTIMIZERS
from backprop.engine.presets import PRESETS
from backprop.engine.report import gradients_document, report_from_engine
from backprop.engine.spec import load_network
from backprop.engine.timeline import GRANULARITIES, build_timeline
from backprop.output.cli.errors import UserError
from backprop.output.cli.options import json_option, network_argument
from backprop.output.cli.terminal import can_print, number_style, printable
from backprop.output.material.handouts import FORMATS
from backprop.output.render.files import write_output
from backprop.scenes.catalog import SCENES

TABLE_ROWS = 60  # parameters the plain gradient table lists before it keeps only the largest


@click.command("list")
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


@click.command()
@network_argument
@click.option("--format", "table_format", type=click.Choice(["text", *FORMATS, "json"]),
              default=None, help="text (default), markdown, csv (every parameter, every digit), latex, json")
@json_option("the same as --format json")
def gradients(network, table_format, as_json):
    """Loss, every gradient, and the parameters after one update."""
    if as_json and table_format not in (None, "json"):
        raise UserError(f"format: --json asks for json, --format for {table_format}; give one of them")
    net = load_network(network)
    if isinstance(net, Graph):
        return _graph_gradients(net, "json" if as_json else table_format or "text")
    if table_format in FORMATS:
        report = report_from_engine(net, limit=None if table_format == "csv" else TABLE_ROWS)
        click.echo(FORMATS[table_format](report).encode("utf-8"), nl=False)  # UTF-8 whatever the terminal
        return
    if as_json or table_format == "json":
        click.echo(json.dumps(gradients_document(net), indent=2))
        return
    report = report_from_engine(net, limit=TABLE_ROWS)
    style = number_style()
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
    from backprop.engine.graph.gradient_check import gradients_document as graph_document

    doc = graph_document(graph)
    if table_format == "json":
        click.echo(json.dumps(doc, indent=2))
        return
    if table_format != "text":
        raise UserError(f"format: a graph's gradients come as text or json, not {table_format}")
    style = number_style()
    out = graph.output
    click.echo(f"{printable(graph.name)}: {graph.shape_line()}")
    click.echo(f"{out} = {fmt(doc['value'], 4, **style)}")
    click.echo("")
    table = [("name", "value", f"d{out}/dname" if not can_print("∂") else f"∂{out}/∂name", "updated")]
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


@click.command()
@network_argument
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


@click.command()
@network_argument
def check(network):
    """Finite-difference check of every gradient; exit 1 if one disagrees."""
    net = load_network(network)
    if isinstance(net, Graph):
        from backprop.engine.graph.gradient_check import graph_check

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


@click.command()
@network_argument
@click.option("--steps", default="100", show_default=True, help="gradient-descent steps to take")
@json_option("machine-readable: losses and the final parameters")
@click.option("--optimizer", type=click.Choice(list(OPTIMIZERS)), default="sgd", show_default=True,
              help="sgd: w − η·g; momentum 0.9; adam β₁ 0.9, β₂ 0.999, ε 10⁻⁸ (PyTorch's defaults)")
@click.option("--clip-norm", metavar="C", help="scale the gradients down to norm C when their norm "
              "(over all parameters together) is larger, before each step")
def train(network, steps, as_json, optimizer, clip_norm):
    """Gradient descent at the spec's learning rate: the loss step by step, the parameters after it."""
    from backprop.engine.frozen import frozen_names
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
    style = number_style()
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
