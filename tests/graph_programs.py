"""Random computational-graph programs with the steps an oracle runs (the graph engine's and the graph
scene's tests)."""

import random


UNARY = ["neg", "tanh", "sigmoid", "relu", "exp_small", "log_pos", "square", "pow"]
BINARY = ["add", "sub", "mul", "div_pos"]


def random_program(seed: int, most: int = 10):
    """(program text, values, steps): each step (name, op, operand names, p); the torch oracle runs the
    steps, not our parser. Domains kept safe: log and ÷ of (u² + 1), exp of tanh(u)."""
    rng = random.Random(seed)
    values = {f"v{i}": round(rng.uniform(-2, 2), 3) for i in range(rng.randint(1, min(4, most)))}
    names = list(values)
    unused = set(names)
    steps, lines = [], []
    for k in range(rng.randint(1, most)):
        name = f"n{k}"
        op = rng.choice(UNARY + BINARY)
        a = rng.choice(names)
        b = rng.choice(names)
        p = rng.choice([3, 0.5, -1, 1.5]) if op == "pow" else None
        text = {"neg": f"-{a}", "tanh": f"tanh({a})", "sigmoid": f"sigmoid({a})", "relu": f"relu({a})",
                "exp_small": f"exp(tanh({a}))", "log_pos": f"log({a} ** 2 + 1)", "square": f"{a} ** 2",
                "pow": f"({a} ** 2 + 1) ** {p}", "add": f"{a} + {b}", "sub": f"{a} - {b}", "mul": f"{a} * {b}",
                "div_pos": f"{a} / ({b} ** 2 + 1)"}[op]
        lines.append(f"{name} = {text}")
        steps.append((name, op, a, b, p))
        unused -= {a} | ({b} if op in BINARY else set())
        unused.add(name)
        names.append(name)
    rest = sorted(unused - {steps[-1][0]}, key=names.index)
    if rest:
        lines.append("out = " + " + ".join([steps[-1][0]] + rest))
        steps.append(("out", "sum", [steps[-1][0]] + rest, None, None))
    return "\n".join(lines), values, steps
