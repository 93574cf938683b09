"""`render --narration DIR` (the lecturer's recordings as the sound track) and `--voice-name`, `--speed`."""

import shutil
import subprocess

import av
import numpy as np
import pytest
import webvtt

from tests.helpers import run_cli as run

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng makes the recordings")

# The title scene's two beats (TitleCard: the title card, then the network)
SENTENCES = ["Welcome to this lecture on backpropagation. Today we compute every gradient of a small network.",
             "This is the network we will train: two inputs, two hidden units and one output.",
             "Our goal is the gradient of the loss for each of its nine weights and biases."]


def seconds_of(path) -> float:
    with av.open(str(path)) as c:
        return sum(f.samples for f in c.decode(audio=0)) / c.streams.audio[0].rate


@pytest.fixture
def recordings(tmp_path):
    """01.wav spoken by espeak-ng; 02.mp3 the same way, then encoded as MP3 with PyAV; 03.wav for the
    title scene's third beat (its goal)."""
    folder = tmp_path / "recordings"
    folder.mkdir()
    subprocess.run(["espeak-ng", "-w", str(folder / "01.wav"), SENTENCES[0]], check=True)
    subprocess.run(["espeak-ng", "-w", str(tmp_path / "two.wav"), SENTENCES[1]], check=True)
    with av.open(str(tmp_path / "two.wav")) as source, av.open(str(folder / "02.mp3"), "w") as out:
        stream = out.add_stream("libmp3lame", rate=22050)
        for frame in source.decode(audio=0):
            frame.pts = None
            out.mux(stream.encode(frame))
        out.mux(stream.encode())
    subprocess.run(["espeak-ng", "-w", str(folder / "03.wav"), SENTENCES[2]], check=True)
    return folder


@pytest.mark.slow
def test_the_sound_track_is_the_recordings_each_beat_as_long_as_its_own(capsys, tmp_path, recordings):
    lengths = [seconds_of(recordings / name) for name in ("01.wav", "02.mp3", "03.wav")]
    assert all(s > 4 for s in lengths)  # longer than either beat is without narration (3.3 s and 4.5 s)
    code, out, err = run(capsys, "render", "title", "--narration", str(recordings), "--output-dir", str(tmp_path / "out"))
    assert code == 0, err
    video = tmp_path / "out" / "title-seed.mp4"
    with av.open(str(video)) as c:
        rate = c.streams.audio[0].rate
        sound = np.concatenate([f.to_ndarray().mean(axis=0) for f in c.decode(audio=0)])
    assert len(sound) / rate >= sum(lengths)  # as long as its recordings, at least
    chapters = [(c.start_in_seconds, c.end_in_seconds) for c in webvtt.read(str(tmp_path / "out" / "title-seed.chapters.vtt"))]
    assert len(chapters) == 3
    for (start, end), length in zip(chapters, lengths):
        assert end - start >= length  # each beat lasts at least its recording
        heard = np.abs(sound[int(start * rate):int((start + length) * rate)])
        assert (heard > 0.02).mean() > 0.2, (start, length)  # the recording, played from its beat's start
    gap = np.abs(sound[int((chapters[0][0] + lengths[0] + 0.05) * rate):int(chapters[1][0] * rate)])
    assert gap.max() < 0.01  # between the first recording's end and the second beat: silence


@pytest.mark.slow
def test_a_beat_without_its_recording_is_named_and_nothing_is_written(capsys, tmp_path, recordings):
    (recordings / "02.mp3").unlink()
    code, out, err = run(capsys, "render", "title", "--narration", str(recordings), "--output-dir", str(tmp_path / "out"))
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert "narration: no recording for beat 2" in err and "02.wav, .mp3" in err
    assert not list((tmp_path / "out").glob("*")) if (tmp_path / "out").exists() else True


@pytest.mark.parametrize("setup, args, says", [
    ("garbage", (), "narration: cannot read '"),
    ("twice", (), "narration: two recordings for beat 1: '01.mp3' and '01.wav'"),
    ("empty", (), "narration: no recordings in '"),
    ("", ("--format", "gif"), "narration: a GIF has no sound"),
    ("", ("--voice",), "narration: your recordings are the narration; leave out --voice"),
])
def test_bad_recordings_are_one_line_naming_them(capsys, monkeypatch, tmp_path, recordings, setup, args, says):
    if setup == "garbage":
        (recordings / "02.mp3").write_bytes(b"not a sound at all" * 100)
    elif setup == "twice":
        shutil.copy(recordings / "02.mp3", recordings / "01.mp3")
    elif setup == "empty":
        for f in recordings.iterdir():
            f.unlink()
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "render", "title", "--narration", str(recordings), *args)
    assert code == 2 and out == "" and err.count("\n") == 1 and says in err, err
    if setup == "garbage":
        assert "02.mp3" in err
    assert not (tmp_path / "media").exists()


@pytest.mark.parametrize("args, says", [
    (("--voice", "--voice-name", "no-such-voice"), "voice-name: espeak-ng has no voice 'no-such-voice'"),
    (("--voice-name", "en-us"), "voice-name: goes with --voice"),
    (("--speed", "120"), "speed: goes with --voice"),
    (("--voice", "--speed", "20"), "'--speed': 20 is not in the range 80<=x<=450"),
    (("--narration", "no-such-folder"), "narration: 'no-such-folder' is not a folder"),
])
def test_bad_voice_options_are_one_line(capsys, monkeypatch, tmp_path, args, says):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "render", "title", *args)
    assert code == 2 and out == "" and err.count("\n") == 1 and says in err, err
    assert not (tmp_path / "media").exists()


def test_another_voice_and_speed_reach_espeak(tmp_path):
    """The same sentence at 300 words a minute is about half as long as at 150, and a German voice
    says it differently (espeak-ng's own output, compared)."""
    from backprop.output.render.voice import Voice

    slow = Voice(str(tmp_path), 150).say("The gradient of the loss with respect to this weight is small.")
    fast = Voice(str(tmp_path), 300).say("The gradient of the loss with respect to this weight is small.")
    assert 0.4 < fast.seconds / slow.seconds < 0.65
    english = open(Voice(str(tmp_path), 150, "en-us").say("zwei").path, "rb").read()
    german = open(Voice(str(tmp_path), 150, "de").say("zwei").path, "rb").read()
    assert english != german
