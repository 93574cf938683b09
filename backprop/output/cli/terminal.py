"""Text for any terminal: plain stand-ins where its encoding lacks the lesson's characters, and no
control characters from what the user typed."""

from __future__ import annotations

import codecs
import sys
import unicodedata

# Plain stand-ins for the lesson's characters on a terminal whose encoding lacks them (latin-1, ASCII).
PLAIN = {"→": "->", "−": "-", "—": "-", "×": "x", "·": "*", "…": "...", "≤": "<=", "≥": ">=", "∂": "d",
         "σ": "sigma", "∞": "inf", "²": "^2", "⁴": "^4", "₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4", "₅": "5", "₆": "6", "₇": "7", "₈": "8", "₉": "9"}


def _plain_fallback(e: UnicodeEncodeError):
    return "".join(PLAIN.get(c, "?") for c in e.object[e.start:e.end]), e.end


codecs.register_error("backprop-plain", _plain_fallback)


def printable(text: str) -> str:
    """`text` without control characters (ANSI escapes, bidi overrides, lone surrogates) for a terminal."""
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf", "Cs"))


def one_line(text: str) -> str:
    return printable(" ".join(text.split()))


def plain_streams() -> None:
    """On a terminal that cannot show "→" (PYTHONIOENCODING=latin-1, LANG=C), print plain stand-ins."""
    for stream in (sys.stdout, sys.stderr):
        try:
            "→−₁".encode(stream.encoding or "ascii")
        except (UnicodeEncodeError, LookupError):
            try:
                stream.reconfigure(errors="backprop-plain")
            except (AttributeError, ValueError):
                pass


def can_print(text: str) -> bool:
    try:
        text.encode(sys.stdout.encoding or "ascii")
        return True
    except (UnicodeEncodeError, LookupError):
        return False


def number_style() -> dict:
    """How a table writes numbers, as the video does but without spaces inside one (a column stays one
    word): 4.4×10⁻⁴, or 4.4e-4 where the terminal has no ×."""
    return dict(minus="-", times="×" if can_print("×10⁻⁴") else "e")
