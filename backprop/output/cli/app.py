"""The `backprop` group and its entry point: every command registered, every failure one line."""

from __future__ import annotations

import os
import signal
import sys

import click

from backprop.engine.spec import SpecError
from backprop.output.cli import course, material, network, video
from backprop.output.cli.errors import STOP_SIGNALS, Interrupted, UserError
from backprop.output.cli.terminal import one_line, plain_streams
from backprop.output.render.files import OutputError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli():
    """Lecture videos of backpropagation, from real numbers."""


for command in (network.list_cmd, network.gradients, network.timeline, network.check, network.train,
                video.render, video.transcript, material.slides, material.handout,
                course.course, course.exercises, course.serve):
    cli.add_command(command)


def main(argv=None):
    args = list(sys.argv[1:] if argv is None else argv) or ["--help"]
    before = _handle_signals()
    try:
        plain_streams()
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
        click.echo(f"backprop: {one_line(e.format_message())}", err=True)
        sys.exit(2)
    except click.Abort:
        click.echo("backprop: interrupted; nothing was written", err=True)
        sys.exit(130)
    except (SpecError, UserError, OutputError) as e:
        click.echo(f"backprop: {one_line(str(e))}", err=True)
        sys.exit(2)
    except KeyboardInterrupt as e:
        signum = getattr(e, "signum", signal.SIGINT)
        what = "interrupted" if signum == signal.SIGINT else f"stopped by {signal.Signals(signum).name}"
        click.echo(f"backprop: {what}; {getattr(e, 'written', 'nothing was written')}", err=True)
        sys.exit(128 + signum)
    except OSError as e:
        click.echo(f"backprop: {one_line(e.strerror or str(e))}" + (f": {e.filename}" if e.filename else ""),
                   err=True)
        sys.exit(2)
    except Exception as e:  # a bug of ours: still one line, the traceback on request
        if os.environ.get("BACKPROP_DEBUG"):
            raise
        click.echo(f"backprop: internal error: {one_line(f'{type(e).__name__}: {e}')} "
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


def _check_cwd() -> None:
    try:
        os.getcwd()
    except FileNotFoundError:
        raise UserError("the current folder no longer exists (deleted or moved); cd into a folder that "
                        "does, then run the command again") from None
