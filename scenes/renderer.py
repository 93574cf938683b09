"""The manim renderer our renders use: the pixels of manim's own, less work per frame.

A lecture video is mostly still, and what moves mostly fades in place. Two costs follow, measured in
benchmarks/render_bench.py:

- Cairo is handed every moving shape's outline again each frame, one Python call per curve; a fading
  card's outline never changes. The camera keeps each shape's Cairo path and replays it while the
  shape's points are unchanged.
- Every pause is one frame repeated for seconds, and manim's writer copies and converts it to YUV once
  per repeat (~15 ms at 1080p, more than the encoding). The writer wraps the frame without copying and
  converts it once, then hands the same converted frame to the encoder for every repeat.
"""

from __future__ import annotations

from fractions import Fraction

import av
import numpy as np
from manim.camera.camera import Camera
from manim.renderer.cairo_renderer import CairoRenderer
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder


class PathReusingCamera(Camera):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._paths: dict[int, tuple] = {}  # id → (shape, its points then, Cairo path)

    def set_cairo_context_path(self, ctx, vmobject):
        points = vmobject.points
        kept = self._paths.get(id(vmobject))
        if kept is not None and kept[0] is vmobject and np.array_equal(kept[1], points):
            ctx.new_path()
            ctx.append_path(kept[2])
            return self
        super().set_cairo_context_path(ctx, vmobject)
        self._paths[id(vmobject)] = (vmobject, points.copy(), ctx.copy_path())
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


def make_renderer(**kwargs) -> CairoRenderer:
    """The renderer every render of ours uses (CLI, benchmarks); pass it as Scene(renderer=...)."""
    return CairoRenderer(file_writer_class=RepeatOnceWriter, camera_class=PathReusingCamera, **kwargs)
