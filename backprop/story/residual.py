"""The residual chapter's texts: the gradient per layer with and without skips, and one step back
through a skip spelled out ("=" only where the shown numbers give the shown result)."""

from __future__ import annotations

from backprop.engine.labels import fmt
from backprop.engine.residual import LayerGradient, SkipStep
from backprop.story.texts import bracketed, relation, shown, value_text


def size_text(x: float) -> str:
    """|∂L/∂h|: two significant figures at least, a power of ten when small (3.6 × 10⁻⁵)."""
    return fmt(x, 3)


def table_rows(sizes: list[LayerGradient], symbol) -> list[list[str]]:
    """[layer's h, without skips, with skips] per hidden layer, the output side first."""
    return [[f"|∂L/∂{symbol(s.layer)}|", size_text(s.plain), size_text(s.residual)] for s in reversed(sizes)]


def ratio_text(x: float) -> str:
    return fmt(x, 0) if x >= 10 else fmt(x, 2)  # 1.25: what a calculator says of 0.0075 ÷ 0.0060


def step_lines(step: SkipStep, h: str, h_before: str, z: str, w: str, prime: str) -> list[str]:
    """∂L/∂h_{l−1} = ∂L/∂h_l × (1 + f′(z)·w), then the numbers in two lines a student can redo."""
    local, weight = fmt(step.local, 4), value_text(step.w)  # four places: 1 + f′·w stays exact as shown
    factor = fmt(step.factor, 4)
    one = f"1 + {local} × {bracketed(weight)}"
    first = f"{one} {relation(1 + shown(local) * shown(weight), factor)} {factor}"
    up, down = size_text(step.upstream), fmt(step.downstream, 3)
    second = (f"∂L/∂{h_before} = {up} × {factor} "
              f"{relation(shown(up) * shown(factor), down)} {down}")
    return [f"∂L/∂{h_before} = ∂L/∂{h} × (1 + {prime}({z}) × {w})", first, second]
