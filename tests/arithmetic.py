"""An independent reader of shown arithmetic, as a student with a calculator: it parses the text the
video shows and shares no code with the formatting it checks. No manim here (the story tests use it).
Its NUMBER and value_of are the tests' one reader of a number as the video writes it."""

import re

SUP = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")
# a number as the video writes it: digits (a count's groups of three split by thin spaces: 101 632), a
# decimal point, a power of ten (4.4 × 10⁻⁴, or 4.4×10⁻⁴ in a pill); SIGNED with a true minus or a plus
NUMBER = r"(?:(?:\d{1,3}(?:\u2009\d{3})+|\d+)(?:\.\d+)?(?:\s?×\s?10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?)"
SIGNED = rf"[−+-]?{NUMBER}"
NUMERIC_SEGMENT = re.compile(r"^[\d.\s()+\-−×÷²⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+$")


def value_of(shown: str) -> float:
    """A number's value as shown: a true minus or a plus, thin spaces between groups, a power of ten."""
    text = re.sub(r"\s", "", shown).replace("−", "-")
    if "×" in text:
        mantissa, power = text.split("×")
        return float(mantissa) * 10.0 ** int(power[2:].translate(SUP))
    return float(text)


# ---- an independent reader of shown arithmetic -----------------------------------------------------

def tokens(segment: str):
    """Numbers (a power of ten belongs to its number), operators, brackets, squares."""
    pos, out = 0, []
    s = segment.strip()
    while pos < len(s):
        if s[pos] == " ":
            pos += 1
            continue
        m = re.match(NUMBER, s[pos:])
        if m:
            text = m.group(0)
            out.append(("num", value_of(text), text))
            pos += len(text)
            continue
        out.append(("op", s[pos], s[pos]))
        pos += 1
    return out


def evaluate(segment: str) -> float:
    """+ − × ÷ with brackets, unary minus and a postfix square, by recursive descent."""
    toks = tokens(segment.replace("-", "−"))
    k = 0

    def peek():
        return toks[k][1] if k < len(toks) else None

    def binary(operand, ops):
        """Operands of one precedence joined left to right: + and −, or × and ÷."""
        def parse():
            nonlocal k
            v = operand()
            while peek() in ops:
                op = peek()
                k += 1
                v = ops[op](v, operand())
            return v
        return parse

    term = binary(lambda: factor(), {"×": lambda a, b: a * b, "÷": lambda a, b: a / b})
    expr = binary(term, {"+": lambda a, b: a + b, "−": lambda a, b: a - b})

    def factor():
        nonlocal k
        if peek() in ("−", "+"):
            op = peek()
            k += 1
            v = factor()
            return -v if op == "−" else v
        if peek() == "(":
            k += 1
            v = expr()
            assert peek() == ")", segment
            k += 1
        else:
            kind, v, _ = toks[k]
            assert kind == "num", segment
            k += 1
        while peek() == "²":
            k += 1
            v = v * v
        return v

    value = expr()
    assert k == len(toks), f"could not read {segment!r}"
    return value


def precision(number_text: str) -> float:
    """Half a unit in the last shown place: what rounding to it may hide."""
    text = number_text.strip().lstrip("+−-(").rstrip(")")
    if "×" in text:
        mantissa, power = text.split("×")
        places = len(mantissa.strip().partition(".")[2])
        return 0.5 * 10.0 ** (int(power.strip()[2:].translate(SUP)) - places)
    return 0.5 * 10.0 ** -len(text.partition(".")[2])


def approx_tolerance(result_text: str) -> float:
    """How far "≈ result" may be from the shown operands' exact value: the larger of half a unit in the
    result's last shown place and 2 % of the result (what a student with a calculator lets pass)."""
    return max(precision(result_text), 0.02 * abs(evaluate(result_text)))


def is_numeric(segment: str) -> bool:
    return bool(NUMERIC_SEGMENT.match(segment)) and any(ch.isdigit() for ch in segment)


def single_number(segment: str) -> bool:
    return re.fullmatch(rf"\s*{SIGNED}\s*", segment) is not None


def expressions(text: str) -> list[str]:
    """A card's lines as a student reads them: a line that starts with an operator (+ × ÷ = ≈)
    carries on the line before it (a long sum or product broken to stay readable)."""
    out = []
    for line in text.split("\n"):
        if out and re.match(r"[+×÷=≈] ", line):
            out[-1] += " " + line
        else:
            out.append(line)
    return out


def check_line(line: str) -> list[str]:
    """Problems with one shown line: a false "=" (the shown operands do not round to the shown result),
    a "≈" a calculator disagrees with (`approx_tolerance`), an unbracketed negative operand."""
    problems = []
    parts = re.split(r"\s(=|≈)\s|^(=|≈)\s|\s(=|≈)$", line)
    parts = [p for p in parts if p is not None]
    # parts alternate: segment, relation, segment, … (empty segments where a line starts with "=")
    segments, relations = parts[0::2], parts[1::2]
    for segment in segments:
        if is_numeric(segment):
            if re.search(r"[+−×÷]\s+−", segment) or re.search(r"^\s*−[\d.]+²", segment):
                problems.append(f"negative operand without brackets: {segment!r} in {line!r}")
    for left, rel, right in zip(segments, relations, segments[1:]):
        if not (is_numeric(left) and is_numeric(right) and single_number(right)):
            continue
        a, b, half = evaluate(left), evaluate(right), precision(right)
        if rel == "=" and abs(a - b) > half * (1 + 1e-9) + 1e-12:
            problems.append(f"false: {left.strip()} = {right.strip()} (it is {a:.6g}) in {line!r}")
        if rel == "≈" and abs(a - b) > approx_tolerance(right) * (1 + 1e-9) + 1e-12:
            problems.append(f"a calculator disagrees: {left.strip()} ≈ {right.strip()} (it is {a:.6g}) in {line!r}")
    comparison = re.search(rf"= ([+−-]?{NUMBER}) (>|≤) 0, so ReLU['′] = ([01])", line)
    if comparison:
        z = evaluate(comparison.group(1))
        if (z > 0) != (comparison.group(2) == ">") or (z > 0) != (comparison.group(3) == "1"):
            problems.append(f"wrong gate: {line!r}")
    return problems


def significant_figures(text: str) -> int | None:
    body = text.strip().lstrip("+−-")
    if "×" in body:
        body = body.split("×")[0].strip()
    digits = body.replace(".", "").lstrip("0")
    return None if not digits else len(digits)
