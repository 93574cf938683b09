"""What the command line reports as one line: the user's mistakes, stop signals, manim that cannot load."""

from __future__ import annotations

import importlib
import signal

INSTALL_HINT = ("run ./setup.sh, or install the system libraries libcairo2-dev libpango1.0-dev pkg-config and "
                "then pip install -e .")
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class UserError(Exception):
    """A problem with what the user asked for: printed as one line, exit status 2."""


class Interrupted(KeyboardInterrupt):
    """SIGINT, SIGTERM or SIGHUP: unwinds like Ctrl-C, so every temporary file and folder is removed."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def needs_manim(module: str):
    """`module`, imported only now (it imports manim, which engine-only commands never load); manim that
    cannot be imported is a setup problem, said in one line with how to fix it."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise UserError(f"manim cannot be imported ({e}); {INSTALL_HINT}") from None
