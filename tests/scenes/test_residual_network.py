"""Residual networks drawn unit by unit: each skip is its own edge (an arc in the transcript's `edges`),
the gradient crosses it × 1, and at the fork the skip's contribution adds with the weights' on the
branch-sum card. Read from `transcript(...)` (no frames drawn) by the checkers that know nothing of
the layout: arithmetic, notation, overlaps, every gradient on the network or in the closing table."""

import re

import numpy as np
import pytest

from tests import oracle, reference_mlp as ref
from tests.arithmetic import evaluate, precision
from tests.notation import Reader, notation_problems
from tests.overlaps import problems as overlap_problems
from tests.plays import network_of, played
from tests.scenes.transcript_checks import arithmetic_problems, gradients_missing_from_network

# 2-2-2-1 with a skip round its second layer (a tanh one): two skips, each adding into a unit that
# also gets two weights' contributions
SMALL = {"name": "res-2221", "inputs": [[0.5, -0.3]], "targets": [[1.0]], "loss": "mse", "learning_rate": 0.1,
         "layers": [{"units": 2, "activation": "sigmoid", "weights": [[0.4, -0.6], [0.7, 0.2]], "bias": [0.1, -0.1]},
                    {"units": 2, "activation": "tanh", "weights": [[0.5, -0.3], [0.8, 0.6]], "bias": [0.0, 0.2],
                     "residual": True},
                    {"units": 1, "activation": "sigmoid", "weights": [[1.2, -0.7]], "bias": [0.05]}]}
NETS = {"deep-residual": "deep-residual", "res-2221": SMALL}


@pytest.mark.parametrize("scene, name", [("backward", "deep-residual"), ("backward", "res-2221"),
                                         ("forward", "deep-residual"), ("forward", "res-2221"),
                                         ("nudge", "res-2221"), ("update", "res-2221")])
def test_a_residual_network_reads_right(scene, name):
    net, data = network_of(NETS[name]), played(scene, NETS[name])
    assert arithmetic_problems(data) == []
    assert notation_problems(data["items"], Reader(net)) == []
    assert overlap_problems(data) == []
    skips = [e for e in data["edges"] if str(e["of"]).startswith("skip ")]
    # every skip drawn as its own edge: an arc of several pieces, from h_prev's box to the one it adds into
    assert len({e["of"] for e in skips}) == sum(layer.units for layer in net.layers if layer.residual)
    assert all(len([e for e in skips if e["of"] == of]) > 4 for of in {e["of"] for e in skips})
    if scene == "backward":
        left_out = any("see the table" in i["text"] for i in data["items"])  # deep-residual's turn: one pill
        assert gradients_missing_from_network(data, net, table=left_out) == []


def _reference_grad_h(spec: dict, layer: int, unit: int) -> float:
    """∂L/∂h of unit `unit` (0-based) of layer `layer`'s output, by central differences on the
    reference's own forward pass (tests/reference_mlp.py, which knows the skip)."""
    a, _ = ref.hidden(spec, 0, layer)
    t = np.asarray(spec["targets"][0], dtype=float)
    return oracle.entry_slope(a, unit, lambda: ref.from_layer(spec, layer, a, t))


def test_the_fork_card_adds_the_skip_to_the_weights_contributions():
    """h₁⁽¹⁾ feeds both layer-2 units and its own skip: the sum card shows three terms, one of them
    the skip's (∂L/∂h⁽²⁾ × 1), and its result is ∂L/∂h₁⁽¹⁾ as finite differences on the reference find."""
    data = played("backward", SMALL)
    cards = [i["text"] for i in data["items"] if i["role"] == "card"]
    for unit in (1, 2):
        sub = "₁₂"[unit - 1]
        skip = next(c for c in cards if c.startswith(f"∂L/∂h{sub}⁽²⁾ × 1  (the skip)"))
        through = re.split(r" [=≈] ", skip.split("\n")[-1])[-1]  # "= −0.147 × 1 = −0.147": the skip's share
        total = next(c for c in cards if c.startswith(f"∂L/∂h{sub}⁽¹⁾ = sum of 3 contributions"))
        terms, shown = re.split(r" [=≈] ", total.split("\n")[-1].removeprefix("= "))
        assert any(abs(evaluate(term) - evaluate(through)) < 1e-12 for term in terms.split(" + "))
        true = _reference_grad_h(SMALL, 1, unit - 1)
        assert abs(evaluate(shown) - true) <= precision(shown) + 1e-9, (total, true)
        assert abs(evaluate(terms) - true) <= 3 * precision(shown) + 1e-9  # the terms add up to it, as shown
