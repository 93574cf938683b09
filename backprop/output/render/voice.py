"""Narration: each beat's sentence read by espeak-ng, offline, into the video's sound track.

espeak-ng is a system program (`apt-get install espeak-ng`), nothing is downloaded. The lesson's
symbols are spoken as a lecturer would say them ("d L by d y equals minus 0.391").
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import wave
from dataclasses import dataclass

from backprop.engine.operations import ACTIVATIONS
from backprop.language import SOURCE, N_, _, current
from backprop.output.render.files import OutputError

ENGINE = "espeak-ng"
INSTALL = "install espeak-ng (Debian/Ubuntu: sudo apt-get install espeak-ng; macOS: brew install espeak-ng)"
SPEAK_TIMEOUT = 60  # seconds for one sentence; espeak-ng that hangs would hold the render for ever
WORDS_PER_MINUTE = 150  # espeak-ng's 175 is brisk for a lecture hall

_SUB = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
# each activation's derivative by its name (the longest first: LReLU′ before ReLU′)
# (said in the language spoken: each word is a catalog entry, translated when the sentence is said)
_PRIMED = [(act.symbol.replace("'", mark), act.spoken, N_("{name} prime"))
           for act in sorted(ACTIVATIONS.values(), key=lambda a: -len(a.symbol)) if act.spoken for mark in "′'"]
SAID = [  # after the patterns below: single characters
    ("−", N_(" minus ")), ("+", N_(" plus ")), ("×", N_(" times ")), ("÷", N_(" divided by ")), ("≈", N_(" about ")),
    ("=", N_(" equals ")), ("←", N_(" becomes ")), ("→", N_(" to ")), ("σ", "sigma"), ("Φ", "phi"), ("φ", "phi"),
    ("η", "eta"), ("δ", "delta"), ("Σ", N_("sum of ")), ("′", N_(" prime")), ("²", N_(" squared")), ("·", N_(" times ")),
]


def spoken(text: str) -> str:
    """The sentence as it is said: symbols into words."""
    text = re.sub(r"∂(\w[\w₀-₉]*(?:\[[\d,]+\])?)\s*/\s*∂(\w[\w₀-₉]*(?:\[[\d,]+\])?)",
                  lambda m: _("d {of} by d {by}").format(of=m[1], by=m[2]), text)
    text = re.sub(r"10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)", lambda m: _(" 10 to the {power}").format(
        power=m[1].translate(_SUP).replace("-", _("minus") + " ")), text)
    text = re.sub(r"\[(\d+),(\d+)\]", r" \1 \2", text)
    text = re.sub(r"\[(\d+)\]", r" \1", text)
    text = text.translate(_SUB)
    for symbol, name, words in _PRIMED:
        text = text.replace(symbol, _(words).format(name=name))
    for symbol, words in SAID:
        text = text.replace(symbol, _(words))
    return " ".join(text.split())


def available() -> bool:
    return shutil.which(ENGINE) is not None


def has_voice(name: str) -> bool:
    """Whether `name` is an espeak-ng voice: a language (`en-us`), a voice's name or file (`gmw/en-US`),
    optionally `+` one of its variants (`en+f3`), as `espeak-ng --voices` lists them (espeak-ng
    itself reads `no-such` as Norwegian and says nothing)."""
    def listed(option: str) -> set[str]:
        try:
            out = subprocess.run([ENGINE, option], capture_output=True, text=True, timeout=SPEAK_TIMEOUT).stdout
        except (subprocess.TimeoutExpired, OSError) as e:
            raise OutputError(f"voice: cannot list {ENGINE}'s voices: {getattr(e, 'strerror', None) or e}") from None
        names = set()
        for row in out.splitlines()[1:]:
            cells = row.split()
            if len(cells) >= 5:
                names.update(c.casefold() for c in (cells[1], cells[3], cells[4], cells[4].split("/")[-1]))
        return names

    voice, _, variant = name.casefold().partition("+")
    return voice in listed("--voices") and (not variant or variant in listed("--voices=variant"))


@dataclass(frozen=True)
class Clip:
    path: str
    seconds: float


class Voice:
    """Speaks sentences into WAV files in `folder` (a render's private folder)."""

    def __init__(self, folder: str, words_per_minute: int = WORDS_PER_MINUTE, name: str | None = None):
        self.folder = folder
        self.rate = words_per_minute
        self.name = name  # an espeak-ng voice (`espeak-ng --voices`), None for its default
        self.count = 0

    def say(self, sentence: str) -> Clip:
        self.count += 1
        path = os.path.join(self.folder, f"beat-{self.count:03d}.wav")
        name = self.name or (current() if current() != SOURCE else None)  # else a voice of the language spoken
        voice = ["-v", name] if name else []
        try:
            subprocess.run([ENGINE, "-s", str(self.rate), *voice, "-w", path, "--", spoken(sentence)], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=SPEAK_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise OutputError(f"voice: {ENGINE} gave no answer in {SPEAK_TIMEOUT} s (one sentence takes it well "
                              "under one)") from None
        except subprocess.CalledProcessError as e:
            said = " ".join(e.stderr.decode("utf-8", "replace").split())[:200] or "no message"
            raise OutputError(f"voice: {ENGINE} failed (exit status {e.returncode}): {said}") from None
        except OSError as e:
            raise OutputError(f"voice: cannot run {ENGINE}: {e.strerror or e}") from None
        try:
            seconds = _seconds(path)
        except (OSError, EOFError, wave.Error) as e:
            raise OutputError(f"voice: {ENGINE} wrote no WAV file that can be read ({e or type(e).__name__})") from None
        if not 0 < seconds < 3600:
            raise OutputError(f"voice: {ENGINE} wrote a WAV file of {seconds:g} s for one sentence")
        return Clip(path, seconds)

    def finish(self) -> None:
        """After the last beat (recordings check that none was left over)."""

    def silence(self, seconds: float) -> str:
        """A silent WAV: placed at a video's end, it makes the sound track as long as the picture."""
        path = os.path.join(self.folder, "silence.wav")
        with wave.open(path, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(22050)
            w.writeframes(b"\0\0" * int(22050 * seconds))
        return path


def _seconds(path: str) -> float:
    with wave.open(path) as w:
        return w.getnframes() / w.getframerate()
