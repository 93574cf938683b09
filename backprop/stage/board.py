"""What every view of a network shares: text, the caption, cards, badges, lit edges and the pulse.

A board builds mobjects and returns animations; it never plays anything. It remembers what is on
screen (the current card, each slot's badge) so builders can replace things in place.
"""

from __future__ import annotations

import numpy as np
from manim import (DOWN, LEFT, ORIGIN, RIGHT, DashedLine, DashedVMobject, Dot, Line, MoveAlongPath, Rectangle,
                   ReplacementTransform, ShowPassingFlash, VGroup, VMobject)

from backprop.language import N_, _
from backprop.story.frame import SIXTEEN_NINE, Frame
from backprop.story.layout import MIN_LINE_PX, PX, TEXT_H, measured_in, text_width
from backprop.stage.glyphs import outlines
from backprop.stage.motion import appear, replace, vanish
from backprop.stage.shapes import rounded_rectangle
from backprop.story.texts import NBSP, badge_text, glued, grad_text
from backprop.story.theme import Theme



# where a unit's gradient pills sit (Layout.badge_side), as the legend says it
BADGE_SIDES = {"above": N_("above a unit: ∂L/∂h, then ∂L/∂z"), "beside": N_("beside a unit: ∂L/∂h, then ∂L/∂z")}

class Label(VMobject):
    """A line of text as one path: Pango's glyphs merged into a single VMobject.

    manim's Text keeps one VMobject per glyph, and Cairo sets up a path per VMobject per frame;
    merged, a label costs one. It remembers what it says, its font size and its role (title,
    caption, card, value, weight, badge, table, legend, note) for the transcript."""

    def __init__(self, glyphs, original_text: str, color: str, size: float = 0.0, role: str = "note"):
        """`glyphs`: each glyph's points (`stage.glyphs.outlines`)."""
        super().__init__(fill_color=color, fill_opacity=1.0, stroke_width=0)
        points = [g for g in glyphs if len(g)]
        if points:
            self.set_points(np.concatenate(points))
        self.original_text = original_text
        self.size, self.role = size, role
        self._drawn_width = self.width  # at `size`: a later scale shows in width / _drawn_width

    @property
    def px(self) -> float:
        """Its line height in pixels at 854×480, as drawn now (after any scaling)."""
        scale = self.width / self._drawn_width if self._drawn_width else 1.0
        return line_px(self.size * scale)

    def transcript_entries(self) -> list[tuple[str, str, float]]:
        return [(self.role, self.original_text, self.px)] if self.original_text.strip() else []


class Card(VGroup):
    """A card: one transcript entry for its lines (the symbolic line, the numbers) and one for its note."""

    def transcript_entries(self) -> list[tuple[str, str, float]]:
        lines = [" ".join(label.original_text for label in row) for row in self.rows]
        entries = [("card", "\n".join(lines), min(label.px for row in self.rows for label in row))]
        if self.note is not None:  # one line (a Label) or two (a Said): one entry
            entries += self.note.transcript_entries()
        return entries

    def transcript_places(self) -> list[tuple[VMobject, None]]:
        """The card's lines take the whole card; its note, its own lines inside it."""
        return [(self, None)] + ([(self.note, None)] if self.note is not None else [])


class Tag(VGroup):
    """A label on its background patch or pill (`Board.label`): one transcript entry, drawn as far as
    its patch reaches, labelling `of` (a weight, a bias, a unit) where it is a number of the network."""

    def __init__(self, patch: VMobject, text: Label, of: str | None = None):
        super().__init__(patch, text)
        self.text, self.of = text, of

    def transcript_entries(self) -> list[tuple[str, str, float]]:
        return self.text.transcript_entries()


class Said(VGroup):
    """Labels read as one transcript entry (a table row, a title): their texts joined by `sep`."""

    def __init__(self, *labels, role: str, sep: str = "  "):
        super().__init__(*labels)
        self.role, self.sep = role, sep

    def transcript_entries(self) -> list[tuple[str, str, float]]:
        labels = [m for m in self.submobjects if isinstance(m, Label) and m.original_text.strip()]
        return [(self.role, self.sep.join(m.original_text for m in labels), min(m.px for m in labels))]


