"""The manim renderer our renders use: the pixels of manim's own, less work per frame, smaller GIFs.

A lecture video is mostly still, and what moves mostly fades in place. Two costs follow, measured in
benchmarks/render_bench.py:

- Cairo is handed every moving shape's outline again each frame, one Python call per curve; a fading
  card's outline never changes. The camera keeps each shape's Cairo path and replays it while the
  shape's points are unchanged.
- Every pause is one frame repeated for seconds, and manim's writer copies and converts it to YUV once
  per repeat (~15 ms at 1080p, more than the encoding). The writer wraps the frame without copying and
  converts it once, then hands the same converted frame to the encoder for every repeat.

Stillness should also make a small GIF, but manim's GIF is re-quantised to a fixed 256-colour palette
after its own palette is chosen, so no two frames are alike and each is stored whole (174 MB for
`seed` at low quality). Ours keeps the chosen palette, so a frame stores only the rectangle that
changed (~10 MB), and it reads the video twice instead of holding every frame in memory.

It builds on manim 0.22 (pinned: its segment encoder is new there) and uses these private names,
each for the reason given; a manim upgrade must check them first:
- `SceneFileWriter._create_segment_encoder`: the hook that picks the encoder class for a segment;
- `VideoSegmentEncoder._validate_frame`, `._stream`, `._container`, `._next_pts`, `._operation_error`:
  its write path, which ours replaces to encode a held frame once (no public way to pass a repeat);
- `SceneFileWriter._concat_manifest_bytes`: the segments' ffconcat list, read twice for the GIF.
The camera overrides the public `Camera.set_cairo_context_path`.
"""

from __future__ import annotations

import ctypes
import weakref
from fractions import Fraction
from io import BytesIO

import av
import numpy as np
from manim.camera.camera import Camera
from manim.renderer.cairo_renderer import CairoRenderer
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder


class PathReusingCamera(Camera):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # shape → (its points then, Cairo path); weak, so a shape that left the scene is forgotten
        self.paths: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def set_cairo_context_path(self, ctx, vmobject):
        points = vmobject.points
        kept = self.paths.get(vmobject)
        if kept is not None and np.array_equal(kept[0], points):
            ctx.new_path()
            ctx.append_path(kept[1])
            return self
        super().set_cairo_context_path(ctx, vmobject)
        self.paths[vmobject] = (points.copy(), ctx.copy_path())
        return self


class RepeatOnceEncoder(VideoSegmentEncoder):
    def write_frame(self, pixels, *, repeat: int = 1) -> None:
        self._validate_frame(pixels, repeat)
        spec, context = self.spec, self._stream.codec_context
        try:
            # No copy: the writer owns `pixels` (manim's contract) and the conversion reads it now.
            frame = av.VideoFrame.from_numpy_buffer(pixels, format="rgba").reformat(
                spec.width, spec.height, spec.pixel_format, threads=context.thread_count)
            frame.time_base = Fraction(spec.frame_rate.denominator, spec.frame_rate.numerator)
            for _ in range(repeat):
                frame.pts = self._next_pts  # the encoder keeps its own reference and timestamp
                self._next_pts += 1
                for packet in self._stream.encode(frame):
                    self._container.mux(packet)
        except BaseException as error:
            raise self._operation_error("encode", error) from error


class RepeatOnceWriter(SceneFileWriter):
    def _create_segment_encoder(self, target):
        if self.video_encoder is None:
            return super()._create_segment_encoder(target)
        return RepeatOnceEncoder(target=target, spec=self.video_encoder)

    def combine_files(self, input_files, output_file, create_gif=False, includes_sound=False):
        if not create_gif or self.output_spec.transparent:
            return super().combine_files(input_files, output_file, create_gif, includes_sound)
        output_file.parent.mkdir(parents=True, exist_ok=True)
        manifest = self._concat_manifest_bytes(input_files)
        with open_segments(manifest) as video:
            palette = gif_palette(video)
        with open_segments(manifest) as video:
            write_gif(video, palette, output_file, self.video_encoder.frame_rate)


