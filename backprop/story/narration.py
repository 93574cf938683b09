"""What a narrator says over each beat, and that speech cut into subtitle cues (no manim here).

Subtitles are for people who cannot hear the lecture, so each beat's cue says what a narrator would:
one sentence in the lesson's words with the beat's key number, formatted by `texts` like the screen.
Cues follow common subtitle practice: 1.5–7 s each, at most two lines of 42 characters, broken at
word boundaries, never the same text twice in a row. All times are whole milliseconds, as an .srt
stores them, so a cue that is 1.5 s here is 1.5 s in the file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from backprop.engine.operations import ACTIVATIONS
from backprop.language import N_, _
from backprop.story.beats import Beat
from backprop.story.cards import CardWriter
from backprop.story.texts import grad_text, loss_text, operand_text, unit_value_text, value_text

MIN_CUE, MAX_CUE = 1500, 7000  # milliseconds
LINE_CHARS, LINES = 42, 2
_OPERATORS = {"=", "×", "+", "−", "-", "÷"}
_NUMBERS = {2: N_("two"), 3: N_("three"), 4: N_("four"), 5: N_("five"), 6: N_("six"), 7: N_("seven"), 8: N_("eight"),
            9: N_("nine")}

# ---- the narrator's sentence for a beat --------------------------------------------------------------


def narrate(beat: Beat, timeline) -> str:
    """One beat's sentence with its key number (the first example's, in a batch: the units show it)."""
    events = [e for e in beat.events if e.get("example", 0) == 0]
    if timeline.granularity == "layer":
        return _narrate_block(beat, events)
    symbol = {n["id"]: n["symbol"] for n in timeline.nodes}
    kind, layer = beat.key[0], (beat.key[1] if len(beat.key) > 1 else None)
    first: dict[str, dict] = {}
    for e in events:
        first.setdefault(e["kind"], e)
    if kind == "forward":
        return _forward(timeline, events, symbol)
    if kind == "seed":
        seeds = [e for e in events if e["kind"] == "seed"]
        one = len(seeds) == 1
        return " ".join(_seed(e, symbol[e["node"]], one) for e in seeds[:2])
    if kind == "activation" and "local" in first and "multiply" in first:
        local, m = first["local"], first["multiply"]
        act = ACTIVATIONS[local["activation"]]
        outputs = len(timeline.network["sizes"]) - 1 == layer and timeline.network["sizes"][-1] == 1
        worked = _worked(CardWriter(timeline).product(m))
        if act.switch and local["value"]:
            said = (_("{gate} passes it: {worked} at the output unit.") if outputs
                    else _("{gate} passes it: {worked} at {unit}."))
        elif act.switch:
            said = (_("{gate} blocks it: {worked} at the output unit.") if outputs
                    else _("{gate} blocks it: {worked} at {unit}."))
        else:
            said = (_("{symbol} scales it: {worked} at the output unit.") if outputs
                    else _("{symbol} scales it: {worked} at {unit}."))
        return said.format(gate=act.gate, symbol=act.symbol, worked=worked, unit=symbol[local["node"]])
    if kind == "params" and "param_grad" in first:
        grads = [e for e in events if e["kind"] == "param_grad"]
        g = next((e for e in grads if e["param"].startswith("W")), grads[0])
        name = {p["name"]: p["symbol"] for p in timeline.params}[g["param"]]
        if timeline.network["examples"] > 1:
            said = _("Each weight's gradient is ∂L/∂z times its input, summed over the batch: ∂L/∂{name} = {value}.")
        else:
            said = _("Each weight's gradient is ∂L/∂z times its input: ∂L/∂{name} = {value}.")
        return said.format(name=name, value=grad_text(g["value"]))
    if kind == "back":
        adds = [e for e in events if e["kind"] == "accumulate" and e["target"] in symbol]
        if adds:
            a = adds[0]
            n, s = len(a["terms"]), symbol[a["target"]]
            word = _(_NUMBERS[n]) if n in _NUMBERS else str(n)
            if n > 3:
                return _("{unit} fed {count} units, so its {count} contributions add up to {value}.").format(
                    unit=s, count=word, value=grad_text(a["value"]))
            return _("{unit} fed {count} units, so its {count} contributions add up: {worked}.").format(
                unit=s, count=word, worked=_worked(CardWriter(timeline).total(a)))
        if "multiply" in first:
            m = first["multiply"]
            return _("Each weight carries the gradient back: ∂L/∂{name} = {worked}.").format(
                name=symbol[m["target"]], worked=_worked(CardWriter(timeline).product(m)))
    if kind == "update" and first.get("update"):
        return update_sentence(timeline, first["update"]["param"])
    return beat.caption


def update_sentence(timeline, param: str) -> str:
    """The weight update of one parameter, in words: which way it moves and why."""
    u = next(e for e in timeline.of_kind("update") if e["param"] == param)
    name = {p["name"]: p["symbol"] for p in timeline.params}[param]
    if u["grad"] < 0:
        said = _("Step against the gradient: ∂L/∂{name} = {grad}, so {name} goes up from {old}.")
    elif u["grad"] > 0:
        said = _("Step against the gradient: ∂L/∂{name} = {grad}, so {name} goes down from {old}.")
    else:
        said = _("Step against the gradient: ∂L/∂{name} = {grad}, so {name} stays.")
    return said.format(name=name, grad=grad_text(u["grad"]), old=value_text(u["old"]))


def _forward(timeline, events, symbol) -> str:
    outputs = [e for e in events if e["kind"] == "forward" and e["node"].startswith("y")]
    loss = [e for e in timeline.of_kind("loss") if "example" not in e][-1]
    shown = ", ".join(f"{symbol[e['node']]} = {unit_value_text(e['value'])}" for e in outputs[:3])
    examples = timeline.network["examples"]
    loss_value = loss_text(loss["value"])
    if not 0 < len(outputs) <= 3:
        said = (_("The forward pass is done; the loss over the batch is L = {loss}.") if examples > 1
                else _("The forward pass is done; the loss is L = {loss}."))
    elif examples > 1:
        said = _("The forward pass of example 1 of {examples} gave {outputs}; the loss over the batch is L = {loss}.")
    else:
        said = _("The forward pass gave {outputs}; the loss is L = {loss}.")
    return said.format(examples=examples, outputs=shown, loss=loss_value)


def _seed(e: dict, s: str, one: bool) -> str:
    """∂L/∂y and which way the output (of one, else `s`) should move."""
    value = e["value"]
    if value < 0:
        said = _("∂L/∂{s} = {grad}: the output should go up.") if one else _("∂L/∂{s} = {grad}: {s} should go up.")
    elif value > 0:
        said = _("∂L/∂{s} = {grad}: the output should go down.") if one else _("∂L/∂{s} = {grad}: {s} should go down.")
    else:
        said = _("∂L/∂{s} = {grad}: the output is on target.") if one else _("∂L/∂{s} = {grad}: {s} is on target.")
    return said.format(s=s, grad=grad_text(value))


def _worked(card) -> str:
    """A card's numbers line as a clause: "−0.391 × 0.238 = −0.093" ("≈" where the card has it)."""
    return f"{card.numbers.removeprefix('= ')} {card.result.lstrip('+')}"


