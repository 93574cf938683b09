"""The graph engine scales linearly: seconds to read a program, run forward and backward, and build its
timeline, for programs of 250 to 2,000 lines (the limit), each line a few operations on a value used
several times. Prints the README's table: time per line stays flat as the program grows."""

import random

from backprop.engine.graph.passes import backward, forward
from backprop.engine.spec import parse_spec
from backprop.engine.timeline import build_timeline
from timing import best_of  # benchmarks/timing.py: a script's own folder is on its path


def program(lines: int, seed: int = 0) -> dict:
    rng = random.Random(seed)
    values = {f"v{i}": round(rng.uniform(-1, 1), 3) for i in range(8)}
    names = list(values)
    text = []
    for k in range(lines - 1):
        a, b = rng.choice(names[-12:]), rng.choice(names[:8])
        text.append(f"n{k} = tanh({names[-1]} * {b} + 0.1) + {a} * 0.5")
        names.append(f"n{k}")
    text.append("out = " + " + ".join(names[-1:] + [n for n in names if n.startswith("v")]))
    return {"name": "bench", "graph": {"values": values, "program": "\n".join(text)}}


def main():
    print("| lines | nodes | read | forward + backward | timeline | timeline µs per node |")
    print("|---|---|---|---|---|---|")
    for lines in (250, 500, 1000, 2000):
        spec = program(lines)
        read = best_of(lambda spec=spec: parse_spec(spec))
        g = parse_spec(spec)
        passes = best_of(lambda g=g: backward(g, forward(g)))
        timeline = best_of(lambda g=g: build_timeline(g))
        print(f"| {lines:,} | {len(g.nodes):,} | {read * 1e3:.0f} ms | {passes * 1e3:.0f} ms | "
              f"{timeline * 1e3:.0f} ms | {timeline / len(g.nodes) * 1e6:.0f} |")


if __name__ == "__main__":
    main()
