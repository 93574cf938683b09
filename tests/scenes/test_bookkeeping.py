"""The scene lists kept with sets (scenes/bookkeeping.py) are manim's own lists.

manim's `Scene` methods are the reference: on random trees of groups (shared members, z-indices,
groups inside groups), removing random sets of mobjects and listing every family member must give
the same mobjects in the same order as manim's code run on the same scene.
"""

import random

import pytest
from manim import Dot, Scene, VGroup, tempconfig

from backprop.scenes.bookkeeping import QuickLists


def tree(rng: random.Random, depth: int, pool: list):
    if depth == 0 or rng.random() < 0.3:
        dot = Dot() if not pool or rng.random() < 0.8 else rng.choice(pool)  # now and then one shared
        pool.append(dot)
        return dot
    group = VGroup(*[tree(rng, depth - 1, pool) for _ in range(rng.randint(1, 4))])
    pool.append(group)
    return group


@pytest.fixture(autouse=True)
def quiet(tmp_path):
    with tempconfig({"media_dir": str(tmp_path), "verbosity": "ERROR", "dry_run": True}):
        yield


@pytest.mark.parametrize("seed", range(8))
def test_the_lists_are_manims(seed):
    rng = random.Random(seed)
    scene, pool = QuickLists(), []
    scene.add(*[tree(rng, 4, pool) for _ in range(12)])
    for m in rng.sample(pool, 10):
        m.set_z_index(rng.choice([0, 0, 1, 2]))
    for use_z_index in (True, False):
        scene.renderer.camera.use_z_index = use_z_index
        assert scene.get_mobject_family_members() == Scene.get_mobject_family_members(scene)
    for _ in range(20):
        gone = rng.sample(pool, rng.randint(1, 5))
        assert (scene.get_restructured_mobject_list(scene.mobjects, gone)
                == Scene.get_restructured_mobject_list(scene, scene.mobjects, gone))
        for extract in (True, False):
            before = list(scene.mobjects)
            Scene.restructure_mobjects(scene, gone, "mobjects", extract)
            manims = scene.mobjects
            scene.mobjects = before
            scene.restructure_mobjects(gone, "mobjects", extract)
            assert scene.mobjects == manims
            scene.mobjects = before
    scene.remove(*rng.sample(pool, 6))
    assert scene.get_mobject_family_members() == Scene.get_mobject_family_members(scene)
