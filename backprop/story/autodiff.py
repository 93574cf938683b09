"""What the `autodiff` chapter says: the program a library records, and its backward nodes in the
order `loss.backward()` runs them, each with PyTorch's name beside ours and the gradients it passes
on; then every parameter's gradient (AccumulateGrad). Formatting only: every number is the graph
timeline's."""

from __future__ import annotations

from backprop.engine.graph.timeline import of
from backprop.story.graph import written
from backprop.story.texts import grad_text


def program_lines(timeline) -> list[str]:
    """The program as code, with PyTorch's spelling of the functions."""
    return [torch_spelling(line) for line in timeline.network["program"] if line.split("#")[0].strip()]


def torch_spelling(line: str) -> str:
    return (line.replace("sigmoid(", "torch.sigmoid(").replace("relu(", "torch.relu(")
            .replace("tanh(", "torch.tanh(").replace("exp(", "torch.exp(").replace("log(", "torch.log("))


def backward_nodes(timeline) -> list[tuple[str, list[list[str]]]]:
    """Per program line, from the last back: (the line as code, rows of [PyTorch's node, ours, its local
    gradients (one per input), what it passes on]) for each operation the line made, in the order
    backward() reaches them."""
    symbol = {n["id"]: n["symbol"] for n in timeline.nodes}
    nodes = {n["id"]: n for n in timeline.nodes}
    out_symbol = of(symbol[timeline.network["output"]])
    passed: dict[str, list[str]] = {}
    local: dict[str, list[str]] = {}
    order: list[str] = []
    for e in timeline.events:
        if e["kind"] == "local" and e["step"] == "back":  # what the node computes: its local rule per input
            local.setdefault(e["node"], []).append(e["formula"].split(" = ", 1)[1])
        if e["kind"] == "multiply" and e["step"] == "back":
            if e["via"] not in passed:
                passed[e["via"]] = []
                order.append(e["via"])
            passed[e["via"]].append(f"∂{out_symbol}/∂{of(symbol[e['target']])} {'+' if e['partial'] else ''}= "
                                    f"{grad_text(e['value'])}")
    groups: list[tuple[str, list[list[str]]]] = []
    line_of = {n["id"]: n.get("line") for n in timeline.nodes}
    for node in order:
        n = nodes[node]
        row = [n["torch"] or n["op"], _ours(n, symbol), ", ".join(local[node]), ",  ".join(passed[node])]
        code = torch_spelling(timeline.network["program"][line_of[node] - 1])
        if groups and groups[-1][0] == code:
            groups[-1][1].append(row)
        else:
            groups.append((code, [row]))
    return groups


def _ours(node: dict, symbol: dict[str, str]) -> str:
    """The operation as the program writes it: `L = 0.5·(y − t)²`, or a sub-expression's own name."""
    expression = written(node, symbol)
    return expression if expression == node["symbol"] else f"{node['symbol']} = {expression}"


def accumulated(timeline) -> list[list[str]]:
    """Each parameter's gradient as AccumulateGrad stores it in `.grad`."""
    return [["AccumulateGrad", f"{p['symbol']}.grad", grad_text(e["value"])]
            for p in timeline.params for e in timeline.events
            if e["kind"] == "param_grad" and e["param"] == p["name"]]
