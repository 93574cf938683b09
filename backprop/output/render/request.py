"""One render asked for: a scene of one network, how it looks, in which format, where it goes.

Each caller (the command line, a course's worker, slides, the notebook cache, the lecture's chapters)
builds one and passes it down whole: an option is one field here, not a keyword argument threaded
through every function between the command and manim.
"""

from __future__ import annotations

from dataclasses import dataclass

from backprop.engine.timeline import Timeline
from backprop.story.chapters import Place
from backprop.story.theme import Theme


@dataclass(frozen=True)
class RenderRequest:
    scene: str
    timeline: Timeline  # already built, so already validated
    network: object = None  # the Network the timeline came from (scenes that ask the engine for more)
    theme: Theme | None = None  # None: the default (dark)
    param: str | None = None  # the parameter a scene follows (chain-rule, nudge), canonical: W1[1,2]
    quality: str = "low"
    fmt: str = "mp4"  # mp4, gif, webm, mov, png (a still, below, is always a png)
    output_dir: str = "media"
    aspect: str = "16:9"  # the frame's width:height (story/frame.py)
    transparent: bool = False  # an alpha channel: webm, png (mov always has one)
    still: str | None = None  # a beat's number or caption: only the PNG of its last frame
    poster: bool = False  # NAME.poster.png beside the video: the frame the scene marks, else its last
    voice: object = False  # each beat's sentence in the sound track: True, or a recordings.Narration
    lecture: Place | None = None  # a lecture chapter: its place in the lecture
    language: str | None = None  # what its texts and sentences are said in (backprop.language); None: English

    def __post_init__(self):
        if self.still is not None:
            object.__setattr__(self, "fmt", "png")  # a still is always a PNG
