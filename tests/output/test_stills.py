"""--transparent, --still STEP and --poster: alpha in the file, one beat's last frame, the poster beside
the video; the beat list in `backprop transcript`; every misuse refused in one line."""

import json

import av
import numpy as np
import pytest
from PIL import Image

from tests.helpers import run_cli as run


def beats_of(capsys, *args):
    code, out, err = run(capsys, "transcript", "--json", *args)
    assert code == 0, err
    return json.loads(out)


def test_the_transcript_lists_every_beat_by_number_name_and_time(capsys):
    data = beats_of(capsys)
    beats = data["beats"]
    assert [b["n"] for b in beats] == list(range(1, len(beats) + 1)) and len(beats) >= 10
    assert beats[0]["start"] == 0 and beats[-1]["end"] == pytest.approx(data["duration"], abs=1e-3)
    for a, b in zip(beats, beats[1:]):  # one after another, no gap, no overlap
        assert a["end"] == pytest.approx(b["start"], abs=1e-3) and a["end"] > a["start"]
    # each beat shown with a caption has that caption on screen while it plays
    captions = [i for i in data["items"] if i["role"] == "caption"]
    for b in beats[1:]:
        on = [c["text"] for c in captions if c["start"] <= b["start"] + 0.7 and c["end"] >= b["end"] - 1e-3]
        assert b["name"] in on or b["name"].startswith("Every gradient"), (b, on)
    plain = run(capsys, "transcript")[1]
    assert "  4  " in plain and beats[3]["name"] in plain.split("beats (")[1]


@pytest.mark.parametrize("args, says", [
    (["--format", "mp4", "--transparent"], "transparent: mp4 has no alpha channel"),
    (["--format", "gif", "--transparent"], "transparent: gif"),
    (["--still", "3", "--format", "webm"], "still: writes a PNG"),
    (["--still", "3", "--poster"], "poster:"),
    (["--format", "png", "--poster"], "poster:"),
    (["--still", "  "], "still: expected a beat number or caption"),
])
def test_misused_options_are_refused_in_one_line(capsys, tmp_path, args, says):
    code, out, err = run(capsys, "render", *args, "--output-dir", str(tmp_path / "out"))
    assert code == 2 and out == "" and err.count("\n") == 1 and says in err, err
    assert not (tmp_path / "out").exists()


def test_an_unknown_step_lists_the_beats(capsys, tmp_path):
    code, out, err = run(capsys, "render", "--still", "99", "--output-dir", str(tmp_path))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "no beat '99'" in err and "1 Backpropagation" in err and "5 Step 1 · Start at the loss" in err
    code, _, err = run(capsys, "render", "--still", "Step 9 · Nowhere", "--output-dir", str(tmp_path))
    assert code == 2 and "no beat 'Step 9 · Nowhere'" in err
    assert list(tmp_path.iterdir()) == []  # nothing written, no work folder left


def frames_at(video: str, times: list[float]) -> list[np.ndarray]:
    """The frame shown at each time (the last one starting at or before it), as RGB."""
    out, times = [], sorted(times)
    with av.open(video) as c:
        shown = None
        for f in c.decode(video=0):
            while times and f.time > times[0]:
                out.append(shown.to_ndarray(format="rgb24").astype(float))
                times.pop(0)
            shown = f
        out += [shown.to_ndarray(format="rgb24").astype(float) for _ in times]
    return out


def differing(a: np.ndarray, b: np.ndarray) -> float:
    """The share of pixels that differ visibly (more than video compression moves a flat colour)."""
    return float((np.abs(a - b).max(axis=2) > 40).mean())


