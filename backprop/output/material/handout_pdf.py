"""`backprop handout`: printed notes as a PDF. A title page (the network and its forward values), then
every beat's last full frame as vector graphics with its caption and the narrator's sentence as text,
and the gradient table at the end, as text too (selectable, searchable).

The scene is played without drawing (as for `backprop transcript`); at each beat's last full frame
(`LessonScene.on_held`) manim's camera draws what is on screen into a Cairo recording
(`stage/vector.py`), which is painted onto the page: paths, never pixels. Text is set with Cairo's
own text API in DejaVu Sans (the videos' font, which has every symbol the lesson writes).
"""

from __future__ import annotations

import importlib
import io
import shutil
import tempfile
from dataclasses import dataclass

import cairo
from manim import tempconfig

from backprop.engine.graph.gradient_check import gradients_document as graph_document
from backprop.engine.graph.spec import Graph
from backprop.engine.labels import MINUS, fmt
from backprop.engine.report import report_from_engine
from backprop.language import _, speaking
from backprop.output.material.handouts import HEADER, _cells
from backprop.output.render.files import write_atomic
from backprop.output.render.scene import frame_options
from backprop.scenes.base import LessonScene
from backprop.scenes.catalog import SCENES
from backprop.stage.vector import record_frame
from backprop.story.beats import plan_beats
from backprop.story.forward import ForwardTexts

PAPERS = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}  # points
MARGIN = 54.0  # 3/4 inch
FONT = "DejaVu Sans"
TABLE_ROWS = 60  # as `backprop gradients`: the largest gradients of a big network


@dataclass
class Beat:
    caption: str
    narration: str
    frame: cairo.RecordingSurface


@dataclass
class Part:
    """One scene played: its beats' frames and texts (a lecture has one per chapter)."""
    title: str
    scene: str
    timeline: object
    beats: list[Beat]
    network: object  # the Network or Graph (engine): the gradient table's numbers
    theme: object  # the Theme it was drawn in
    language: str | None = None  # what it says (backprop.language); None: English


def play(scene: str, timeline, theme, param=None, network=None, aspect: str = "16:9", title: str = "",
         language: str | None = None) -> Part:
    """The scene played without drawing; at each beat's last full frame, that frame recorded."""
    frames: list = []

    def held(s):
        frames.append(record_frame(s.mobjects, s.theme.background))

    played, _last = _dry_run(scene, timeline, theme, aspect, held, param=param, network=network, language=language)
    beats = [Beat(b["name"], said, frame) for b, (said, _s, _e), frame in zip(played.beats, played.spoken, frames)]
    return Part(title or SCENES[scene].summary, scene, timeline, beats, network, theme, language)


class ForwardValues(LessonScene):
    """The title page's picture: the network, then the timeline's forward beat (every unit's value)."""

    def construct(self):
        self.show_network(_("The network and its forward values"), 0.5, 0.5, gradients=False)
        self.play_timeline(skip=tuple(b.key for b in plan_beats(self.timeline) if b.key != ("forward",)))


def forward_frame(part: Part):
    """The network with its forward values, recorded (None for a graph: its scene draws it otherwise)."""
    if isinstance(part.network, Graph):
        return None
    return _dry_run(ForwardValues, part.timeline, part.theme, "16:9", None, network=part.network,
                    language=part.language)[1]


def write_still(scene: str, timeline, theme, target: str, network=None, aspect: str = "16:9") -> str:
    """The scene's last frame (the annotated network, as `render --format png` shows it) as a one-page
    PDF of vector graphics, 1 pt a pixel at low quality: a LaTeX build's still (`backprop.sphinx`)."""
    _, frame = _dry_run(scene, timeline, theme, aspect, None, network=network, end_on_network=True)
    _, _, w, h = frame.get_extents()
    out = io.BytesIO()
    surface = cairo.PDFSurface(out, w, h)
    ctx = cairo.Context(surface)
    ctx.set_source_surface(frame, 0, 0)
    ctx.paint()
    surface.finish()
    write_atomic(target, out.getvalue())
    return target


def _dry_run(scene, timeline, theme, aspect: str, on_held, **options):
    """The scene (a catalog name or a LessonScene class) played without drawing (as for `backprop
    transcript`), `on_held` called at each beat's last full frame; returns it and its last frame, recorded."""
    cls = scene
    if isinstance(scene, str):
        cls = getattr(importlib.import_module(SCENES[scene].module), SCENES[scene].cls)
    media = tempfile.mkdtemp(prefix="backprop-handout-")  # manim writes text SVGs even in a dry run
    try:
        with tempconfig({"quality": "low_quality", **frame_options(aspect, "low"), "dry_run": True,
                         "disable_caching": True, "verbosity": "ERROR", "progress_bar": "none", "media_dir": media}):
            played = cls(timeline=timeline, theme=theme, skip_animations=True, **options)
            played.on_held = on_held
            played.render()
            return played, record_frame(played.mobjects, played.theme.background)
    finally:
        shutil.rmtree(media, ignore_errors=True)


