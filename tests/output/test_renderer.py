"""Our renderer does less work per frame; the frames must be the ones manim's own renderer makes."""

from fractions import Fraction

import av
import numpy as np
import pytest
from manim import LEFT, ORANGE, RIGHT, Camera, Dot, Scene, Text, tempconfig
from manim.scene.video_segment_encoder import VideoSegmentEncoder

from backprop.stage.renderer import PathReusingCamera, RepeatOnceEncoder, gif_palette, open_segments, write_gif



def encoder_spec(fmt: str, media_dir) -> object:
    """The encoder settings manim itself resolves for a 96×64, 15 fps video in `fmt`."""
    options = {"pixel_width": 96, "pixel_height": 64, "frame_rate": 15, "format": fmt, "media_dir": str(media_dir),
               "verbosity": "ERROR", "transparent": fmt == "mov",
               "video_encoder_options": {"preset": "veryfast"} if fmt == "mp4" else {}}
    with tempconfig(options):
        return Scene().renderer.file_writer.video_encoder


@pytest.fixture(scope="module")
def specs(tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    return {fmt: encoder_spec(fmt, media) for fmt in ("mp4", "mov")}


def frames():
    rng = np.random.default_rng(1)
    out = []
    for k in range(5):
        f = np.zeros((64, 96, 4), np.uint8)
        f[..., 3] = 255
        f[10:40, 5 + 8 * k:40 + 8 * k, :3] = rng.integers(0, 256, 3)
        f[50:60, :, 3] = 40 * k  # some transparency for the alpha format
        out.append(f)
    return out


def encode(cls, spec, path, repeats):
    encoder = cls(target=path, spec=spec)
    for frame, repeat in zip(frames(), repeats):
        encoder.write_frame(frame.copy(), repeat=repeat)
    encoder.finish()
    with av.open(str(path)) as video:
        decoded = [(f.pts, f.to_ndarray(format="rgba")) for f in video.decode(video=0)]
    return decoded


@pytest.mark.parametrize("fmt", ["mp4", "mov"])
def test_same_frames_as_manims_writer(tmp_path, specs, fmt):
    repeats = [1, 7, 1, 30, 2]
    assert specs[fmt].width == 96 and specs[fmt].frame_rate == 15
    ours = encode(RepeatOnceEncoder, specs[fmt], tmp_path / f"ours.{fmt}", repeats)
    theirs = encode(VideoSegmentEncoder, specs[fmt], tmp_path / f"theirs.{fmt}", repeats)
    assert len(ours) == len(theirs) == sum(repeats)
    assert [pts for pts, _ in ours] == [pts for pts, _ in theirs]
    if fmt == "mov":  # lossless: the very same pixels
        assert all(np.array_equal(a, b) for (_, a), (_, b) in zip(ours, theirs))
        return
    # x264 encodes the same frames slightly differently from one run to the next (mean difference up
    # to 0.06 seen), so equal frames are ones far closer than two consecutive distinct frames.
    source = frames()
    step = min(np.abs(a.astype(int) - b.astype(int))[..., :3].mean() for a, b in zip(source, source[1:]))
    assert step > 2
    for (_, a), (_, b) in zip(ours, theirs):
        assert np.abs(a.astype(int) - b.astype(int))[..., :3].mean() < 0.5


def test_a_held_frame_is_the_frame(tmp_path, specs):
    """Lossless (mov): every repeat decodes to exactly the source frame."""
    source = frames()
    ours = encode(RepeatOnceEncoder, specs["mov"], tmp_path / "ours.mov", [1, 7, 1, 30, 2])
    assert all(np.array_equal(f, source[3]) for _, f in ours[9:39])
    assert np.array_equal(ours[8][1], source[2]) and np.array_equal(ours[39][1], source[4])


def draw_sequence(camera_class):
    """Fade a label in place, move it, fade a dot in while it moves: one frame per step."""
    with tempconfig({"pixel_width": 320, "pixel_height": 180}):
        camera = camera_class()
        label, dot = Text("−0.093 × 0.538", font_size=36), Dot(color=ORANGE)
        shown = []
        for step in range(6):
            label.set_opacity(step / 5)
            if step >= 3:
                label.shift(0.4 * RIGHT)  # new points: the kept path must not be reused
            dot.shift(0.5 * LEFT).set_opacity(1 - step / 6)
            camera.reset()
            camera.capture_mobjects([label, dot])
            shown.append(camera.pixel_array.copy())
        return shown


def test_camera_draws_what_manims_camera_draws():
    ours, theirs = draw_sequence(PathReusingCamera), draw_sequence(Camera)
    assert len({f.tobytes() for f in theirs}) == 6  # every step looks different
    for a, b in zip(ours, theirs):
        assert np.array_equal(a, b)


def test_the_camera_forgets_shapes_that_are_gone():
    """Its path cache must not keep every shape of a long render alive."""
    import gc

    camera = PathReusingCamera()
    dots = [Dot().shift(0.1 * k * RIGHT) for k in range(20)]
    camera.capture_mobjects(dots)
    assert len(camera.paths) == 20
    del dots[5:]
    gc.collect()
    assert len(camera.paths) == 5


def segments(tmp_path, spec, holds):
    """Two mp4 segments as manim writes them (one per animation), frames held `holds` times, and the
    ffconcat list that joins them."""
    paths = []
    for k, part in enumerate((holds[:2], holds[2:])):
        encoder = RepeatOnceEncoder(target=tmp_path / f"part{k}.mp4", spec=spec)
        for frame, repeat in zip(frames()[2 * k:], part):
            encoder.write_frame(frame.copy(), repeat=repeat)
        encoder.finish()
        paths.append(str(tmp_path / f"part{k}.mp4"))
    return ("ffconcat version 1.0\n" + "".join(f"file '{p}'\n" for p in paths)).encode()


def gif_of(tmp_path, spec, holds, name):
    manifest = segments(tmp_path, spec, holds)
    with open_segments(manifest) as video:
        palette = gif_palette(video)
    with open_segments(manifest) as video:
        write_gif(video, palette, tmp_path / name, Fraction(15))
    with open_segments(manifest) as video:
        source = [f.to_ndarray(format="rgb24").astype(int) for f in video.decode(video=0)]
    with av.open(str(tmp_path / name)) as gif:
        shown = [f.to_ndarray(format="rgb24").astype(int) for f in gif.decode(video=0)]
    return source, shown, (tmp_path / name).stat().st_size


def test_gif_shows_the_video(tmp_path, specs):
    source, shown, _ = gif_of(tmp_path, specs["mp4"], [1, 3, 2, 4], "a.gif")
    assert len(shown) == len(source) == 10
    for a, b in zip(source, shown):
        assert np.abs(a - b).mean() < 2  # 256 colours cover these frames; only edges may dither


def test_a_held_gif_frame_costs_almost_nothing(tmp_path, specs):
    """The palette is kept, so a repeated frame stores an empty change, not the whole picture."""
    _, _, brief = gif_of(tmp_path, specs["mp4"], [1, 1, 1, 1], "brief.gif")
    _, shown, held = gif_of(tmp_path, specs["mp4"], [1, 1, 1, 60], "held.gif")
    assert len(shown) == 63
    per_held, per_distinct = (held - brief) / 59, brief / 4
    assert per_held < 0.1 * per_distinct


def test_the_scene_draws_with_our_renderer_wherever_it_runs():
    """manim's own CLI builds the scene without a renderer: it must still get ours (speed, small GIFs)."""
    from backprop.scenes.backward import BackwardPass
    from backprop.stage.renderer import RepeatOnceWriter

    with tempconfig({"dry_run": True}):
        scene = BackwardPass()
    assert isinstance(scene.renderer.camera, PathReusingCamera)
    assert isinstance(scene.renderer.file_writer, RepeatOnceWriter)