def open_segments(manifest: bytes):
    return av.open(BytesIO(manifest), format="concat", options={"safe": "0", "an": "1"})


def gif_palette(video) -> av.VideoFrame:
    """First pass: the 256 colours that best cover what changes."""
    graph = av.filter.Graph()
    source, choose, sink = (graph.add_buffer(template=video.streams.video[0]),
                            graph.add("palettegen", "stats_mode=diff"), graph.add("buffersink"))
    source.link_to(choose)
    choose.link_to(sink)
    graph.configure()
    for frame in video.decode(video=0):
        source.push(frame)
    source.push(None)
    return sink.pull()


def write_gif(video, palette: av.VideoFrame, target, rate: Fraction) -> None:
    """Second pass: map every frame to the palette and store it paletted, so the GIF encoder keeps
    only the rectangle that changed since the previous frame."""
    stream = video.streams.video[0]
    graph = av.filter.Graph()
    source = graph.add_buffer(template=stream)
    palette_source = graph.add_buffer(width=palette.width, height=palette.height,
                                      format=palette.format.name, time_base=stream.time_base)
    use, sink = graph.add("paletteuse", "dither=bayer:bayer_scale=5:diff_mode=rectangle"), graph.add("buffersink")
    source.link_to(use, 0, 0)
    palette_source.link_to(use, 0, 1)
    use.link_to(sink)
    graph.configure()
    palette.pts, palette.time_base = 0, stream.time_base  # one palette for the whole video
    palette_source.push(palette)
    palette_source.push(None)
    with av.open(str(target), "w") as out:
        gif = out.add_stream("gif", rate=rate)
        gif.width, gif.height, gif.pix_fmt = stream.width, stream.height, "pal8"
        written = 0

        def drain():
            nonlocal written
            while True:
                try:
                    frame = sink.pull()
                except (av.error.BlockingIOError, av.error.EOFError):
                    return
                frame.pts, frame.time_base = written, 1 / rate
                written += 1
                out.mux(gif.encode(frame))

        for frame in video.decode(video=0):
            source.push(frame)  # not graph.push, which feeds every buffer, the palette's too
            drain()
        source.push(None)
        drain()
        out.mux(gif.encode())


def zero_fresh_buffers() -> None:
    """x264 (through libavcodec) reads bytes nobody wrote in newly allocated buffers: the padding past
    an 854-pixel row and parts of its own frames. glibc hands back memory that other threads freed, so
    with segments encoding in parallel two renders of one spec differed in a few pixels and bytes. A
    fixed mmap threshold (glibc raises its own past our frame sizes) gives every buffer of 128 KiB and
    more fresh pages, which the kernel zeroes; smaller buffers are filled with one fixed byte when
    handed out (M_PERTURB), so what x264 reads is the same every run (a 96×64 test video differed in
    16 of 200 encodes without it, 0 of 400 with it). No effect off glibc."""
    mallopt = getattr(ctypes.CDLL(None), "mallopt", None)
    if mallopt is not None:
        mallopt(-3, 128 * 1024)  # M_MMAP_THRESHOLD
        mallopt(-6, 0x5A)  # M_PERTURB


class UnseenRenderer(CairoRenderer):
    """Plays a scene without drawing it: a transcript wants each text and its times, never a pixel.
    manim's skip-animations mode still paints every play's still background and its last frame
    (an eighth of a 3-4-4-3 transcript)."""

    def update_frame(self, *args, **kwargs) -> None:
        pass

    def save_static_frame_data(self, scene, static_mobjects) -> None:
        self.static_image = None


def make_renderer(draw: bool = True, **kwargs) -> CairoRenderer:
    """The renderer BackwardPass draws with wherever it runs (our CLI, manim's); Scene(renderer=...).
    `draw=False`: one that plays without drawing (`skip_animations` too), for transcripts."""
    zero_fresh_buffers()
    return CairoRenderer(file_writer_class=RepeatOnceWriter, camera_class=PathReusingCamera, **kwargs) if draw \
        else UnseenRenderer(skip_animations=True)
