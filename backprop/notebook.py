"""One line in a Jupyter notebook: `from backprop.notebook import show; show("backward", network="seed")`.

The video is rendered once per set of inputs (scene, the spec's content, theme, quality, package
version; `backprop.output.material.cache`) and shown inline with its poster, captions and chapters, all
embedded in the notebook, so the saved notebook plays it anywhere. Needs the notebook extra:
`pip install 'backprop-manim[notebook]'`.
"""

from __future__ import annotations

from backprop.output.material.cache import cached_render
from backprop.output.material.player import data_url, player_html


def show(scene: str = "backward", network: str = "seed", theme=None, quality: str = "low",
         cache_dir: str | None = None, width: int | None = None):
    """An IPython display of `scene` played on `network` (a preset name or a spec file's path), with
    its poster, captions and chapters (`backprop.output.material.player`); `theme` is a theme file's path or a Theme."""
    try:
        from IPython.display import HTML
    except ImportError:
        raise ImportError("backprop.notebook needs IPython: pip install 'backprop-manim[notebook]'") from None
    paths = cached_render(scene, network, theme=theme, quality=quality, fmt="mp4", cache_dir=cache_dir, poster=True)
    return HTML(player_html(paths[0], poster=data_url(paths[-1], "image/png"), label=f"the {scene} scene on {network}",
                            width=width))
