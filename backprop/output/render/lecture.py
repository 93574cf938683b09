"""The lecture: every scene of the catalog's LECTURE list in teaching order, one chapter each, one video.

Each chapter is rendered as its own segment in its own process (manim's configuration is one per
process), up to `--jobs` at once, and kept in `OUTPUT_DIR/.lecture-cache/` under a key of everything
that makes its pixels: the scene, its network's content, the theme, quality, format and this package's
code. A chapter whose key is cached is not rendered again, so a re-run with nothing changed only joins
the segments. Joining copies the segments' packets (nothing is re-encoded), puts one chapter per scene
inside the video, and shifts each segment's subtitles by the chapter's start.

Which network a chapter plays: its scene's own (`SceneInfo.network`), unless `--network` is given and
the scene can play it (`unplayable()`); `vanishing` keeps `deep-dead` when given `seed`.
Each chapter knows its place in the lecture (`story.chapters.Place`): it opens with its chapter's title
and number, ends with a bridge naming the next chapter, and the takeaways point at chapter numbers.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from dataclasses import dataclass

from backprop.engine.spec import Network, SpecError, load_network, read_spec_file
from backprop.language import SOURCE, _, speaking
from backprop.output.render.files import OutputError, check_target, safe_name, sha256_of
from backprop.output.render.keys import inputs_key
from backprop.output.render.processes import spawn_in_own_groups
from backprop.scenes.catalog import LECTURE, SCENES, lecture_chapters, lecture_place, unplayable
from backprop.story.chapters import Place

NAME = "lecture"
CACHE = ".lecture-cache"
VIDEO_FORMATS = ("mp4", "webm", "mov")  # a lecture is a video: no GIF, no still


@dataclass(frozen=True)
class Chapter:
    scene: str
    title: str
    network: Network
    place: Place  # its number, the next chapter's title (its bridge), the takeaways' pointers


def chapters(network: Network | None = None) -> list[Chapter]:
    """The lecture's chapters: the LECTURE scenes that exist, each on the network it plays."""
    own: dict[str, Network] = {}
    parts = lecture_chapters(LECTURE)
    nets = []
    for part in parts:
        if network is not None and unplayable(part.scene, network) is None:
            net = network
        else:
            source = SCENES[part.scene].network
            if source not in own:
                own[source] = load_network(source)
            net = own[source]
        nets.append(net)
    names = [net.name for net in nets]
    return [Chapter(part.scene, part.title, net, lecture_place(n, parts, names))
            for n, (part, net) in enumerate(zip(parts, nets), start=1)]


def stem(network: Network | None) -> str:
    """`lecture`, or `lecture-NETWORK` when the lecture was asked to play one network."""
    return NAME if network is None else f"{NAME}-{safe_name(network.name)}"


def segment_key(chapter: Chapter, theme, quality: str, fmt: str, language: str | None = None) -> str:
    """The cache key of a chapter's segment: the scene, its network's content, theme, quality, format,
    language, code."""
    key = inputs_key(chapter.scene, chapter.network, chapter.place, theme, quality, fmt, language or SOURCE, length=20)
    return f"{safe_name(chapter.scene)}-{quality}-{fmt}-{key}"


def _prune(cache: str, keys: list[str], quality: str, fmt: str) -> None:
    """The cache keeps, per quality and format, the segments of the last lecture joined: a lecturer
    checking at low quality keeps the high-quality segments, but old themes and code do not pile up."""
    keep = set(keys)
    mark = f"-{quality}-{fmt}-"
    for name in os.listdir(cache):
        key = name.split(".", 1)[0]
        if mark in key and key not in keep:
            try:
                os.unlink(os.path.join(cache, name))
            except OSError:
                pass


def _present(cache: str, key: str, fmt: str) -> bool:
    return any(os.path.lexists(os.path.join(cache, key + ext)) for ext in (f".{fmt}", ".srt", ".json"))


def check_segment(cache: str, key: str, fmt: str) -> tuple[float | None, str]:
    """(its length in seconds, "") for a whole segment that is the one its record names, its video
    and subtitles the bytes rendered (SHA-256); else (None, why not). The cache is our own output,
    read back: checked like input, so a segment truncated, or swapped for another chapter's, is never
    joined."""
    try:
        record = read_spec_file(os.path.join(cache, key + ".json"), field="segment")
    except SpecError as e:
        return None, f"its record: {e.message}"
    if not isinstance(record, dict) or record.get("key") != key:
        return None, "its record is another segment's"
    seconds, digests = record.get("seconds"), record.get("sha256")
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 < seconds < 1e6:
        return None, "its record has no length"
    for ext in (fmt, "srt"):
        try:
            same = isinstance(digests, dict) and sha256_of(os.path.join(cache, f"{key}.{ext}")) == digests.get(ext)
        except OSError:
            same = False
        if not same:
            return None, f"its .{ext} is not the one rendered"
    return float(seconds), ""


# ---- rendering ---------------------------------------------------------------------------------------

def _worker_start() -> None:
    # Ctrl-C reaches every process of the terminal's group: the parent stops the workers itself
    # (SIGTERM), so they print no traceback of their own, and stopping unwinds: the work folder goes.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop)


def _stop(signum, frame):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise SystemExit(128 + signum)


def _render_chapter(task) -> str:
    """In a fresh process: one chapter's segment into the cache."""
    chapter, theme, quality, fmt, cache, key, language = task
    from backprop.engine.timeline import build_timeline
    from backprop.output.render.request import RenderRequest
    from backprop.output.render.scene import render_segment

    render_segment(RenderRequest(chapter.scene, build_timeline(chapter.network), network=chapter.network,
                                 theme=theme, quality=quality, fmt=fmt, output_dir=cache, lecture=chapter.place,
                                 language=language), key)
    return key


