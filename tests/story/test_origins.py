"""Where each local gradient comes from: one line per rule the network uses, in the lesson's forms."""

from backprop.story.origins import origin_lines


def test_the_lessons_network_derives_sigmoid_relu_and_mse():
    lines = origin_lines(["relu", "sigmoid"], "mse")
    assert len(lines) == 3
    assert lines[0].startswith("ReLU(z) = max(0, z)") and lines[0].endswith("1 if z > 0, else 0")
    assert "σ(z) = 1 ÷ (1 + e⁻ᶻ)" in lines[1] and lines[1].endswith("= σ(z)(1 − σ(z))")
    assert lines[2] == "L = ½(y − t)², so ∂L/∂y = y − t"


def test_tanh_and_softmax_with_cross_entropy():
    """softmax's own Jacobian is never used: it is said together with the loss, at z."""
    lines = origin_lines(["tanh", "softmax"], "cross_entropy")
    assert len(lines) == 2 and lines[0].endswith("= 1 − tanh(z)²")
    assert lines[1].startswith("softmax + cross-entropy") and lines[1].endswith("∂L/∂z = y − t")


def test_each_rule_once():
    assert len(origin_lines(["sigmoid"] * 5 + ["sigmoid"], "mse")) == 2
