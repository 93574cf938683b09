"""The timeline cut into beats: one idea each, with its caption in the lesson's words (no manim here).

A beat is a run of consecutive events doing the same step of the lesson on the same layer: the loss
gradient, the pass through a layer's activation, the layer's parameter gradients, or the step back to
the layer before.
"""

from __future__ import annotations

from dataclasses import dataclass

from backprop.engine.events import beat_key
from backprop.engine.operations import ACTIVATIONS

# More events than this in one beat and they play together, as one sweep, not one card each.
SWEEP_ABOVE = 8


@dataclass
class Beat:
    key: tuple
    caption: str
    events: list[dict]

    @property
    def sweep(self) -> bool:
        return self.key[0] in ("params", "back", "activation") and len(self.events) > SWEEP_ABOVE


def plan_beats(timeline) -> list[Beat]:
    layers = len(timeline.network["sizes"]) - 1
    beats: list[Beat] = []
    for e in timeline.events:
        key = beat_key(e)
        if beats and beats[-1].key == key:
            beats[-1].events.append(e)
        else:
            beats.append(Beat(key, "", [e]))
    step = 0
    hidden_layers = layers - 1
    activations = timeline.network["activations"]
    for beat in beats:
        kind, layer = beat.key[0], (beat.key[1] if len(beat.key) > 1 else None)
        if kind == "forward":
            examples = timeline.network["examples"]
            beat.caption = "Forward pass recap" + (f" (example 1 of {examples})" if examples > 1 else "")
        elif kind == "update":
            beat.caption = "Using the gradients: one update"
        elif kind == "back" and layer == 1:  # the branch-point beat closes the pass, unnumbered
            beat.caption = _what(kind, layer, layers, hidden_layers, activations, beat)
        else:
            step += 1
            beat.caption = f"Step {step} · " + _what(kind, layer, layers, hidden_layers, activations, beat)
    return beats


def _what(kind, layer, layers, hidden_layers, activations, beat) -> str:
    adds_up = any(e["kind"] == "accumulate" for e in beat.events)
    if kind == "seed":
        return "Start at the loss"
    if kind == "activation":
        if layer == layers:
            return "Through the output activation"
        name = ACTIVATIONS[activations[layer - 1]].phrase
        return f"Through {name}" + (f" (layer {layer})" if hidden_layers > 1 else "")
    if kind == "params":
        if layer == layers:
            return "Output-layer weights"
        return "Hidden-layer weights" if hidden_layers == 1 else f"Layer {layer} weights"
    # back
    if layer == 1:
        return "Gradients add up where paths branch" if adds_up else "Back to the inputs"
    where = "the hidden layer" if hidden_layers == 1 else f"hidden layer {layer - 1}"
    return f"Back to {where}" + (": contributions add up" if adds_up else "")


def worked_examples(beat: Beat) -> set[int]:
    """The events of a beat worked on a card when the rest sweep: the first of each computation
    (a local gradient, a product, a contribution, a sum, a weight's and a bias's gradient, one
    example's share), so no step of the pass is colour changes only."""
    seen, chosen = set(), set()
    for e in beat.events:
        if e.get("example", 0) > 0:  # the units show example 1
            continue
        what = (e.get("param") or e.get("target") or "")[:1] if e["step"] == "params" else ""
        key = (e["kind"], bool(e.get("partial")), e["step"], what)
        if key not in seen:
            seen.add(key)
            chosen.add(e["t"])
            if e["kind"] == "accumulate":  # its sum card shows every contribution: derive each
                chosen.update(t for t in e["sources"] if t is not None)
    return chosen
