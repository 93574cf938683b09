"""Animations that change a mobject in place, without the deep copies manim's own make.

manim's FadeIn/Transform copy the whole mobject (tens of milliseconds for a line of text); a lecture
video plays hundreds of them. Fading only needs each part's opacity, so that is all these keep.
"""

from __future__ import annotations

from manim import Animation, Mobject


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


def appear(mobject: Mobject) -> Fade:
    return Fade(mobject, appear=True)


def vanish(mobject: Mobject) -> Fade:
    return Fade(mobject, appear=False)
