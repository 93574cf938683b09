"""why-backwards, gradient-check and confusions rendered for real at low quality, with their subtitles."""

import os

import av
import pytest
import srt

from tests.helpers import run_cli as run
from tests.story.cue_checks import assert_readable

SCENES = ["why-backwards", "gradient-check", "confusions"]


@pytest.mark.slow
def test_render_the_three_scenes_with_subtitles(capsys, tmp_path):
    code, out, err = run(capsys, "render", *SCENES, "--output-dir", str(tmp_path))
    assert code == 0, err
    expected = [str(tmp_path / f"{s}-seed.{ext}") for s in SCENES for ext in ("mp4", "srt", "vtt", "chapters.vtt")]
    assert out.split() == expected and sorted(os.listdir(tmp_path)) == sorted(os.path.basename(p) for p in expected)
    for scene in SCENES:
        with av.open(str(tmp_path / f"{scene}-seed.mp4")) as container:
            stream = container.streams.video[0]
            assert (stream.width, stream.height) == (854, 480)
            seconds = container.duration / 1e6
        cues = list(srt.parse((tmp_path / f"{scene}-seed.srt").read_text(encoding="utf-8")))
        assert_readable([(c.start.total_seconds(), c.end.total_seconds(), c.content) for c in cues])
        assert abs(cues[-1].end.total_seconds() - seconds) < 0.2
    said = " ".join(c.content.replace("\n", " ")
                    for c in srt.parse((tmp_path / "confusions-seed.srt").read_text(encoding="utf-8")))
    assert said.count("Pause and predict before the answer.") == 3
    assert "moves W₁[1,2] to 0.3045" in said
