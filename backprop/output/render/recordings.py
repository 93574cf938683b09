"""`render --narration DIR`: the lecturer's own voice, one recording per beat, as the sound track.

DIR holds `01.wav`, `02.mp3`, … numbered as `backprop transcript --json` numbers the beats (any
format PyAV reads; the number may have any zero padding). Each is decoded with PyAV into a WAV in the
render's private folder (what manim mixes into the sound track), and its beat lasts at least as long
as it. A missing, unreadable or extra recording is one line naming it; nothing is written.
"""

from __future__ import annotations

import os
import re
import wave
from dataclasses import dataclass

import av
import numpy as np

from backprop.output.render.files import OutputError
from backprop.output.render.voice import WORDS_PER_MINUTE, Clip, Voice

NAME = re.compile(r"(\d{1,4})\.(wav|mp3|ogg|oga|opus|flac|m4a|aac|webm)", re.IGNORECASE)
RATE = 48000  # every recording resampled to one rate, mono, 16 bits


@dataclass(frozen=True)
class Narration:
    """What reads each beat: espeak-ng (a voice, a speed in words per minute) or a folder of recordings."""
    recordings: str | None = None
    voice_name: str | None = None
    speed: int = WORDS_PER_MINUTE

    def narrator(self, work: str):
        if self.recordings is not None:
            return Recordings(self.recordings, work)
        return Voice(work, self.speed, self.voice_name)


def find_recordings(folder: str) -> dict[int, str]:
    """Beat number → recording, every one checked readable (an audio stream PyAV opens)."""
    try:
        names = sorted(os.listdir(folder))
    except OSError as e:
        raise OutputError(f"narration: cannot read the folder '{folder}': {e.strerror}") from None
    found: dict[int, str] = {}
    for name in names:
        match = NAME.fullmatch(name)
        if match is None:
            continue
        n = int(match[1])
        if n in found:
            raise OutputError(f"narration: two recordings for beat {n}: '{os.path.basename(found[n])}' and '{name}'")
        path = os.path.join(folder, name)
        _check_readable(path)
        found[n] = path
    if not found:
        raise OutputError(f"narration: no recordings in '{folder}' (01.wav, 02.mp3, …: one per beat, "
                          "numbered as `backprop transcript` lists the beats)")
    return found


def _check_readable(path: str) -> None:
    try:
        with av.open(path) as container:
            if not container.streams.audio:
                raise OutputError(f"narration: '{path}' has no sound in it")
    except av.error.FFmpegError as e:
        raise OutputError(f"narration: cannot read '{path}': {e.strerror or e}") from None


def decode(source: str, target: str) -> float:
    """`source` as a mono 16-bit WAV at `target`; returns its length in seconds."""
    resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
    samples = []
    try:
        with av.open(source) as container:
            for frame in container.decode(audio=0):
                samples += [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
            samples += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    except (av.error.FFmpegError, ValueError) as e:
        raise OutputError(f"narration: cannot read '{source}': {getattr(e, 'strerror', None) or e}") from None
    pcm = np.concatenate(samples).astype("<i2") if samples else np.zeros(0, "<i2")
    if len(pcm) == 0:
        raise OutputError(f"narration: '{source}' is empty (no sound to decode)")
    with wave.open(target, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())
    return len(pcm) / RATE


class Recordings(Voice):
    """Reads beat n's recording where espeak-ng would speak beat n's sentence."""

    def __init__(self, folder: str, work: str):
        super().__init__(work)
        self.source = folder
        self.files = find_recordings(folder)

    def say(self, sentence: str) -> Clip:
        self.count += 1
        path = self.files.get(self.count)
        if path is None:
            raise OutputError(f"narration: no recording for beat {self.count} ({sentence[:60]!r}) in "
                              f"'{self.source}': expected {self.count:02d}.wav, .mp3, …")
        wav = os.path.join(self.folder, f"beat-{self.count:03d}.wav")
        return Clip(wav, decode(path, wav))

    def finish(self) -> None:
        extra = [os.path.basename(p) for n, p in sorted(self.files.items()) if n > self.count]
        if extra:
            raise OutputError(f"narration: '{extra[0]}' has no beat: the scene has {self.count} "
                              "(backprop transcript lists them)")
