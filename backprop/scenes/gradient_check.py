"""GradientCheck: how to trust a gradient — backprop's gradient beside the loss's measured slope.

Every number comes from `backprop.engine.gradient_check` (the same check as `backprop check`): a numeric
gradient from the loss at w ± ε and w ± 2ε, backprop's analytic gradient, their relative error and
the verdict against the tolerance. Big networks show their first rows and how many more were checked.

`backprop render gradient-check --network NETWORK`, or
`manim render backprop/scenes/gradient_check.py GradientCheck -ql`.
"""

from __future__ import annotations

from backprop.engine.gradient_check import finite_difference_check
from backprop.engine.labels import Symbols
from backprop.language import N_, _
from backprop.scenes.base import LessonScene
from backprop.scenes.steps import Step
from backprop.stage.motion import appear, vanish
from backprop.stage.sheets import bottom_y, fit, grid, top_y, wide_card
from backprop.story.gradient_check import error_text, row_texts, shown_rows, tolerance_text
from backprop.story.counting import count_text
from backprop.story.layout import MIN_LINE_PX

TITLE = N_("How to trust a gradient: the gradient check")
MAX_ROWS = 10  # parameters listed; the rest are counted in a last row
MIN_ROWS = 3  # … in a frame too small for more at 16 px
VERDICT_ROOM = 2.2  # frame units kept under the table for the verdict card


class GradientCheck(LessonScene):
    def construct(self):
        if self.network is None:
            raise ValueError("gradient-check runs the network's check: construct it with network=")
        th, stage = self.theme, self.stage
        result = finite_difference_check(self.network)
        self.title_card(_(TITLE), hold=2.0)

        how = wide_card(stage, [
            (_("numeric: the loss's slope, measured at w ± ε and w ± 2ε"), None),
            (_("analytic: backprop's ∂L/∂w"), None),
            (_("relative error: |numeric − analytic| ÷ the larger of the two"), None)],
            note=_("four forward passes per parameter: slow, but independent of backprop"))
        fit(how, middle=True)
        self.beat(_("Two ways to the same gradient"), [Step([appear(how)], 0.8, 2.5, shows=[how])],
                  narration=_("Measure each gradient from the loss itself, then compare it with backprop's."))

        symbols = Symbols(self.network.sizes)

        def table_of(limit: int):
            rows = shown_rows(result.rows, limit, result.worst_param)
            texts = [[_("parameter"), _("numeric"), _("backprop"), _("relative error"), ""]] + [
                row_texts(r, symbols) for r in rows]
            colors = [None] + [[th.text, th.sign_color(r.numeric or 0.0), th.sign_color(r.analytic), th.text,
                                th.positive if r.status == "ok" else th.negative] for r in rows]
            more = len(result.rows) - len(rows)
            footer = _("… {n} more: the largest gradients are shown").format(n=count_text(more)) if more else None
            return fit(grid(stage, texts, numeric={1, 2, 3}, colors=colors, footer=footer,
                            height=top_y() - bottom_y() - VERDICT_ROOM), bottom=bottom_y() + VERDICT_ROOM)

        def px(table) -> float:
            return min(e[2] for row in table.rows for e in row.transcript_entries())

        # A frame too small for every row at 16 px (a square one): as many rows as are, the largest
        # gradients and the worst error (the footer counts the rest), never fewer than MIN_ROWS.
        table = best = table_of(MAX_ROWS)
        for limit in range(min(MAX_ROWS, len(result.rows)) - 1, MIN_ROWS - 1, -1):
            if px(table) >= MIN_LINE_PX:
                break
            table = table_of(limit)
            best = table if px(table) > px(best) else best
        table = table if px(table) >= MIN_LINE_PX else best
        steps = [Step([vanish(how), appear(table.rule), appear(table.rows[0])], 0.8, 0.5, shows=[table.rows[0]])]
        # rows arrive one after another, then stay: a table is scanned, not read word by word
        steps += [Step([appear(row)], 0.4, 0.4) for row in table.rows[1:]] + [Step([], 0.0, 4.0)]
        self.beat(_("Every parameter, checked: {n} in all").format(n=count_text(len(result.rows))), steps,
                  narration=_("Row by row: the measured slope and backprop's gradient agree digit after digit."))

        worst = f" ({symbols.param(result.worst_param)})" if result.worst_param else ""
        verdict = (_("tolerance {tolerance}: every gradient passes") if result.ok
                   else _("tolerance {tolerance}: FAILED: a gradient is wrong")).format(tolerance=tolerance_text())
        lines = [(_("worst relative error: {error}").format(error=error_text(result.worst_error)) + worst, None),
                 (verdict, th.positive if result.ok else th.negative)]
        if result.kinks:
            lines.append((_("{n} skipped at a ReLU kink (no slope at 0)").format(n=count_text(len(result.kinks))),
                          th.muted))
        if result.inconclusive:
            lines.append((_("{n} inconclusive (rounding hides the difference)").format(
                n=count_text(len(result.inconclusive))), th.muted))
        card = wide_card(stage, lines, note=_("under {tolerance}: they agree to six digits or more").format(
            tolerance=tolerance_text()))
        fit(card, top=table.get_bottom()[1] - 0.3)
        names = dict(error=error_text(result.worst_error), tolerance=tolerance_text())
        self.beat(_("The verdict") if result.ok else _("The verdict: a gradient is wrong"),
                  [Step([appear(card)], 0.8, 3.0, shows=[card])],
                  narration=(_("The worst relative error is {error}, under the tolerance {tolerance}: backprop's "
                               "gradients can be trusted.") if result.ok else
                             _("The worst relative error is {error}, above the tolerance {tolerance}: a local rule "
                               "is wrong.")).format(**names))
