"""What a builder returns and what it reads: Steps to play, and the Context of the beat being built."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from backprop.engine.events import Event
from backprop.stage.board import Board
from backprop.story.cards import CardWriter


@dataclass
class Step:
    anims: list
    run_time: float = 1.0
    pause: float = 0.0
    event: dict | None = None  # the event this step shows (for tests: order of play)
    shows: list = field(default_factory=list)  # the cards this step brings in: each must stay to be read
    quiet: bool = False  # no card: plays together with the quiet steps next to it, as one sweep
    exit: bool = False  # a fade-out that ends the beat: its slide and handout page show the frame before it


@dataclass
class Context:
    stage: Board
    sweep: bool = False  # many events in this beat: no cards, everything lands together
    shown: list = field(default_factory=list)  # contributions waiting in the sum card
    cards: CardWriter | None = None  # the worked cards' texts
    standing: list = field(default_factory=list)  # left-out numbers shown for their step (builders.Standing)
    landed: set = field(default_factory=set)  # layout keys of the gradients this beat landed: left-out ones leave them be
    named: set = field(default_factory=set)  # layout keys of the units' gradients the card up now uses: they stay too


# A scene's registry: event kind → the builder that shows it. Every kind needs one (even if it
# returns no steps), so a new kind without a builder fails loudly.
Builder = Callable[[Context, Event], list[Step]]
Registry = dict[str, Builder]