def _even_lines(words: list[str], size: float, room: float, most: int) -> list[str]:
    """`words` filled greedily into lines no wider than `room` (at most `most` lines: wider if need
    be), then at the narrowest width that gives no more lines, so they come out even. Call inside
    `measured_in`."""
    def fill(limit: float) -> list[str]:
        lines = [words[0]]
        for w in words[1:]:
            if text_width(f"{lines[-1]} {w}", size) <= limit:
                lines[-1] += f" {w}"
            else:
                lines.append(w)
        return lines

    high = room
    while len(fill(high)) > most:  # `most` lines cannot fit `room`: as wide as they must be
        high *= 1.25
    count, low = len(fill(high)), 0.0
    for _step in range(12):
        mid = (low + high) / 2
        low, high = (low, mid) if len(fill(mid)) <= count else (mid, high)
    return fill(high)


def line_px(size: float) -> float:
    """The line height of text at font size `size`, in pixels at low quality (854×480 at 16:9; the
    frame's short side is 480 px at every aspect)."""
    return TEXT_H * size * PX


def said(mobjects) -> list:
    """The mobjects among `mobjects` and their families that say something, outermost first."""
    found = []
    for m in mobjects:
        if hasattr(m, "transcript_entries"):
            found.append(m)
        else:
            found.extend(said(m.submobjects))
    return found


