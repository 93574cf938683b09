"""The `<video>` a notebook cell or a Sphinx page shows: the render with its poster, its captions
track (on by default) and its chapters track, as the course site plays a lesson. The tracks are inline
(`data:` URLs) like the site's; the video and the poster are data too in a notebook (so the saved
notebook plays anywhere) and files beside the page in Sphinx.

Chapters: browsers read the chapters track (`video.textTracks`) but show no menu for it today;
players that do (Video.js and the LMSs' players, VLC and mpv from the file's own chapters) list them.
"""

from __future__ import annotations

import base64
import os

from backprop.output.material.pages import render

TRACKS = ((".vtt", "captions", "English", True), (".chapters.vtt", "chapters", "Chapters", False))


def data_url(path: str, mime: str) -> str:
    with open(path, "rb") as f:
        return f"data:{mime};base64," + base64.b64encode(f.read()).decode("ascii")


def player_html(video: str, src: str | None = None, poster: str | None = None, label: str = "",
                width: int | None = None) -> str:
    """The player for the render `video` (its .vtt and .chapters.vtt beside it): `src` and `poster`
    are where the page finds them (default: the files themselves as data)."""
    stem = os.path.splitext(video)[0]
    tracks = [{"kind": kind, "label": name, "default": default, "src": data_url(stem + ext, "text/vtt")}
              for ext, kind, name, default in TRACKS if os.path.isfile(stem + ext)]
    return render("player.html", src=src or data_url(video, "video/mp4"), poster=poster, tracks=tracks, label=label,
                  width=width)
