"""Networks too large to draw unit by unit: each layer is a block, and edges widen with the size of
the gradient that crossed them (a layer-granularity timeline's norms)."""

from __future__ import annotations

import numpy as np
from manim import DOWN, Line, VGroup

from backprop.story.frame import SIXTEEN_NINE, Frame
from backprop.story.layout import block_text_size, measured_in, text_width
from backprop.engine.operations import ACTIVATIONS
from backprop.stage.board import Board, Card
from backprop.stage.shapes import rounded_rectangle
from backprop.story.texts import loss_text
from backprop.story.theme import Theme

CARD_LINES = 3  # a block card wraps to at most this many lines (the card zone's height)
MIN_BLOCK_GAP = 0.8  # blocks side by side need at least this between them (else one under another)


def norm_text(x: float) -> str:
    return f"{x:.3g}" if x >= 0.001 else f"{x:.2e}"


class BlockStage(Board):
    """One block per layer. Nothing here has a number per unit, so text can be large: every line is
    at least 20 px tall at 854×480 (block_text_size), cards wrap instead of shrinking."""

    def __init__(self, timeline, theme: Theme, frame: Frame = SIXTEEN_NINE):
        norms = [e["norm"] for e in timeline.events if "norm" in e]
        super().__init__(theme, max(norms + [0.0]), frame)
        self.timeline = timeline
        self.blocks: dict[str, VGroup] = {}
        self.badge_pos: dict[str, tuple] = {}
        self.badge_beside = False  # a badge's two lines side by side, right of a downward edge
        layers = [n for n in timeline.nodes if n["kind"] in ("input", "h", "y", "loss")]
        biggest = max(n["units"] for n in layers)
        acts = timeline.network["activations"]
        size = block_text_size(theme.label_size)
        line_h = size * 0.0135 + 0.1
        words_of = {}
        for n in layers:
            words = ["L", loss_text(timeline.of_kind("loss")[-1]["value"])] if n["kind"] == "loss" else [
                n["symbol"], f"{n['units']} units"]
            if n["kind"] in ("h", "y"):
                words.append(ACTIVATIONS[acts[n["layer"] - 1]].display)
            words_of[n["id"]] = words
        # one card at a time, in the bottom row: the band reaches down to it
        left, right, top, bottom = frame.network_left, frame.network_right, frame.network_top, frame.network_bottom(1)
        with measured_in(theme.font):
            width = max(text_width(w, size) for words in words_of.values() for w in words) + 0.4
            across = len(layers) * width + (len(layers) - 1) * MIN_BLOCK_GAP <= right - left
            if not across:  # a narrow frame: the blocks one under another, each on one line
                lines = {k: "  ".join(w) for k, w in words_of.items()}
                width = max(text_width(t, size) for t in lines.values()) + 0.4
        if across:
            tall = min(3.4, top - bottom - 0.85 - 0.1)  # the biggest layer's block; two badge lines above
            mid = min((top + bottom) / 2, top - tall / 2 - 0.9)
            xs = np.linspace(left + width / 2, right - width / 2, len(layers))
            for x, n in zip(xs, layers):
                words = words_of[n["id"]]
                height = max(len(words) * line_h + 0.3, 0.8 + (tall - 0.8) * np.log1p(n["units"]) / np.log1p(biggest))
                self._block(n["id"], words, size, width, height, (x, mid), DOWN)
        else:
            height = line_h + 0.2
            ys = np.linspace(top - height / 2, bottom + height / 2, len(layers))
            room = min(right - left, width + 2.0)  # a bigger layer, a wider block
            for y, n in zip(ys, layers):
                w = max(width, room * (0.5 + 0.5 * np.log1p(n["units"]) / np.log1p(biggest)))
                self._block(n["id"], [lines[n["id"]]], size, min(w, right - left), height, (0.0, y), DOWN)
            self.badge_beside = True
        ids = [n["id"] for n in layers]
        for a, b in zip(ids, ids[1:]):
            edge_id = next((e["id"] for e in timeline.edges if e["kind"] == "weight" and e["source"] == a),
                           f"{a}->L")
            start = self.blocks[a][0].get_right() if across else self.blocks[a][0].get_bottom()
            end = self.blocks[b][0].get_left() if across else self.blocks[b][0].get_top()
            self.edges[edge_id] = Line(start, end, stroke_color=theme.edge, stroke_width=theme.max_edge_width / 2)
            if across:  # above the tallest block, two lines: which gradient, and its size
                self.badge_pos[edge_id] = ((start[0] + end[0]) / 2, mid + tall / 2 + 0.55)
            else:  # beside the edge, to its right
                self.badge_pos[edge_id] = (start[0] + 0.25, (start[1] + end[1]) / 2)

    def _block(self, uid, words, size, width, height, at, direction):
        th = self.theme
        rect = rounded_rectangle(corner_radius=0.12, width=width, height=height, stroke_color=th.unit_stroke,
                                 stroke_width=2, fill_color=th.unit_fill, fill_opacity=1).move_to([at[0], at[1], 0])
        label = VGroup(*[self.text(w, size, role="value") for w in words]).arrange(direction, buff=0.1).move_to(rect)
        self.blocks[uid] = VGroup(rect, label)

    def badge_spots(self, edge_id: str, name_w: float, value_w: float) -> tuple[tuple, tuple]:
        """Centres of a block edge's two badge lines (its gradient's name, then its size): one above
        the other over the edge, or side by side right of a downward edge (`x` is where they start)."""
        x, y = self.badge_pos[edge_id]
        if not self.badge_beside:
            return (x, y + 0.17), (x, y - 0.17)
        return (x + name_w / 2, y), (x + name_w + 0.2 + value_w / 2, y)

    def network(self) -> VGroup:
        return VGroup(*self.edges.values(), *self.blocks.values())

    def label(self, s: str, size: float, color: str, at, role: str = "badge", pill: bool = False,
              pad: float = 0.0, of: str | None = None) -> VGroup:
        return super().label(s, block_text_size(size), color, at, role, pill, pad, of)

    def make_card(self, top: str, bottom: str, result: float | None, note: str | None = None,
                  side: str = "left", result_text: str | None = None, result_color: str | None = None) -> VGroup:
        """One wide card across the card zone, its text wrapped, not shrunk (a block view shows one
        card at a time)."""
        th = self.theme
        size = block_text_size(th.card_size)
        max_w = self.frame.width - 1.0
        with measured_in(th.font):
            lines = _card_lines(top, bottom, note, size, max_w)
        while len(lines) > CARD_LINES and size > block_text_size(0):  # too many lines: smaller, to 20 px
            size = max(block_text_size(0), size - 2)
            with measured_in(th.font):
                lines = _card_lines(top, bottom, note, size, max_w)
        body = VGroup(*[self.text(line, size, role="card") for line in lines[:CARD_LINES]]).arrange(DOWN, buff=0.1)
        box = rounded_rectangle(corner_radius=0.15, width=body.width + 0.4, height=body.height + 0.3,
                                stroke_color=th.card_stroke, stroke_width=2, fill_color=th.card_fill,
                                fill_opacity=0.97)
        card = Card(box, body).move_to([0, self.frame.card_y, 0])
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
