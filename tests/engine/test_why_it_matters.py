"""The numbers of the residual, exploding, saliency and optimizers chapters against independent
computations: PyTorch's autograd and torch.optim (float64), and central differences on the inputs."""

import numpy as np
import pytest

from backprop.engine.exploding import exploding_reason, overshoot
from backprop.engine.optimizers import first_steps, loss_curves
from backprop.engine.presets import PRESETS
from backprop.engine.residual import highway, residual_reason, skip_steps, without_skips
from backprop.engine.saliency import saliency
from backprop.engine.spec import load_network, parse_spec
from tests import oracle
from tests.networks import TANH_CHAIN
from tests.torch_reference import torch_hidden_grads, torch_training

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("spec", [PRESETS["deep-residual"], TANH_CHAIN], ids=["deep-residual", "tanh-skips"])
def test_the_highway_with_and_without_skips_matches_autograd(spec):
    sizes = highway(parse_spec(spec))
    plain = {**spec, "layers": [{k: v for k, v in raw.items() if k != "residual"} for raw in spec["layers"]]}
    assert [s.residual for s in sizes] == pytest.approx(torch_hidden_grads(spec), rel=1e-10)
    assert [s.plain for s in sizes] == pytest.approx(torch_hidden_grads(plain), rel=1e-10)
    assert not any(layer.residual for layer in without_skips(parse_spec(spec)).layers)


def test_deep_residual_keeps_the_gradient_the_plain_chain_loses():
    sizes = highway(load_network("deep-residual"))
    assert sizes[-1].plain / sizes[0].plain > 100  # deep-sigmoid: layer 1 gets a few-hundredth
    assert sizes[0].residual >= sizes[-1].residual  # the +1 path: σ′·w ≥ 0 here, so it never shrinks


def test_a_step_through_a_skip_is_one_plus_the_layers_factor():
    net = load_network("deep-residual")
    for step in skip_steps(net):
        assert step.factor == pytest.approx(1 + step.local * step.w, rel=1e-12)
        assert step.downstream == pytest.approx(step.upstream * step.factor, rel=1e-10)
    grads = torch_hidden_grads(PRESETS["deep-residual"])
    top = skip_steps(net)[0]  # the output side first: h₅ → h₄
    assert abs(top.upstream) == pytest.approx(grads[top.layer - 1], rel=1e-10)
    assert abs(top.downstream) == pytest.approx(grads[top.layer - 2], rel=1e-10)


def test_the_residual_chapter_refuses_what_it_cannot_spell_out():
    assert residual_reason(load_network("deep-residual")) is None
    assert "residual layers" in residual_reason(load_network("deep-sigmoid"))
    wide = {**PRESETS["seed"], "layers": [{"units": 2, "activation": "relu", "residual": True}] * 3
            + [{"units": 1, "activation": "sigmoid"}]}
    assert "chains" in residual_reason(parse_spec(wide))


def test_exploding_overshoots_and_clipping_matches_torch():
    spec = PRESETS["exploding"]
    o = overshoot(load_network("exploding"), clip=1.0)
    plain_losses, plain_params = torch_training(spec, 1, "sgd", None)
    clip_losses, clip_params = torch_training(spec, 1, "sgd", 1.0)
    assert (o.loss, o.after, o.after_clipped) == pytest.approx((plain_losses[0], plain_losses[1], clip_losses[1]),
                                                               rel=1e-10)
    assert o.after > 1000 * o.loss and o.after_clipped < o.loss  # overshoots; clipped, it goes down
    assert o.plain_value == pytest.approx(plain_params[0][0, 0]) and o.clipped_value == pytest.approx(clip_params[0][0, 0])
    # the norm over all twelve parameters, and the scale c/‖g‖
    params, _ = _torch_grads(spec)
    norm = float(torch.sqrt(sum((p.grad ** 2).sum() for p in params)))
    assert o.norm == pytest.approx(norm, rel=1e-12) and o.scale == pytest.approx(1.0 / norm, rel=1e-5)
    assert exploding_reason(load_network("exploding")) is None
    assert "does not grow" in exploding_reason(load_network("deep-sigmoid"))


def _torch_grads(spec):
    from tests.torch_reference import torch_model

    params, loss = torch_model(spec)
    value = loss()
    value.backward()
    return params, value


