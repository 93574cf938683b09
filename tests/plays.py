"""Scenes played without drawing, shared by every test module that reads a transcript: each (scene,
network, frame, language, parameter) is played once per test run however many modules read it.

Within a process a play is kept in memory; xdist's two workers also share plays through the run's
folder (`$BACKPROP_TEST_PLAYS`, made and removed by tests/conftest.py). A play is written whole (a
temporary file renamed into place, so a worker never reads half of one) and read back only when it
parses and names the play asked for; otherwise it is played again. Every caller gets its own copy, as
`backprop transcript --json` would print it."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile

FOLDER = "BACKPROP_TEST_PLAYS"


def network_of(source):
    """A preset's name or a spec (a dict) as the engine's Network."""
    from backprop.engine.spec import load_network, parse_spec

    return parse_spec(source) if isinstance(source, dict) else load_network(source)


def played(scene: str, source: str | dict, aspect: str = "16:9", language: str = "en", param: str | None = None) -> dict:
    """`scene`'s transcript on `source` (a preset's name or a spec) in `aspect` and `language`,
    following `param`: as `backprop transcript --json` gives it (items, edges, beats)."""
    from backprop.engine.presets import PRESETS

    if isinstance(source, dict):  # a preset's own spec is that preset's play
        source = next((name for name, spec in PRESETS.items() if spec == source), source)
    key = json.dumps({"scene": scene, "network": source, "aspect": aspect, "language": language, "param": param},
                     sort_keys=True, ensure_ascii=False)
    return json.loads(_play(key))


@functools.cache
def _play(key: str) -> str:
    """The play named by `key`, as JSON text: from the run's folder where a worker played it already."""
    folder = os.environ.get(FOLDER)
    path = os.path.join(folder, hashlib.sha256(key.encode()).hexdigest() + ".json") if folder else None
    if path and os.path.exists(path):
        try:
            with open(path, encoding="utf-8") as f:
                stored = json.load(f)
            if isinstance(stored, dict) and stored.get("key") == key and isinstance(stored.get("transcript"), dict):
                return json.dumps(stored["transcript"], ensure_ascii=False)
        except (OSError, ValueError):
            pass  # half-gone or foreign: played again below
    from backprop.engine.timeline import build_timeline
    from backprop.output.render.transcript import transcript

    asked = json.loads(key)
    net = network_of(asked["network"])
    data = transcript(asked["scene"], build_timeline(net), network=net, aspect=asked["aspect"],
                      language=asked["language"], param=asked["param"])
    text = json.dumps(data, ensure_ascii=False)
    if path and os.path.isdir(folder):
        fd, part = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"key": key, "transcript": data}, f, ensure_ascii=False)
        os.replace(part, path)
    return text
