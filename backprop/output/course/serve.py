"""`backprop serve SITE`: a course site on http://127.0.0.1:PORT/, served as a web server would.

A video seeks through byte ranges (HTTP 206): Python's own `http.server` answers none, so a page served
by it plays but cannot seek. RangeHTTPServer's handler answers them; it listens on 127.0.0.1 only, a
preview for the lecturer, not a web server for students.
"""

from __future__ import annotations

import functools
import http.server
import os
from collections.abc import Callable

from backprop.engine.spec import SpecError
from backprop.output.render.files import OutputError, explain

INSTALL = "pip install 'backprop-manim[serve]' (RangeHTTPServer)"


def serve_site(site: str, port: int, ready: Callable[[str], None]) -> None:
    """Serve `site` until interrupted; `ready(url)` once it listens (port 0: any free port)."""
    if not os.path.isfile(os.path.join(site, "index.html")):
        raise SpecError("site", f"'{site}' is not a course site (no index.html in it; `backprop course` makes one)")
    try:
        from RangeHTTPServer import RangeRequestHandler
    except ImportError:
        raise SpecError("serve", f"serving byte ranges needs RangeHTTPServer: {INSTALL}") from None

    class Quiet(RangeRequestHandler):
        def log_message(self, *args):  # a preview: the terminal shows the address, not every request
            pass

    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port),
                                                 functools.partial(Quiet, directory=os.path.abspath(site)))
    except OSError as e:
        raise OutputError(f"port: cannot listen on 127.0.0.1:{port}: {explain(e)}") from None
    with server:
        ready(f"http://127.0.0.1:{server.server_address[1]}/")
        try:
            server.serve_forever()
        except KeyboardInterrupt:  # Ctrl-C, or SIGTERM (the CLI turns it into one): the usual way to stop
            pass
