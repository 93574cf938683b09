"""Writing results safely: temporary name first, moved into place only when complete."""

from __future__ import annotations

import errno
import os
import re
import tempfile


class OutputError(Exception):
    """An output problem the user can fix (unwritable folder, full disk): one line, exit 2."""


def safe_name(name: str) -> str:
    """A network or scene name as a file name: no path separators, no leading dots, never empty."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-")
    return cleaned[:80] or "network"


def write_atomic(path: str, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never half of one."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".partial-", dir=folder)
    except OSError as e:
        raise OutputError(f"output: cannot write in '{folder}': {explain(e)}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError as e:
        _discard(tmp)
        raise OutputError(f"output: cannot write '{path}': {explain(e)}") from None
    except BaseException:
        _discard(tmp)
        raise


def move_into_place(tmp: str, path: str) -> None:
    try:
        os.replace(tmp, path)
    except OSError as e:
        _discard(tmp)
        raise OutputError(f"output: cannot write '{path}': {explain(e)}") from None


def explain(e: OSError) -> str:
    return "the disk is full" if e.errno == errno.ENOSPC else (e.strerror or str(e))


def _discard(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass
