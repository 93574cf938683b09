"""Real renders of the four lesson scenes branch-sum, batch, matrix-form and vanishing, at the lowest
quality and a quick pace, each on its default network, through `backprop render` (one command)."""

import av
import pytest

from tests.helpers import run_cli


@pytest.mark.slow
def test_the_four_scenes_render(capsys, tmp_path):
    theme = tmp_path / "fast.toml"
    theme.write_text("pace = 0.25\n", encoding="utf-8")
    out_dir = tmp_path / "out"
    code, out, err = run_cli(capsys, "render", "branch-sum", "batch", "matrix-form", "vanishing",
                             "--theme", str(theme), "--output-dir", str(out_dir))
    assert code == 0, err
    # each scene on its own default network
    stems = ["branch-sum-branching", "batch-batch", "matrix-form-seed", "vanishing-deep-dead"]
    assert out.split() == [str(out_dir / f"{s}.{ext}") for s in stems for ext in ("mp4", "srt", "vtt", "chapters.vtt")]
    for stem in stems:
        with av.open(str(out_dir / f"{stem}.mp4")) as container:
            assert container.streams.video[0].height == 480
            assert container.duration / 1e6 > 5
        assert (out_dir / f"{stem}.srt").read_text(encoding="utf-8").count("-->") >= 4
