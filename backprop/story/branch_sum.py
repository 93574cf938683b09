"""What the `branch-sum` scene's bug cards say: the value `=` leaves instead of `+=`, and how far off
it is. Formatting and the "=" / "≈" choice on the shown numbers only; the values come from
backprop.engine.branch_sum."""

from __future__ import annotations

from backprop.language import _
from backprop.story.cards import CardText
from backprop.story.texts import bracketed, grad_text, operand_text, worked_line


def overwritten_card(symbol: str, last_via: str, overwritten: float) -> CardText:
    """`grad = …` in the loop over the units it feeds: the last unit's contribution is all that is left."""
    return CardText(_("with =, the last one overwrites"), f"∂L/∂{symbol} =", grad_text(overwritten),
                    _("only {unit}'s contribution is left").format(unit=last_via))


def off_by_card(symbol: str, overwritten: float, right: float, off_by: float) -> CardText:
    result = grad_text(off_by)
    (wrong, good), rel = worked_line([overwritten, right], [operand_text(overwritten), operand_text(right)],
                                     lambda v: v[0] - v[1], result)
    return CardText(_("off by: wrong − right ∂L/∂{name}").format(name=symbol), f"= {wrong} − {bracketed(good)} {rel}", result)
