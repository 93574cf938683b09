"""A network drawn unit by unit (scalar timelines): boxes, edges, value lines, weight and bias labels."""

from __future__ import annotations

import numpy as np
from manim import Line, ShowPassingFlash, VGroup, VMobject

from backprop.stage.board import Board, Label
from backprop.stage.motion import appear
from backprop.stage.shapes import rounded_rectangle
from backprop.story.layout import LABEL_PAD, MIN_LINE_PX, Box, Layout, block_text_size
from backprop.story.layout.step_spot import StepSpot, bias_spot, step_spot
from backprop.story.texts import Texts
from backprop.story.theme import Theme


BADGE_KEYS = ("badge:", "edge-badge:", "bias-badge:")  # a gradient pill's place in the layout


class Stage(Board):
    """A network drawn unit by unit (scalar timelines), placed by backprop.story.layout."""

    def __init__(self, timeline, theme: Theme, layout: Layout, texts: Texts):
        grads = [abs(e["value"]) for e in timeline.events
                 if e["kind"] in ("param_grad", "seed", "multiply", "accumulate") and isinstance(e["value"], float)]
        super().__init__(theme, max(grads + [0.0]), layout.frame)
        self.timeline, self.layout, self.texts = timeline, layout, texts
        self.boxes: dict[str, VGroup] = {}
        self.lines: dict[str, list[Label]] = {}  # unit id → the value lines inside its box
        self.weight_labels: dict[str, VGroup] = {}
        self.bias_labels: dict[str, VGroup] = {}
        self.keep_clear: list[Box] = []  # what a left-out number's step spot keeps off (the legend)
        # what each badge slot, weight edge and bias labels, as the transcript names it (`of`)
        self.of = {**texts.symbol, **{p["edge" if p["kind"] == "weight" else "name"]: p["symbol"]
                                      for p in timeline.params},
                   **{e["id"]: f"skip {texts.symbol[e['source']]} → {texts.symbol[e['target']]}"
                      for e in timeline.edges if e["kind"] == "skip"}}
        self._build()

    # ---- the network ------------------------------------------------------------------------------

    def _build(self):
        th, lay = self.theme, self.layout
        for eid, (a, b) in lay.segments.items():
            self.edges[eid] = Line(np.append(a, 0), np.append(b, 0), stroke_color=th.edge,
                                   stroke_width=th.edge_width)
        for eid, points in lay.skips.items():  # a skip: its own edge, an arc beside the weight's
            self.edges[eid] = VMobject(stroke_color=th.edge, stroke_width=th.edge_width).set_points_smoothly(
                [[x, y, 0] for x, y in points])
        for uid, (x, y) in lay.units.items():
            w, h = lay.sizes[uid]
            rect = rounded_rectangle(corner_radius=min(0.12, h / 3), width=w, height=h, stroke_color=th.unit_stroke,
                                     stroke_width=2, fill_color=th.unit_fill, fill_opacity=1).move_to([x, y, 0])
            self.boxes[uid] = VGroup(rect)
            self.lines[uid] = []
            rows = self.texts.unit_lines[uid]
            if lay.value_lines == 1 and uid != "L":
                rows = rows[-1:]  # the unit's output only
                if len(self.texts.unit_lines[uid]) > 1:
                    self.lines[uid].append(VMobject())  # z's value has no line here: shown as nothing
            if lay.value_lines > 0 or (lay.value_lines == 0 and uid == "L"):
                for k, (symbol, value) in enumerate(rows):
                    # One Text per row keeps symbol and value on Pango's baseline; its glyphs split
                    # into the symbol (drawn with the network) and the value (shown by its event).
                    sym_t, val_t = self.text_split(f"{symbol} {value}", value, th.label_size * lay.scale, th.text)
                    sym_t.of = val_t.of = symbol
                    VGroup(sym_t, val_t).move_to([x, y + ((len(rows) - 1) / 2 - k) * 0.36 * lay.scale, 0])
                    self.boxes[uid].add(sym_t)
                    self.lines[uid].append(val_t)
            elif lay.value_lines == 0:
                name = self.text(self.texts.symbol[uid], th.label_size * lay.scale, role="value").move_to([x, y, 0])
                name.of = self.texts.symbol[uid]
                self.boxes[uid].add(name)
        for eid, pos in lay.weight_labels.items():
            size = lay.size_of(f"weight:{eid}", th.badge_size)
            self.weight_labels[eid] = self.label(self.texts.weight[eid], size, th.muted, pos, "weight",
                                                 pad=lay.pads.get(f"weight:{eid}", LABEL_PAD * lay.scale), of=self.of[eid])
        for eid, pos in lay.skip_labels.items():
            self.weight_labels[eid] = self.label(self.texts.skip[eid], lay.size_of(f"skip:{eid}", th.badge_size),
                                                 th.muted, pos, "weight", pad=LABEL_PAD * lay.scale, of=self.of[eid])
        for name, pos in lay.bias.items():
            size = lay.size_of(f"bias:{name}", th.badge_size)
            self.bias_labels[name] = self.label(self.texts.bias[name], size, th.muted, pos, "weight",
                                                pad=LABEL_PAD * lay.scale, of=self.of[name])

        # A label placed off its edge points back to it with a thin line, drawn with the network (a
        # gradient's leader shows where its pill will arrive).
        self.leaders = {key: Line([a[0], a[1], 0], [b[0], b[1], 0], stroke_color=th.muted, stroke_width=1.5)
                        for key, (a, b) in lay.leaders.items()}

    def badge(self, slot: str, value: float, pos, size: float | None = None) -> VGroup:
        """A gradient's pill, at the size the layout gave it."""
        lay = self.layout
        key = (f"edge-badge:{slot}" if slot in lay.edge_badges else f"bias-badge:{slot}" if slot in lay.bias_badges
               else f"badge:{slot}")
        pill = super().badge(slot, value, pos, size or lay.size_of(key, self.theme.badge_size))
        pill.of = self.of.get(slot)
        return pill

    def lines_labelled(self) -> list[tuple[str | None, tuple, tuple, bool]]:
        """Every line a label may sit on, for the transcript: (what it carries, start, end, leader)."""
        edges = [(self.of.get(eid), a, b, False) for eid, a, b in self.layout.lines()]
        return edges + [(self.of.get(key.split(":", 1)[1]), a, b, True) for key, (a, b) in self.layout.leaders.items()]

    def network(self, gradients: bool = True) -> VGroup:
        """Everything static, edges first: add this before anything that moves. `gradients=False`: for
        scenes that show no gradient pills, without the leaders that point where the pills would go."""
        leaders = [line for key, line in self.leaders.items() if gradients or not key.startswith(BADGE_KEYS)]
        return VGroup(*self.edges.values(), *leaders, *self.boxes.values(), *self.weight_labels.values(),
                      *self.bias_labels.values())

    def legend(self, notes: list[str], signs: bool = True, badge_side: str | None = None) -> VGroup:
        return super().legend(notes, signs, badge_side or self.layout.badge_side)

    def step_spot(self, key: str, text: str, standing=(), keep=(), aside: bool = True) -> StepSpot | None:
        """Where a number the layout left out (`key`, e.g. "edge-badge:W2[1,3]", "bias-badge:b1[2]")
        stands while its step shows it, clear of the legend and of the `standing` spots shown with it,
        `keep` (label keys) staying: at 16 px at 854×480 where there is room, else at the size the
        layout drew the network's labels (13 px where it drew the network at 0.8). A bias's stands as
        a bias row by its unit, with its value where the layout left that out too. `aside` False: where
        no finished label has to give way."""
        th, lay = self.theme, self.layout
        name = key.split(":", 1)[1]
        clear = self.keep_clear + [b for s in standing for b in s.boxes]
        leaders = [s.leader for s in standing if s.leader]
        for size in self.step_sizes:
            if key.startswith("bias-badge:"):
                node = next(p["node"] for p in self.timeline.params if p["name"] == name)
                spot = bias_spot(lay, name, lay.unit_of[node], text,
                                 None if name in lay.bias else self.texts.bias[name], size, th.font, clear, leaders, keep)
            else:
                spot = step_spot(lay, key, text, size, th.font, clear, leaders, keep, aside)
            if spot is not None:
                return spot
        return None

    @property
    def step_sizes(self) -> list[float]:
        """The sizes a left-out number stands at, best first: 16 px, else the network's labels' size."""
        drawn = self.theme.badge_size * self.layout.scale
        return list(dict.fromkeys([block_text_size(drawn, MIN_LINE_PX), drawn]))

    def step_aside(self, keys) -> list:
        """The finished labels (layout keys) on screen now that give way to a left-out number, with
        their leader lines."""
        found = []
        for key in keys:
            kind, name = key.split(":", 1)
            m = (self.weight_labels if kind == "weight" else self.bias_labels if kind == "bias" else self.badges).get(name)
            found += [x for x in (m, self.leaders.get(key)) if x is not None]
        return found

    def bias_badge_pos(self, name: str):
        return self.layout.bias_badges.get(name)

    def flash_box(self, uid: str) -> list:
        """A bright outline runs once around the unit: look here."""
        rect = self.boxes[uid][0]
        ring = rounded_rectangle(corner_radius=0.12, width=rect.width + 0.12, height=rect.height + 0.12,
                                 stroke_color=self.theme.text, stroke_width=4).move_to(rect)
        return [ShowPassingFlash(ring, time_width=0.6)]


def network_with_values(stage) -> list:
    """The network and its forward pass's values on the units (no gradient legend: these scenes show
    no gradients on the network)."""
    values = [line for lines in stage.lines.values() for line in lines if isinstance(line, Label)]
    return [appear(stage.network(gradients=False))] + [appear(v, late=True) for v in values]
