"""The notebook one-liner and the example notebook, executed by a real Jupyter kernel (nbclient)."""

import base64
import io
import json
import os
import re

import av
import numpy as np
import nbformat
import pytest
from nbclient import NotebookClient

from backprop.output.material import cache
from backprop.story.theme import Theme

EXAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "notebook.ipynb")


def test_the_cache_key_follows_every_input(monkeypatch, tmp_path):
    """A second call with the same inputs renders nothing; changing the spec file's content (same
    path), the theme, the quality or the package version renders again."""
    rendered = []

    def fake_render(request):
        rendered.append((request.scene, request.quality, request.theme))
        os.makedirs(request.output_dir, exist_ok=True)
        paths = cache.output_paths(request.scene, request.timeline.network["name"], request.fmt, request.output_dir)
        for p in paths:
            open(p, "wb").close()
        return paths

    monkeypatch.setattr(cache, "render_scene", fake_render)
    spec = tmp_path / "net.json"
    net = {"name": "tiny", "inputs": [[1.0]], "targets": [[0.5]],
           "layers": [{"units": 1, "activation": "sigmoid", "weights": [[0.3]], "bias": [0.1]}], "loss": "mse"}
    spec.write_text(json.dumps(net))
    where = str(tmp_path / "cache")
    first = cache.cached_render("title", str(spec), cache_dir=where)
    assert cache.cached_render("title", str(spec), cache_dir=where) == first and len(rendered) == 1
    net["layers"][0]["weights"] = [[0.4]]
    spec.write_text(json.dumps(net))
    second = cache.cached_render("title", str(spec), cache_dir=where)
    assert second != first and len(rendered) == 2
    assert cache.cached_render("title", str(spec), theme=Theme(pace=0.5), cache_dir=where) != second
    assert cache.cached_render("title", str(spec), quality="medium", cache_dir=where) != second
    monkeypatch.setattr(cache, "package_version", lambda: "9.9.9")
    assert cache.cached_render("title", str(spec), cache_dir=where) != second
    assert len(rendered) == 5


@pytest.mark.slow
def test_the_example_notebook_shows_a_video(monkeypatch, tmp_path):
    monkeypatch.setenv("BACKPROP_CACHE", str(tmp_path / "cache"))  # the kernel inherits it
    nb = nbformat.read(EXAMPLE, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    cell = next(c for c in nb.cells if c.cell_type == "code" and "show(" in c.source)
    assert [o["output_type"] for o in cell.outputs] == ["execute_result"]
    page = cell.outputs[0]["data"]["text/html"]
    assert page.lstrip().startswith("<video") and "controls" in page
    data = base64.b64decode(re.search(r'src="data:video/mp4;base64,([^"]+)"', page)[1])
    # the embedded video is the rendered file in the cache, byte for byte, and a real video
    cached = [os.path.join(d, f) for d, _, fs in os.walk(tmp_path / "cache") for f in fs if f.endswith(".mp4")]
    assert len(cached) == 1 and open(cached[0], "rb").read() == data
    with av.open(cached[0]) as video:
        assert video.streams.video[0].width == 854 and video.duration / 1e6 > 3
    # its poster (the network: the title scene's last frame, not its black first one), its captions
    # (on by default) and chapters, all inside the notebook as data
    from PIL import Image

    poster = Image.open(io.BytesIO(base64.b64decode(re.search(r'poster="data:image/png;base64,([^"]+)"', page)[1])))
    assert poster.size == (854, 480) and np.asarray(poster.convert("L")).std() > 5
    tracks = dict(re.findall(r'<track kind="(\w+)" src="data:text/vtt;base64,([^"]+)"', page))
    captions, chapters = (base64.b64decode(tracks[k]).decode("utf-8") for k in ("captions", "chapters"))
    cached_vtt = open(cached[0][:-4] + ".vtt", encoding="utf-8").read()
    assert captions == cached_vtt and re.search(r'kind="captions"[^>]* default>', page)
    assert chapters.startswith("WEBVTT") and chapters.count(" --> ") == 3  # the title card, the network, the goal