def render(parts: list[Chapter], theme, quality: str, fmt: str, output_dir: str, jobs: int, name: str,
           bar=None, log=None, language: str | None = None) -> list[str]:
    """Render the chapters not cached (up to `jobs` processes at once), join every segment into
    NAME.<fmt> with its subtitles, web captions and chapters; return the written paths.
    `bar` counts chapters; `log(scene, "cached" | "rendered")` hears of each chapter; `language`: what every
    chapter says (backprop.language), handed to each chapter's process."""
    from backprop.output.render.captions import join_videos, shifted_srt, web_files
    from backprop.output.render.files import move_all_into_place
    from backprop.output.render.scene import stem_paths, work_folder

    targets = stem_paths(os.path.join(output_dir, name), fmt)
    for target in targets:
        check_target(target)
    cache = os.path.join(output_dir, CACHE)
    keys = [segment_key(c, theme, quality, fmt, language) for c in parts]
    todo = []
    for c, k in zip(parts, keys):
        if _present(cache, k, fmt):
            seconds, why = check_segment(cache, k, fmt)
            if seconds is not None:
                continue
            print(f"backprop: lecture: the cached segment of chapter '{c.title}' ({k}) cannot be used: {why}; "
                  "rendering it again", file=sys.stderr, flush=True)
        todo.append((c, theme, quality, fmt, cache, k, language))
    if bar is not None:
        bar.start(len(parts))
        bar.advance(len(parts) - len(todo))
    if log is not None:
        waiting = {t[5] for t in todo}
        for c, k in zip(parts, keys):
            if k not in waiting:
                log(c.scene, "cached")
    if todo:
        os.makedirs(cache, exist_ok=True)
        scene_of = {t[5]: t[0].scene for t in todo}
        # a fresh process per chapter (maxtasksperchild=1), started clean (spawn: no copy of this
        # process's threads or manim state)
        spawn_in_own_groups()  # Ctrl-C on the terminal reaches only the lecture, which stops them (SIGTERM)
        pool = multiprocessing.get_context("spawn").Pool(min(jobs, len(todo)), initializer=_worker_start,
                                                          maxtasksperchild=1)
        try:
            for key in pool.imap_unordered(_render_chapter, todo):
                if bar is not None:
                    bar.advance()
                if log is not None:
                    log(scene_of[key], "rendered")
            pool.close()
        except BaseException:
            pool.terminate()  # a failed chapter, Ctrl-C: the others stop too (their work folders go next run)
            raise
        finally:
            pool.join()
    with work_folder(output_dir) as work:
        marks, subtitles, offset = [], [], 0.0
        for c, k in zip(parts, keys):
            seconds, why = check_segment(cache, k, fmt)  # never join what was not checked
            if seconds is None:
                raise OutputError(f"output-dir: the segment of chapter '{c.title}' just rendered in '{cache}': {why}")
            with open(os.path.join(cache, k + ".srt"), encoding="utf-8") as f:
                subtitles.append((f.read(), offset))
            with speaking(language):
                marks.append((_(c.title), offset, offset + seconds))
            offset += seconds
        video = os.path.join(work, f"joined.{fmt}")
        join_videos([os.path.abspath(os.path.join(cache, f"{k}.{fmt}")) for k in keys], video, marks)
        moves = [(video, targets[0])] + web_files(work, shifted_srt(subtitles), marks, targets[1:])
        move_all_into_place(moves)
    _prune(cache, keys, quality, fmt)
    return [final for _, final in moves]


# ---- the transcript ----------------------------------------------------------------------------------

def transcript(parts: list[Chapter], theme, network: Network | None = None, language: str | None = None) -> dict:
    """Every chapter played without drawing, in order: the chapters (start, end, title, the edges its
    labels sit on) and every text shown, its times shifted by its chapter's start."""
    from backprop.engine.timeline import build_timeline
    from backprop.output.render.transcript import transcript as played

    listed, items, offset = [], [], 0.0
    for n, c in enumerate(parts):
        data = played(c.scene, build_timeline(c.network), theme, network=c.network, lecture=c.place,
                      language=language)
        with speaking(language):
            title = _(c.title)
        listed.append({"title": title, "scene": c.scene, "network": data["network"],
                       "start": round(offset, 3), "end": round(offset + data["duration"], 3),
                       "edges": data["edges"]})
        for item in data["items"]:
            items.append({**item, "chapter": n, "start": round(item["start"] + offset, 3),
                          "end": round(item["end"] + offset, 3),
                          "visible": [round(v + offset, 3) for v in item["visible"]]})
        offset += data["duration"]
    return {"scene": NAME, "network": network.name if network is not None else None,
            "duration": round(offset, 3), "chapters": listed, "items": items}


def plain(data: dict) -> str:
    """The chapters (start–end, title), then each chapter's texts as `backprop transcript` lists them."""
    from backprop.output.render.transcript import clock

    lines = [f"lecture, {len(data['chapters'])} chapters, {clock(data['duration'])}"]
    for n, c in enumerate(data["chapters"], start=1):
        lines.append(f"{clock(c['start'])}–{clock(c['end'])}  chapter {n}: {c['title']} ({c['scene']} on {c['network']})")
    for n, c in enumerate(data["chapters"]):
        lines.append("")
        lines.append(f"chapter {n + 1}: {c['title']}")
        for item in data["items"]:
            if item["chapter"] == n:
                text = item["text"].replace("\n", " / ")
                lines.append(f"{clock(item['start'])}–{clock(item['end'])}  {item['role']:7}  {text}")
    return "\n".join(lines) + "\n"
