"""Slides: one scene as a manim-slides presentation, a slide at every beat, the narration as speaker notes.

manim-slides' own `Slide` scene cannot run on manim 0.22 (it reads `config["write_to_movie"]`, which
is gone), but its converters only need a `PresentationConfig`: a list of video files with notes. So
the scene is rendered as usual, its video is cut where each beat starts (the scene records each beat's
times), and the presentation is written from those pieces. The HTML is one self-contained file:
reveal.js inlined from manim-slides' cache (`revealjs_cache`), every video embedded as data, so a
lecture hall without network shows it. manim-slides is an extra: `pip install 'backprop-manim[slides]'`.
"""

from __future__ import annotations

import contextlib
import html
import io
import os
from fractions import Fraction
from pathlib import Path

import av

from backprop.engine.timeline import Timeline
from backprop.output.files import OutputError, check_target, move_all_into_place
from backprop.output.rendering import output_stem, render_scene, work_folder

INSTALL = "pip install 'backprop-manim[slides]' (from a checkout: pip install -e '.[slides]')"
# The reveal.js files manim-slides' HTML template links (its cache keeps them by file name).
REVEAL_ASSETS = {"reveal.css": "dist/reveal.css", "black.css": "dist/theme/black.css",
                 "zenburn.css": "dist/plugin/highlight/zenburn.css", "reveal.js": "dist/reveal.js",
                 "notes.js": "dist/plugin/notes.js", "markdown.js": "dist/plugin/markdown.js"}


def require_manim_slides():
    try:
        from manim_slides import config, convert
    except ImportError:
        raise OutputError(f"slides: manim-slides is not installed; {INSTALL}") from None
    return config, convert


def reveal_version() -> str:
    return require_manim_slides()[1].RevealJS.model_fields["reveal_version"].default


def revealjs_cache() -> Path:
    """Where manim-slides looks for reveal.js before fetching it from a CDN (`--offline`)."""
    from platformdirs import user_cache_path  # a dependency of manim-slides

    return user_cache_path("manim-slides") / f"revealjs{reveal_version()}"


def check_revealjs() -> None:
    """Refuse, before rendering, to build slides that would need the network for reveal.js."""
    cache = revealjs_cache()
    missing = [name for name in REVEAL_ASSETS if not (cache / name).is_file()]
    if missing:
        version = reveal_version()
        raise OutputError(f"slides: reveal.js {version} is not in manim-slides' cache ({cache}: no "
                          f"{', '.join(missing)}); run ./setup.sh, or see the README's 'Slides' "
                          f"(npm pack reveal.js@{version}, files of its dist/ folder into that folder)")


def slide_paths(scene: str, network_name: str, output_dir: str, pptx: bool) -> list[str]:
    stem = os.path.join(output_dir, output_stem(scene, network_name))
    return [f"{stem}.html"] + ([f"{stem}.pptx"] if pptx else [])


def cut_by_beats(video: str, beats: list[tuple[str, float, float]], folder: str) -> list[str]:
    """The video cut into one file per beat: frames from a beat's start up to the next beat's (the
    first piece from the video's start, the last to its end). A beat shorter than a frame still
    gets one, so there is a piece, and a slide, for every beat."""
    paths = [os.path.join(folder, f"beat-{i + 1:03d}.mp4") for i in range(len(beats))]
    with av.open(video) as source:
        stream = source.streams.video[0]
        fps = Fraction(stream.average_rate)
        starts = [0] + [round(start * fps) for _, start, _ in beats[1:]]
        piece, out, target, written, last = -1, None, None, 0, None

        def open_piece(i):
            nonlocal out, target, written
            if out is not None:
                close_piece()
            out = av.open(paths[i], "w")
            target = out.add_stream("libx264", rate=fps, options={"preset": "veryfast"})
            target.width, target.height, target.pix_fmt = stream.width, stream.height, "yuv420p"
            written = 0

        def put(frame):
            nonlocal written
            frame = frame.reformat(format="yuv420p")
            frame.pts, frame.time_base = written, 1 / fps
            out.mux(target.encode(frame))
            written += 1

        def close_piece():
            out.mux(target.encode())
            out.close()

        for index, frame in enumerate(source.decode(stream)):
            while piece + 1 < len(beats) and index >= starts[piece + 1]:
                if piece >= 0 and written == 0:
                    put(last)  # a beat shorter than one frame: its piece holds the frame before
                piece += 1
                open_piece(piece)
            put(frame)
            last = frame
        while piece + 1 < len(beats):  # beats after the last frame (none in practice)
            piece += 1
            open_piece(piece)
            put(last)
        close_piece()
    return paths


def build_slides(scene: str, timeline: Timeline, output_dir: str = "media", quality: str = "low",
                 theme=None, pptx: bool = False, network=None) -> list[str]:
    """Render `scene`, cut it at its beats, and write the one-file HTML presentation (and the PPTX);
    return the written paths. Nothing is written under those names unless all of them are done."""
    config, convert = require_manim_slides()
    targets = slide_paths(scene, timeline.network["name"], output_dir, pptx)
    for target in targets:
        check_target(target)
    check_revealjs()
    with work_folder(output_dir) as work:  # private, removed afterwards; OSError → one line
        beats: list[tuple[str, float, float]] = []
        video = render_scene(scene, timeline, quality=quality, fmt="mp4", output_dir=work, theme=theme,
                             beats=beats, network=network)[0]
        pieces = cut_by_beats(video, beats, work)
        with av.open(video) as container:
            size = (container.streams.video[0].width, container.streams.video[0].height)
        background = (theme.background if theme is not None else None) or "#000000"
        slides = [config.SlideConfig(file=piece, rev_file=piece, notes=html.escape(narration))
                  for piece, (narration, _, _) in zip(pieces, beats)]
        presentation = config.PresentationConfig(slides=slides, resolution=size, background_color=background)
        title = f"{scene} · {timeline.network['name']}"
        made = [os.path.join(work, os.path.basename(t)) for t in targets]
        convert.RevealJS(presentation_configs=[presentation], one_file=True, offline=True,
                         title=html.escape(title), background_color=background).convert_to(Path(made[0]))
        if pptx:
            with contextlib.redirect_stderr(io.StringIO()):  # its tqdm progress bar, on our one-line stderr
                convert.PowerPoint(presentation_configs=[presentation], width=size[0],
                                   height=size[1]).convert_to(Path(made[1]))
        move_all_into_place(list(zip(made, targets)))
        return targets
