"""LessonScene: what every scene of the lesson needs, so a new scene is one small file.

It reads the network (handed in by `backprop render`, or `$BACKPROP_NETWORK` — a preset name or spec
path, `seed` by default — under manim's own CLI), draws with our renderer wherever it runs, builds
the stage for the timeline's view (unit by unit, or one block per layer), and plays beats: a caption
(with what a narrator says over it, for the subtitles) and the steps its builders return, logging what it played.
"""

from __future__ import annotations

import os

from manim import config
from manim.constants import RendererType

from backprop.engine.spec import load_network
from backprop.language import SOURCE, N_, _, check_language, speaking
from backprop.engine.timeline import build_timeline
from backprop.stage.renderer import UnseenRenderer, make_renderer
from backprop.scenes.block_builders import BLOCK_BUILDERS
from backprop.scenes.bookkeeping import QuickLists
from backprop.scenes.builders import UNIT_BUILDERS, step_back, unit_steps
from backprop.scenes.steps import Context, Registry, Step
from backprop.scenes.recorder import TranscriptRecorder
from backprop.stage.blocks import BlockStage
from backprop.stage.board import Label
from backprop.stage.motion import appear, vanish
from backprop.stage.network import Stage
from backprop.stage.worked import lines_card
from backprop.story.beats import plan_beats, worked_examples
from backprop.story.cards import CardWriter
from backprop.story.frame import Frame
from backprop.story.layout import Box, layout_network, legend_spot
from backprop.story.pacing import BEAT_SECONDS, MANY_EVENTS, RECAP_SECONDS, Timed, pace
from backprop.story.texts import make_texts, words
from backprop.story.narration import narrate, scene_cues
from backprop.story.origins import origin_lines
from backprop.story.theme import Theme

NETWORK_ENV = "BACKPROP_NETWORK"
LANGUAGE_ENV = "BACKPROP_LANGUAGE"
LEFT_OUT = N_("some numbers: see the table")  # said when a weight, bias or gradient found no room
BRIDGE_SECONDS = 3.0  # a chapter's closing "Next: …" caption
EXPLAINS_LOCALS = ("chain-rule", "backward")  # scenes that show where the local gradients come from