def _narrate_block(beat: Beat, events: list[dict]) -> str:
    """A layer at a time the numbers are matrices: the sentence names the size of the last one."""
    what = beat.caption.split(" · ", 1)[-1]
    if beat.key[0] == "forward":
        loss = [e for e in events if e["kind"] == "loss"]
        return _("{what}: the loss is L = {loss}.").format(what=what, loss=loss_text(loss[-1]["value"])) if loss else what
    sized = [e for e in events if "norm" in e]
    if not sized:
        return what
    e = next((x for x in sized if x["kind"] == "param_grad"), sized[-1])  # the weights, not the bias
    target = e.get("param") or e.get("target") or e.get("node")
    return _("{what}: ∂L/∂{target} has size {size}.").format(what=what, target=target, size=operand_text(e["norm"]))


# ---- cues ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    start: int  # milliseconds
    end: int
    text: str  # lines joined by "\n"


def wrap(words: list[str]) -> list[str] | None:
    """The words on one line, or two of at most LINE_CHARS broken between words where a reader
    would pause and near the middle; None if they need more than two."""
    line = " ".join(words)
    if len(line) <= LINE_CHARS:
        return [line]
    best = None
    for k in range(1, len(words)):
        top, bottom = " ".join(words[:k]), " ".join(words[k:])
        if len(top) <= LINE_CHARS and len(bottom) <= LINE_CHARS:
            cost = _break_cost(words, k) + abs(len(top) - len(bottom)) / LINE_CHARS
            if best is None or cost < best[0]:
                best = (cost, [top, bottom])
    return best and best[1]


