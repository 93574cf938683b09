"""Networks too large to draw unit by unit: each layer is a block, and edges widen with the size of
the gradient that crossed them (a layer-granularity timeline's norms)."""

from __future__ import annotations

import numpy as np
from manim import DOWN, Line, RoundedRectangle, VGroup

from backprop.story.layout import NETWORK_BOTTOM, NETWORK_LEFT, NETWORK_RIGHT, NETWORK_TOP
from backprop.stage.board import Board
from backprop.story.texts import loss_text
from backprop.story.theme import Theme


def norm_text(x: float) -> str:
    return f"{x:.3g}" if x >= 0.001 else f"{x:.2e}"


class BlockStage(Board):
    def __init__(self, timeline, theme: Theme):
        norms = [e["norm"] for e in timeline.events if "norm" in e]
        super().__init__(theme, max(norms + [0.0]))
        self.timeline = timeline
        self.blocks: dict[str, VGroup] = {}
        self.badge_pos: dict[str, tuple] = {}
        layers = [n for n in timeline.nodes if n["kind"] in ("input", "h", "y", "loss")]
        xs = np.linspace(NETWORK_LEFT + 0.9, NETWORK_RIGHT - 0.9, len(layers))
        biggest = max(n["units"] for n in layers)
        mid = (NETWORK_TOP + NETWORK_BOTTOM) / 2
        acts = timeline.network["activations"]
        for x, n in zip(xs, layers):
            height = 0.8 + 2.6 * np.log1p(n["units"]) / np.log1p(biggest)
            rect = RoundedRectangle(corner_radius=0.12, width=1.3, height=height, stroke_color=theme.unit_stroke,
                                    stroke_width=2, fill_color=theme.unit_fill, fill_opacity=1).move_to([x, mid, 0])
            words = ["L", loss_text(timeline.of_kind("loss")[-1]["value"])] if n["kind"] == "loss" else [
                n["symbol"], f"{n['units']} units"]
            size = theme.label_size - 2
            if n["kind"] in ("h", "y"):
                words.append(acts[n["layer"] - 1])
            label = VGroup(*[self.text(w, size, role="value") for w in words]).arrange(DOWN, buff=0.1).move_to(rect)
            if label.width > 1.1:
                label.scale_to_fit_width(1.1)
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
