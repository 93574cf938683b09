"""espeak-ng that fails, writes a bad WAV or never returns (issue 23): one line naming the voice, exit 2,
the previous video kept. A stand-in espeak-ng on PATH plays each part."""

import os
import stat

import pytest

from backprop.output.render import voice
from tests.helpers import run_cli as run

FAKES = {
    "fails": "echo 'espeak-ng: no such voice' >&2\nexit 3\n",
    "garbage": 'while [ "$1" != "-w" ]; do shift; done\nprintf "RIFF not a wave" > "$2"\n',
    "hangs": "exec sleep 600\n",
}


@pytest.mark.parametrize("fake, said", [
    ("fails", "voice: espeak-ng failed (exit status 3): espeak-ng: no such voice"),
    ("garbage", "voice: espeak-ng wrote no WAV file that can be read"),
    ("hangs", "voice: espeak-ng gave no answer in 1 s"),
])
def test_a_speech_engine_that_misbehaves_is_one_line(capsys, tmp_path, monkeypatch, fake, said):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    engine = bin_dir / "espeak-ng"
    engine.write_text("#!/bin/sh\n" + FAKES[fake])
    engine.chmod(engine.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(voice, "SPEAK_TIMEOUT", 1)
    out = tmp_path / "out"
    out.mkdir()
    (out / "title-seed.mp4").write_bytes(b"last week's video")
    code, stdout, err = run(capsys, "render", "title", "--voice", "--output-dir", str(out))
    assert code == 2 and stdout == "" and err.count("\n") == 1 and err.startswith(f"backprop: {said}"), err
    assert os.listdir(out) == ["title-seed.mp4"] and (out / "title-seed.mp4").read_bytes() == b"last week's video"