def _words(text: str) -> list[str]:
    """Words, a word longer than a line cut into line-long pieces (a URL, a long formula)."""
    return [w[i:i + LINE_CHARS] for w in text.split() for i in range(0, len(w), LINE_CHARS)]


def _lines(words: list[str]) -> str:
    lines = wrap(words)
    assert lines is not None, "a cue's words are packed to fit its lines"
    return "\n".join(lines)


def _pack(words: list[str], limit: int) -> list[list[str]]:
    """Fewest chunks in order, each fitting two lines and `limit` characters (greedy is optimal:
    any run of words inside a chunk that fits also fits)."""
    chunks: list[list[str]] = []
    for w in words:
        if chunks and len(" ".join(chunks[-1] + [w])) <= limit and wrap(chunks[-1] + [w]):
            chunks[-1].append(w)
        else:
            chunks.append([w])
    return chunks


def _break_cost(words: list[str], i: int) -> float:
    """How badly a cue ends after words[i - 1]: free at the end of a sentence or clause, dear in
    the middle of a formula ("= −0.056" stays together, so does "−0.056 × 1")."""
    if i == len(words):
        return 0.0
    last, after = words[i - 1], words[i]
    if last[-1] in ".;:!?…":
        return 0.0
    if last[-1] == ",":
        return 0.2
    if last in _OPERATORS or after in _OPERATORS:
        return 3.0
    return 1.0


