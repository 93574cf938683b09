"""What the `graph` scene's cards say: the seed, each product (upstream × local, the local rule in the
note), each contribution adding into a value used more than once (`+=`), and the finished sum.

As for the network's cards, every numbers line is true on the numbers as shown: it ends in "=" only
where the shown operands give the shown result, "≈" otherwise.
"""

from __future__ import annotations

from backprop.engine.graph.program import WRITTEN
from backprop.engine.graph.timeline import of
from backprop.language import _
from backprop.story.cards import CardText
from backprop.story.graph_layout import box_value_text
from backprop.story.texts import (factor_text, grad_text, operand_text, product_text, relation, shown,
                                  sum_text)


def written(node: dict, symbol: dict[str, str]) -> str:
    """What an operation computes, as the program writes it: `0.5·(y − t)²`, `tanh(n)`."""
    inputs = [symbol[u] for u in node["inputs"]]
    if node["op"] in ("neg", "square", "pow"):  # a compound operand in brackets: (y − t)², (a·b)²
        inputs = [of(t) for t in inputs]
    elif node["op"] in ("mul", "div"):  # a sum in brackets: 0.5·(y − t)², not 0.5·((y − t)²)
        inputs = [f"({t})" if _sum(t) else t for t in inputs]
    elif node["op"] == "sub":
        inputs = [inputs[0], f"({inputs[1]})" if _sum(inputs[1]) else inputs[1]]
    if node["op"] in WRITTEN:
        return WRITTEN[node["op"]].format(*inputs)
    if node["op"] == "pow":
        return f"{inputs[0]}^{node['p']:g}"
    return f"{node['op_symbol']}({inputs[0]})"


def _sum(text: str) -> bool:
    """Whether `text` is a sum or difference outside any brackets (a·b + c, not (y − t)²)."""
    depth = 0
    for i, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0 and text.startswith((" + ", " − "), i):
            return True
    return False


class GraphCards:
    def __init__(self, timeline):
        self.events = timeline.events
        self.symbol = {n["id"]: n["symbol"] for n in timeline.nodes}
        self.output = timeline.network["output"]
        # a value used more than once: its accumulate event, to say the running sum as contributions arrive
        self.sums = {e["target"]: e for e in timeline.events if e["kind"] == "accumulate"}
        self.kind = {n["id"]: n["kind"] for n in timeline.nodes}
        self.inputs = {n["id"]: n["inputs"] for n in timeline.nodes}
        self.values = {e["node"]: e["value"] for e in timeline.events if e["kind"] == "forward"}
        self.nodes = {n["id"]: n for n in timeline.nodes}

    def box_value(self, node: str) -> str:
        """A value as its box writes it."""
        return box_value_text(self.kind[node], self.values[node])

    def factor(self, local: dict) -> str:
        """A local gradient: as its operand's box writes it where it is one (∂(a·b)/∂a = b), else as a
        local gradient."""
        for u in self.inputs[local["node"]]:
            if u != local["wrt"] and self.values[u] == local["value"]:
                return self.box_value(u)
        return factor_text(local["value"])

    def d(self, node: str) -> str:
        """∂L/∂a, ∂L/∂(a·b)."""
        return f"∂{of(self.symbol[self.output])}/∂{of(self.symbol[node])}"

    def local_of(self, node: str, wrt: str) -> str:
        """A local gradient, written with the operation itself: ∂(a·b)/∂a, ∂tanh(n)/∂n (∂L/∂d at the
        output would read as the gradient it is a factor of)."""
        expression = written(self.nodes[node], self.symbol)
        return f"∂{of(expression)}/∂{of(self.symbol[wrt])}"

    def seed(self, e: dict) -> CardText:
        return CardText(f"{self.d(e['node'])} = 1", _("the output against itself:"), grad_text(1.0),
                        _("every gradient below is a product of local gradients with this 1"))

    def product(self, e: dict) -> CardText:
        """∂L/∂a (or one contribution to it) = ∂L/∂e × ∂e/∂a, the local rule in the note."""
        local = self.events[e["sources"][1]]
        upstream, factor = operand_text(e["factors"][0]), self.factor(local)
        result = grad_text(e["value"])
        rel = relation(shown(upstream) * shown(factor), result)
        lhs = self.d(e["target"]) if not e["partial"] else _("via {name}").format(name=self.symbol[e['via']])
        top = f"{lhs} = {self.d(e['via'])} × {self.local_of(e['via'], e['target'])}"
        rule = f"{self.local_of(e['via'], e['target'])} = {local['formula'].split(' = ', 1)[1]}"
        note = rule if rule.rsplit("= ", 1)[-1] == factor else f"{rule} = {factor}"
        return CardText(top, f"{product_text([upstream, factor])} {rel}", result, _("local: {rule}").format(rule=note))

    def arriving(self, e: dict) -> CardText | None:
        """A contribution reaching a value used more than once: the running sum after it (`+=`)."""
        total = self.sums.get(e["target"])
        if total is None:
            return None
        k = total["sources"].index(e["t"])
        n = len(total["sources"])
        after = grad_text(total["running"][k])
        if k == 0:
            return CardText(_("{gradient} = contribution 1 of {n}").format(gradient=self.d(e['target']), n=n),
                            f"{operand_text(e['value'])} =", after,
                            _("{name} is used {n} times: its gradient adds up (+=)").format(name=self.symbol[e['target']], n=n))
        before, c = operand_text(total["running"][k - 1]), operand_text(e["value"])
        rel = relation(shown(before) + shown(c), after)
        return CardText(_("{gradient} += contribution {k} of {n}").format(gradient=self.d(e['target']), k=k + 1, n=n),
                        f"{sum_text([before, c])} {rel}", after, None)

    def summed(self, e: dict) -> CardText:
        terms = [operand_text(t) for t in e["terms"]]
        result = grad_text(e["value"])
        rel = relation(sum(shown(t) for t in terms), result)
        return CardText(_("{gradient} = the sum of its {n} contributions").format(gradient=self.d(e['target']), n=len(terms)),
                        f"{sum_text(terms)} {rel}", result, None)
