"""One key for "the same inputs give the same files": the lecture's segments, the course's lessons and
the notebook's cache all skip a render whose key they have already made.

A key covers the values given (scene, the network's content, theme, quality, format, …) and this
package's code: its version, manim's, and a digest of its source files, so a changed scene, layout or
renderer renders again even between releases (a development checkout).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from importlib.metadata import PackageNotFoundError, version

import numpy as np

_CODE: list[str] = []


def inputs_key(*values, length: int = 32) -> str:
    h = hashlib.sha256()
    _digest(h, [*values, code_version()])
    return h.hexdigest()[:length]


def _digest(h, value) -> None:
    """Feed `value` (dataclasses, arrays, lists, dicts, numbers, strings) into the hash `h`, unambiguously."""
    if dataclasses.is_dataclass(value):
        h.update(type(value).__name__.encode())
        for f in dataclasses.fields(value):
            h.update(f.name.encode())
            _digest(h, getattr(value, f.name))
    elif isinstance(value, np.ndarray):
        h.update(f"array{value.dtype.str}{value.shape}".encode())
        h.update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, (list, tuple)):
        h.update(f"list{len(value)}".encode())
        for v in value:
            _digest(h, v)
    elif isinstance(value, dict):
        h.update(f"dict{len(value)}".encode())
        for k in sorted(value, key=str):
            _digest(h, k)
            _digest(h, value[k])
    else:
        h.update(f"{type(value).__name__}:{value!r};".encode("utf-8", "surrogatepass"))


def code_version() -> str:
    if not _CODE:
        versions = []
        for package in ("backprop-manim", "manim"):
            try:
                versions.append(f"{package} {version(package)}")
            except PackageNotFoundError:
                versions.append(f"{package} unknown")
        h = hashlib.sha256(" ".join(versions).encode())
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        for folder, dirs, files in sorted(os.walk(root)):
            dirs.sort()
            for name in sorted(files):
                if name.endswith((".py", ".po")):  # the code, and what it says in each language
                    path = os.path.join(folder, name)
                    h.update(os.path.relpath(path, root).encode())
                    with open(path, "rb") as f:
                        h.update(hashlib.sha256(f.read()).digest())
        _CODE.append(h.hexdigest())
    return _CODE[0]
