"""A network of their own for every student, in the lesson's style, the same every time it is drawn.

From (course seed, student id) alone: ReLU hidden units and one sigmoid output, MSE, weights, biases and
inputs with one decimal in a small range, a target of 1.0 or 0.0. A draw is kept only if its numbers work
by hand: no gradient rounds to 0.000 at three decimals, no hidden unit is dead (z ≤ 0) unless asked.
Two students never share a network: on a (rare) repeat, the later student in the roster takes the next draw.
"""

from __future__ import annotations

import hashlib

import numpy as np

from backprop.engine.backward import backward
from backprop.engine.forward import forward
from backprop.engine.presets import EXERCISE_ACTIVATIONS
from backprop.engine.spec import Network, SpecError, parse_spec

SHOWN_PLACES = 3  # the worksheet asks for gradients to three decimals: none may round to 0.000
MAX_DRAWS = 10_000  # far more than needed: about one draw in three or four is kept on 2-2-1


def parse_shape(text: str) -> list[int]:
    """`2-2-1` → [2, 2, 1]: inputs, hidden layers (ReLU), one sigmoid output."""
    try:
        sizes = [int(part) for part in text.split("-")]
    except ValueError:
        raise SpecError("shape", f"expected sizes joined by '-', like 2-2-1; got '{text}'") from None
    if len(sizes) < 3 or sizes[-1] != 1 or not all(1 <= s <= 4 for s in sizes) or len(sizes) > 5:
        raise SpecError("shape", f"expected inputs-hidden…-1 with 1 to 4 units each, at most 3 hidden "
                                 f"layers (a worksheet is worked by hand), like 2-2-1; got '{text}'")
    return sizes


def _rng(course_seed: str, student: str, draw: int) -> np.random.Generator:
    digest = hashlib.sha256(f"{course_seed}\0{student}\0{draw}".encode("utf-8", "surrogatepass")).digest()
    return np.random.default_rng(int.from_bytes(digest[:16], "big"))


def _tenths(rng: np.random.Generator, lo: float, hi: float, shape, nonzero: bool = True) -> list:
    """Numbers with one decimal in [lo, hi] (0.0 left out where `nonzero`: a zero weight teaches nothing)."""
    choices = [k / 10 for k in range(round(lo * 10), round(hi * 10) + 1) if not (nonzero and k == 0)]
    return np.array(choices)[rng.integers(0, len(choices), size=shape)].tolist()


def draw_spec(course_seed: str, student: str, sizes: list[int], draw: int) -> dict:
    rng = _rng(course_seed, student, draw)
    layers = []
    for n, (fan_in, units) in enumerate(zip(sizes, sizes[1:])):
        last = n == len(sizes) - 2
        layers.append({"units": units, "activation": EXERCISE_ACTIVATIONS[last],
                       "weights": _tenths(rng, -0.9, 0.9, (units, fan_in)),
                       "bias": _tenths(rng, -0.3, 0.3, (units,), nonzero=False)})
    return {"name": f"exercise-{student}", "description": f"the exercise network of student {student}",
            "inputs": [_tenths(rng, 0.1, 1.0, (sizes[0],))], "targets": [[float(rng.integers(0, 2))]],
            "layers": layers, "loss": "mse", "learning_rate": 0.1}


def friendly(net: Network, dead: bool = False) -> bool:
    """Every gradient shows at three decimals, and every hidden unit passes its gradient on — or, for
    an exercise about dead ReLUs (`dead`), exactly one hidden unit is dead: its gradients are exactly 0."""
    fwd = forward(net)
    n_dead = sum(int((fwd.z[l] <= 0).sum()) for l in range(1, len(net.layers)))
    if n_dead != (1 if dead else 0):
        return False
    smallest = 0.5 * 10 ** -SHOWN_PLACES
    return all(((np.abs(g) >= smallest) | (dead & (g == 0))).all() for g in backward(net, fwd).grads.values())


def exercise_spec(course_seed: str, student: str, sizes: list[int], dead: bool = False,
                  taken: set | None = None) -> dict:
    """The first friendly draw for this student whose numbers no earlier student in `taken` has
    (a set of canonical spec texts, updated here)."""
    for draw in range(MAX_DRAWS):
        spec = draw_spec(course_seed, student, sizes, draw)
        numbers = repr((spec["inputs"], spec["targets"], spec["layers"]))
        if taken is not None and numbers in taken:
            continue
        if friendly(parse_spec(spec), dead):
            if taken is not None:
                taken.add(numbers)
            return spec
    raise SpecError("shape", f"no friendly network of shape {'-'.join(map(str, sizes))} found in "
                             f"{MAX_DRAWS} draws; try a smaller shape")
