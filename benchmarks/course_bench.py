"""A course's build time: a 6-lesson course at low quality with 1 worker and with 2, the re-run with
nothing changed, and 30 students' exercises (worksheets and answer keys; with --videos, their
solution videos too).

    .venv/bin/python benchmarks/course_bench.py
    .venv/bin/python benchmarks/course_bench.py --videos      # 30 solution videos as well (minutes)

Runs `backprop` as a user would, in fresh processes. Prints figures; asserts nothing (see README).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BACKPROP = [sys.executable, "-m", "backprop.output.cli"]
NETWORKS = ["seed", "branching", "classifier"]


def course_file(folder: Path, scenes: list[str]) -> Path:
    lessons = "".join(f'\n[[lesson]]\nscene = "{scene}"\nnetwork = "{NETWORKS[n % len(NETWORKS)]}"\n'
                      for n, scene in enumerate(scenes))
    path = folder / "course.toml"
    path.write_text(f'title = "Benchmark"\nquality = "low"\n{lessons}')
    return path


def timed(args) -> float:
    start = time.perf_counter()
    subprocess.run(BACKPROP + args, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenes", default="backward,backward,backward,title,title,title",
                        help="the six lessons' scenes (each on seed, branching, classifier in turn)")
    parser.add_argument("--videos", action="store_true", help="render the 30 students' solution videos too")
    args = parser.parse_args()
    scenes = args.scenes.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        course = course_file(tmp, scenes)
        one = timed(["course", str(course), "--output-dir", str(tmp / "site1"), "--jobs", "1"])
        two = timed(["course", str(course), "--output-dir", str(tmp / "site2"), "--jobs", "2"])
        again = timed(["course", str(course), "--output-dir", str(tmp / "site2"), "--jobs", "2"])
        print(f"{len(scenes)}-lesson course ({', '.join(scenes)}), low quality, {os.cpu_count()} cores")
        print(f"  --jobs 1: {one:6.1f} s")
        print(f"  --jobs 2: {two:6.1f} s   ({one / two:.2f}× faster)")
        print(f"  re-run, nothing changed: {again:.1f} s")
        roster = tmp / "roster.csv"
        roster.write_text("id\n" + "".join(f"student-{i:02d}\n" for i in range(30)))
        videos = [] if args.videos else ["--no-videos"]
        ex = timed(["exercises", str(roster), "--course-seed", "bench", "--output-dir", str(tmp / "ex"), *videos])
        what = "with solution videos" if args.videos else "networks, worksheets, answer keys"
        print(f"  30 students' exercises ({what}): {ex:.1f} s")


if __name__ == "__main__":
    main()