class Board:
    """What every scene shares: text in the theme, the caption, the two cards, badges, edges."""

    def __init__(self, theme: Theme, max_grad: float, frame: Frame = SIXTEEN_NINE):
        self.theme, self.frame = theme, frame
        self.max_grad = max(max_grad, 1e-12)  # the widest edge stands for the largest |gradient|
        self.edges: dict[str, VMobject] = {}  # a Line, or a skip's arc
        self.lit: dict[str, Line] = {}  # edge id → its lit overlay
        self.badges: dict[str, VGroup] = {}  # what currently sits in each badge slot
        self.card: VGroup | None = None
        self.sum_card: VGroup | None = None
        self.caption: Label | None = None
        self.caption_text = ""

    # ---- text -------------------------------------------------------------------------------------

    def text(self, s: str, size: float, color: str | None = None, role: str = "note") -> Label:
        color = color or self.theme.text
        return Label(outlines(s, self.theme.font, size), s, color, size, role)

    def text_split(self, s: str, tail: str, size: float, color: str | None = None,
                   role: str = "value") -> tuple[Label, Label]:
        """`s` laid out as one line, as two labels: everything before `tail`, and `tail` (its end)."""
        color = color or self.theme.text
        drawn = outlines(s, self.theme.font, size)
        n = len(tail.replace(" ", ""))  # Pango draws no glyph for a space
        return (Label(drawn[:-n], s[:-len(tail)].rstrip(), color, size, role),
                Label(drawn[-n:], tail, color, size, role))

    def label(self, s: str, size: float, color: str, at, role: str = "badge", pill: bool = False,
              pad: float = 0.0, of: str | None = None) -> Tag:
        """Text on a small background patch, so a line passing under it does not cut through it;
        `pad` widens the patch either side (an edge then stops short of the digits, not read as a minus).
        `pill`: a rounded outline in the text's colour instead (a gradient, never read as a weight).
        `of`: what it labels, for the transcript (`W₁[1,2]`, `b₁[1]`, `h₁`)."""
        t = self.text(s, size, color, role).move_to(np.array([at[0], at[1], 0]))
        if pill:
            h = TEXT_H * size + 0.04  # one height for every pill of a size (what the layout reserved)
            patch = rounded_rectangle(corner_radius=h / 2, width=t.width + 0.2, height=h, stroke_color=color,
                                      stroke_width=1.5, fill_color=self.theme.background, fill_opacity=0.95)
        else:
            patch = Rectangle(width=t.width + 0.08 + 2 * pad, height=t.height + 0.08, stroke_width=0,
                              fill_color=self.theme.background, fill_opacity=0.9)
        patch.move_to(np.array([at[0], at[1], 0]))
        group = Tag(patch, t, of)
        group.set_z_index(1)  # above lit edges
        return group

    # ---- captions and cards -----------------------------------------------------------------------

    def title(self, title: str, subtitle: str) -> VGroup:
        """The opening card: the title and the network's shape in one line."""
        th, room = self.theme, self.frame.width - 0.8
        lines = self.wrapped(title, th.title_size, room, 3)  # a narrow frame: the title on two lines, or three
        below = [line.replace(NBSP, " ") for line in self.wrapped(glued(subtitle), th.caption_size, room, 4)]
        head = VGroup(Said(*[self.text(line, th.title_size, role="title") for line in lines], role="title", sep=" ")
                      .arrange(DOWN, buff=0.15),
                      Said(*[self.text(line, th.caption_size, th.muted, "title") for line in below], role="title",
                           sep=" ").arrange(DOWN, buff=0.1)).arrange(DOWN, buff=0.35)
        if head.width > room:
            head.scale_to_fit_width(room)
        return head

    def wrapped(self, text: str, size: float, room: float, most: int) -> list[str]:
        """`text` in at most `most` lines no wider than `room` where words allow (else one line; two
        lines: the most even split, wider than `room` if need be); more than two: as few lines as fit
        `room`, as even as that many allow, or `most` lines as narrow as they can be."""
        with measured_in(self.theme.font):
            if most < 2 or text_width(text, size) <= room:
                return [text]
            words = text.split(" ")
            if most > 2:
                return _even_lines(words, size, room, most)
            splits = [(" ".join(words[:k]), " ".join(words[k:])) for k in range(1, len(words))]
            if not splits:
                return [text]
            return list(min(splits, key=lambda p: max(text_width(p[0], size), text_width(p[1], size))))

    def note(self, text: str, room: float, scale: float = 1.0, aligned_edge=ORIGIN, most: int = 2) -> Said:
        """A note in the muted colour, at least 16 px tall once its card is scaled by `scale` (1: not
        scaled), in two lines (up to `most`, as `wrapped`) where one would be wider than `room` (before
        that scaling)."""
        size = max(self.theme.badge_size, MIN_LINE_PX / line_px(1) / scale)
        lines = self.wrapped(text, size, room / scale, most)
        return Said(*[self.text(line, size, self.theme.muted, "note") for line in lines], role="note",
                    sep=" ").arrange(DOWN, buff=0.06, aligned_edge=aligned_edge)

    def readable_lines(self, text: str, size: float, room: float) -> list[str]:
        """`text` as it goes on a card `room` wide: one line if it fits shrunk no further than 16 px
        tall, else broken before an operator (+ = × ≈) or at a space into lines that do."""
        least = MIN_LINE_PX / line_px(size)  # the most a card may shrink
        with measured_in(self.theme.font):
            fits = lambda line: text_width(line, size) * least <= room
            if fits(text) or " " not in text:
                return [text]
            lines, words = [], text.split(" ")
            while words:
                k = len(words)
                while k > 1 and not fits(" ".join(words[:k])):
                    k -= 1
                if k < len(words):  # end the line before an operator if one is in its second half
                    ops = [j for j in range(max(1, k // 2), k) if words[j] in ("+", "=", "×", "≈")]
                    k = ops[-1] if ops else k
                lines.append(" ".join(words[:k]))
                words = words[k:]
            return lines

    def caption_to(self, text: str) -> list:
        f, size, room = self.frame, self.theme.caption_size, self.frame.width - 0.6
        lines = self.wrapped(text, size, room, f.caption_lines)
        if len(lines) == 1:
            new = self.text(text, size, role="caption")
        else:  # two lines read as one caption
            new = Said(*[self.text(line, size, role="caption") for line in lines], role="caption", sep=" ")
            new.arrange(DOWN, buff=0.1)
        new.move_to([0, f.caption_y, 0])
        if new.width > room:
            new.scale_to_fit_width(room)
        if len(lines) == 1 and new.px < MIN_LINE_PX:  # shrunk past reading: two lines, if they read larger
            two = self._caption_in_two(text, room)
            if two is not None and min(m.px for m in two.submobjects) > new.px:
                new = two
        anims = replace(self.caption, new)
        self.caption, self.caption_text = new, text
        return anims

    def _caption_in_two(self, text: str, room: float) -> Said | None:
        """`text` in two lines as large as the caption's band allows (a frame whose band is kept for
        one line, the network under it: the two lines fit it at ≥ 16 px where one line would not)."""
        f, size = self.frame, self.theme.caption_size
        lines = self.wrapped(text, size, room, 2)
        if len(lines) < 2:
            return None
        new = Said(*[self.text(line, size, role="caption") for line in lines], role="caption", sep=" ")
        new.arrange(DOWN, buff=0.08)
        top, bottom = f.height / 2 - 0.1, f.caption_band
        new.scale(min(1.0, room / new.width, (top - bottom) / new.height))
        return new.move_to([0, (top + bottom) / 2, 0])

    def make_card(self, top: str, bottom: str, result: float | None, note: str | None = None,
                  side: str = "left", result_text: str | None = None, result_color: str | None = None,
                  alone: bool = False) -> VGroup:
        """A rounded card: the symbolic line, then the numbers ending in the result (coloured by sign).

        The result is the card's last submobject-group, so it can fly to where it belongs. `side`:
        "left" (a product), "right" (a sum: beside it or under it, as the frame has room), "centre"
        (a card alone, as wide as the frame allows). `alone`: a card of a side's width shown on its own
        (centred on the bottom row), which may grow to the frame's width where its side's would put its
        text under 16 px. Lines that would still shrink under 16 px break (before an operator).
        """
        th = self.theme
        # A long symbolic line breaks where it has a comment ("  (softmax + cross-entropy)") rather
        # than shrinking the whole card past reading.
        tops = [self.text(top, th.card_size, role="card")]
        card_w = self.frame.card_w if side != "centre" else self.frame.width - 0.5  # alone: the frame's width
        if alone:
            with measured_in(th.font):
                widest = max(text_width(top, th.card_size),
                             text_width(f"{bottom} {result_text or grad_text(result)}" if result is not None
                                        else bottom, th.card_size))
            if (card_w - 0.4) / widest * line_px(th.card_size) < MIN_LINE_PX:
                card_w = max(card_w, min(self.frame.width - 0.5, widest * MIN_LINE_PX / line_px(th.card_size) + 0.45))
            if "  " in top:  # wide enough for its symbolic line and its comment on one row: a card a row shorter
                card_w = max(card_w, min(self.frame.width - 0.5, tops[0].width + 0.45))
        if tops[0].width > card_w - 0.4 and "  " in top:
            tops = [self.text(line, th.card_size, role="card") for line in self._packed(top, card_w - 0.4)]
        top_t = VGroup(*tops).arrange(DOWN, buff=0.1)
        shown = (result_text or grad_text(result)) if result is not None else None
        room = card_w - 0.4
        def numbers(line):
            parts = [self.text(line, th.card_size, th.text, "card")]
            if result is not None:
                parts.append(self.text(shown, th.card_size, result_color or th.sign_color(result), "card"))
            return parts

        parts, first = numbers(bottom), []
        wide = max(top_t.width, VGroup(*parts).arrange(RIGHT, buff=0.2).width)
        if " + " in bottom and room / wide * line_px(th.card_size) < MIN_LINE_PX:
            *lines, last = self._two_lines(bottom, shown or "")  # a long sum in two lines, not too small to read
            parts, first = numbers(last), [self.text(line, th.card_size, th.text, "card") for line in lines]
        rows = [top_t, *first, VGroup(*parts).arrange(RIGHT, buff=0.2)]
        scale = min(1.0, room / VGroup(*rows).arrange(DOWN, buff=0.14).width)
        if scale * line_px(th.card_size) < MIN_LINE_PX - 1e-9:  # still too small to read: every long line breaks
            tops = [self.text(piece, th.card_size, role="card") for label in tops
                    for piece in self.readable_lines(label.original_text, th.card_size, room)]
            top_t = VGroup(*tops).arrange(DOWN, buff=0.1)
            keep = "\u00a0"  # the result never breaks inside
            last = " ".join([parts[0].original_text] + ([shown.replace(" ", keep)] if result is not None else []))
            lines = [piece for line in [label.original_text for label in first] + [last]
                     for piece in self.readable_lines(line, th.card_size, room)]
            *lines, last = [line.replace(keep, " ") for line in lines]
            if result is not None:
                last = last[:-len(shown)].rstrip()
            first = [self.text(line, th.card_size, th.text, "card") for line in lines]
            parts = numbers(last) if last else numbers(shown)[-1:]  # (the result alone on its line)
            rows = [top_t, *first, VGroup(*parts).arrange(RIGHT, buff=0.2)]
            scale = min(1.0, room / VGroup(*rows).arrange(DOWN, buff=0.14).width)
        # The card shrinks to fit its slot: its note is drawn larger to stay ≥ 16 px after that, and
        # in two lines where that makes it the widest row.
        # A card taller than the card zone would cover the network's numbers: it is drawn smaller to fit
        # the zone, as far as its lines stay 16 px (its note redrawn larger to stay so); only a card still
        # too tall reaches above the zone.
        tall = (self.frame.card_zone() + self.frame.height / 2 - 0.08 - 0.3) / VGroup(*rows, *(
            [self.note(note, room, scale)] if note else [])).arrange(DOWN, buff=0.14).height
        smallest = min(label.px for label in [*tops, *first, *parts])
        fit = min(scale, max(tall, MIN_LINE_PX / smallest))
        note_t = None
        if note:
            note_t = self.note(note, room, fit)
            rows.append(note_t)
        body = VGroup(*rows).arrange(DOWN, buff=0.14)
        if fit < scale - 1e-9:
            body.scale(fit)
        elif body.width > card_w - 0.4:
            body.scale_to_fit_width(card_w - 0.4)
        box = rounded_rectangle(corner_radius=0.15, width=body.width + 0.4, height=body.height + 0.3,
                                stroke_color=th.card_stroke, stroke_width=2, fill_color=th.card_fill,
                                fill_opacity=0.97)
        card = Card(box, body)
        card.rows, card.note = [[line] for line in tops + first] + [parts], note_t
        x, y = self.frame.card_spot(side) if side != "centre" and not alone else (0.0, self.frame.card_y)
        card.move_to([x, y, 0])
        low = -self.frame.height / 2 + 0.08  # a card taller than its row reaches up, never off the frame
        if card.get_bottom()[1] < low:
            card.shift([0, low - card.get_bottom()[1], 0])
        card.result = parts[-1] if result is not None else None
        return card

    def _packed(self, top: str, room: float) -> list[str]:
        """A symbolic line and its comments ("  (softmax + cross-entropy)  (÷ 3: …)") in as few lines
        as `room` holds, each piece whole: a card a row shorter stays in its zone, off the network."""
        lines: list[str] = []
        with measured_in(self.theme.font):
            for piece in (p.strip() for p in top.split("  ") if p.strip()):
                if lines and text_width(f"{lines[-1]}  {piece}", self.theme.card_size) <= room:
                    lines[-1] = f"{lines[-1]}  {piece}"
                else:
                    lines.append(piece)
        return lines

    def _two_lines(self, bottom: str, shown: str) -> list[str]:
        """A sum split before the operator (+ × ÷, outside brackets if one is) that makes its two lines
        most even; the result ends the second."""
        size = self.theme.card_size
        depth, cuts, inner = 0, [], []  # cuts outside brackets first: "(a + b" would not read
        for i, ch in enumerate(bottom):
            depth += {"(": 1, ")": -1}.get(ch, 0)
            if bottom.startswith((" + ", " × ", " ÷ "), i):
                (inner if depth else cuts).append(i)
        cuts = cuts or inner
        with measured_in(self.theme.font):
            cut = min(cuts, key=lambda i: max(text_width(bottom[:i], size),
                                              text_width(bottom[i + 1:] + " " + shown, size)))
        return [bottom[:cut], bottom[cut + 1:]]

    def show_card(self, card: VGroup) -> list:
        """The product card on the left (replacing the one there)."""
        return self._swap("card", card)

    def show_sum_card(self, card: VGroup) -> list:
        """The sum card on the right, where contributions gather (replacing the one there)."""
        return self._swap("sum_card", card)

    def _swap(self, slot: str, card: VGroup) -> list:
        old = getattr(self, slot)
        setattr(self, slot, card)
        return replace(old, card)

    def clear_cards(self) -> list:
        anims = [vanish(c) for c in (self.card, self.sum_card) if c is not None]
        self.card = self.sum_card = None
        return anims

    def legend(self, notes: list[str], signs: bool = True, badge_side: str = "above") -> VGroup:
        """What colour, pattern and the numbers mean, in a small box; `notes` add lines (a batch,
        numbers left out). `signs=False`: the notes alone (a frame with no room for the rest)."""
        th, size = self.theme, self.theme.badge_size
        rows = []
        if signs:
            rows += [VGroup(*[self.text(t, size, c, "legend") for t, c in
                              ((_("− negative"), th.negative), (_("+ positive"), th.positive), (_("0 zero"), th.zero))]
                            ).arrange(RIGHT, buff=0.3),
                     self.text(_("dashed edge: negative gradient"), size, th.muted, "legend"),
                     self.text(_(BADGE_SIDES[badge_side]), size, th.muted, "legend")]
        rows += [self.text(note, size, th.muted, "legend") for note in notes]
        body = VGroup(*rows).arrange(DOWN, buff=0.1, aligned_edge=LEFT)
        box = rounded_rectangle(corner_radius=0.1, width=body.width + 0.3, height=body.height + 0.24,
                                stroke_color=th.card_stroke, stroke_width=1, fill_color=th.background,
                                fill_opacity=0.9).move_to(body)
        group = VGroup(box, body)
        group.set_z_index(1)
        return group

    # ---- results landing --------------------------------------------------------------------------

    def badge(self, slot: str, value: float, pos, size: float | None = None) -> VGroup:
        """A gradient's pill."""
        text = badge_text(value)
        return self.label(text, size or self.theme.badge_size, self.theme.sign_color(value), pos, pill=True)

    def consume(self, slot: str) -> list:
        """The badge in `slot` is used up by the card now shown (∂L/∂h going into ∂L/∂z): it leaves
        before the result lands, a visible step rather than one number fading into another."""
        old = self.badges.pop(slot, None)
        return [vanish(old)] if old is not None else []

    def land(self, source: VMobject, slot: str, value: float, pos) -> list:
        """The result flies from its card to `pos` and stays there as a badge (replacing the old one)."""
        new = self.badge(slot, value, pos)
        anims = [ReplacementTransform(source.copy(), new)]
        if slot in self.badges:
            anims.append(vanish(self.badges[slot], early=True))
        self.badges[slot] = new
        return anims

    def put_badge(self, slot: str, value: float, pos) -> list:
        """A badge appearing in place (sweeps: many at once, no card)."""
        new = self.badge(slot, value, pos)
        anims = replace(self.badges.get(slot), new)
        self.badges[slot] = new
        return anims

    # ---- the gradient moving ----------------------------------------------------------------------

    def pulse(self, edge_id: str, value: float, color: str | None = None) -> list:
        """A bright dot with a fading trail, moving against the forward arrow of `edge_id`."""
        line = self.edges[edge_id]
        # against the edge's own path: a straight weight edge, or a skip's arc
        back = Line(line.get_end(), line.get_start()) if isinstance(line, Line) else line.copy().reverse_direction()
        color = color or self.theme.sign_color(value)
        trail = back.copy().set_stroke(color, width=9)
        dot = Dot(back.get_start(), radius=0.12, color=color)
        return [ShowPassingFlash(trail, time_width=0.45), MoveAlongPath(dot, back, remover=True)]

    def light(self, edge_id: str, value: float, color: str | None = None) -> list:
        """The edge a gradient crossed brightens, thicker for a bigger |gradient|, and stays so.

        Drawn as an overlay added last (Cairo then repaints only it), under the labels (z_index)."""
        th = self.theme
        width = th.edge_width + (th.max_edge_width - th.edge_width) * min(1.0, abs(value) / self.max_grad)
        base = self.edges[edge_id]
        style = dict(stroke_color=color or th.sign_color(value), stroke_width=width, stroke_opacity=0.9)
        dashed = value < 0 and color is None  # the sign by pattern as well as colour: negative is dashed
        if not isinstance(base, Line):  # a skip's arc
            lit = base.copy().set_stroke(style["stroke_color"], width, 0.9)
            if dashed:
                lit = DashedVMobject(lit, num_dashes=max(4, round(lit.get_arc_length() / 0.18)), dashed_ratio=0.62)
        elif dashed:
            lit = DashedLine(base.get_start(), base.get_end(), dash_length=0.18, dashed_ratio=0.62, **style)
        else:
            lit = Line(base.get_start(), base.get_end(), **style)
        anims = [appear(lit)]
        if edge_id in self.lit:
            anims.append(vanish(self.lit[edge_id]))
        self.lit[edge_id] = lit
        return anims


