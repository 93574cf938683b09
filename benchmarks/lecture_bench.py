"""The lecture: render time with one chapter at a time and with two, render seconds per video second,
a re-run with nothing changed, and how long the lecture plays.

    .venv/bin/python benchmarks/lecture_bench.py            # the lecture as the catalog has it, and a stand-in
    .venv/bin/python benchmarks/lecture_bench.py --only-length

Two lectures are timed at low quality and the default pace, each from an empty output folder with
`--jobs 1`, then `--jobs 2`, then again with nothing changed (through the command line, start-up
included): the lecture of the scenes that exist (`backprop.scenes.catalog.LECTURE`), and a stand-in of
three chapters of similar length (backward on seed, branching, and a 2-3-1 tanh net), which shows what
two processes give when chapters can be shared out evenly. Prints figures; asserts nothing (see README).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TANH = {"name": "2-3-1-tanh", "input": [0.5, -0.3], "target": [0.2], "seed": 4, "loss": "mse",
        "layers": [{"units": 3, "activation": "tanh"}, {"units": 1, "activation": "tanh"}]}


def video_seconds(path) -> float:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return float(stream.duration * stream.time_base)


def lecture_length() -> None:
    """The lecture's length at the default pace, from the transcripts (no frames drawn)."""
    from backprop.output.render import lecture
    from backprop.story.theme import Theme

    data = lecture.transcript(lecture.chapters(), Theme())
    for c in data["chapters"]:
        print(f"  {c['scene']:14} on {c['network']:10} {c['end'] - c['start']:6.1f} s")
    print(f"lecture at the default pace: {len(data['chapters'])} chapters, {data['duration']:.1f} s "
          f"({data['duration'] / 60:.1f} min)")


def cli_run(args, folder) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "backprop", "render", "lecture", "--output-dir", folder, *args],
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def api_run(parts, folder, jobs) -> float:
    from backprop.output.render import lecture
    from backprop.story.theme import Theme

    start = time.perf_counter()
    lecture.render(parts, Theme(), "low", "mp4", folder, jobs, "lecture")
    return time.perf_counter() - start


def timed(name, run) -> None:
    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as two:
        t1 = run(one, 1)
        t2 = run(two, 2)
        again = run(two, 2)
        seconds = video_seconds(Path(two) / "lecture.mp4")
        print(f"{name}: video {seconds:.1f} s; --jobs 1 {t1:.1f} s ({t1 / seconds:.3f} s/s), --jobs 2 {t2:.1f} s "
              f"({t2 / seconds:.3f} s/s), jobs 1 / jobs 2 = {t1 / t2:.2f}×; re-run with nothing changed {again:.1f} s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only-length", action="store_true")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    lecture_length()
    if args.only_length:
        return
    timed("the lecture (catalog)", lambda folder, jobs: cli_run(["--jobs", str(jobs)], folder))

    from backprop.engine.spec import load_network, parse_spec
    from backprop.output.render.lecture import Chapter

    stand_in = [Chapter("backward", "seed", load_network("seed")),
                Chapter("backward", "branching", load_network("branching")),
                Chapter("backward", "tanh", parse_spec(json.loads(json.dumps(TANH))))]
    timed("stand-in of 3 similar chapters (in-process call)", lambda folder, jobs: api_run(stand_in, folder, jobs))


if __name__ == "__main__":
    main()
