"""The gradient-check scene's table: each parameter's row from backprop.engine.gradient_check, against a
finite difference and a relative error worked out here."""


from backprop.engine.backward import backward
from backprop.engine.gradient_check import TOLERANCE, finite_difference_check
from backprop.engine.spec import load_network, parse_spec
from tests.helpers import param_slope


def test_rows_on_the_lesson_network():
    net = load_network("seed")
    result = finite_difference_check(net)
    assert [r.param for r in result.rows] == ["W1[1,1]", "W1[1,2]", "W1[2,1]", "W1[2,2]", "b1[1]", "b1[2]",
                                              "W2[1,1]", "W2[1,2]", "b2[1]"]
    # the lesson's gradients
    lesson = [-0.028, -0.045, 0.019, 0.030, -0.056, 0.037, -0.050, -0.019, -0.093]
    assert [round(r.analytic, 3) for r in result.rows] == lesson
    for r in result.rows:
        array, rest = r.param.split("[")
        idx = tuple(int(i) - 1 for i in rest.rstrip("]").split(","))
        assert abs(r.numeric - param_slope(net, array, idx, h=1e-5)) < 1e-8
        error = abs(r.numeric - r.analytic) / max(abs(r.numeric), abs(r.analytic), 1e-6)
        assert r.error == error and r.error < TOLERANCE and r.status == "ok"
    assert result.worst_error == max(r.error for r in result.rows)


def test_a_kink_is_a_row_without_a_numeric_gradient():
    net = parse_spec({"name": "kink", "inputs": [[1.0]], "targets": [[1.0]],
                      "layers": [{"units": 1, "activation": "relu", "weights": [[1.0]], "bias": [-1.0]},
                                 {"units": 1, "activation": "linear", "weights": [[1.0]], "bias": [0.0]}],
                      "loss": "mse"})
    rows = {r.param: r for r in finite_difference_check(net).rows}
    assert rows["W1[1,1]"].status == "kink" and rows["W1[1,1]"].numeric is None and rows["W1[1,1]"].error is None
    assert rows["W2[1,1]"].status == "ok"
    assert rows["W1[1,1]"].analytic == backward(net).grads["W1"][0, 0]
