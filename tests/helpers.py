"""Shared test helpers: random valid specs and the timeline's invariants, checked independently."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

from tests import oracle

# every activation the oracle has (so every one the engine has) but softmax, which is an output's only
HIDDEN = [name for name in oracle.ACTIVATIONS if name != "softmax"]


@st.composite
def random_specs(draw, max_layers=3, max_units=4, max_batch=3):
    """A valid spec: any hidden activations, any loss with an output layer that fits it."""
    n_in = draw(st.integers(1, max_units))
    depth = draw(st.integers(1, max_layers))
    loss = draw(st.sampled_from(["mse", "cross_entropy", "binary_cross_entropy"]))
    batch = draw(st.integers(1, max_batch))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    layers = [{"units": draw(st.integers(1, max_units)), "activation": draw(st.sampled_from(HIDDEN))}
              for _ in range(depth - 1)]
    if loss == "mse":
        out = {"units": draw(st.integers(1, max_units)),
               "activation": draw(st.sampled_from(HIDDEN))}
        targets = rng.uniform(-1, 1, (batch, out["units"]))
    elif loss == "cross_entropy":
        out = {"units": draw(st.integers(2, max_units)), "activation": "softmax"}
        targets = np.eye(out["units"])[rng.integers(0, out["units"], batch)]
    else:
        out = {"units": 1, "activation": "sigmoid"}
        targets = rng.integers(0, 2, (batch, 1)).astype(float)
    layers.append(out)
    return {
        "name": "random",
        "inputs": rng.uniform(-2, 2, (batch, n_in)).round(3).tolist(),
        "targets": targets.tolist(),
        "layers": layers,
        "loss": loss,
        "seed": draw(st.integers(0, 1000)),
    }


def check_invariants(timeline, engine_grads) -> None:
    """Products are products, sums are sums, nothing is used before it is produced, gradients match."""
    events = timeline.events
    assert [e["t"] for e in events] == list(range(len(events)))
    steps = ["forward", "seed", "activation", "params", "back", "update"]
    for e in events:
        kind = e["kind"]
        assert e["step"] in steps, e
        if kind == "multiply" or kind == "param_grad":
            if e.get("op") == "matmul":
                expected = np.array(e["factors"][0]) @ np.array(e["factors"][1])
            else:
                expected = np.prod(np.array([np.array(f) for f in e["factors"]], dtype=object), axis=0)
                expected = np.asarray(expected, dtype=float)
            assert np.allclose(e["value"], expected, rtol=1e-12, atol=1e-15), e
        if kind == "accumulate":
            assert len(e["terms"]) >= 2 or timeline.granularity == "layer", e
            assert np.allclose(e["value"], np.sum(np.array(e["terms"]), axis=0), rtol=1e-12, atol=1e-15), e
        if kind == "update":
            assert np.allclose(e["value"], np.array(e["old"]) - e["lr"] * np.array(e["grad"]), rtol=1e-12)
            assert events[e["sources"][0]]["value"] == e["grad"]
        if kind in ("multiply", "accumulate", "param_grad"):
            # Every upstream factor or term was computed before, by the event it names.
            used = e["terms"] if kind == "accumulate" else e["factors"]
            assert len(e["sources"]) == (1 if kind == "accumulate" and timeline.granularity == "layer"
                                         else len(used)), e
            assert e["sources"][0] is not None, e  # the gradient flowing in always has a producer
            for value, source in zip(used, e["sources"]):
                if source is None:
                    continue
                assert source < e["t"], e
                produced = events[source]["value"]
                if e.get("op") == "matmul" and source == e["sources"][0] and e["kind"] == "param_grad":
                    produced = np.array(produced).T.tolist()  # (∂L/∂z)ᵀ
                if kind == "accumulate" and timeline.granularity == "layer":
                    value = e["terms"]
                assert produced == value, (e, source)
        if kind in ("seed", "multiply", "accumulate", "param_grad") and timeline.granularity == "scalar":
            # the steps a pass takes, in the lesson's order
            assert steps.index(e["step"]) >= steps.index("seed")
    got = {e["param"]: e["value"] for e in timeline.of_kind("param_grad")}
    if timeline.granularity == "scalar":
        for name, array in engine_grads.items():
            for idx in np.ndindex(array.shape):
                key = f"{name}[{','.join(str(i + 1) for i in idx)}]"
                assert math.isclose(got[key], array[idx], rel_tol=1e-10, abs_tol=1e-15), key
        assert len(got) == sum(a.size for a in engine_grads.values())
    else:
        for name, array in engine_grads.items():
            assert np.allclose(got[name], array, rtol=1e-12, atol=1e-15)


def central_differences(net, h=1e-6) -> dict:
    """Plain central differences of the mean loss, parameter by parameter (independent of gradient_check.py)."""
    from backprop.engine.forward import forward

    return {name: oracle.in_place_gradient(array, lambda: forward(net).loss, h)
            for name, array in net.params().items()}


def param_slope(net, array: str, idx, h=1e-6) -> float:
    """∂L/∂ one entry of parameter `array` by a central difference of the loss (no backward pass)."""
    from backprop.engine.forward import forward

    return oracle.entry_slope(net.params()[array], idx, lambda: forward(net).loss, h)


def run_cli(capsys, *args):
    """The real entry point in-process: (exit status, stdout, stderr)."""
    import pytest

    from backprop.output.cli import main

    with pytest.raises(SystemExit) as exc:
        main(list(args))
        raise SystemExit(0)
    out, err = capsys.readouterr()
    return exc.value.code or 0, out, err
