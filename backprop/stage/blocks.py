"""Networks too large to draw unit by unit: each layer is a block, and edges widen with the size of
the gradient that crossed them (a layer-granularity timeline's norms)."""

from __future__ import annotations

import numpy as np
from manim import DOWN, Line, RoundedRectangle, VGroup

from backprop.story.layout import (CARD_Y, FRAME_W, NETWORK_BOTTOM, NETWORK_LEFT, NETWORK_RIGHT, NETWORK_TOP,
                                   block_text_size, measured_in, text_width)
from backprop.engine.operations import ACTIVATIONS
from backprop.stage.board import Board, Card
from backprop.story.texts import loss_text
from backprop.story.theme import Theme

CARD_LINES = 3  # a block card wraps to at most this many lines (the card zone's height)


def norm_text(x: float) -> str:
    return f"{x:.3g}" if x >= 0.001 else f"{x:.2e}"


class BlockStage(Board):
    """One block per layer. Nothing here has a number per unit, so text can be large: every line is
    at least 20 px tall at 854×480 (block_text_size), cards wrap instead of shrinking."""

    def __init__(self, timeline, theme: Theme):
        norms = [e["norm"] for e in timeline.events if "norm" in e]
        super().__init__(theme, max(norms + [0.0]))
        self.timeline = timeline
        self.blocks: dict[str, VGroup] = {}
        self.badge_pos: dict[str, tuple] = {}
        layers = [n for n in timeline.nodes if n["kind"] in ("input", "h", "y", "loss")]
        biggest = max(n["units"] for n in layers)
        mid = (NETWORK_TOP + NETWORK_BOTTOM) / 2
        acts = timeline.network["activations"]
        size = block_text_size(theme.label_size)
        words_of = {}
        for n in layers:
            words = ["L", loss_text(timeline.of_kind("loss")[-1]["value"])] if n["kind"] == "loss" else [
                n["symbol"], f"{n['units']} units"]
            if n["kind"] in ("h", "y"):
                words.append(ACTIVATIONS[acts[n["layer"] - 1]].display)
            words_of[n["id"]] = words
        with measured_in(theme.font):
            width = max(text_width(w, size) for words in words_of.values() for w in words) + 0.4
        xs = np.linspace(NETWORK_LEFT + width / 2, NETWORK_RIGHT - width / 2, len(layers))
        for x, n in zip(xs, layers):
            words = words_of[n["id"]]
            text_h = len(words) * (size * 0.0135 + 0.1) + 0.3
            height = max(text_h, 0.8 + 2.6 * np.log1p(n["units"]) / np.log1p(biggest))
            rect = RoundedRectangle(corner_radius=0.12, width=width, height=height, stroke_color=theme.unit_stroke,
                                    stroke_width=2, fill_color=theme.unit_fill, fill_opacity=1).move_to([x, mid, 0])
            label = VGroup(*[self.text(w, size, role="value") for w in words]).arrange(DOWN, buff=0.1).move_to(rect)
            self.blocks[n["id"]] = VGroup(rect, label)
        ids = [n["id"] for n in layers]
        for a, b in zip(ids, ids[1:]):
            edge_id = next((e["id"] for e in timeline.edges if e["kind"] == "weight" and e["source"] == a),
                           f"{a}->L")
            start = self.blocks[a][0].get_right()
            end = self.blocks[b][0].get_left()
            self.edges[edge_id] = Line(start, end, stroke_color=theme.edge, stroke_width=theme.max_edge_width / 2)
            # above the tallest block, two lines: which gradient, and its size
            self.badge_pos[edge_id] = ((start[0] + end[0]) / 2, mid + 1.7 + 0.55)

    def network(self) -> VGroup:
        return VGroup(*self.edges.values(), *self.blocks.values())

    def label(self, s: str, size: float, color: str, at, role: str = "badge", pill: bool = False) -> VGroup:
        return super().label(s, block_text_size(size), color, at, role, pill)

    def make_card(self, top: str, bottom: str, result: float | None, note: str | None = None,
                  side: str = "left", result_text: str | None = None, result_color: str | None = None) -> VGroup:
        """One wide card across the card zone, its text wrapped, not shrunk (a block view shows one
        card at a time)."""
        th = self.theme
        size = block_text_size(th.card_size)
        max_w = FRAME_W - 1.0
        with measured_in(th.font):
            lines = _card_lines(top, bottom, note, size, max_w)
        while len(lines) > CARD_LINES and size > block_text_size(0):  # too many lines: smaller, to 20 px
            size = max(block_text_size(0), size - 2)
            with measured_in(th.font):
                lines = _card_lines(top, bottom, note, size, max_w)
        body = VGroup(*[self.text(line, size, role="card") for line in lines[:CARD_LINES]]).arrange(DOWN, buff=0.1)
        box = RoundedRectangle(corner_radius=0.15, width=body.width + 0.4, height=body.height + 0.3,
                               stroke_color=th.card_stroke, stroke_width=2, fill_color=th.card_fill,
                               fill_opacity=0.97)
        card = Card(box, body).move_to([0, CARD_Y, 0])
        card.rows, card.note, card.result = [[line] for line in body], None, None
        return card


def _card_lines(top, bottom, note, size, max_w) -> list[str]:
    return _wrap(top, size, max_w) + _wrap(bottom, size, max_w) + (_wrap(note, size, max_w) if note else [])


def _wrap(text: str, size: float, max_w: float) -> list[str]:
    """Lines of `text` no wider than max_w: split at a double space first (a formula and its
    comment), then between words."""
    lines = []
    for part in [p.strip() for p in text.split("  ") if p.strip()]:
        line = ""
        for word in part.split(" "):
            trial = f"{line} {word}".strip()
            if line and text_width(trial, size) > max_w:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    merged = []  # a short comment goes back on its formula's line
    for line in lines:
        if merged and text_width(f"{merged[-1]}  {line}", size) <= max_w:
            merged[-1] = f"{merged[-1]}  {line}"
        else:
            merged.append(line)
    return merged
