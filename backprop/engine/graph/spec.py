"""A graph spec (`graph` instead of `layers`): its values, program, output and parameters, checked.

Every problem is a SpecError naming the field (`graph.values.a`, `graph.program: line 2 column 5`),
so the command line prints one line and exits 2, as for a layered network.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from backprop.engine.graph.program import Node, read_program, valid_name, where
from backprop.engine.spec import SpecError, _kind, _no_unknown, _number, name_and_description, suggest
from backprop.language import _, ngettext

TOP_FIELDS = {"name", "description", "graph", "learning_rate"}
GRAPH_FIELDS = {"values", "program", "output", "params"}
MAX_VALUES = 5000


@dataclass
class Graph:
    """A computational graph of scalars: the leaves the spec gives and one node per operation, in a
    topological order (every node after the nodes it uses)."""

    name: str
    description: str
    nodes: dict[str, Node]
    output: str
    params: list[str]  # leaves gradient descent moves (`train`), in the spec's order
    learning_rate: float
    assigned: list[str]  # the program's names, in order
    program: str = ""  # as the spec wrote it (the autodiff chapter shows it as code)

    @property
    def order(self) -> list[str]:
        return list(self.nodes)

    @property
    def leaves(self) -> list[str]:
        return [i for i, n in self.nodes.items() if n.kind == "leaf"]

    @property
    def named(self) -> list[str]:
        """The names a reader gave: the values, then the program's names, in order."""
        return self.leaves + self.assigned

    @property
    def operations(self) -> list[str]:
        return [i for i, n in self.nodes.items() if n.kind == "result"]

    def shape_line(self) -> str:
        """`graph of 4 values and 3 operations, output L`: for titles."""
        leaves, ops = len(self.leaves), len(self.operations)
        return _("graph of {values} and {operations}, output {output}").format(
            values=ngettext("{n} value", "{n} values", leaves).format(n=leaves),
            operations=ngettext("{n} operation", "{n} operations", ops).format(n=ops), output=self.output)

    def with_leaves(self, values: dict[str, float]) -> "Graph":
        """The same graph with other leaf values (this one is left as it was)."""
        nodes = {i: (replace(n, value=float(values[i])) if i in values else n) for i, n in self.nodes.items()}
        return replace(self, nodes=nodes)


def parse_graph_spec(spec: dict) -> Graph:
    _no_unknown(spec, TOP_FIELDS, "")
    name, description = name_and_description(spec, "graph")
    lr = _number(spec.get("learning_rate", 0.1), "learning_rate")
    if lr <= 0:
        raise SpecError("learning_rate", f"expected a positive number, got {lr:g}")

    raw = spec["graph"]
    if not isinstance(raw, dict):
        raise SpecError("graph", f"expected an object with values, program and output, got {_kind(raw)}")
    _no_unknown(raw, GRAPH_FIELDS, "graph")
    values_raw = raw.get("values")
    if not isinstance(values_raw, dict) or not values_raw:
        raise SpecError("graph.values", f"expected an object of names and numbers ({{\"a\": 2.0}}), "
                                        f"got {_kind(values_raw) if values_raw != {} else 'an empty one'}")
    if len(values_raw) > MAX_VALUES:
        raise SpecError("graph.values", f"at most {MAX_VALUES:,} values, got {len(values_raw):,}")
    values = {}
    for key, value in values_raw.items():
        if not valid_name(key):
            raise SpecError(f"graph.values.{key}", "a name of letters, digits and _ that does not start with a "
                                                   "digit or _, is no keyword or function, at most 40 characters")
        values[key] = _number(value, f"graph.values.{key}")
    if "program" not in raw:
        raise SpecError("graph.program", "missing (assignments, one a line, as in 'e = a * b')")
    nodes, assigned = read_program(raw["program"], values)

    output = raw.get("output", assigned[-1])
    if not isinstance(output, str):
        raise SpecError("graph.output", f"expected a name the program assigns, got {_kind(output)}")
    if output not in assigned:
        said = "is a value, not computed" if output in values else "is not assigned by the program"
        raise SpecError("graph.output", f"'{output}' {said}{suggest(output, assigned) if output not in values else ''}; "
                                        "the output is a name the program assigns")
    _all_reach(nodes, output)

    params_raw = raw.get("params", [])
    if not isinstance(params_raw, list) or not all(isinstance(p, str) for p in params_raw):
        raise SpecError("graph.params", f"expected a list of names from graph.values, got {_kind(params_raw)}")
    for i, p in enumerate(params_raw):
        if p not in values:
            raise SpecError(f"graph.params[{i}]", f"'{p}' is not in graph.values{suggest(p, values)}; parameters "
                                                  "are values the spec gives")
        if p in params_raw[:i]:
            raise SpecError(f"graph.params[{i}]", f"'{p}' is listed twice")
    graph = Graph(name=name, description=description, nodes=nodes, output=output, params=list(params_raw),
                  learning_rate=lr, assigned=assigned, program=raw["program"])
    from backprop.engine.graph.passes import forward  # every value finite, or the line that is not

    forward(graph)
    return graph


def _all_reach(nodes: dict[str, Node], output: str) -> None:
    """Every value and name is on some path to the output: anything else is a typo or a leftover,
    and its gradient would be a silent 0."""
    reached = {output}
    for i in reversed(list(nodes)):
        if i in reached:
            reached.update(nodes[i].inputs)
    for i, node in nodes.items():
        if i in reached:
            continue
        if node.kind == "leaf":
            raise SpecError(f"graph.values.{i}", f"'{i}' is never used on the way to the output '{output}'")
        if node.named:
            raise SpecError(where(node.line, node.column),
                            f"'{i}' is never used on the way to the output '{output}'")
