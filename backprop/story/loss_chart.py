"""A loss chart's ticks (`update`'s curve and `optimizers`' curves): layout, never a result."""

from __future__ import annotations

import math


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """Axis ticks from 0 to at least `top`: 1, 2 or 5 × a power of ten apart (layout, not a result)."""
    if top <= 0 or not math.isfinite(top):
        return [0.0, 1.0]
    raw = top / count
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    ticks, k = [0.0], 1
    while ticks[-1] < top * (1 - 1e-12):
        ticks.append(round(k * step, 12))
        k += 1
    return ticks
