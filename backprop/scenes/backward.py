"""BackwardPass: the lesson's backward pass, played from a timeline.

Runs from `backprop render` or standalone: `manim render backprop/scenes/backward.py BackwardPass -ql`
(the network is $BACKPROP_NETWORK, a preset name or spec path; `seed` by default).
"""

from __future__ import annotations

import os

from manim import Scene, config
from manim.constants import RendererType

from backprop.engine.spec import load_network
from backprop.engine.timeline import build_timeline
from backprop.story.beats import plan_beats
from backprop.stage.blocks import play_blocks
from backprop.scenes.builders import Context, Step, build
from backprop.story.layout import layout_network
from backprop.stage.motion import appear, vanish
from backprop.output.frames import make_renderer
from backprop.stage.network import Label, Stage
from backprop.stage.tables import gradient_table, update_preview
from backprop.story.texts import make_texts
from backprop.story.theme import Theme

NETWORK_ENV = "BACKPROP_NETWORK"
TITLE = "Backpropagation: computing gradients layer by layer"
BEAT_EVENTS = 3.5  # events a beat plays at full pace; more and each one is quicker (down to half)


class BackwardPass(Scene):
    """Title, the network, a forward recap, then every backward step of the timeline in order, the
    gradient table and a weight-update preview."""

    def __init__(self, timeline=None, theme: Theme | None = None, end_on_network: bool = False, **kwargs):
        self.timeline = timeline or build_timeline(load_network(os.environ.get(NETWORK_ENV, "seed")))
        self.theme = theme or Theme()
        self.end_on_network = end_on_network  # stop on the annotated network (the still for notes)
        self.played: list[dict] = []  # events in the order they were shown
        self.still_texts: list[str] = []
        self.play_log: list[tuple] = []  # ("play", seconds, animations) / ("wait", seconds, 0): the workload
        if "renderer" not in kwargs and config.renderer == RendererType.CAIRO:  # manim's CLI too
            kwargs["renderer"] = make_renderer(skip_animations=kwargs.get("skip_animations", False))
        super().__init__(**kwargs)

    def construct(self):
        th, tl = self.theme, self.timeline
        self.camera.background_color = th.background
        if tl.granularity == "layer":
            play_blocks(self, tl, th)
            return
        texts = make_texts(tl)
        stage = self.stage = Stage(tl, th, layout_network(tl, th, texts), texts)

        head = stage.title(TITLE, tl.network["shape"])
        self.beat(TITLE, [Step([appear(head)], 1.0, 1.8), Step([vanish(head)], 0.5)],
                  show_caption=False)

        self.beat("The network from the forward pass", [Step([appear(stage.network())], 1.5, 1.5)])
        for beat in plan_beats(tl):
            if beat.key == ("update",):
                continue  # the preview at the end shows one update
            # Builders track what is on screen as they build, so the last beat's cards are
            # cleared here, before this beat's steps are built.
            lead = stage.clear_cards()
            ctx = Context(stage, sweep=beat.sweep)
            steps = [step for e in beat.events for step in build(ctx, e)]
            self.beat(beat.caption, steps, sweep=beat.sweep, lead=lead)
        self.beat("Every gradient from one backward pass", [Step(stage.clear_cards(), 0.6, 2.5)])
        # What the annotated network shows, for the notes still (and for tests).
        self.still_texts = [m.original_text for m in self.get_mobject_family_members() if isinstance(m, Label)]
        if self.end_on_network:
            return

        table = gradient_table(stage, tl)
        on_screen = [m for m in self.mobjects if m is not stage.caption]
        swap = [vanish(m, early=True) for m in on_screen] + [appear(table, late=True)]
        self.beat("Every gradient from one backward pass", [Step(swap, 1.2, 6.0)], show_caption=False)
        card, _ = update_preview(stage, tl)
        self.beat("Next: weight updates", [Step(stage.show_card(card), 0.8, 3.0)])

    def beat(self, caption: str, steps: list[Step], sweep: bool = False, show_caption: bool = True,
             lead: list | None = None):
        """Play one beat: its caption (also a subtitle line) with `lead` (what the last beat leaves
        behind going), then its steps in order."""
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
        elapsed = self.renderer.time - start
        self.add_subcaption(caption, duration=elapsed, offset=-elapsed)

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
