"""Render speed: seconds of rendering per second of video, for the timeline player and for a bare
manim scene with the same number of boxes, lines, texts, animations and pauses (the player's overhead).
Both draw and write through our renderer (backprop/stage/renderer.py); the bare scene is also timed with
manim's own renderer, to show what ours saves.

    .venv/bin/python benchmarks/render_bench.py                 # low quality, all three networks
    .venv/bin/python benchmarks/render_bench.py --quality high --networks seed

Each render runs in its own process with its own media folder (manim's config is process-wide).
Prints figures; asserts nothing (see README).
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NETWORKS = {
    "seed": "seed",
    "branching": "branching",
    "4-6-6-3": {"name": "4-6-6-3", "input": [0.5, -0.2, 0.8, 0.1], "target": [0.0, 1.0, 0.0], "seed": 3,
                "loss": "cross_entropy",
                "layers": [{"units": 6, "activation": "relu"}, {"units": 6, "activation": "tanh"},
                           {"units": 3, "activation": "softmax"}]},
}
QUALITIES = {"low": "low_quality", "high": "high_quality"}


def render_one(network, quality, bare, media_dir, manim_renderer=False):
    """In a child process: render, print JSON with the wall time, the video length and the workload."""
    from manim import Circle, FadeIn, Line, Scene, Text, tempconfig

    from backprop.engine.spec import load_network, parse_spec
    from backprop.engine.timeline import build_timeline
    from backprop.scenes.backward import BackwardPass
    from backprop.stage.renderer import make_renderer

    net = load_network(network) if isinstance(network, str) else parse_spec(network)
    timeline = build_timeline(net)
    from backprop.output.render.scene import video_options

    options = {"quality": QUALITIES[quality], "media_dir": media_dir, "disable_caching": True,
               "verbosity": "ERROR", "progress_bar": "none", **video_options("mp4")}
    with tempconfig(options):
        probe = BackwardPass(timeline=timeline, skip_animations=True)  # count the workload first
        probe.render()
    log = probe.play_log
    n_texts = sum(1 for _ in probe.get_mobject_family_members() if isinstance(_, Text)) or 1

    class Bare(Scene):
        def construct(self):
            for k in range(len(timeline.nodes)):
                self.add(Circle(radius=0.3).shift([(k % 8) - 3.5, (k // 8) - 2, 0]))
            for k in range(len(timeline.edges)):
                self.add(Line([-6, -3 + k * 0.05, 0], [6, -3 + k * 0.05, 0], stroke_width=2))
            per_play = max(1, n_texts // max(1, sum(1 for kind, *_ in log if kind == "play")))
            for kind, seconds, count in log:
                if kind == "wait":
                    self.wait(seconds)
                else:
                    texts = [Text("−0.093 × 0.54", font_size=24).shift([0, -3 + j * 0.3, 0])
                             for j in range(min(count, per_play))]
                    self.play(*[FadeIn(t) for t in texts], run_time=seconds)

    with tempconfig(options):
        if not bare:
            scene = BackwardPass(timeline=timeline)  # draws with our renderer by default
        else:
            scene = Bare() if manim_renderer else Bare(renderer=make_renderer())
        start = time.perf_counter()
        scene.render()
        wall = time.perf_counter() - start
        length = scene.renderer.time
    print(json.dumps({"wall": wall, "video": length}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quality", choices=list(QUALITIES), default="low")
    parser.add_argument("--networks", nargs="*", default=list(NETWORKS))
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--bare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--manim-renderer", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        with tempfile.TemporaryDirectory() as media:
            render_one(NETWORKS[args.one], args.quality, args.bare, media, args.manim_renderer)
        return
    print(f"quality {args.quality}: render seconds per video second (lower is better)")
    print(f"  {'network':10} {'video s':>8} {'player':>8} {'bare':>8} {'overhead':>9} {'bare, manim renderer':>21}")
    for name in args.networks:
        rates = {}
        for run in ("player", "bare", "manim"):
            flags = {"player": [], "bare": ["--bare"], "manim": ["--bare", "--manim-renderer"]}[run]
            cmd = [sys.executable, __file__, "--one", name, "--quality", args.quality, *flags]
            out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT).stdout
            result = json.loads(out.strip().splitlines()[-1])
            rates[run], video = result["wall"] / result["video"], result["video"]
        print(f"  {name:10} {video:8.1f} {rates['player']:8.3f} {rates['bare']:8.3f} "
              f"{rates['player'] / rates['bare']:8.2f}× {rates['manim']:21.3f}", flush=True)


if __name__ == "__main__":
    main()