class Pages:
    """A Cairo PDF of one paper size, written top to bottom with a cursor; a new page when full."""

    def __init__(self, paper: str):
        self.width, self.height = PAPERS[paper]
        self.out = io.BytesIO()
        self.surface = cairo.PDFSurface(self.out, self.width, self.height)
        self.ctx = cairo.Context(self.surface)
        self.y = MARGIN
        self.page = 1

    @property
    def text_width(self) -> float:
        return self.width - 2 * MARGIN

    def font(self, size: float, bold: bool = False):
        weight = cairo.FONT_WEIGHT_BOLD if bold else cairo.FONT_WEIGHT_NORMAL
        self.ctx.select_font_face(FONT, cairo.FONT_SLANT_NORMAL, weight)
        self.ctx.set_font_size(size)

    def room(self, height: float) -> None:
        if self.y + height > self.height - MARGIN:
            self.new_page()

    def new_page(self) -> None:
        self.footer()
        self.ctx.show_page()
        self.page += 1
        self.y = MARGIN

    def footer(self) -> None:
        self.font(8)
        self.ctx.set_source_rgb(0.35, 0.35, 0.35)
        label = str(self.page)
        self.ctx.move_to((self.width - self.ctx.text_extents(label).x_advance) / 2, self.height - MARGIN / 2)
        self.ctx.show_text(label)

    def wrap(self, text: str, width: float) -> list[str]:
        lines, line = [], ""
        for word in text.split():
            candidate = f"{line} {word}".strip()
            if line and self.ctx.text_extents(candidate).x_advance > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        return lines + ([line] if line else [])

    def paragraph(self, text: str, size: float = 10, bold: bool = False, gap: float = 4) -> None:
        self.font(size, bold)
        self.ctx.set_source_rgb(0, 0, 0)
        for line in self.wrap(text, self.text_width):
            self.room(size * 1.35)
            self.y += size * 1.35
            self.ctx.move_to(MARGIN, self.y - size * 0.3)
            self.ctx.show_text(line)
        self.y += gap

    def frame(self, recording: cairo.RecordingSurface) -> float:
        """The recorded frame across the text width, a thin rule around it; returns its height."""
        _, _, w, h = recording.get_extents()
        scale = self.text_width / w
        self.ctx.save()
        self.ctx.translate(MARGIN, self.y)
        self.ctx.scale(scale, scale)
        self.ctx.set_source_surface(recording, 0, 0)
        self.ctx.rectangle(0, 0, w, h)
        self.ctx.fill()
        self.ctx.restore()
        self.ctx.set_source_rgb(0.6, 0.6, 0.6)
        self.ctx.set_line_width(0.5)
        self.ctx.rectangle(MARGIN, self.y, self.text_width, h * scale)
        self.ctx.stroke()
        self.y += h * scale
        return h * scale

    def table(self, rows: list[list[str]], right: set[int], size: float = 9) -> None:
        """Columns as wide as their widest cell (numbers right-aligned), the header in bold."""
        def width(text, bold):
            self.font(size, bold)
            return self.ctx.text_extents(text).x_advance

        widths = [max(width(r[c], k == 0) for k, r in enumerate(rows)) for c in range(len(rows[0]))]
        gap = min(14.0, max(4.0, (self.text_width - sum(widths)) / max(1, len(widths) - 1)))
        for k, row in enumerate(rows):
            self.room(size * 1.5)
            self.y += size * 1.5
            self.font(size, bold=(k == 0))
            self.ctx.set_source_rgb(0, 0, 0)
            x = MARGIN
            for c, cell in enumerate(row):
                width = self.ctx.text_extents(cell).x_advance
                self.ctx.move_to(x + (widths[c] - width if c in right else 0), self.y - size * 0.35)
                self.ctx.show_text(cell)
                x += widths[c] + gap
        self.y += 6

    def finish(self) -> bytes:
        self.footer()
        self.surface.finish()
        return self.out.getvalue()


