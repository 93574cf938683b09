"""A graph's program read into nodes: Python's `ast` on a whitelist, never eval.

One assignment a line (`name = expression`), each name assigned once, over numbers, the spec's
values and earlier names, with + − × ÷, `**` with a number exponent, unary minus, brackets and the
functions of `ops.FUNCTIONS`. Everything else is one SpecError naming the line and column.
Each operation becomes one node, in the order Python would evaluate it, which is a topological order;
an unnamed sub-expression gets a name that reads well on screen (`a·b`, `(y − t)²`).
"""

from __future__ import annotations

import ast
import keyword
import re
from dataclasses import dataclass, field

from backprop.engine.graph.ops import FUNCTIONS, OPS, GraphOp
from backprop.engine.labels import fmt
from backprop.engine.spec import MAX_ABS, SpecError, suggest

MAX_LINES = 2000  # program lines: a lecture's graph has tens; the engine is linear (benchmarks/graph_bench.py)
MAX_NODES = 20_000  # values and operations together
MAX_CHARS = 200_000
MAX_EXPONENT = 16  # |p| in x ** p
MAX_SYMBOL = 12  # characters; a longer sub-expression is named u₁, u₂, …
_BINARY = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Pow: "pow"}
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP = str.maketrans("0123456789-.", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻·")
# how tightly each operation binds, for brackets in a sub-expression's name
WRITTEN = {"add": "{0} + {1}", "sub": "{0} − {1}", "mul": "{0}·{1}", "div": "{0}/{1}", "neg": "−{0}",
            "square": "{0}²"}
_PRECEDENCE = {"add": 1, "sub": 1, "mul": 2, "div": 2, "neg": 3, "square": 4, "pow": 4}


Located = ast.stmt | ast.expr  # what the program's lines are made of: each has a line and column


@dataclass
class Node:
    id: str  # the name given, or #1, #2, … for sub-expressions and numbers
    symbol: str  # as the screen writes it
    kind: str  # leaf (a spec value), constant (a number in the program) or result (of an operation)
    op: str | None = None  # an OPS key, for results
    inputs: tuple[str, ...] = ()
    p: float | None = None  # the exponent of a pow
    value: float | None = None  # leaves and constants
    line: int = 0  # where the program made it (results and constants)
    column: int = 0
    named: bool = False  # a name of the spec's (values and assigned names)
    uses: list[tuple[str, int]] = field(default_factory=list)  # (consumer id, operand position)

    @property
    def rule(self) -> GraphOp:
        """The operation's record (results only)."""
        assert self.op is not None, self.id
        return OPS[self.op]


def where(line: int, column: int) -> str:
    return f"graph.program: line {line} column {column}"


def shown(name: str) -> str:
    """A name as the screen writes it: trailing digits as subscripts (x1 → x₁, w_12 → w₁₂)."""
    m = re.fullmatch(r"([A-Za-z]+)_?([0-9]{1,3})", name)
    return m.group(1) + m.group(2).translate(_SUB) if m else name


def valid_name(name: str) -> bool:
    return isinstance(name, str) and name.isidentifier() and not keyword.iskeyword(name) and name not in FUNCTIONS \
        and not name.startswith("_") and len(name) <= 40


class _Reader:
    def __init__(self, text: str, values: dict[str, float], tree: ast.Module):
        self.tree = tree
        self.lines = text.splitlines()
        self.nodes: dict[str, Node] = {}
        for name, value in values.items():
            self.nodes[name] = Node(name, shown(name), "leaf", value=value, named=True)
        self.count = 0
        self.long_names = 0
        self.symbols: set[str] = {shown(name) for name in values}
        self.assigned: list[str] = []

    # ---- where ---------------------------------------------------------------------------------
    def column(self, node: Located) -> int:
        """ast's col_offset counts UTF-8 bytes; a column counts characters (1-based)."""
        line = self.lines[node.lineno - 1] if 0 < node.lineno <= len(self.lines) else ""
        return len(line.encode("utf-8")[: node.col_offset].decode("utf-8", "replace")) + 1

    def error(self, node: Located, message: str) -> SpecError:
        return SpecError(where(node.lineno, self.column(node)), message)

    # ---- nodes ---------------------------------------------------------------------------------
    def add(self, node: Node, at: Located) -> Node:
        if len(self.nodes) >= MAX_NODES:
            raise self.error(at, f"the graph would have more than {MAX_NODES:,} values and operations")
        node.line, node.column = at.lineno, self.column(at)
        self.nodes[node.id] = node
        for position, source in enumerate(node.inputs):
            self.nodes[source].uses.append((node.id, position))
        return node

    def fresh_id(self) -> str:
        self.count += 1
        return f"#{self.count}"

    def constant(self, value: float, at: Located) -> Node:
        return self.add(Node(self.fresh_id(), fmt(value, 6).rstrip("0").rstrip(".") if value != int(value)
                             else str(int(value)).replace("-", "−"), "constant", value=value), at)

    def result(self, op: str, inputs: list[Node], at: Located, p: float | None = None) -> Node:
        return self.add(Node(self.fresh_id(), self.symbol_of(op, inputs, p), "result", op=op,
                             inputs=tuple(n.id for n in inputs), p=p), at)

    def symbol_of(self, op: str, inputs: list[Node], p: float | None) -> str:
        """`a·b`, `y − t`, `(y − t)²`, `tanh(n)`: how a sub-expression reads; too long, u₁."""
        def part(n: Node, tighter: bool = False) -> str:
            mine = _PRECEDENCE.get(op, 5)
            theirs = 5 if n.named or n.kind != "result" else _PRECEDENCE.get(n.op or "", 5)
            bracket = theirs < mine or (tighter and theirs == mine) or (op in ("square", "pow") and n.kind == "constant"
                                                                         and (n.value or 0.0) < 0)
            return f"({n.symbol})" if bracket else n.symbol

        if op in WRITTEN:
            text = WRITTEN[op].format(*(part(n, tighter=k > 0 or len(inputs) == 1) for k, n in enumerate(inputs)))
        elif op == "pow":
            exponent = f"{p:g}"
            text = part(inputs[0], True) + (exponent.translate(_SUP) if exponent.lstrip("-").isdigit()
                                             else f"^{exponent}")
        else:
            text = f"{OPS[op].symbol}({inputs[0].symbol})"
        if len(text) > MAX_SYMBOL:
            self.long_names += 1
            text = f"u{str(self.long_names).translate(_SUB)}"
        while text in self.symbols:  # the same sub-expression computed twice: two nodes, told apart
            text += "′"
        self.symbols.add(text)
        return text

    # ---- reading -------------------------------------------------------------------------------
    def statement(self, stmt: ast.stmt) -> None:
        if not isinstance(stmt, ast.Assign):
            raise self.error(stmt, f"expected 'name = expression', got {_describe(stmt)}")
        if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
            raise self.error(stmt, "expected one name on the left of '=' (as in 'e = a * b')")
        target = stmt.targets[0]
        name = target.id
        if name in self.nodes and self.nodes[name].named:
            first = self.nodes[name]
            said = "is a value in graph.values" if first.kind == "leaf" else f"was assigned on line {first.line}"
            raise self.error(target, f"'{name}' {said}; each name is assigned once")
        if not valid_name(name):
            raise self.error(target, f"'{name}' cannot name a value (a function's name, a keyword, or a name "
                                     "starting with _)")
        if isinstance(stmt.value, ast.Name):
            raise self.error(stmt.value, f"'{name} = {stmt.value.id}' only gives '{stmt.value.id}' a second name; "
                                         f"use '{stmt.value.id}' itself")
        node = self.expression(stmt.value)
        if node.named:
            raise self.error(stmt.value, f"'{name}' would only be a second name of '{node.id}'; use '{node.id}'")
        if node.kind != "result":
            raise self.error(stmt.value, f"'{name}' is a number, not an operation; put it in graph.values")
        # the last operation of the line takes the name
        del self.nodes[node.id]
        self.symbols.discard(node.symbol)
        node.id, node.symbol, node.named = name, shown(name), True
        node.column = self.column(target)  # a named value is where its name is
        self.nodes[name] = node
        self.symbols.add(node.symbol)
        for position, source in enumerate(node.inputs):  # its uses were the last recorded: rename them
            uses = self.nodes[source].uses
            k = next(k for k in range(len(uses) - 1, -1, -1) if uses[k] == (f"#{self.count}", position))
            uses[k] = (name, position)
        self.assigned.append(name)

    def expression(self, e: ast.expr) -> Node:
        if isinstance(e, ast.Constant):
            return self.constant(self.number(e), e)
        if isinstance(e, ast.Name):
            if e.id in self.nodes and self.nodes[e.id].named:
                return self.nodes[e.id]
            later = [n for n in self._later_names() if n == e.id]
            if later:
                raise self.error(e, f"'{e.id}' is used before it is assigned (a cycle, or lines out of order: "
                                    "a line may use only graph.values and earlier lines)")
            if e.id in FUNCTIONS:
                raise self.error(e, f"'{e.id}' is a function; call it: {e.id}(x)")
            known = [n for n, node in self.nodes.items() if node.named]
            raise self.error(e, f"unknown name '{e.id}'{suggest(e.id, known)}; a line may use graph.values and "
                                "names assigned on earlier lines")
        if isinstance(e, ast.UnaryOp) and isinstance(e.op, (ast.USub, ast.UAdd)):
            if isinstance(e.operand, ast.Constant):
                value = self.number(e.operand)
                return self.constant(-value if isinstance(e.op, ast.USub) else value, e)
            inner = self.expression(e.operand)
            return inner if isinstance(e.op, ast.UAdd) else self.result("neg", [inner], e)
        if isinstance(e, ast.BinOp) and type(e.op) in _BINARY:
            if isinstance(e.op, ast.Pow):
                p = self.exponent(e.right)
                base = self.expression(e.left)
                return self.result("square", [base], e) if p == 2 else self.result("pow", [base], e, p)
            left = self.expression(e.left)
            right = self.expression(e.right)
            return self.result(_BINARY[type(e.op)], [left, right], e)
        if isinstance(e, ast.Call):
            return self.call(e)
        raise self.error(e, f"{_describe(e)} is not allowed; use numbers, names, + − * / **, brackets and "
                            f"the functions {', '.join(FUNCTIONS)}")

    def call(self, e: ast.Call) -> Node:
        if not isinstance(e.func, ast.Name):
            raise self.error(e, f"only the functions {', '.join(FUNCTIONS)} may be called, by name")
        name = e.func.id
        if name not in FUNCTIONS:
            raise self.error(e, f"unknown function '{name}'{suggest(name, FUNCTIONS)}; functions: "
                                f"{', '.join(FUNCTIONS)}")
        if e.keywords or len(e.args) != 1 or isinstance(e.args[0], ast.Starred):
            raise self.error(e, f"{name} takes one value, as in {name}(x)")
        return self.result(name, [self.expression(e.args[0])], e)

    def number(self, e: ast.Constant) -> float:
        value = e.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.error(e, f"{_describe(e)} is not a number; a program computes with numbers only")
        if isinstance(value, int) and abs(value) > MAX_ABS:
            raise self.error(e, f"a number with |x| ≤ {MAX_ABS:g}, got a {len(str(abs(value)))}-digit integer")
        value = float(value)
        if not abs(value) <= MAX_ABS:
            raise self.error(e, f"a number with |x| ≤ {MAX_ABS:g}, got {value:g}")
        return value

    def exponent(self, e: ast.expr) -> float:
        negative = isinstance(e, ast.UnaryOp) and isinstance(e.op, ast.USub) and isinstance(e.operand, ast.Constant)
        bare = e.operand if isinstance(e, ast.UnaryOp) and negative else e
        if not isinstance(bare, ast.Constant) or isinstance(bare.value, bool) or not isinstance(bare.value,
                                                                                              (int, float)):
            raise self.error(e, "the exponent of ** must be a number (as in x ** 2); write exp(y * log(x)) for "
                                "a value")
        p = -float(bare.value) if negative else float(bare.value)
        if not abs(p) <= MAX_EXPONENT:
            raise self.error(e, f"the exponent {bare.value!r:.20} is too large; at most {MAX_EXPONENT} either way")
        return p

    def _later_names(self):
        for stmt in self.tree.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                yield stmt.targets[0].id


def _describe(node: ast.AST) -> str:
    kinds = {ast.Attribute: "an attribute (.)", ast.Subscript: "indexing ([ ])", ast.Lambda: "lambda",
             ast.Compare: "a comparison", ast.BoolOp: "and/or", ast.IfExp: "if … else",
             ast.List: "a list", ast.Tuple: "a tuple", ast.Dict: "a dict", ast.Set: "a set",
             ast.JoinedStr: "an f-string", ast.Import: "import", ast.ImportFrom: "import",
             ast.Expr: "an expression on its own", ast.AugAssign: "+= (each name is assigned once)",
             ast.AnnAssign: "an annotation", ast.NamedExpr: ":=", ast.Await: "await",
             ast.FunctionDef: "def", ast.Starred: "*"}
    if isinstance(node, ast.Constant):
        return f"{type(node.value).__name__} {node.value!r:.30}"
    if isinstance(node, ast.BinOp):
        return f"the operator {type(node.op).__name__}"
    if isinstance(node, ast.UnaryOp):
        return f"the operator {type(node.op).__name__}"
    for kind, text in kinds.items():
        if isinstance(node, kind):
            return text
    return type(node).__name__


def read_program(text: str, values: dict[str, float]) -> tuple[dict[str, Node], list[str]]:
    """Nodes in a topological order (dict order: leaves, then as the program makes them) and the
    assigned names in order. SpecError for every mistake, naming its line and column."""
    if not isinstance(text, str):
        raise SpecError("graph.program", "expected a string of assignments, one a line")
    if len(text) > MAX_CHARS:
        raise SpecError("graph.program", f"at most {MAX_CHARS:,} characters, got {len(text):,}")
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        raise SpecError("graph.program", f"at most {MAX_LINES:,} lines, got {lines:,}")
    if "\x00" in text:
        raise SpecError("graph.program", "holds a NUL character")
    try:
        tree = ast.parse(text, mode="exec")
    except SyntaxError as e:
        col = (e.offset or 1)
        raise SpecError(where(e.lineno or 1, col), f"not a valid line: {e.msg}") from None
    except (RecursionError, MemoryError):
        raise SpecError("graph.program", "is nested too deeply") from None
    if not tree.body:
        raise SpecError("graph.program", "has no assignments; write one a line, as in 'e = a * b'")
    reader = _Reader(text, values, tree)
    try:
        for stmt in tree.body:
            reader.statement(stmt)
    except RecursionError:
        raise SpecError("graph.program", "an expression is nested too deeply") from None
    return reader.nodes, reader.assigned
