"""The search for a layout: units in columns, then every label placed (`placer`), over what a unit
box carries (MODES), how the columns are arranged (one row, a long chain wrapped into two, layers
down a portrait frame), how wide dense columns' boxes are, and how small the whole is drawn (ZOOMS).
The first that places every number wins; else the one that loses least.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from backprop.story.frame import SIXTEEN_NINE, Frame
from backprop.story.layout.bound import Bound, cannot_place, cost
from backprop.story.layout.geometry import GAP, Box, crossed, inside, pieces, segment, segment_down, skip_arc
from backprop.story.layout.measure import TEXT_H, measured_in, pill_box, plain_box, text_width
from backprop.story.layout.placer import DENSE, Placer
from backprop.story.layout.record import Layout
from backprop.story.texts import Texts
from backprop.story.theme import Theme

MIN_GAP = 0.5  # shortest visible edge between two columns
BOX_PAD = 0.2  # a unit box is its text lines plus this
ONE_LINE_PAD = 0.06  # a one-line box, less (dense columns need the room)
GAP_PER_EDGE = 0.35  # a gap's share of the width grows by this much per edge past four
OVERHANG = (MIN_GAP - GAP) / 2 - 0.01  # how far a badge above a unit may reach past its column: two never meet

# name → (value lines in a box, bias row under it), richest first.
MODES = {"full": (2, True), "lean": (1, True), "medium": (2, False), "compact": (1, False),
         "symbol": (0, False), "tiny": (-1, False)}
# Where along an edge its labels go, first choice first: a weight near where it leaves its source,
# its gradient nearer its target.
WEIGHT_TS = (0.16, 0.24, 0.2, 0.28, 0.1, 0.32, 0.36, 0.4, 0.06, 0.48, 0.56, 0.64)
BADGE_TS = (0.68, 0.76, 0.72, 0.8, 0.6, 0.84, 0.64, 0.52, 0.9, 0.44, 0.36, 0.28, 0.94)
TURN_BEND = 0.4  # how far a skip round a wrapped chain's turn bows out (the turn's column is that much wider)
EDGE_LABEL_UNITS = 4  # edge labels are tried up to this many units a column; denser, colour and width
LEADER_EDGES = 9  # a gap of more edges draws no leader lines: a number finds room on its own edge or waits for its step

# A network whose numbers do not all fit its band is drawn smaller, down to the last of these (its
# labels' lines then 13 px at 854×480, its text 80% of the theme's) rather than leave numbers out.
ZOOMS = (1.0, 0.9, 0.8)


def layout_network(timeline, theme: Theme, texts: Texts, frame: Frame = SIXTEEN_NINE) -> Layout:
    """The first zoom at which every number fits, else the one that loses least (the larger of equals)."""
    best: Layout | None = None
    with measured_in(theme.font):
        searches = [Search(timeline, theme, texts, frame if k == 1 else frame.zoomed_out(k)) for k in ZOOMS]
        if len(searches[0].arrangements()) == 1:  # (with two, which is tried depends on the first's best)
            last = searches[-1]
            bound = Bound(lambda: last.lay_out(last.last_trial()))
            for search in searches:
                search.bound = bound
        for k, search in zip(ZOOMS, searches):
            found = search.best()
            if found is None:  # every trial here sure to lose more than one already laid out
                continue
            lay = found if k == 1 else _scaled(found, k, frame)
            if not lay.dropped:
                return lay
            if best is None or cost(lay) < cost(best):
                best = lay
    assert best is not None  # ZOOMS is not empty
    return best


def _scaled(lay: Layout, k: float, frame: Frame) -> Layout:
    """A layout made in `frame.zoomed_out(k)`, scaled by k into `frame` itself."""
    def at(p):
        return (p[0] * k, p[1] * k)

    def points(d):
        return {key: at(p) for key, p in d.items()}

    return replace(
        lay, units=points(lay.units), sizes=points(lay.sizes), badges=points(lay.badges), bias=points(lay.bias),
        weight_labels=points(lay.weight_labels), edge_badges=points(lay.edge_badges),
        bias_badges=points(lay.bias_badges), segments={e: (a * k, b * k) for e, (a, b) in lay.segments.items()},
        boxes=[(key, Box(b.x * k, b.y * k, b.w * k, b.h * k)) for key, b in lay.boxes],
        font={key: v * k for key, v in lay.font.items()}, pads={key: v * k for key, v in lay.pads.items()},
        leaders={key: (at(a), at(b)) for key, (a, b) in lay.leaders.items()}, frame=frame, scale=k * lay.scale,
        skips={e: points * k for e, points in lay.skips.items()}, skip_labels=points(lay.skip_labels))


@dataclass(frozen=True)
class Trial:
    """One candidate layout: what a unit box carries, the columns' rows, layers down the frame or
    across it, boxes as wide as their pills (`widen`), and whether to lay it out even where it does not
    fit (`force`: the last resort)."""

    mode: str
    rows: tuple[tuple[int, ...], ...]
    down: bool = False
    widen: bool = False
    force: bool = False

    @property
    def lines(self) -> int:
        return MODES[self.mode][0]

    @property
    def bias_row(self) -> bool:
        return MODES[self.mode][1]


class Search:
    """Every trial for one timeline in one frame, sharing what they measure alike."""

    def __init__(self, timeline, theme: Theme, texts: Texts, frame: Frame):
        self.timeline, self.theme, self.texts, self.frame = timeline, theme, texts, frame
        self.columns: dict[int, list[dict]] = {}
        for n in timeline.nodes:
            if n["kind"] in ("input", "h", "y", "loss"):
                self.columns.setdefault(n["layer"], []).append(n)
        self.tallest = max(len(c) for c in self.columns.values())
        layer_of = {n["id"]: n["layer"] for n in timeline.nodes}
        self.skip_layers = {layer_of[e["target"]] for e in timeline.edges if e["kind"] == "skip"}  # layers a skip ends in
        self.s, self.ls = theme.badge_size, theme.label_size
        self.line_h = TEXT_H * self.ls + 0.06
        self.pill_h = pill_box(0, 0, "0", self.s).h
        self.row_h = self.pill_h + GAP + 0.01  # a badge or bias row above / below a box, clear of it
        self.bound: Bound | None = None  # shared by the zooms' searches where trials may be left unfinished
        self.pruned = False  # whether a trial was left unfinished, sure to lose more than another
        self._laid: dict[Trial, Layout | None] = {}  # each trial once (the bound's guess is laid out early)

    def arrangements(self) -> list[tuple[tuple[tuple[int, ...], ...], bool]]:
        """How the columns may stand, first choice first: (rows, layers down the frame)."""
        order = tuple(sorted(self.columns))
        half = (len(order) + 1) // 2
        wrapped = (order[:half], order[half:])
        across = [(order,)] if self.tallest > 1 or len(order) < 6 else [wrapped, (order,)]  # a long chain: wrapped first
        # A portrait frame runs the layers down it first; across, as in a landscape frame, if that fits better.
        return ([((order,), True)] if _runs_down(self.frame) else []) + [(rows, False) for rows in across]

    def last_trial(self) -> Trial:
        """The last trial `best` tries before the last resort: the plainest boxes, as narrow as their text."""
        rows, down = self.arrangements()[-1]
        return Trial("symbol", rows, down)

    def best(self) -> Layout | None:
        """The richest mode whose every label finds room (else the one that drops fewest). A chain too
        long for one row wraps into two, the second running back right to left. None if every trial
        that fits was left unfinished (`bound`)."""
        arrangements = self.arrangements()
        best = None
        for rows, down in arrangements:
            for mode in MODES:
                if mode == "tiny":
                    continue
                lay = self.in_mode(Trial(mode, rows, down))
                if lay is None:
                    continue
                if not lay.dropped:
                    return lay
                if best is None or cost(lay) < cost(best):  # else the one that loses the fewest numbers
                    best = lay
            if best is not None and cost(best)[0] < 1000:  # every unit's gradient placed
                break
        if best is not None or self.pruned:
            return best
        rows, down = arrangements[-1]
        lay = self.in_mode(Trial("tiny", rows, down)) or self.in_mode(Trial("tiny", rows, down, force=True))
        assert lay is not None  # forced, a trial always lays out
        return lay

    def in_mode(self, trial: Trial) -> Layout | None:
        """The layout in one mode, or None if its boxes do not fit the band. Dense columns across the
        frame: with boxes as wide as their pills (off the gaps' even columns of labels) or as their text,
        whichever loses less (a narrow frame has no width to spare)."""
        dense = not trial.down and self.tallest >= DENSE
        made = [lay for widen in ((True, False) if dense else (False,))
                if (lay := self.lay_out(replace(trial, widen=widen))) is not None]
        return min(made, key=cost) if made else None

    def lay_out(self, trial: Trial) -> Layout | None:
        """The trial's layout; None where its boxes do not fit, or where it is sure to lose more than
        the best so far (`bound`)."""
        if trial not in self._laid:
            lay = self._laid[trial] = self._lay_out(trial)
            if lay is not None and self.bound is not None:
                self.bound.offer(lay)
        return self._laid[trial]

    def _lay_out(self, trial: Trial) -> Layout | None:
        frame, lines, force = self.frame, trial.lines, trial.force
        left, right, bottom, top = frame.network_left, frame.network_right, frame.network_bottom(), frame.network_top
        band = (top - bottom) / len(trial.rows)
        slot = band / self.tallest
        box_h = max(1, lines) * self.line_h + (BOX_PAD if lines == 2 else ONE_LINE_PAD)
        if lines >= 0 and slot < box_h + self.row_h * (1 + trial.bias_row) + 0.06 and not force:
            return None
        if trial.down:  # layers down the frame: a layer's units side by side across it
            slot = min((right - left) / self.tallest, 2.4)
            if lines >= 0 and force is False and slot < 0.6:
                return None
        sizes, widths = self._boxes(trial, slot)
        edge_labels = lines >= 0 and self.tallest <= EDGE_LABEL_UNITS
        units = (self._down(trial, sizes) if trial.down
                 else self._across(trial, widths, slot, band, edge_labels))
        if units is None:
            return None
        return self._labels(trial, units, sizes, edge_labels)

    def _across(self, trial: Trial, widths, slot, band, edge_labels, turn_room: bool = True):
        """Unit centres with layers across the frame: columns in each row, the gaps shared out by the
        labels their edges carry; None if they do not fit. A skip round a wrapped chain's turn has
        room beside it to bow outward (`turn_room`) where the gaps can spare it."""
        columns, frame, rows = self.columns, self.frame, trial.rows
        left, right, top = frame.network_left, frame.network_right, frame.network_top
        room = 2 * (TURN_BEND + 0.05) if turn_room and len(rows) > 1 and rows[1][0] in self.skip_layers else 0.0
        xs: dict[int, float] = {}
        for r, row in enumerate(rows):
            ws = [widths[layer] for layer in row]
            if len(rows) > 1:  # the turn: the last column of one row above the first of the next
                turn = max(widths[rows[0][-1]], widths[rows[1][0]])
                ws[-1 if r == 0 else 0] = turn + room
            free = right - left - sum(ws)
            # Each gap gets room in proportion to the labels its edges carry; the loss's carries none.
            needs = [self._gap_need(columns[l0], columns[l1]) if edge_labels and l1 != max(columns) else MIN_GAP
                     for l0, l1 in zip(row, row[1:])]
            gaps = _share(free, needs) if needs else []
            if len(gaps) > 1 and row[-1] == max(columns):
                loss_gap = min(free / len(gaps), 1.0, 0.07 * frame.width)  # narrow frames need the room for labels
                gaps = _share(free - loss_gap, needs[:-1]) + [loss_gap]
            if gaps and min(gaps) < MIN_GAP and not trial.force:
                return self._across(trial, widths, slot, band, edge_labels, False) if room else None
            x = left
            placed_x = []
            for k, w in enumerate(ws):
                placed_x.append(x + w / 2)
                x += w + (gaps[k] if k < len(gaps) else 0)
            if r == 1:  # back from right to left
                placed_x = [left + right - v for v in placed_x]
            xs.update(dict(zip(row, placed_x)))

        units = {}
        shift = 0.0 if trial.bias_row or trial.lines < 0 else -self.row_h / 2  # badge above, bias row below: balanced
        for r, row in enumerate(rows):
            centre_y = top - band * (r + 0.5)
            for layer in row:
                col = columns[layer]
                spacing = min(slot, 2.4)
                for k, n in enumerate(col):
                    units[n["id"]] = (float(xs[layer]), float(centre_y + ((len(col) - 1) / 2 - k) * spacing + shift))
        return units

    def _down(self, trial: Trial, sizes):
        """Unit centres with layers running down the frame, each layer's units spread across it with
        room for a gradient's pill beside every box; None if they do not fit."""
        columns, frame, force, lines = self.columns, self.frame, trial.force, trial.lines
        left, right, bottom, top = frame.network_left, frame.network_right, frame.network_bottom(), frame.network_top
        order = sorted(columns)
        heights = [max(sizes[n["id"]][1] for n in columns[layer]) for layer in order]
        free = top - bottom - sum(heights)
        gaps = len(order) - 1
        loss_gap = min(0.8, free / max(gaps, 1))
        gap = (free - loss_gap) / max(gaps - 1, 1) if gaps > 1 else free
        if (gap < 0.7 or loss_gap < MIN_GAP) and not force:
            return None
        units = {}
        y = top
        for k, layer in enumerate(order):
            col = columns[layer]
            slot = (right - left) / len(col)
            y -= heights[k] / 2
            for i, n in enumerate(col):
                w = sizes[n["id"]][0]
                pill = (max(pill_box(0, 0, b, self.s).w for b in (self.texts.badge.get(n["id"]) or ["0"]))
                        if lines >= 0 else 0)
                need = w + (GAP + 0.04 + pill if lines >= 0 else 0)
                if need > slot and not force:
                    return None
                x = left + slot * (i + 0.5) - (need - w) / 2  # the box left of centre, its pill to its right
                units[n["id"]] = (float(x), float(y))
            y -= heights[k] / 2 + (loss_gap if k == len(order) - 2 else gap)
        return units

    def _labels(self, trial: Trial, units, sizes, edge_labels) -> Layout | None:
        """Edges between the placed units, then every label: units' gradients, bias rows, edge numbers."""
        timeline, texts, s, down = self.timeline, self.texts, self.s, trial.down
        row_h, pill_h = self.row_h, self.pill_h
        unit_of = {uid: uid for uid in units}
        for n in timeline.nodes:
            if n["kind"] == "z":
                unit_of[n["id"]] = next(e["target"] for e in timeline.edges
                                        if e["source"] == n["id"] and e["kind"] == "activation")

        segments = {}
        for e in timeline.edges:
            if e["kind"] in ("weight", "loss"):
                a, b = unit_of[e["source"]], unit_of[e["target"]]
                segments[e["id"]] = (segment_down if down else segment)(units[a], sizes[a], units[b], sizes[b])
        lay = Layout(mode=trial.mode, units=units, sizes=sizes, unit_of=unit_of, badges={}, bias={},
                     weight_labels={}, edge_badges={}, segments=segments, value_lines=trial.lines,
                     frame=self.frame, badge_side="beside" if down else "above")
        lay.boxes = [(f"unit:{uid}", Box(*units[uid], *sizes[uid])) for uid in units]
        sides = {e["id"]: self._skip_arc(lay, e, down) for e in timeline.edges if e["kind"] == "skip"}
        # A wrapped chain's turn runs straight down through where labels above and below boxes go.
        walls = [] if down else [seg for seg in segments.values() if abs(seg[0][0] - seg[1][0]) < 1e-6]
        placer = Placer(lay, s, walls)

        if trial.lines >= 0:
            badges = []
            for uid, (ux, uy) in units.items():
                widest = max(texts.badge.get(uid) or ["0"], key=lambda t: text_width(t, s))
                half = pill_box(0, 0, widest, s).w / 2
                y = uy + sizes[uid][1] / 2 + row_h - pill_h / 2
                side = half + GAP / 2 + 0.02  # beside a wrapped chain's turn
                below = uy - sizes[uid][1] / 2 - row_h + pill_h / 2  # the last resort in a cramped frame
                inner = min(max(ux, lay.band[0] + half), lay.band[1] - half)  # as near centred as the band allows
                spots = [(x, y_) for y_ in (y, below) for x in (ux, inner, ux - side, ux + side)]
                spots += [(x, y + row_h) for x in (ux, inner)]  # a row higher: the last clear of every edge
                if down:  # beside the box: edges arrive at its top and leave from its bottom
                    beside = sizes[uid][0] / 2 + GAP + 0.02 + half
                    spots = [(ux + beside, uy), (ux - beside, uy), (ux + beside, uy + pill_h), (ux + beside, uy - pill_h)]
                badges.append((f"badge:{uid}", lay.badges, uid, widest, spots))
            placer.nears(badges, pill=True, clear_first=True)

        if self.bound is not None and trial.mode != "tiny" and self._beaten(trial, placer, edge_labels):
            self.pruned = True
            return None

        def bias_rows():
            if trial.bias_row:
                for p in timeline.params:
                    if p["kind"] != "bias":
                        continue
                    uid = unit_of[p["node"]]
                    ux, uy = units[uid]
                    left, y = ux - sizes[uid][0] / 2, uy - sizes[uid][1] / 2 - row_h + pill_h / 2
                    name, value, grad = p["name"], texts.bias[p["name"]], texts.bias_badge.get(p["name"], "0")
                    vw, gw = plain_box(0, 0, value, s).w, pill_box(0, 0, grad, s).w
                    before_centre = ux - GAP - 0.02 - gw - 0.12 - vw / 2  # the row ending left of the box's centre
                    spots = [(left + vw / 2, y), (ux - (vw + gw + 0.12) / 2 + vw / 2, y), (before_centre, y),
                             (left + vw / 2 - 0.5, y), (ux, y), (ux + vw / 2, y)]  # the last: clear of a wide row on the left
                    # the next column's left edge: a row that reaches under the next unit takes that unit's room
                    ahead = [x - sizes[u][0] / 2 - GAP for u, (x, _) in units.items() if x > ux + 1e-6]
                    if down:  # left of the box; else right of it, under or over its pill
                        right = ux + sizes[uid][0] / 2 + GAP + 0.02 + vw / 2
                        spots, ahead = [(left - GAP - 0.02 - gw - 0.12 - vw / 2, uy), (right, uy - row_h),
                                        (right, uy + row_h)], []
                    placer.bias_row(name, value, grad, spots, row_h, min(ahead, default=None))
            else:  # a mode without bias rows: every bias and its gradient is left to the table
                lay.dropped += [f"{kind}:{p['name']}" for p in timeline.params if p["kind"] == "bias"
                                for kind in ("bias", "bias-badge")]

        def edge_numbers():
            if edge_labels:
                for edges in _gaps(segments).values():
                    badges = [(eid, texts.edge_badge[eid]) for eid in edges if eid in texts.edge_badge]
                    weights = [(eid, texts.weight[eid]) for eid in edges]

                    leaders = len(edges) <= LEADER_EDGES

                    def place_badges(badges=badges, leaders=leaders):
                        placer.column(badges, "edge-badge", lay.edge_badges, BADGE_TS, True, leaders)

                    def place_weights(weights=weights, leaders=leaders):
                        placer.column(weights, "weight", lay.weight_labels, WEIGHT_TS, False, leaders)

                    # Gradients first (the wider pills, and the numbers the lesson is about), then weights;
                    # if that loses a label, the other way round, and whichever loses fewer.
                    placer.least_lost([(place_badges, place_weights), (place_weights, place_badges)], len)

        # Bias rows first, then the edges' numbers; if that loses a number, the other way round (a dense
        # gap's labels then take the two even columns they need and the bias rows fit around them), and
        # whichever loses fewer edge numbers, then fewer numbers.
        orders = [(bias_rows, edge_numbers)] + ([(edge_numbers, bias_rows)] if trial.bias_row and edge_labels else [])
        placer.least_lost(orders, lambda lost: (sum(1 for k in lost if k.startswith(("weight:", "edge-badge:"))),
                                                len(lost)))
        if trial.lines >= 0:  # a skip's label where there is room left (its arc says what it is)
            for eid, side in sides.items():
                placer.skip_label(eid, texts.skip[eid], side)
        return lay

    def _beaten(self, trial: Trial, placer: Placer, edge_labels) -> bool:
        """Whether the trial, its units' gradients placed, is sure to lose more than the best so far
        (`bound`): the gradients that found no room, every bias where the mode has no bias rows, and
        the edge numbers no spot can take even now (the first gap's, then every other gap's together)."""
        assert self.bound is not None
        lost = sum(1 for key in placer.lay.dropped if key.startswith("badge:"))
        biases = 0 if trial.bias_row else 2 * sum(1 for p in self.timeline.params if p["kind"] == "bias")
        gaps = [[([(eid, self.texts.edge_badge[eid]) for eid in edges if eid in self.texts.edge_badge], BADGE_TS, True,
                  len(edges) <= LEADER_EDGES), ([(eid, self.texts.weight[eid]) for eid in edges], WEIGHT_TS, False,
                  len(edges) <= LEADER_EDGES)] for edges in (_gaps(placer.lay.segments).values() if edge_labels else ())]
        dead = 0
        for part in ([], gaps[:1], gaps[1:]):  # none yet; the first gap (often enough); the others together
            dead += cannot_place(placer, [kind for gap in part for kind in gap])
            if self.bound.beaten((1000 * lost + dead, lost + biases + dead)):
                return True
        return False

    def _skip_arc(self, lay: Layout, edge: dict, down: bool):
        """A skip's arc into `lay.skips`, and the side it bows to: away from the middle of its column
        (up from the upper half, down from the lower), outward of a wrapped chain's turn, right of
        layers running down; the first of that side, the other, then a flatter bend that stays in the
        band and clear of every unit box. Returns the side."""
        a, b = lay.unit_of[edge["source"]], lay.unit_of[edge["target"]]
        ax, bx = lay.units[a][0], lay.units[b][0]
        bend = None
        if down:
            side = (1.0, 0.0)
        elif abs(ax - bx) < 1e-6:  # the turn of a wrapped chain: bow outward, into the room left for it
            side = (1.0, 0.0) if ax > sum(lay.band[:2]) / 2 else (-1.0, 0.0)
            bend = TURN_BEND
        else:
            column = [n["id"] for n in self.columns[next(n["layer"] for n in self.timeline.nodes if n["id"] == b)]]
            side = (0.0, 1.0) if column.index(b) < len(column) / 2 else (0.0, -1.0)
        boxes = np.array([(x, y, w - 0.02, h - 0.02) for uid, ((x, y), (w, h)) in
                          ((u, (lay.units[u], lay.sizes[u])) for u in lay.units)], dtype=float)
        tries = [(side, bend), ((-side[0], -side[1]), bend), (side, 0.25), ((-side[0], -side[1]), 0.25)]
        for s, bend in tries:
            points = skip_arc(lay.units[a], lay.sizes[a], lay.units[b], lay.sizes[b], s, down, bend)
            ends = np.array(pieces(points))
            clear = not crossed(boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3],
                                ends[:, 0], ends[:, 1] - ends[:, 0]).any()
            if clear and inside(points[:, 0], points[:, 1], 0, 0, lay.band).all():
                break
        else:
            s = side
            points = skip_arc(lay.units[a], lay.sizes[a], lay.units[b], lay.sizes[b], s, down, bend)
        lay.skips[edge["id"]] = points
        return s

    def _boxes(self, trial: Trial, slot):
        """Box sizes per unit and each column's width (`widen`: each box as wide as its pill)."""
        lines, texts, s, ls = trial.lines, self.texts, self.s, self.ls

        def size_of(n):
            if lines < 0:  # a small square, smaller still where a column is crowded
                side = min(0.34, 0.75 * slot)
                return side, side
            w = max(text_width(line, ls) for line in unit_text(texts, n["id"], lines)) + 0.3
            if trial.widen:  # as wide as its gradient's pill, which then keeps off the gaps' even columns of labels
                w = max([w] + [pill_box(0, 0, b, s).w for b in texts.badge.get(n["id"]) or []])
            return max(w, 0.6), max(1, lines) * self.line_h + (BOX_PAD if lines == 2 else ONE_LINE_PAD)

        def footprint(n):  # a column is as wide as its widest box, or its badge less what may overhang
            badges = texts.badge.get(n["id"]) or ["0"]
            badge_w = max(pill_box(0, 0, b, s).w for b in badges) if lines >= 0 else 0
            return max(sizes[n["id"]][0], badge_w - 2 * OVERHANG)

        sizes = {n["id"]: size_of(n) for col in self.columns.values() for n in col}
        for col in self.columns.values():  # one box width per column, so a layer reads as a layer
            w = max(sizes[n["id"]][0] for n in col)
            for n in col:
                sizes[n["id"]] = (w, sizes[n["id"]][1])
        widths = {layer: max(footprint(n) for n in self.columns[layer]) for layer in self.columns}
        return sizes, widths

    def _gap_need(self, sources, targets) -> float:
        """How wide the gap between two columns wants to be: one label wide for one or two edges, a
        weight and a gradient side by side for more."""
        texts, size = self.texts, self.s
        eids = [eid for eid in texts.weight if eid.startswith(f"W{targets[0]['layer']}[")]
        weight_w = max((plain_box(0, 0, texts.weight[e], size).w for e in eids), default=0.6)
        badge_w = max((pill_box(0, 0, texts.edge_badge[e], size).w for e in eids if e in texts.edge_badge),
                      default=0.6)
        edges = len(sources) * len(targets)
        if edges <= 2:
            return max(weight_w, badge_w) + 0.4
        return (weight_w + badge_w + 0.5) * (1 + GAP_PER_EDGE * (edges - 4))


def _share(room, needs):
    """MIN_GAP each, the rest in proportion to `needs`."""
    return [MIN_GAP + (room - MIN_GAP * len(needs)) * need / sum(needs) for need in needs]


def _runs_down(frame: Frame) -> bool:
    """A portrait frame: layers run down it, not across (its width would crowd the columns)."""
    return frame.height > frame.width * 1.2


def _gaps(segments) -> dict[int, list[str]]:
    """The edges between two columns (a weight matrix's), by the layer they lead into."""
    gaps: dict[int, list[str]] = {}
    for eid in segments:
        if not eid.endswith("->L"):
            gaps.setdefault(_layer_of(eid), []).append(eid)
    return gaps


def _layer_of(param: str) -> int:
    return int(param[1:param.index("[")])


def unit_text(texts: Texts, uid: str, lines: int) -> list[str]:
    """The text lines of a unit's box: both value rows, the last (h) row, or the name only.

    The loss always keeps its value: a view without it would not say what is being minimised."""
    rows = texts.unit_lines[uid]
    if lines == 2 or uid == "L":
        return [f"{a} {b}" for a, b in rows]
    if lines == 1:
        return [f"{rows[-1][0]} {rows[-1][1]}"]
    return [texts.symbol[uid]]
