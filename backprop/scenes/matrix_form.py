"""MatrixForm: the backward pass as real libraries compute it, one matrix product per step, with the
shapes checked on screen: δ = (Wᵀ δ) ⊙ f′(z), ∂L/∂W = δ aᵀ and ∂L/∂b = δ. Small layers show every number
(from the layer-granularity timeline); big ones their shapes and a corner of entries.

`backprop render matrix-form [--network N]`.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, RIGHT, UP, VGroup, config

from backprop.engine.labels import sub, sup
from backprop.engine.operations import ACTIVATIONS, LOSSES
from backprop.engine.timeline import build_timeline
from backprop.language import N_, _
from backprop.scenes.base import LessonScene
from backprop.scenes.steps import Step
from backprop.stage.matrix_form import MatrixMob
from backprop.stage.motion import appear, vanish
from backprop.stage.board import Said, line_px
from backprop.story.matrix_form import calculator_true, matrix_text, narrower, product_relation, shape_line

TITLE = N_("Backpropagation as matrices")
MIN_PX = 16  # the smallest text the layout allows at 854×480
NAME_SCALE = 0.85  # a matrix's name under it, relative to its entries


def T(values) -> list:
    """Stored (examples as rows) → shown (one column per example)."""
    return np.asarray(values, dtype=float).T.tolist()


class MatrixForm(LessonScene):
    def construct(self):
        tl = self.timeline if self.blocks else build_timeline(self.network, granularity="layer")
        self.layered = tl
        depth = len(tl.network["sizes"]) - 1
        self.depth = depth
        self.on_screen: list = []
        self.title_card(_(TITLE), hold=1.5)
        n = tl.network["examples"]
        caption = (_("Vectors and matrices: each vector a column") if n == 1 else
                   _("Vectors and matrices: one column per example ({n})").format(n=n))
        self.beat(caption, [Step([], 0, 1.0)],
                  narration=_("Real libraries do the same pass with whole matrices, one product per step. Each vector "
                              "is a column; with a batch, one column per example."))
        ev = {(e["kind"], e["step"], e.get("layer"), e.get("target") or e.get("param")): e for e in tl.events}
        seed = tl.of_kind("seed")[0]
        fused = seed["node"].startswith("z")
        per = "" if n == 1 else f" ÷ {n}"  # the loss is the batch's mean: each example's share
        for l in range(depth, 0, -1):
            act = ACTIVATIONS[tl.network["activations"][l - 1]]
            d, a_prev, z = "δ" + sup(l), self.a_symbol(l - 1), "z" + sup(l)
            f = f"{act.symbol}({z})"
            if l == depth:
                y, t = self.a_symbol(l), "t" + sup(l)
                if fused:
                    delta = matrix_text(d, T(seed["value"]), "grad")
                    self.equation(layer_caption(l, _("{d} = ∂L/∂{z}, from the loss").format(d=d, z=z)),
                                  f"{d} = ∂L/∂{z} = ({y} − {t}){per}" if per else f"{d} = ∂L/∂{z} = {y} − {t}",
                                  [(delta, None)], None,
                                  _("{d} is {shape}: one row per unit, one column per example").format(
                                      d=d, shape=delta.shape))
                else:
                    mult = ev[("multiply", "activation", l, f"z{l}")]
                    up = matrix_text(f"∂L/∂{y}", T(mult["factors"][0]), "grad")
                    local = matrix_text(f, T(mult["factors"][1]), "local")
                    delta = matrix_text(d, T(mult["value"]), "grad")
                    loss = LOSSES[tl.network["loss"]]
                    seed_line = (f"∂L/∂{y} = ({y} − {t}){per}" if loss.name == "mse" and per
                                 else f"∂L/∂{y} = {y} − {t}" if loss.name == "mse" else "")
                    self.equation(layer_caption(l, _("δ is ∂L/∂z, {d} = ∂L/∂{y} ⊙ {f}").format(d=d, y=y, f=f)),
                                  f"{d} = ∂L/∂{z} = ∂L/∂{y} ⊙ {f}" + (f"\n{seed_line}" if seed_line else ""),
                                  [(up, None), (local, "⊙")], delta, shape_line(up, local, "⊙"))
            else:
                back = ev[("multiply", "back", l + 1, self.a_id(l))]
                mult = ev[("multiply", "activation", l, f"z{l}")]
                d_next = "δ" + sup(l + 1)
                wt = matrix_text(f"W{sub(l + 1)}ᵀ", T(back["factors"][1]), "weight")
                dn = matrix_text(d_next, T(back["factors"][0]), "grad")
                up = matrix_text(f"∂L/∂{self.a_symbol(l)}", T(back["value"]), "grad")
                local = matrix_text(f, T(mult["factors"][1]), "local")
                delta = matrix_text(d, T(mult["value"]), "grad")
                self.equation(layer_caption(l, _("back through {w}").format(w=f"W{sub(l + 1)}")),
                              f"∂L/∂{self.a_symbol(l)} = W{sub(l + 1)}ᵀ {d_next}",
                              [(wt, None), (dn, "·")], up, shape_line(wt, dn, "·", transposed="a"))
                self.equation(layer_caption(l, f"{d} = (W{sub(l + 1)}ᵀ {d_next}) ⊙ {f}"),
                              f"{d} = ∂L/∂{z} = ∂L/∂{self.a_symbol(l)} ⊙ {f}",
                              [(up, None), (local, "⊙")], delta, shape_line(up, local, "⊙"))
            grad = ev[("param_grad", "params", l, f"W{l}")]
            dm = matrix_text(d, grad["factors"][0], "grad")  # stored as δᵀ: already one column per example
            at = matrix_text(f"{a_prev}ᵀ", grad["factors"][1], "input" if l == 1 else "value")
            gw = matrix_text(f"∂L/∂W{sub(l)}", grad["value"], "grad")
            product = f"∂L/∂W{sub(l)} = {d} {a_prev}ᵀ"
            what = product if n == 1 else _("{product}, summed over {n} examples").format(product=product, n=n)
            self.equation(layer_caption(l, what), product,
                          [(dm, None), (at, "·")], gw, shape_line(dm, at, "·", transposed="b"))
            self.bias_equation(l, d, dm, ev[("param_grad", "params", l, f"b{l}")], n)
        if self.end_on_network:  # the still: the last step, ∂L/∂b₁ = δ⁽¹⁾
            return
        self.beat(_("Shapes must match: (n×m) · (m×k) → n×k"), [Step(self.clear(), 0.6, 2.0)],
                  narration=_("Every product needs the inner sizes to match: that is how libraries catch a wrong "
                              "transpose."))

    # ---- names ------------------------------------------------------------------------------------

    def a_id(self, l: int) -> str:
        return "x" if l == 0 else ("y" if l == self.depth else f"h{l}")

    def a_symbol(self, l: int) -> str:
        """A layer's output vector: x, h⁽¹⁾, …, y⁽ᴸ⁾ (a unit's symbol, h₁ or y, never holds a vector)."""
        return "x" if l == 0 else ("y" if l == self.depth else "h") + sup(l)

    def bias_equation(self, l: int, d: str, dm, grad: dict, n: int):
        """∂L/∂b = δ: each bias's gradient is its unit's δ, summed over a batch's examples (δ · 1)."""
        gb = matrix_text(f"∂L/∂b{sub(l)}", [[v] for v in grad["value"]], "grad")
        if n == 1:
            self.equation(layer_caption(l, f"∂L/∂b{sub(l)} = {d}"),
                          _("{bias} = {d}: a bias's local gradient is 1").format(bias=f"∂L/∂b{sub(l)}", d=d),
                          [(gb, None)], None, None)
            return
        ones = matrix_text("1", [[1.0]] * n, "local")
        self.equation(layer_caption(l, _("{bias} = {d} summed over {n} examples").format(bias=f"∂L/∂b{sub(l)}", d=d,
                                                                                          n=n)),
                      _("{bias} = {d} · 1: each row of {d} summed").format(bias=f"∂L/∂b{sub(l)}", d=d), [(dm, None), (ones, "·")], gb,
                      shape_line(dm, ones, "·"))

    # ---- drawing ----------------------------------------------------------------------------------

    def clear(self) -> list:
        anims = [vanish(m) for m in self.on_screen]
        self.on_screen = []
        return anims

    def equation(self, caption: str, header: str, operands: list, result, shapes: str | None):
        """One step as a row: operands joined by their operators, then "=" / "≈" / "→" and the result;
        the symbolic line above and the shapes below."""
        th, st = self.theme, self.stage
        fw, fh = config.frame_width, config.frame_height
        size = th.card_size
        parts, row = self.product_row(operands, result, size)
        if row.width > fw * 0.92 and fw * 0.92 / row.width < MIN_PX / line_px(size * NAME_SCALE):
            # too wide to read at 16 px: a smaller corner of each matrix
            operands = [(narrower(mt), op) for mt, op in operands]
            result = narrower(result) if result is not None else None
            parts, row = self.product_row(operands, result, size)
        if row.width > fw * 0.92:
            row.scale_to_fit_width(fw * 0.92)
        if row.height > fh * 0.5:
            row.scale_to_fit_height(fh * 0.5)
        row.move_to([0, -fh * 0.02, 0])
        # in two lines where one would shrink below 16 px (a long German line in a tall frame)
        lines = [header] if "\n" in header else st.readable_lines(header, th.card_size, fw * 0.92)
        head = Said(*[st.text(line, th.card_size, th.text, "card") for line in lines], role="card", sep=" ").arrange(
            DOWN, buff=0.1) if len(lines) > 1 else st.text(header, th.card_size, th.text, "card")
        if head.width > fw * 0.92:  # readable_lines keeps it 16 px or more
            head.scale_to_fit_width(fw * 0.92)
        head.next_to(row, UP, buff=0.45)
        group = [head, row]
        if shapes:
            shown = [m for m, _ in operands] + ([result] if result is not None else [])
            note = " " + _("(a few entries shown)") if any(not m.whole for m in shown) else ""
            group.append(st.text(_("shapes: {shapes}").format(shapes=shapes) + note, th.label_size, th.muted, "note").next_to(row, DOWN, buff=0.4))
        lead = self.clear()
        self.on_screen = group
        # time to read the symbolic line, the shapes and every entry shown
        read = [m for m in group if m is not row] + [p for p in parts if isinstance(p, MatrixMob)]
        self.beat(caption, [Step([appear(m) for m in group], 1.0, 2.0, shows=read)], lead=lead,
                  narration=self.say(header, result or operands[0][0], shapes))

    def product_row(self, operands: list, result, size: float):
        th, st = self.theme, self.stage
        if result is not None:  # operands with the digits that make "≈" true on every entry
            (a, _first), (b, op) = operands
            a, b = calculator_true(a, b, result, op)
            operands = [(a, None), (b, op)]
        parts = []
        for mt, op in operands:
            if op:
                parts.append(st.text(op, size, th.text, "note"))
            parts.append(MatrixMob(st, mt, size))
        if result is not None:
            (a, _first), (b, op) = operands
            parts.append(st.text(product_relation(a, b, result, op), size, th.text, "note"))
            parts.append(MatrixMob(st, result, size, th.text))
        row = VGroup(*parts).arrange(RIGHT, buff=0.35)
        mid = parts[0].body.get_y()
        for p in parts:  # operators and matrices level with each other's brackets, not the names under them
            p.shift(UP * (mid - (p.body.get_y() if isinstance(p, MatrixMob) else p.get_y())))
        return parts, row

    @staticmethod
    def say(header: str, result, shapes: str | None) -> str:
        first = result.entries[0][0]
        said = _("{line}: a {shape} matrix, first entry {first}.").format(line=header, shape=result.shape, first=first)
        return said + (" " + _("The shapes: {shapes}.").format(shapes=shapes) if shapes else "")


def layer_caption(layer: int, what: str) -> str:
    """`Layer 2: back through W₃`: a step's caption, its layer first."""
    return _("Layer {layer}: {what}").format(layer=layer, what=what)
