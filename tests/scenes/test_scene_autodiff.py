"""The `autodiff` chapter, played without drawing: the library's backward nodes by PyTorch's names,
in the order backward() reaches them, and the nine .grad values equal to the layered engine's
gradients of the lesson's network (seed), read off the screen within their rounding."""

import pytest

from backprop.engine.backward import backward
from backprop.engine.spec import load_network
from backprop.story.texts import shown
from tests.arithmetic import precision
from tests.overlaps import problems
from tests.plays import played
from tests.scenes.transcript_checks import arithmetic_problems, timing_problems


@pytest.fixture(scope="module")
def data():
    return played("autodiff", "lesson-graph")


def test_the_chapter_reads(data):
    assert arithmetic_problems(data) == [] and problems(data) == [] and timing_problems(data) == []
    assert all(i["px"] >= 16 - 1e-6 for i in data["items"]), [i for i in data["items"] if i["px"] < 16]


def test_pytorchs_backward_nodes_in_backward_order(data):
    rows = [i["text"] for i in data["items"] if i["role"] == "table"]
    nodes = [r.split()[0] for r in rows if r.endswith(tuple("0123456789")) and "Backward" in r]
    # 0.5 * (y - t) ** 2, sigmoid, the output unit's sum, relu: what torch's autograd names them
    assert nodes[:4] == ["MulBackward0", "PowBackward0", "SubBackward0", "SigmoidBackward0"]
    assert {"AddBackward0", "ReluBackward0"} <= set(nodes)
    assert any(r.startswith("MulBackward0  L = 0.5·(y − t)²") for r in rows)
    assert any("loss.backward()" in i["text"] for i in data["items"] if i["role"] == "card")


def test_every_grad_is_the_backward_chapters(data):
    """AccumulateGrad rows: w₁₁ … b₂ as the lesson names them, each the seed network's gradient."""
    g = backward(load_network("seed")).grads
    expected = {"w₁₁": g["W1"][0, 0], "w₁₂": g["W1"][0, 1], "w₂₁": g["W1"][1, 0], "w₂₂": g["W1"][1, 1],
                "b₁₁": g["b1"][0], "b₁₂": g["b1"][1], "v₁": g["W2"][0, 0], "v₂": g["W2"][0, 1], "b₂": g["b2"][0]}
    rows = [i["text"].split("  ") for i in data["items"] if i["text"].startswith("AccumulateGrad")]
    assert len(rows) == 9
    for _, stored, value in rows:
        name = stored.removesuffix(".grad")
        assert abs(shown(value) - expected[name]) <= precision(value) * (1 + 1e-9), (name, value)


def test_a_layered_network_is_refused(capsys):
    from tests.helpers import run_cli

    code, _, err = run_cli(capsys, "render", "autodiff", "--network", "seed")
    assert code == 2 and "computational graph" in err
