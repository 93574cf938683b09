"""LessonScene: what every scene of the lesson needs, so a new scene is one small file.

It reads the network (handed in by `backprop render`, or `$BACKPROP_NETWORK` — a preset name or spec
path, `seed` by default — under manim's own CLI), draws with our renderer wherever it runs, builds
the stage for the timeline's view (unit by unit, or one block per layer), and plays beats: a caption
(with what a narrator says over it, for the subtitles) and the steps its builders return, logging what it played.
"""

from __future__ import annotations

import os

from manim import Scene, config
from manim.constants import RendererType

from backprop.engine.spec import load_network
from backprop.engine.timeline import build_timeline
from backprop.output.frames import make_renderer
from backprop.scenes.block_builders import BLOCK_BUILDERS
from backprop.scenes.builders import UNIT_BUILDERS, unit_steps
from backprop.scenes.steps import Context, Registry, Step
from backprop.stage.blocks import BlockStage
from backprop.stage.board import Label
from backprop.stage.motion import appear, vanish
from backprop.stage.network import Stage
from backprop.story.beats import plan_beats
from backprop.story.layout import layout_network
from backprop.story.narration import narrate, scene_cues
from backprop.story.texts import make_texts
from backprop.story.theme import Theme

NETWORK_ENV = "BACKPROP_NETWORK"
BEAT_EVENTS = 3.5  # events a beat plays at full pace; more and each one is quicker (down to half)


class LessonScene(Scene):
    """A scene that plays (part of) one network's timeline. Subclasses write `construct` and may
    override `builders` (unit-by-unit view) or `block_builders` (one block per layer) to show an
    event kind their own way."""

    builders: Registry = UNIT_BUILDERS
    block_builders: Registry = BLOCK_BUILDERS

    def __init__(self, timeline=None, theme: Theme | None = None, end_on_network: bool = False, **kwargs):
        self.timeline = timeline or build_timeline(load_network(os.environ.get(NETWORK_ENV, "seed")))
        self.theme = theme or Theme()
        self.end_on_network = end_on_network  # stop on the annotated network (the still for notes)
        self.played: list[dict] = []  # events in the order they were shown
        self.play_log: list[tuple] = []  # ("play", seconds, animations) / ("wait", seconds, 0): the workload
        self.spoken: list[tuple[str, float, float]] = []  # (narration, start, end) of each beat: the subtitles
        if "renderer" not in kwargs and config.renderer == RendererType.CAIRO:  # manim's CLI too
            kwargs["renderer"] = make_renderer(skip_animations=kwargs.get("skip_animations", False))
        super().__init__(**kwargs)

    @property
    def blocks(self) -> bool:
        """Drawn one block per layer (a layer-granularity timeline), not unit by unit."""
        return self.timeline.granularity == "layer"

    def setup(self):
        self.camera.background_color = self.theme.background
        tl, th = self.timeline, self.theme
        if self.blocks:
            self.stage = BlockStage(tl, th)
        else:
            texts = make_texts(tl)
            self.stage = Stage(tl, th, layout_network(tl, th, texts), texts)

    # ---- the opening ------------------------------------------------------------------------------

    def title_card(self, title: str, hold: float):
        """The title and the network's shape in one line; no caption under it."""
        head = self.stage.title(title, self.timeline.network["shape"])
        self.beat(title, [Step([appear(head)], 1.0, hold), Step([vanish(head)], 0.5)], show_caption=False)

    def show_network(self, caption: str, run_time: float, hold: float):
        self.beat(caption, [Step([appear(self.stage.network())], run_time, hold)])

    # ---- the timeline -----------------------------------------------------------------------------

    def play_timeline(self, skip: tuple = (("update",),)):
        """Every beat of the timeline in order (except the `skip` beat keys), one builder per event."""
        for beat in plan_beats(self.timeline):
            if beat.key in skip:
                continue
            sweep = beat.sweep and not self.blocks
            # Builders track what is on screen as they build, so the last beat's cards are
            # cleared here, before this beat's steps are built.
            lead = self.stage.clear_cards()
            ctx = Context(self.stage, sweep=sweep)
            steps = [step for e in beat.events for step in self.steps_for(ctx, e)]
            self.beat(beat.caption, steps, sweep=sweep, lead=lead, narration=narrate(beat, self.timeline))

    def steps_for(self, ctx: Context, e: dict) -> list[Step]:
        if self.blocks:
            return self.block_builders[e["kind"]](ctx, e)
        return unit_steps(self.builders, ctx, e)

    def labels_on_screen(self) -> list[str]:
        """Every label drawn now, as it reads (the notes still's text, and tests)."""
        return [m.original_text for m in self.get_mobject_family_members() if isinstance(m, Label)]

    # ---- playing ----------------------------------------------------------------------------------

    def beat(self, caption: str, steps: list[Step], sweep: bool = False, show_caption: bool = True,
             lead: list | None = None, narration: str | None = None):
        """Play one beat: its caption with `lead` (what the last beat leaves behind going), then its
        steps in order. The subtitles say `narration` (the caption if there is none)."""
        th = self.theme
        start = self.renderer.time
        lead = list(lead or [])
        if show_caption and self.stage.caption_text != caption:
            lead += self.stage.caption_to(caption)
        if lead:
            self.play_front(lead, th.seconds(0.6))
        if sweep:
            self.played.extend(s.event for s in steps if s.event)
            anims = [a for s in steps for a in s.anims]
            if anims:
                self.play_front(anims, th.seconds(1.6))
            self.pause(th.seconds(1.2))
        else:
            # A beat of many events moves faster, so each beat stays one calm idea of ~10 s.
            events = sum(1 for s in steps if s.event and s.anims)
            scale = min(1.0, max(0.5, BEAT_EVENTS / max(1, events)))
            for s in steps:
                if s.event:
                    self.played.append(s.event)
                if s.anims:
                    self.play_front(s.anims, th.seconds(s.run_time * scale))
                if s.pause:
                    self.pause(th.seconds(s.pause * scale))
        self.spoken.append((narration or caption, start, self.renderer.time))

    def tear_down(self):
        """Subtitles are cut into cues once every beat has played: a beat too short for a cue of
        its own shares one with its neighbour."""
        for cue in scene_cues(self.spoken):
            self.add_subcaption(cue.text, duration=(cue.end - cue.start) / 1000,
                                offset=cue.start / 1000 - self.renderer.time)

    def play_front(self, anims: list, run_time: float):
        """Play, with what moves brought to the end of the scene's list first: Cairo repaints every
        mobject after the first moving one, so the static network is drawn once, not every frame.
        Labels keep their place above edges through z_index."""
        self.bring_to_front(*[a.mobject for a in anims if a.mobject in self.mobjects])
        self.play(*anims, run_time=run_time)
        self.play_log.append(("play", run_time, len(anims)))

    def pause(self, seconds: float):
        self.wait(seconds)
        self.play_log.append(("wait", seconds, 0))