@pytest.mark.slow
def test_a_still_is_the_frame_at_the_end_of_its_beat_and_the_poster_sits_beside_the_video(capsys, tmp_path):
    code, out, err = run(capsys, "render", "--poster", "--output-dir", str(tmp_path))
    assert code == 0, err
    video, srt, vtt, chapters, poster = out.split()
    assert video.endswith("backward-seed.mp4") and srt.endswith(".srt") and poster.endswith("backward-seed.poster.png")
    assert vtt.endswith("backward-seed.vtt") and chapters.endswith("backward-seed.chapters.vtt")
    beats = {b["n"]: b for b in beats_of(capsys)["beats"]}
    fps = 15
    by_number = run(capsys, "render", "--still", "5", "--output-dir", str(tmp_path))[1].strip()
    by_name = run(capsys, "render", "--still", "step 2 · through the OUTPUT activation", "--output-dir",
                  str(tmp_path))[1].strip()
    assert by_number.endswith("backward-seed.beat-5.png") and by_name.endswith("backward-seed.beat-6.png")
    ends = [beats[n]["end"] - 0.5 / fps for n in (4, 5, 6, 7)]
    f4, f5, f6, f7 = frames_at(video, ends)
    for still, own, others in ((by_number, f5, (f4, f6)), (by_name, f6, (f5, f7))):
        img = np.asarray(Image.open(still).convert("RGB"), dtype=float)
        assert img.shape == own.shape == (480, 854, 3)
        assert differing(img, own) < 0.005, differing(img, own)
        assert all(differing(img, other) > 3 * differing(img, own) + 0.005 for other in others)
    # the title beat's still: its title, as the video shows it before it fades (not the empty last frame)
    title = run(capsys, "render", "--still", "1", "--output-dir", str(tmp_path))[1].strip()
    img = np.asarray(Image.open(title).convert("RGB"), dtype=float)
    shown = frames_at(video, [beats[1]["start"] + 1.5])[0]
    empty = frames_at(video, [beats[1]["end"] - 0.5 / fps])[0]
    assert differing(img, shown) < 0.005 and differing(img, empty) > 0.005
    # the poster: the network with every gradient, the frame at the end of that beat
    network_done = next(b for b in beats.values() if b["name"] == "Every gradient from one backward pass")
    shown = frames_at(video, [network_done["end"] - 0.5 / fps])[0]
    img = np.asarray(Image.open(poster).convert("RGB"), dtype=float)
    assert differing(img, shown) < 0.015
    still = run(capsys, "render", "--still", str(network_done["n"]), "--output-dir", str(tmp_path))[1].strip()
    assert np.array_equal(np.asarray(Image.open(still).convert("RGB")), np.asarray(Image.open(poster)))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["backward-seed.mp4", "backward-seed.srt", "backward-seed.vtt", "backward-seed.chapters.vtt",
         "backward-seed.poster.png", "backward-seed.beat-1.png", "backward-seed.beat-5.png",
         "backward-seed.beat-6.png", f"backward-seed.beat-{network_done['n']}.png"])


def alpha_of_last_frame(video: str) -> tuple[str, np.ndarray]:
    """Decoded with libvpx for VP9 (ffmpeg's own VP9 decoder drops the alpha plane), else the default."""
    with av.open(video) as c:
        stream = c.streams.video[0]
        if stream.codec_context.name == "vp9":
            decoder = av.CodecContext.create("libvpx-vp9", "r")
            frames = [f for p in c.demux(stream) if p.size for f in decoder.decode(p)]
        else:
            frames = list(c.decode(stream))
    last = frames[-1]
    return last.format.name, last.to_ndarray(format="rgba")[..., 3]


@pytest.mark.slow
def test_transparent_webm_and_mov_carry_alpha(capsys, tmp_path):
    for fmt, extra in (("webm", ["--transparent"]), ("mov", []), ("webm", [])):
        folder = tmp_path / f"{fmt}{len(extra)}"
        code, out, err = run(capsys, "render", "title", "--format", fmt, *extra, "--output-dir", str(folder))
        assert code == 0, err
        pix_fmt, alpha = alpha_of_last_frame(out.split()[0])
        if fmt == "webm" and not extra:
            assert pix_fmt == "yuv420p" and alpha.min() == 255  # opaque without the flag
            continue
        assert pix_fmt in ("yuva420p", "argb", "rgba", "bgra", "yuva444p10le", "yuva444p"), pix_fmt
        # the background is see-through, the network is not
        assert alpha[5, 5] == 0 and (alpha == 255).mean() > 0.05 and (alpha == 0).mean() > 0.5
    code, out, err = run(capsys, "render", "--still", "2", "--transparent", "--output-dir", str(tmp_path))
    img = Image.open(out.strip())
    assert code == 0 and img.mode == "RGBA" and img.getpixel((5, 5))[3] == 0
