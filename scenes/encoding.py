"""Video segments written with less work per frame than manim's default writer, same pixels.

A lecture video is mostly still: every pause is one frame repeated for seconds. manim's encoder copies
the RGBA frame into a new video frame and converts it to YUV once per repeat (~15 ms at 1080p, more
than the encoding itself); this one wraps the frame without copying and converts it once per distinct
frame, then hands the same converted frame to the encoder for every repeat. Measured in
benchmarks/render_bench.py.
"""

from __future__ import annotations

from fractions import Fraction

import av
from manim.renderer.cairo_renderer import CairoRenderer
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder


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
    return CairoRenderer(file_writer_class=RepeatOnceWriter, **kwargs)
