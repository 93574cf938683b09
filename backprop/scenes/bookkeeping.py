"""manim's scene lists kept with sets: the same lists as manim's own code makes, in a fraction of the time.

On every add and remove, manim's Cairo scene lists each mobject's whole family (in order, without
repeats: a recursive generator) to see whether a removed mobject is inside it; each play it lists every
family member of the scene to find what an animation brings in, and each pause to look for updaters.
A network of many units keeps hundreds of mobjects on screen, so a 3-4-4-3 transcript spent a fifth
of its time there. Mostly only membership is asked, so a set of the mobjects reachable through
`submobjects` (what `get_family` lists) gives the same answers; where a list is returned, it is
manim's list, made without generators. Overrides manim 0.22's (Cairo) `Scene.restructure_mobjects`,
`get_restructured_mobject_list`, `get_mobject_family_members`, `add_mobjects_from_animations` and
`should_update_mobjects`, each doing what manim's does; a manim upgrade must check them first
(tests/scenes/test_bookkeeping.py compares them with manim's on a played scene).
"""

from __future__ import annotations

from manim import Scene


def _preorder(m, path: set, out: list) -> None:
    """`Mobject._iter_family` without its generators: `m`, then its submobjects' families."""
    if m in path:
        return
    path.add(m)
    out.append(m)
    for sub in m.submobjects:
        _preorder(sub, path, out)
    path.discard(m)


def family(mobjects) -> set:
    """`mobjects` and everything inside them: the members of their `get_family()` lists."""
    seen: set = set()
    stack = list(mobjects)
    while stack:
        m = stack.pop()
        if m not in seen:
            seen.add(m)
            stack.extend(m.submobjects)
    return seen


class QuickLists(Scene):
    def restructure_mobjects(self, to_remove, mobject_list_name: str = "mobjects", extract_families: bool = True):
        removing = family(to_remove) if extract_families else set(to_remove)
        setattr(self, mobject_list_name, self.get_restructured_mobject_list(getattr(self, mobject_list_name), removing))
        return self

    def get_restructured_mobject_list(self, mobjects, to_remove) -> list:
        """`mobjects` without `to_remove`; a group holding some of them is replaced by the rest of it."""
        kept: list = []

        def examine(candidates, removing: set) -> None:
            for mob in candidates:
                if mob in removing:
                    continue
                if not mob.submobjects:  # its family is itself
                    kept.append(mob)
                    continue
                inside = removing.intersection(family([mob]))
                if inside:
                    examine(mob.submobjects, inside)
                else:
                    kept.append(mob)

        examine(mobjects, set(to_remove))
        return kept

    def get_mobject_family_members(self) -> list:
        """Every mobject in the scene and inside one, in manim's order: families one after another,
        each member where it last appears, sorted by z-index (stably) where the camera uses it."""
        listed: list = []
        for m in self.mobjects:
            _preorder(m, set(), listed)
        members = list(reversed(dict.fromkeys(reversed(listed))))
        return sorted(members, key=lambda m: m.z_index) if self.renderer.camera.use_z_index else members

    def add_mobjects_from_animations(self, animations) -> None:
        present = family(self.mobjects)
        for animation in animations:
            if animation.is_introducer():
                continue
            mob = animation.mobject  # anything animated that is not in the scene yet is added
            if mob is not None and mob not in present:
                self.add(mob)
                present |= family([mob])

    def should_update_mobjects(self) -> bool:
        wait = self.animations[0]
        if wait.is_static_wait is None:
            wait.is_static_wait = not (self.always_update_mobjects or self.updaters or wait.stop_condition is not None
                                       or any(m.has_time_based_updater() for m in family(self.mobjects)))
        return not wait.is_static_wait