def title_page(pages: Pages, heading: str, part: Part) -> None:
    net = part.timeline.network
    pages.y = MARGIN + 60
    pages.paragraph(heading, size=22, bold=True, gap=10)
    shape = part.network.shape_line() if part.network is not None else net["shape"]  # in the handout's language
    pages.paragraph(f"{net['name']}: {shape}", size=13, gap=4)
    if net.get("description"):
        pages.paragraph(_(net["description"]), size=10, gap=18)  # a preset's is in the catalog
    picture = forward_frame(part)
    if picture is not None:
        pages.frame(picture)
        pages.y += 18
    if isinstance(part.network, Graph):
        doc = graph_document(part.network)
        pages.paragraph(_("The forward pass"), size=13, bold=True)
        pages.table([[_("value"), ""]] + [[n, fmt(doc["values"][n])] for n in part.network.named], right={1})
        pages.paragraph(f"{doc['output']} = {fmt(doc['value'], 4)}", size=10)
        return
    if part.timeline.granularity == "layer":  # too big to list unit by unit: what the table's head says
        report = report_from_engine(part.network, limit=1)
        outputs = "; ".join("[" + ", ".join(fmt(v) for v in row) + "]" for row in report.outputs)
        pages.paragraph(_("loss L = {loss}, output y = {outputs}").format(loss=fmt(report.loss, 4), outputs=outputs),
                        size=10)
        pages.paragraph(_("learning rate η = {rate}").format(rate=f"{net['learning_rate']:g}"), size=10)
        return
    forward = ForwardTexts(part.timeline)
    pages.paragraph(_("The forward pass (example 1)") if net["examples"] > 1 else _("The forward pass"), size=13,
                    bold=True)
    pages.table(forward.recap_rows(), right=set())
    for line in forward.loss_lines() + ([forward.mean_line()] if forward.mean_line() else []):
        pages.paragraph(line, size=10, gap=2)
    pages.paragraph(_("learning rate η = {rate}").format(rate=f"{net['learning_rate']:g}"), size=10)


def gradient_table(pages: Pages, part: Part) -> None:
    """The table `backprop gradients` prints, as text: every parameter (a graph: every named value)."""
    if isinstance(part.network, Graph):
        doc, out = graph_document(part.network), part.network.output
        pages.paragraph(_("Every gradient: {network}").format(network=doc['network']), size=15, bold=True, gap=2)
        pages.paragraph(f"{part.network.shape_line()}; {out} = {fmt(doc['value'], 4)}", size=10, gap=6)
        rows = [[n, fmt(doc["values"][n]), fmt(doc["gradients"][n], plus=True),
                 fmt(doc["updated"][n], 4) if n in doc["updated"] else ""] for n in part.network.named]
        pages.table([[_("name"), _("value"), _("∂{output}/∂name").format(output=out), _("updated")]] + rows,
                    right={1, 2, 3})
        if doc["params"]:
            pages.paragraph(_("updated = value {minus} {rate} × gradient, for the parameters ({params})").format(
                minus=MINUS, rate=f"{doc['learning_rate']:g}", params=", ".join(doc["params"])), size=9)
        return
    report = report_from_engine(part.network, limit=TABLE_ROWS)
    pages.paragraph(_("Every gradient: {network}").format(network=report.network), size=15, bold=True, gap=2)
    pages.paragraph(_("{shape}; loss L = {loss}").format(shape=report.shape, loss=fmt(report.loss, 4)), size=10, gap=6)
    pages.table([[_(h) for h in HEADER]] + [_cells(r) for r in report.rows], right={2, 3, 4})
    if report.left_out:
        pages.paragraph(_("(the {n} largest of {total} gradients; backprop gradients --format csv lists every one)")
                        .format(n=len(report.rows), total=f"{report.total:,}"), size=9)
    pages.paragraph(_("updated = value − {rate} × gradient (one gradient-descent step)").format(
        rate=f"{report.learning_rate:g}"), size=9)


def write_handout(parts: list[Part], target: str, paper: str = "a4", heading: str | None = None) -> str:
    """The PDF, written atomically to `target`, its own words in the parts' language."""
    with speaking(parts[0].language):
        data = _pages(parts, paper, heading)
    write_atomic(target, data)
    return target


def heading_of(part: Part) -> str:
    """A part's title (a lecture chapter's, or its scene's summary; both marked N_) in the language
    spoken, its first letter capital."""
    title = _(part.title)
    return title[:1].upper() + title[1:]


def _pages(parts: list[Part], paper: str, heading: str | None) -> bytes:
    pages = Pages(paper)
    title_page(pages, heading or heading_of(parts[0]), parts[0])
    for part in parts:
        pages.new_page()
        if len(parts) > 1:
            pages.paragraph(f"{heading_of(part)} ({part.scene}, {part.timeline.network['name']})", size=15, bold=True,
                            gap=8)
        for n, beat in enumerate(part.beats, 1):
            _x, _y, w, h = beat.frame.get_extents()
            pages.room(pages.text_width * h / w + 60)
            pages.frame(beat.frame)
            pages.y += 4
            pages.paragraph(f"{n}. {beat.caption}", size=10, bold=True, gap=1)
            if beat.narration != beat.caption:
                pages.paragraph(beat.narration, size=9.5, gap=14)
            else:
                pages.y += 13
    pages.new_page()
    gradient_table(pages, parts[0])
    return pages.finish()
