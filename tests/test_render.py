"""Real renders through the command line, at the lowest quality: the files a lecturer gets."""

import os

import av
import pytest
from PIL import Image

from scenes.cli import main


def run(capsys, *args):
    with pytest.raises(SystemExit) as exc:
        main(list(args))
        raise SystemExit(0)
    out, err = capsys.readouterr()
    return exc.value.code or 0, out, err


@pytest.mark.slow
def test_render_the_default_video(capsys, tmp_path):
    code, out, err = run(capsys, "render", "--output-dir", str(tmp_path))
    assert code == 0, err
    paths = out.split()
    video = tmp_path / "backward-seed.mp4"
    assert paths == [str(video), str(tmp_path / "backward-seed.srt")]
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        assert (stream.width, stream.height) == (854, 480)
        seconds = container.duration / 1e6
    assert 60 <= seconds <= 100  # the storyboard's calm lecture pace: 70–90 s
    srt = (tmp_path / "backward-seed.srt").read_text(encoding="utf-8")
    for caption in ("Step 1 · Start at the loss", "Step 2 · Through the output activation",
                    "Gradients add up where paths branch", "Next: weight updates"):
        assert caption in srt
    assert sorted(os.listdir(tmp_path)) == ["backward-seed.mp4", "backward-seed.srt"]  # nothing left over


@pytest.mark.slow
def test_render_a_still(capsys, tmp_path):
    code, out, err = run(capsys, "render", "--network", "branching", "--format", "png", "--output-dir", str(tmp_path))
    assert code == 0, err
    assert out.split() == [str(tmp_path / "backward-branching.png")]
    image = Image.open(tmp_path / "backward-branching.png")
    assert image.size == (854, 480)
    assert len(set(image.convert("L").getdata())) > 20  # a drawn network, not a blank frame
    assert os.listdir(tmp_path) == ["backward-branching.png"]
