"""Options several commands share, one decorator each (as manim-slides does): each is spelled, checked
and explained once, and a command's options read as a list."""

from __future__ import annotations

import click

from backprop.output.cli.errors import UserError
from backprop.story.frame import ASPECTS, QUALITIES

NETWORK_HELP = "a preset name (default: seed) or a JSON/TOML spec file"
THEME_HELP = "dark (default), light, print, high-contrast, or a JSON/TOML file of theme fields (base = a name)"
SECURITY_HELP = ("with --scheduler tls://…: a TOML/JSON file of tls_ca_file, tls_client_cert, tls_client_key "
                 "(Dask's Security fields; paths relative to the file)")

# the engine's commands: NETWORK as an argument
network_argument = click.argument("network", required=False, default="seed")
# a scene's: --network, else the scene's own
network_option = click.option("--network", help=NETWORK_HELP.replace("default: seed", "default: the scene's own, seed for most"))
param_option = click.option("--param", help="the parameter a scene follows (chain-rule, nudge), e.g. W1[1,2]")
quality_option = click.option("--quality", type=click.Choice(QUALITIES), default="low", show_default=True)


def _language(ctx, param, value: str | None) -> str | None:
    """--language checked while the options are read: before anything is built or written."""
    from backprop.language import LanguageError, check_language

    if value is None:
        return None
    try:
        return check_language(value.strip())
    except LanguageError as e:
        raise UserError(f"language: {e}") from None


language_option = click.option("--language", metavar="LANG", callback=_language,
                               help="captions, cards and narration in LANG: en (default), de (README: Your language)")


def output_dir_option(help: str | None = None, required: bool = False):
    """--output-dir: `media` unless the command needs one named (a course site, the students' folders)."""
    if required:
        return click.option("--output-dir", required=True, type=click.Path(file_okay=False), help=help)
    return click.option("--output-dir", default="media", show_default=True, type=click.Path(file_okay=False),
                        help=help)


def theme_option(default: str | None = None):
    """--theme NAME|FILE, read into `theme_file`; dark unless the command's default differs (print)."""
    return click.option("--theme", "theme_file", metavar="NAME|FILE", default=default,
                        show_default=default is not None,
                        help=THEME_HELP.replace("dark (default)", f"{default} (default), dark") if default else THEME_HELP)


def aspect_option(help: str):
    return click.option("--aspect", type=click.Choice(list(ASPECTS)), default="16:9", show_default=True, help=help)


def json_option(help: str):
    return click.option("--json", "as_json", is_flag=True, help=help)


def cluster_options(scheduler_help: str):
    """--jobs, --scheduler, --security: where a course's renders run (checked by `course._run_on_workers`)."""
    options = [
        click.option("--jobs", type=click.IntRange(1, 256), help="worker processes on this machine (default: all cores)"),
        click.option("--scheduler", help=scheduler_help),
        click.option("--security", metavar="FILE", help=SECURITY_HELP),
    ]

    def decorate(command):
        for option in reversed(options):  # as if stacked in this order above the command
            command = option(command)
        return command

    return decorate
