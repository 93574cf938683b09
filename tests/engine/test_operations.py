"""Every activation and loss record in backprop/engine/operations.py against tests/oracle.py, written
from the definitions without engine code: a record with no reference fails here."""

import math

import numpy as np
import pytest

from backprop.engine.operations import ACTIVATIONS, LOSSES
from tests import oracle

Z = np.array([-3.0, -1.2, -0.4, -1e-3, 1e-3, 0.3, 0.9, 2.5])


def test_every_activation_and_loss_has_an_independent_reference():
    assert set(ACTIVATIONS) == set(oracle.ACTIVATIONS), "write the new activation's reference in tests/oracle.py"
    assert set(LOSSES) == set(oracle.LOSS_NAMES), "write the new loss's reference in tests/oracle.py"


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_forward_matches_the_definition(name):
    z = Z.reshape(2, 4)
    assert np.allclose(ACTIVATIONS[name].forward(z), oracle.ACTIVATIONS[name](z), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", sorted(n for n, a in ACTIVATIONS.items() if a.elementwise))
def test_local_gradient_matches_the_hand_written_slope_and_a_central_difference(name):
    act = ACTIVATIONS[name]
    h = act.forward(Z)
    local = act.local(Z, h)
    assert np.allclose(local, oracle.SLOPES[name](Z), rtol=1e-10, atol=1e-12)
    away = np.abs(Z - oracle.KINKS.get(name, math.inf)) > 1e-2  # a difference across a kink means nothing
    numeric = oracle.central_difference(lambda v: float(oracle.ACTIVATIONS[name](v).sum()), Z)
    assert np.allclose(local[away], numeric[away], rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", sorted(n for n, a in ACTIVATIONS.items() if a.elementwise))
def test_the_facts_other_layers_branch_on(name):
    """The kink, the bound on f′ (σ′ ≤ 0.25) and a switch's 1-or-0, from the reference."""
    act = ACTIVATIONS[name]
    assert act.kink == oracle.KINKS.get(name)
    grid = np.linspace(-8, 8, 16001)
    slope = oracle.SLOPES[name](grid)
    assert np.abs(slope).max() <= act.local_max + 1e-12
    assert np.abs(slope).max() >= act.local_max - 1e-2  # a bound that is reached (near enough), not loose
    assert act.switch == (set(np.unique(slope)) == {0.0, 1.0})  # it routes (1) or blocks (0)


def test_local_gradients_are_plain_scalars_too():
    """Records are called with scalars (the timeline, the graph scenes): 0-d arrays in, 0-d out."""
    for name, act in ACTIVATIONS.items():
        if act.elementwise:
            z = np.asarray(0.7)
            assert float(act.local(z, act.forward(z))) == pytest.approx(float(oracle.SLOPES[name](0.7)), rel=1e-10)


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_losses_match_the_definition(name):
    loss = LOSSES[name]
    rng = np.random.default_rng(1)
    z = rng.normal(size=(3, 1 if loss.one_output else 3))
    act = ACTIVATIONS[loss.fused_activation] if loss.fused_activation else ACTIVATIONS["linear"]
    y = act.forward(z)
    t = rng.uniform(0.1, 0.9, size=z.shape)
    if loss.distribution:
        t = t / t.sum(axis=1, keepdims=True)
    got = loss.forward(y, t, z)
    want = [oracle.example_loss(name, y[n], t[n]) for n in range(len(z))]
    assert np.allclose(got, want, rtol=1e-10)
