"""The notebook's `show` and the Sphinx directive run the command line's checks, with its messages
(issue 23): a scene that cannot play the network, an unknown quality, a FIFO as the network."""

import os

import pytest

from backprop.output.material import cache
from tests.course.sphinx_build import build
from tests.helpers import run_cli as run


def cli_message(capsys, *args) -> str:
    code, _, err = run(capsys, "render", *args)
    assert code == 2 and err.count("\n") == 1
    return err.removeprefix("backprop: ").rstrip("\n")


@pytest.mark.parametrize("scene, network", [("vanishing", "seed"), ("batch", "seed")])
def test_the_notebook_refuses_what_the_command_line_refuses_in_its_words(capsys, tmp_path, monkeypatch, scene, network):
    monkeypatch.setattr(cache, "render_scene", lambda *a, **k: pytest.fail("rendered"))
    said = cli_message(capsys, scene, "--network", network)
    with pytest.raises(ValueError) as refused:
        cache.cached_render(scene, network, cache_dir=str(tmp_path))
    assert str(refused.value) == said and said.startswith(f"network: scene '{scene}' cannot play {network}: ")


def test_an_unknown_quality_is_a_value_error_naming_it(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "render_scene", lambda *a, **k: pytest.fail("rendered"))
    with pytest.raises(ValueError, match=r"^quality: unknown '8k'; expected one of low, medium, high, 4k$"):
        cache.cached_render("title", "seed", quality="8k", cache_dir=str(tmp_path))


def test_the_sphinx_directive_says_what_the_command_line_says(capsys, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    os.mkfifo(src / "net.json")  # nobody writes: reading it would wait for ever
    (src / "conf.py").write_text('extensions = ["backprop.sphinx"]\n')
    (src / "index.rst").write_text("Page\n====\n\n.. backprop::\n   :scene: batch\n   :network: seed\n\n"
                                   ".. backprop::\n   :network: net.json\n")
    done = build(src, tmp_path / "out", tmp_path / "cache")
    said = cli_message(capsys, "batch", "--network", "seed")
    assert f"index.rst:4: ERROR: backprop: {said}" in done.stderr, done.stderr
    assert f"ERROR: backprop: network: '{src / 'net.json'}' is not a regular file" in done.stderr, done.stderr
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").rglob("*.mp4"))