class LessonScene(QuickLists):
    """A scene that plays (part of) one network's timeline. Subclasses write `construct` and may
    override `builders` (unit-by-unit view) or `block_builders` (one block per layer) to show an
    event kind their own way."""

    builders: Registry = UNIT_BUILDERS
    block_builders: Registry = BLOCK_BUILDERS

    def __init__(self, timeline=None, theme: Theme | None = None, end_on_network: bool = False,
                 transcribe: bool = False, param: str | None = None, network=None, voice=None,
                 stop_after: str | None = None, poster: bool = False, lecture=None, language: str | None = None,
                 **kwargs):
        # the Network too, for scenes that ask the engine for more than the timeline holds (nudges,
        # training); None when only a timeline was handed in
        if timeline is None and network is None:
            network = load_network(os.environ.get(NETWORK_ENV, "seed"))
        self.network = network
        self.timeline = timeline or build_timeline(network)
        self.theme = theme or Theme()
        self.voice = voice  # reads each beat's sentence into the sound track (backprop.output.render.voice.Voice)
        self.param = param  # the parameter a scene follows (`W1[1,2]`), None for the scene's own choice
        self.end_on_network = end_on_network  # stop on the annotated network (the still for notes)
        self.network_shown = False  # captions say numbers are left out only once the network is there
        self.played: list[dict] = []  # events in the order they were shown
        self.play_log: list[tuple] = []  # ("play", seconds, animations) / ("wait", seconds, 0): the workload
        # every text shown, with its times: recorded when asked (`backprop transcript`), not in renders
        self.transcript = TranscriptRecorder() if transcribe else None
        self.legend = None
        self.spoken: list[tuple[str, float, float]] = []  # (narration, start, end) of each beat: the subtitles
        # every beat played: {"n", "name" (its caption), "start", "end"}, what --still STEP names
        self.beats: list[dict] = []
        self.stop_after = stop_after  # --still: a beat's number or caption; nothing plays after it
        self.stopped = False
        self.poster = poster  # --poster: keep the frame `mark_poster` is called on
        self.poster_frame = None
        self.on_held = None  # called with the scene at each beat's last full frame (the handout draws it)
        # its place as a chapter of the lecture (story.chapters.Place), None when rendered alone: the
        # chapter opens with its lecture title and ends with a bridge to the next chapter
        self.lecture = lecture
        # what every text and sentence is said in (backprop.language): installed while the scene renders,
        # so it travels with the job into whichever process renders it; $BACKPROP_LANGUAGE under manim's CLI
        self.language = check_language(language or os.environ.get(LANGUAGE_ENV) or SOURCE)
        if "renderer" not in kwargs and config.renderer == RendererType.CAIRO:  # manim's CLI too
            kwargs["renderer"] = make_renderer(skip_animations=kwargs.get("skip_animations", False))
        super().__init__(**kwargs)

    def render(self, *args, **kwargs):
        with speaking(self.language):
            return super().render(*args, **kwargs)

    def get_moving_and_static_mobjects(self, animations):
        """Unseen (a transcript): no still background is painted, so none is sorted out."""
        if isinstance(self.renderer, UnseenRenderer):
            return [], []
        return super().get_moving_and_static_mobjects(animations)

    @property
    def blocks(self) -> bool:
        """Drawn one block per layer (a layer-granularity timeline), not unit by unit."""
        return self.timeline.granularity == "layer"

    def setup(self):
        self.camera.background_color = self.theme.background
        tl, th = self.timeline, self.theme
        self.cards = CardWriter(tl)
        # the frame manim draws (backprop render --aspect sets its size; manim's -r works too)
        self.frame = Frame(float(config.frame_width), float(config.frame_height))
        if self.blocks:
            self.stage = BlockStage(tl, th, self.frame)
        else:
            texts = make_texts(tl)
            self.stage = Stage(tl, th, layout_network(tl, th, texts, self.frame), texts)
        if self.transcript is not None:
            self.transcript.frame = self.frame
            lines = iter([] if self.blocks else self.stage.leaders.values())  # as lines_labelled lists them
            for of, a, b, leader in ([] if self.blocks else self.stage.lines_labelled()):
                self.transcript.add_edge(of, a, b, leader, next(lines) if leader else None)

    # ---- the opening ------------------------------------------------------------------------------

    def title_card(self, title: str, hold: float):
        """The title and the network's shape in one line; no caption under it. In a lecture, after
        its first chapter: the chapter's title and number, and the network's shape only where the
        chapter plays a network the one before it did not (the network is introduced once)."""
        # the network in one line, in the scene's language where the scene has the network itself
        subtitle = self.network.shape_line() if self.network is not None else self.timeline.network["shape"]
        place = self.lecture
        if place is not None and place.number > 1:
            title = place.title
            note = place.network_note(subtitle)
            subtitle = _("Chapter {number}").format(number=place.number) + (f" · {note}" if note else "")
        head = self.stage.title(title, subtitle)
        steps = [Step([appear(head)], 1.0, hold)]
        upcoming = {"n": len(self.beats) + 1, "name": title}
        if self.stop_after is None or not beat_matches(upcoming, self.stop_after):  # a still shows the title
            steps.append(Step([vanish(head)], 0.5, exit=True))
        self.beat(title, steps, show_caption=False)

    def show_network(self, caption: str, run_time: float, hold: float, gradients: bool = True):
        """The network (edges first: it is drawn once), and beside it the legend; `gradients=False`: a
        picture of values alone, without the gradients' legend and leaders (a left-out note still)."""
        shown = [appear(self.stage.network() if gradients or self.blocks else self.stage.network(gradients=False))]
        self.network_shown = True
        if not self.blocks:
            self.legend = self.place_legend(self.stage.legend(self.legend_notes())) if gradients else None
            if self.legend is None and self.left_out():  # no legend (no room, or no gradients): the note alone
                self.legend = self.place_legend(self.stage.legend([_(LEFT_OUT)], signs=False))
            if self.legend is not None:
                shown.append(appear(self.legend))
        self.beat(caption, [Step(shown, run_time, hold)])

    def local_origins(self, run_time: float = 0.8, hold: float = 1.0):
        """One card: where each local gradient of this network comes from (σ′ = σ(1 − σ), …), shown
        where local gradients first appear: not again in a lecture whose earlier chapter showed it on
        the same network. It stays up until the next card takes its place."""
        place = self.lecture
        if place is not None and any(scene in EXPLAINS_LOCALS and net == place.networks[place.number - 1]
                                     for scene, net in zip(place.scenes[:place.number - 1], place.networks)):
            return
        net = self.timeline.network
        card = lines_card(self.stage, [[(line, None)] for line in origin_lines(net["activations"], net["loss"])],
                          note=_("the same rule at every unit: only the numbers change"))
        self.beat(_("Where the local gradients come from"), [Step(self.stage.show_card(card), run_time, hold,
                                                               shows=[card])],
                  narration=_("Each local gradient is its operation's derivative, worked out once: "
                              "the same rule at every unit, only the numbers change."))

    def legend_notes(self, batch_done: bool = False) -> list[str]:
        examples = self.timeline.network["examples"]
        notes = [_(LEFT_OUT)] if self.left_out() else []
        if examples == 1:
            return notes
        notes.append(_("units: example 1 of {examples}").format(examples=examples))
        if batch_done:
            notes.append(_("edges, biases: batch gradients (mean of {examples})").format(examples=examples))
        return notes

    def left_out(self) -> bool:
        """Whether the layout had to leave some weight or weight gradient off the network (a dense
        network in a small frame): the screen then says where to find them."""
        return not self.blocks and self.stage.layout.numbers_left_out > 0

    def place_legend(self, legend):
        """Where the layout has room for it; none where it has not (the numbers carry their signs)."""
        spot = legend_spot(self.stage.layout, legend.width, legend.height)
        if spot is None:
            return None
        if not self.blocks:  # a left-out number shown for its step keeps off it
            self.stage.keep_clear.append(Box(spot[0], spot[1], legend.width, legend.height))
        return legend.move_to([spot[0], spot[1], 0])

    # ---- the timeline -----------------------------------------------------------------------------

    def play_timeline(self, skip: tuple = (("update",),), origins: bool = False) -> list:
        """Every beat of the timeline in order (except the `skip` beat keys), one builder per event;
        `origins`: where the local gradients come from, once the forward recap is done. Returns what
        takes the last card's weights standing for it away: to play as that card goes."""
        held = Context(self.stage, cards=self.cards)  # weights standing for the last beat's card
        for beat in plan_beats(self.timeline):
            if beat.key in skip:
                continue
            if origins and beat.key != ("forward",):
                self.local_origins()
                origins = False
            # Builders track what is on screen as they build, so the last beat's cards are
            # cleared here, before this beat's steps are built.
            lead = self.stage.clear_cards() + [a for step in step_back(held) for a in step.anims]
            ctx = Context(self.stage, cards=self.cards)
            worked = worked_examples(beat) if beat.sweep and not self.blocks else None
            steps = []
            for e in beat.events:
                # a beat of many events works one example of each computation on a card, then sweeps
                ctx.sweep = worked is not None and e["t"] not in worked
                steps += self.steps_for(ctx, e)
            # left-out numbers shown for their step leave with it; a weight standing for the card up, with that card
            steps += step_back(ctx, card=self.stage.card)
            held.standing = ctx.standing
            caption = beat.caption
            if self.legend is None and self.timeline.network["examples"] > 1 and beat.key != ("forward",):
                caption += " (" + _("units: example 1 of {examples}").format(examples=self.timeline.network["examples"]) + ")"  # no room for a legend
            self.beat(caption, steps, lead=lead, narration=narrate(beat, self.timeline),
                      minimum=RECAP_SECONDS if beat.key == ("forward",) else BEAT_SECONDS)
        return [a for step in step_back(held) for a in step.anims]

    def steps_for(self, ctx: Context, e: dict) -> list[Step]:
        if self.blocks:
            return self.block_builders[e["kind"]](ctx, e)
        return unit_steps(self.builders, ctx, e)

    def labels_on_screen(self) -> list[str]:
        """Every label drawn now, as it reads (the notes still's text, and tests)."""
        return [m.original_text for m in self.get_mobject_family_members() if isinstance(m, Label)]

    # ---- playing ----------------------------------------------------------------------------------

    def beat(self, caption: str, steps: list[Step], show_caption: bool = True, lead: list | None = None,
             minimum: float = BEAT_SECONDS, narration: str | None = None):
        """Play one beat: its caption with `lead` (what the last beat leaves behind going), then its
        steps in order, quiet runs of them together as one sweep, every card long enough to read
        (story.pacing). The subtitles say `narration` (the caption if there is none)."""
        if self.stopped:
            return
        th = self.theme
        start = self.renderer.time
        if self.voice is not None:  # the beat lasts as long as its sentence, and a little more
            clip = self.voice.say(narration or caption)
            minimum = max(minimum, clip.seconds / th.pace + 0.5)
            self.add_sound(clip.path)
        lead = list(lead or [])
        if show_caption and self.legend is None and self.network_shown and self.left_out():
            caption += f" ({_(LEFT_OUT)})"  # no room for a legend to say it
        if show_caption and self.stage.caption_text != caption:
            lead += self.stage.caption_to(caption)
        parts = self._parts(steps)
        timing = pace([t for _, _, t in parts], words(caption) if show_caption else 0,
                      0.6 if lead else 0.0, minimum)
        if lead:
            self.play_front(lead, th.seconds(0.6))
        exits = 0  # the beat's closing fade-outs: its last full frame is before them
        while exits < len(steps) and steps[-1 - exits].exit:
            exits += 1
        held = None
        for k, ((anims, events, _timed), t) in enumerate(zip(parts, timing)):
            if k == len(parts) - exits:
                held = self.beat_held()
            self.played.extend(events)
            if anims:
                self.play_front(anims, th.seconds(t.run))
            if t.pause:
                self.pause(th.seconds(t.pause))
        for t in timing[len(parts):]:  # a beat with nothing to play still lasts its minimum
            self.pause(th.seconds(t.pause))
        if held is None:
            held = self.beat_held()
        self.spoken.append((narration or caption, start, self.renderer.time))
        self.beats.append({"n": len(self.beats) + 1, "name": caption, "start": round(start, 3),
                           "end": round(self.renderer.time, 3), "held": round(held, 3)})
        if self.stop_after is not None and beat_matches(self.beats[-1], self.stop_after):
            self.stopped = True  # the still is this beat's last frame: nothing after it is played

    def beat_held(self) -> float:
        """The beat's last full frame is on screen now (before any `exit` step fades it): its time,
        where a slide ends; `on_held` (the handout) draws it."""
        if self.on_held is not None:
            self.on_held(self)
        return self.renderer.time

    @property
    def captions(self) -> list[tuple[str, float, float]]:
        """(caption, start, end) of each beat played: the video's chapters."""
        return [(b["name"], b["start"], b["end"]) for b in self.beats]

    def mark_poster(self):
        """The frame on screen now is the video's poster (--poster): a scene calls this where the
        network shows every number."""
        if self.poster and self.poster_frame is None and not self.stopped:
            self.poster_frame = self.renderer.get_frame().copy()

    def tear_down(self):
        """A chapter of the lecture ends with a bridge naming the next one. Subtitles are cut into
        cues once every beat has played: a beat too short for a cue of its own shares one with its
        neighbour."""
        if self.lecture is not None and self.lecture.bridge is not None:
            self.beat(self.lecture.bridge, [Step(self.stage.clear_cards(), 0.6)], minimum=BRIDGE_SECONDS,
                      narration=f"{self.lecture.bridge}.")
        for cue in scene_cues(self.spoken):
            self.add_subcaption(cue.text, duration=(cue.end - cue.start) / 1000,
                                offset=cue.start / 1000 - self.renderer.time)
        if self.voice is not None:  # the sound track runs to the last frame
            self.add_sound(self.voice.silence(0.05), time_offset=-0.05)

    def _parts(self, steps: list[Step]) -> list[tuple[list, list, Timed]]:
        """(animations, events, timing) per part: a run of quiet steps is one sweep part; a beat of
        many events moves faster between its cards, so each beat stays one calm idea."""
        events = sum(1 for s in steps if s.event and s.anims and not s.quiet)
        scale = min(1.0, max(0.5, MANY_EVENTS / max(1, events)))
        parts: list[tuple[list, list, Timed]] = []
        sweep: list[Step] = []

        def flush():
            anims = [a for s in sweep for a in s.anims]
            if anims or sweep:
                parts.append((anims, [s.event for s in sweep if s.event],
                              Timed(1.6 if anims else 0.0, 1.2 if anims else 0.0)))
            sweep.clear()

        for s in steps:
            if s.quiet:
                sweep.append(s)
                continue
            flush()
            card_words = sum(words(text) for card in s.shows for _, text, _ in card.transcript_entries())
            parts.append((s.anims, [s.event] if s.event else [],
                          Timed(s.run_time * scale if s.anims else 0.0, s.pause * scale, card_words)))
        flush()
        return parts

    def play(self, *args, **kwargs):
        if self.stopped:
            return
        start = self.renderer.time
        super().play(*args, **kwargs)
        if self.transcript is not None:
            self.transcript.observe(self.mobjects, start, self.renderer.time)

    def play_front(self, anims: list, run_time: float):
        """Play, with what moves brought to the end of the scene's list first: Cairo repaints every
        mobject after the first moving one, so the static network is drawn once, not every frame.
        Labels keep their place above edges through z_index."""
        if self.stopped:
            return
        self.bring_to_front(*[a.mobject for a in anims if a.mobject in self.mobjects])
        self.play(*anims, run_time=run_time)
        self.play_log.append(("play", run_time, len(anims)))

    def pause(self, seconds: float):
        if self.stopped:
            return
        self.wait(seconds)
        self.play_log.append(("wait", seconds, 0))


def beat_matches(beat: dict, step: str) -> bool:
    """`step` names this beat: its number, or its caption (case and spacing aside)."""
    step = " ".join(step.split())
    if step.isdigit():
        return int(step) == beat["n"]
    return step.casefold() == " ".join(beat["name"].split()).casefold()
