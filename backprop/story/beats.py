"""The timeline cut into beats: one idea each, with its caption in the lesson's words (no manim here).

A beat is a run of consecutive events doing the same step of the lesson on the same layer: the loss
gradient, the pass through a layer's activation, the layer's parameter gradients, or the step back to
the layer before.
"""

from __future__ import annotations

from dataclasses import dataclass

from backprop.engine.events import beat_key
from backprop.engine.operations import ACTIVATIONS
from backprop.language import _

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
            beat.caption = (_("Forward pass recap (example 1 of {examples})").format(examples=examples) if examples > 1
                            else _("Forward pass recap"))
        elif kind == "update":
            beat.caption = _("Using the gradients: one update")
        elif kind == "back" and layer == 1:  # the branch-point beat closes the pass, unnumbered
            beat.caption = _what(kind, layer, layers, hidden_layers, activations, beat)
        else:
            step += 1
            beat.caption = _("Step {step}").format(step=step) + " · " + _what(kind, layer, layers, hidden_layers, activations, beat)
    return beats


def _what(kind, layer, layers, hidden_layers, activations, beat) -> str:
    adds_up = any(e["kind"] == "accumulate" for e in beat.events)
    if kind == "seed":
        return _("Start at the loss")
    if kind == "activation":
        if layer == layers:
            return _("Through the output activation")
        name = _(ACTIVATIONS[activations[layer - 1]].phrase)
        if hidden_layers > 1:
            return _("Through {activation} (layer {layer})").format(activation=name, layer=layer)
        return _("Through {activation}").format(activation=name)
    if kind == "params":
        if layer == layers:
            return _("Output-layer weights")
        return _("Hidden-layer weights") if hidden_layers == 1 else _("Layer {layer} weights").format(layer=layer)
    # back
    if layer == 1:
        return _("Gradients add up where paths branch") if adds_up else _("Back to the inputs")
    if hidden_layers == 1:
        return _("Back to the hidden layer: contributions add up") if adds_up else _("Back to the hidden layer")
    if adds_up:
        return _("Back to hidden layer {layer}: contributions add up").format(layer=layer - 1)
    return _("Back to hidden layer {layer}").format(layer=layer - 1)


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
