"""`backprop`: the command line. Engine-only commands never import manim, so they answer instantly.

Every failure a user can cause ends as one line on stderr and exit status 2; no traceback. The commands
come in groups, one module each: `network` (the engine's numbers), `video` (render, transcript),
`material` (slides, handout), `course` (course, exercises, serve); `options` holds the options they share.
"""

import signal

# Ctrl-C while the modules below load (the first ~50 ms) ends the process quietly, as for any Unix
# tool, instead of printing a KeyboardInterrupt traceback; main() installs its own handlers.
try:
    _SIGINT_BEFORE = signal.signal(signal.SIGINT, signal.SIG_DFL)
except ValueError:  # imported outside the main thread: nothing to change
    _SIGINT_BEFORE = None

from backprop.output.cli.app import cli, main  # noqa: E402

if _SIGINT_BEFORE is not None:
    signal.signal(signal.SIGINT, _SIGINT_BEFORE)

__all__ = ["cli", "main"]