def _chunks(words: list[str], n: int) -> list[list[str]]:
    """The words in n chunks that each fit two lines (fewest ≤ n ≤ len(words)): even lengths, cut
    where a narrator would pause (dynamic programming over the cut points)."""
    longest = LINES * LINE_CHARS
    w = len(words)
    target = len(" ".join(words)) / n
    fits = {}  # (k, i) → cost of words[k:i] as one cue, when it fits
    for i in range(1, w + 1):
        for k in range(i - 1, -1, -1):
            size = len(" ".join(words[k:i]))
            if size > longest or not wrap(words[k:i]):
                break
            fits[k, i] = ((size - target) / target) ** 2 + _break_cost(words, i)
    inf = float("inf")
    best = [[inf] * (w + 1) for _ in range(n + 1)]
    cut = [[0] * (w + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for j in range(1, n + 1):
        for i in range(j, w + 1):
            for k in range(i - 1, j - 2, -1):
                if (k, i) not in fits:
                    break
                cost = best[j - 1][k] + fits[k, i]
                if cost < best[j][i]:
                    best[j][i], cut[j][i] = cost, k
    chunks, i = [], w
    for j in range(n, 0, -1):
        k = cut[j][i]
        chunks.append(words[k:i])
        i = k
    return chunks[::-1]


def _share(total: int, weights: list[float], lo: int, hi: int) -> list[int]:
    """total ms split in proportion to weights, each share within [lo, hi] (n·lo ≤ total ≤ n·hi)."""
    def shares(scale):
        return [min(hi, max(lo, scale * w)) for w in weights]
    a, b = 0.0, hi / min(weights)
    for _step in range(100):  # the sum grows with the scale: bisect for the one that fills total
        mid = (a + b) / 2
        a, b = (mid, b) if sum(shares(mid)) < total else (a, mid)
    exact = shares(b)
    out = [int(x) for x in exact]
    for i in sorted(range(len(out)), key=lambda k: out[k] - exact[k]):  # hand out the rounding
        if sum(out) >= total:
            break
        if out[i] < hi:
            out[i] += 1
    while sum(out) > total:
        i = max(range(len(out)), key=lambda k: out[k])
        out[i] -= 1
    return out


def split_cues(text: str, start: int, end: int) -> list[Cue]:
    """One beat's text as cues from start to end (ms), in reading order, each MIN_CUE–MAX_CUE.

    The cues cover the beat when its text has words enough for ⌈duration / 7 s⌉ cues; a shorter
    text ends early rather than hold a cue past 7 s. Text that cannot be read in the time (more
    cues than 1.5 s each allows) is cut at a word and ends in "…". A beat shorter than 1.5 s
    (only a whole scene can be: `scene_cues` joins short beats to a neighbour) is one cue.
    """
    words = _words(text)
    duration = end - start
    if not words or duration <= 0:
        return []
    if duration < MIN_CUE:
        chunks = _pack(words, LINES * LINE_CHARS)[:1]
        return [Cue(start, end, _lines(chunks[0]))]
    fewest, most = len(_pack(words, LINES * LINE_CHARS)), duration // MIN_CUE
    if fewest > most:  # too much to read: keep what fits, and say that it goes on
        chunks = _pack(words, LINES * LINE_CHARS)[:most]
        last = chunks[-1]
        while last and not wrap(last[:-1] + [last[-1] + "…"]):
            last.pop()
        chunks[-1] = last[:-1] + [(last[-1] if last else "") + "…"]
    else:
        chunks = _chunks(words, min(max(fewest, math.ceil(duration / MAX_CUE)), most, len(words)))
    n = len(chunks)
    total = min(duration, n * MAX_CUE)
    times = _share(total, [len(" ".join(c)) + 10 for c in chunks], MIN_CUE, MAX_CUE)
    cues, t = [], start
    for c, d in zip(chunks, times):
        cues.append(Cue(t, t + d, _lines(c)))
        t += d
    return _without_repeats(cues)


def _without_repeats(cues: list[Cue]) -> list[Cue]:
    """Consecutive cues of the same text become one (at most MAX_CUE long)."""
    out: list[Cue] = []
    for c in cues:
        if out and out[-1].text == c.text:
            out[-1] = Cue(out[-1].start, min(c.end, out[-1].start + MAX_CUE), c.text)
        else:
            out.append(c)
    return out


def scene_cues(beats: list[tuple[str, float, float]]) -> list[Cue]:
    """Every cue of a scene from its beats' (text, start s, end s): a beat too short for a cue joins
    the next one (the last joins the one before), a beat saying what the one before said joins it,
    then each is cut into cues."""
    spans: list[list[Any]] = []  # [text, start ms, end ms]
    carry: list[Any] | None = None
    for text, start, end in beats:
        span: list[Any] = [text, round(start * 1000), round(end * 1000)]
        if carry:
            span = [_join(carry[0], span[0]), carry[1], span[2]]
            carry = None
        if spans and spans[-1][0] == span[0] and spans[-1][2] == span[1]:
            spans[-1][2] = span[2]
        elif span[2] - span[1] < MIN_CUE:
            carry = span
        else:
            spans.append(span)
    if carry:
        if spans and spans[-1][2] == carry[1]:
            spans[-1] = [_join(spans[-1][0], carry[0]), spans[-1][1], carry[2]]
        else:
            spans.append(carry)
    return _without_repeats([c for text, s, e in spans for c in split_cues(text, s, e)])


def _join(a: str, b: str) -> str:
    return b if a == b or not a.strip() else a if not b.strip() else f"{a} {b}"
