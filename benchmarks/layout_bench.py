"""How long a layout takes per shape and frame (CPU seconds, best of three; `backprop transcript` on
seed and 3-4-4-3: benchmarks/transcript_bench.py); then how many numbers the network view keeps, per
frame: every shape of 1–3 units a column with two or three layers (tanh, one example), 3-3-3-3-3 and
3-4-4-3, and how many are drawn smaller to keep them. Prints the README's tables (Layout section).

    .venv/bin/python benchmarks/layout_bench.py [--times]    (--times: the timings only)
"""

import itertools
import sys
from multiprocessing import Pool

from backprop.engine.spec import parse_spec
from backprop.engine.timeline import build_timeline
from backprop.story.frame import Frame
from backprop.story.layout import layout_network
from backprop.story.texts import make_texts
from backprop.story.theme import Theme
from timing import best_of, cpu  # benchmarks/timing.py: a script's own folder is on its path

ASPECTS = ("16:9", "4:3", "1:1", "9:16")
INPUTS, TARGETS = [0.5, -0.3, 0.8], [1.0, 0.0, 0.5]


def spec(sizes):
    return {"input": INPUTS[:sizes[0]], "target": TARGETS[:sizes[-1]], "seed": 3,
            "layers": [{"units": n, "activation": "tanh"} for n in sizes[1:]]}


def kept(args):
    """(every number on the network?, edge numbers placed, edge numbers, every edge number?, scale) for
    one shape in one frame."""
    sizes, aspect = args
    timeline = build_timeline(parse_spec(spec(sizes)))
    layout = layout_network(timeline, Theme(), make_texts(timeline), Frame.of(aspect))
    weights = {p["name"] for p in timeline.params if p["kind"] == "weight"}
    placed = len(set(layout.weight_labels) & weights) + len(set(layout.edge_badges) & weights)
    return (sizes, aspect, not layout.dropped, placed, 2 * len(weights), placed == 2 * len(weights),
            layout.scale)


TIMED = [(2, 2, 1), (3, 3, 3), (3, 3, 3, 3), (3, 4, 4, 3), (3, 3, 3, 3, 3)]


def times():
    print("| shape | " + " | ".join(ASPECTS) + " |")
    print("|---|" + "---|" * len(ASPECTS))
    for sizes in TIMED:
        timeline = build_timeline(parse_spec(spec(sizes)))
        texts = make_texts(timeline)
        row = [best_of(lambda a=a, tl=timeline, tx=texts: layout_network(tl, Theme(), tx, Frame.of(a)), clock=cpu)
               for a in ASPECTS]
        print(f"| {'-'.join(map(str, sizes))} | " + " | ".join(f"{t:.2f} s" for t in row) + " |")


def main():
    times()
    if "--times" in sys.argv:
        return
    cases = [(s, a) for a in ASPECTS for n in (3, 4) for s in itertools.product((1, 2, 3), repeat=n)]
    cases += [((3, 4, 4, 3), a) for a in ASPECTS] + [((3, 3, 3, 3, 3), a) for a in ASPECTS]
    with Pool(2) as pool:
        results = pool.map(kept, cases)
    print("| aspect | two layers: every number (every weight and gradient) | three layers: every number "
          "(every weight and gradient) | three layers: weights and gradients placed | drawn at 0.9 / 0.8 "
          "(two and three layers) | 3-3-3-3-3: weights and gradients | 3-4-4-3: weights and gradients |")
    print("|---|---|---|---|---|---|---|")
    for aspect in ASPECTS:
        rows = [r for r in results if r[1] == aspect]
        two = [r for r in rows if len(r[0]) == 3]
        three = [r for r in rows if len(r[0]) == 4 and r[0] != (3, 4, 4, 3)]
        four = next(r for r in rows if r[0] == (3, 3, 3, 3, 3))
        dense = next(r for r in rows if r[0] == (3, 4, 4, 3))
        smaller = [sum(1 for r in two + three if abs(r[6] - k) < 1e-9) for k in (0.9, 0.8)]
        share = sum(r[3] for r in three) / sum(r[4] for r in three)
        print(f"| {aspect} | {sum(r[2] for r in two)} ({sum(r[5] for r in two)}) of {len(two)} "
              f"| {sum(r[2] for r in three)} ({sum(r[5] for r in three)}) of {len(three)} "
              f"| {share:.0%} | {smaller[0]} / {smaller[1]} | {four[3]} of {four[4]} | {dense[3]} of {dense[4]} |")
        if "-v" in sys.argv:
            print("   weights or gradients missing:", [r[0] for r in two + three if not r[5]])


if __name__ == "__main__":
    main()
