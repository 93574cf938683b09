"""`render --voice`: each beat's sentence read by espeak-ng into the sound track; each beat lasts as
long as its sentence; the sound track as long as the picture."""

import os
import subprocess
import sys
import wave

import av
import pytest
from manim import tempconfig

from backprop.engine.spec import load_network
from backprop.engine.timeline import build_timeline
from backprop.output.render.voice import Voice, spoken
from backprop.scenes.backward import BackwardPass
from tests.helpers import run_cli as run


@pytest.mark.parametrize("shown, said", [
    ("∂L/∂y = −0.391: the output should go up.", "d L by d y equals minus 0.391: the output should go up."),
    ("∂L/∂W₁[1,2] = −0.045", "d L by d W1 1 2 equals minus 0.045"),
    ("σ′(z) = y(1 − y)", "sigma prime(z) equals y(1 minus y)"),
    ("a gradient of 4.4 × 10⁻⁴", "a gradient of 4.4 times 10 to the minus 4"),
])
def test_symbols_are_said_in_words(shown, said):
    assert spoken(shown) == said


def wav_seconds(path):
    with wave.open(path) as w:
        return w.getnframes() / w.getframerate()


def test_every_beat_lasts_as_long_as_its_sentence(tmp_path):
    voice = Voice(str(tmp_path))
    net = load_network("seed")
    with tempconfig({"quality": "low_quality", "dry_run": True, "disable_caching": True, "verbosity": "ERROR",
                     "media_dir": str(tmp_path / "media")}):
        scene = BackwardPass(timeline=build_timeline(net), network=net, voice=voice, skip_animations=True)
        scene.render()
    clips = sorted(f for f in os.listdir(tmp_path) if f.startswith("beat-"))
    assert len(clips) == len(scene.spoken) > 10  # one sentence per beat
    for clip, (sentence, start, end) in zip(clips, scene.spoken):
        assert end - start >= wav_seconds(str(tmp_path / clip)), sentence


@pytest.mark.slow
def test_the_video_has_a_sound_track_as_long_as_the_picture(capsys, tmp_path):
    code, out, err = run(capsys, "render", "title", "--voice", "--output-dir", str(tmp_path))
    assert code == 0 and err == "", err
    with av.open(out.splitlines()[0]) as video:
        picture = float(video.streams.video[0].duration * video.streams.video[0].time_base)
        sound = video.streams.audio[0]
        assert abs(float(sound.duration * sound.time_base) - picture) <= 0.5
        loud = [abs(frame.to_ndarray()).max() for frame in video.decode(audio=0)]
        assert max(loud) > 0.05  # speech, not silence


def test_no_voice_for_gifs_and_stills(capsys, tmp_path):
    code, _, err = run(capsys, "render", "title", "--voice", "--format", "png", "--output-dir", str(tmp_path))
    assert code == 2 and err == "backprop: voice: a PNG has no sound; use --format mp4, webm or mov\n"
    assert os.listdir(tmp_path) == []


def test_a_missing_speech_engine_is_one_line(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    done = subprocess.run([sys.executable, "-m", "backprop.output.cli", "render", "title", "--voice", "--output-dir",
                           str(tmp_path / "out")], capture_output=True, text=True, env={**os.environ, "PATH": str(empty)})
    assert done.returncode == 2 and done.stderr.startswith("backprop: voice: the speech engine espeak-ng is not installed")
    assert done.stderr.count("\n") == 1 and not (tmp_path / "out").exists()


def test_signs_and_primes_are_said():
    assert spoken("tanh′ scales it: +0.223 + (−0.322)") == "tanh prime scales it: plus 0.223 plus ( minus 0.322)"


def test_every_extra_the_readme_installs_is_in_pyproject():
    """`pip install -e '.[voice]'` and the others: pip only warns ("does not provide the extra") and
    installs nothing for an extra pyproject.toml lacks."""
    import re
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    extras = tomllib.loads((root / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    named = set(re.findall(r"pip install (?:-e )?'\.\[([a-z,]+)\]'", (root / "README.md").read_text()))
    named = {e for group in named for e in group.split(",")}
    assert "voice" in named and "slides" in named  # the README names them this way
    assert named <= set(extras), named - set(extras)
    assert extras["voice"] == []  # espeak-ng is a program (apt), not a Python package
