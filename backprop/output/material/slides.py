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
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import av

from backprop.output.render.files import OutputError, check_target, move_all_into_place
from backprop.output.render.request import RenderRequest
from backprop.output.render.scene import output_stem, render_scene, work_folder

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


def cut_by_beats(video: str, held: list[float], folder: str) -> list[str]:
    """The video cut into one file per beat, each ending on its beat's last full frame: the frames
    up to `held` seconds (the scene's `beat_held` times; a render's clock counts its written frames,
    so they fall on frames), from where the beat before ended. What fades a beat out (the title
    card's exit) opens the next slide, so no slide ends faded. A beat shorter than a frame still
    gets one, so there is a piece, and a slide, for every beat."""
    paths = [os.path.join(folder, f"beat-{i + 1:03d}.mp4") for i in range(len(held))]
    with av.open(video) as source:
        stream = source.streams.video[0]
        fps = Fraction(stream.average_rate)
        ends = [max(1, round(t * fps)) for t in held]
        frames = source.decode(stream)
        index, last = 0, None
        for path, end in zip(paths, ends):
            with av.open(path, "w") as out:
                target = out.add_stream("libx264", rate=fps, options={"preset": "veryfast"})
                target.width, target.height, target.pix_fmt = stream.width, stream.height, "yuv420p"
                written = 0
                while index < end:
                    frame = next(frames, None)
                    if frame is None:
                        break
                    index, last = index + 1, frame
                    written = _put(out, target, frame, written, fps)
                if written == 0:  # a beat shorter than one frame: its piece holds the frame before
                    _put(out, target, last if last is not None else next(frames), 0, fps)
                out.mux(target.encode())
    return paths


def _put(out, target, frame, written: int, fps: Fraction) -> int:
    frame = frame.reformat(format="yuv420p")
    frame.pts, frame.time_base = written, 1 / fps
    out.mux(target.encode(frame))
    return written + 1


def last_frame(video: str, png: str) -> str:
    """A piece's last frame as a PNG: its slide's preview in PowerPoint."""
    with av.open(video) as container:
        for frame in container.decode(video=0):
            last = frame
    last.to_image().save(png)
    return png


@contextlib.contextmanager
def previews_from(convert, previews: list[str]):
    """manim-slides' PowerPoint converter shows each video's first frame until it plays (the title's
    is empty, a flat grey preview) and takes one `poster_frame_image` for all slides: here each slide
    gets its own piece's last frame, in the converter's order of slides."""
    from PIL import Image

    order = iter(previews)
    original = convert.read_image_from_video_file
    convert.read_image_from_video_file = lambda file, frame_index=None: Image.open(next(order))
    try:
        yield
    finally:
        convert.read_image_from_video_file = original


def build_slides(request: RenderRequest, pptx: bool = False) -> list[str]:
    """Render the request's scene as an mp4, cut it at its beats, and write the one-file HTML
    presentation (and the PPTX) into its output folder; return the written paths. Nothing is written
    under those names unless all of them are done."""
    scene, timeline, theme = request.scene, request.timeline, request.theme
    config, convert = require_manim_slides()
    targets = slide_paths(scene, timeline.network["name"], request.output_dir, pptx)
    for target in targets:
        check_target(target)
    check_revealjs()
    with work_folder(request.output_dir) as work:  # private, removed afterwards; OSError → one line
        beats: list[dict] = []
        video = render_scene(replace(request, fmt="mp4", output_dir=work), beats=beats)[0]
        pieces = cut_by_beats(video, [b["held"] for b in beats], work)
        with av.open(video) as container:
            size = (container.streams.video[0].width, container.streams.video[0].height)
        background = (theme.background if theme is not None else None) or "#000000"

        def presentation(notes):
            slides = [config.SlideConfig(file=piece, rev_file=piece, notes=notes(b["narration"]))
                      for piece, b in zip(pieces, beats)]
            return config.PresentationConfig(slides=slides, resolution=size, background_color=background)

        title = f"{scene} · {timeline.network['name']}"
        made = [os.path.join(work, os.path.basename(t)) for t in targets]
        # reveal.js reads the notes as HTML (manim-slides' template does not escape them); PowerPoint as text
        convert.RevealJS(presentation_configs=[presentation(html.escape)], one_file=True, offline=True,
                         title=html.escape(title), background_color=background, slide_number="c/t",
                         progress="true").convert_to(Path(made[0]))
        if pptx:
            previews = [last_frame(piece, piece[:-4] + ".png") for piece in pieces]
            with contextlib.redirect_stderr(io.StringIO()), previews_from(convert, previews):  # tqdm's bar
                convert.PowerPoint(presentation_configs=[presentation(str)], width=size[0],
                                   height=size[1]).convert_to(Path(made[1]))
        move_all_into_place(list(zip(made, targets)))
        return targets
