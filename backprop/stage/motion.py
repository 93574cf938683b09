"""Animations that change a mobject in place, without the deep copies manim's own make.

manim's FadeIn/Transform copy the whole mobject (tens of milliseconds for a line of text); a lecture
video plays hundreds of them. Fading only needs each part's opacity, so that is all these keep.
"""

from __future__ import annotations

from manim import Animation, Mobject, smooth


class Fade(Animation):
    """Fade a mobject in (appear=True: added, then from transparent to its own opacities) or out
    (removed at the end)."""

    def __init__(self, mobject: Mobject, appear: bool = True, **kwargs):
        self.appear = appear
        super().__init__(mobject, introducer=appear, remover=not appear, **kwargs)

    def create_starting_mobject(self) -> Mobject:
        return Mobject()  # nothing to interpolate from: the opacities are kept in begin()

    def begin(self) -> None:
        self._opacities = [(m, m.get_fill_opacity(), m.get_stroke_opacity())
                           for m in self.mobject.family_members_with_points()]
        super().begin()

    def interpolate_mobject(self, alpha: float) -> None:
        k = self.rate_func(alpha)
        k = k if self.appear else 1.0 - k
        for m, fill, stroke in self._opacities:
            m.set_fill(opacity=fill * k, family=False)
            m.set_stroke(opacity=stroke * k, family=False)

    def clean_up_from_scene(self, scene) -> None:
        super().clean_up_from_scene(scene)
        if not self.appear:  # leave it as it was, should it be shown again
            for m, fill, stroke in self._opacities:
                m.set_fill(opacity=fill, family=False)
                m.set_stroke(opacity=stroke, family=False)


def in_first_half(t: float) -> float:
    return smooth(min(1.0, 2 * t))


def in_second_half(t: float) -> float:
    return smooth(max(0.0, 2 * t - 1))


def appear(mobject: Mobject, late: bool = False) -> Fade:
    return Fade(mobject, appear=True, **({"rate_func": in_second_half} if late else {}))


def vanish(mobject: Mobject, early: bool = False) -> Fade:
    return Fade(mobject, appear=False, **({"rate_func": in_first_half} if early else {}))


def replace(old: Mobject | None, new: Mobject) -> list:
    """`new` where `old` was: old leaves in the first half of the step and new arrives in the second,
    so two texts never show on top of each other."""
    return [appear(new)] if old is None else [vanish(old, early=True), appear(new, late=True)]