@pytest.mark.parametrize("name", ["seed", "classifier", "batch"])
def test_saliency_is_the_loss_slope_in_each_input(name):
    """∂L/∂x against central differences of the engine-free loss of example 1; the nudged loss too."""
    net = load_network(name)
    s = saliency(net)
    one = parse_spec({**PRESETS[name], "inputs": PRESETS[name]["inputs"][:1], "targets": PRESETS[name]["targets"][:1]})

    def loss_at(x):
        a = np.array(x, float)[None, :]
        for layer in one.layers:
            z = a @ layer.W.T + layer.b
            a = {"relu": np.maximum(z, 0), "sigmoid": 1 / (1 + np.exp(-z)), "tanh": np.tanh(z),
                 "softmax": np.exp(z) / np.exp(z).sum()}[layer.activation]
        t = one.T
        return float(-(t * np.log(a)).sum()) if one.loss == "cross_entropy" else float(0.5 * ((a - t) ** 2).sum())

    h = 1e-6
    for i, x in enumerate(s.x):
        numeric = oracle.slope(lambda v, i=i: loss_at(s.x[:i] + [v] + s.x[i + 1:]), x, h)
        assert s.grads[i] == pytest.approx(numeric, rel=1e-5, abs=1e-9)
    assert s.nudged == pytest.approx([x + 0.1 * np.sign(g) for x, g in zip(s.x, s.grads)])
    assert s.loss == pytest.approx(loss_at(s.x)) and s.nudged_loss == pytest.approx(loss_at(s.nudged))
    assert s.predicted == pytest.approx(0.1 * sum(abs(g) for g in s.grads))
    assert s.rise > 0  # the nudge raises the loss, as predicted to first order
    assert s.rise == pytest.approx(s.predicted, rel=0.5)


def test_the_lessons_saliency_numbers():
    """seed: ∂L/∂x₁ = −0.030 and ∂L/∂x₂ = +0.0019 (the lesson's sums at the inputs)."""
    s = saliency(load_network("seed"))
    assert s.grads == pytest.approx([-0.0298, 0.00186], abs=5e-5)
    assert s.nudged == pytest.approx([0.4, 0.9])


@pytest.mark.parametrize("name", ["seed", "classifier", "deep-sigmoid"])
def test_first_steps_and_curves_match_torch_optim(name):
    net = load_network(name)
    param = "W1[1,2]" if net.params()["W1"].shape[1] > 1 else "W1[1,1]"
    j, i = (0, 1) if param == "W1[1,2]" else (0, 0)
    for step in first_steps(net, param):
        _, params = torch_training(PRESETS[name], 1, step.optimizer, None) if net.loss == "mse" else (None, None)
        if params is not None:
            assert step.new == pytest.approx(params[0][j, i], rel=1e-10)
        if step.optimizer == "adam":  # Adam's first step: m̂ = g, v̂ = g², so η·g ÷ (|g| + ε): about η
            assert step.step == pytest.approx(-net.learning_rate * step.grad / (abs(step.grad) + 1e-8), rel=1e-9)
        else:
            assert step.step == pytest.approx(-net.learning_rate * step.grad, rel=1e-12)
    curves = loss_curves(net, 20)
    assert set(curves) == {"sgd", "momentum", "adam"} and all(len(c) == 21 for c in curves.values())
    if net.loss == "mse":
        for optimizer, losses in curves.items():
            assert losses == pytest.approx(torch_training(PRESETS[name], 20, optimizer, None)[0], rel=1e-9)


@pytest.mark.parametrize("spec", [PRESETS["deep-residual"], TANH_CHAIN,
                                  {**PRESETS["batch"], "layers": [{"units": 2, "activation": "tanh", "residual": True},
                                                                  {"units": 2, "activation": "relu", "residual": True},
                                                                  {"units": 1, "activation": "sigmoid"}]}],
                         ids=["deep-residual", "tanh-skips", "2-wide-batch"])
def test_a_skip_in_the_timeline_is_a_contribution_times_one(spec):
    """Unit by unit, a skip sends ∂L/∂h back × 1 and it adds to the path through the weights:
    products are products, sums are sums, and every gradient is the engine's."""
    from backprop.engine.backward import backward
    from backprop.engine.timeline import build_timeline
    from tests.helpers import check_invariants

    net = parse_spec(spec)
    tl = build_timeline(net)
    check_invariants(tl, backward(net).grads)
    skips = [e for e in tl.events if e["kind"] == "multiply" and "=>" in str(e.get("edge"))]
    assert skips and all(e["factors"][1] == 1.0 for e in skips)
    assert len(skips) == sum(layer.units for layer in net.layers if layer.residual) * net.X.shape[0]
