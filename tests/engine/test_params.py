"""Parameters by the names a lecturer types: `W1[1,2]` is row 1, column 2 of the lesson's W₁ (1-based)."""

import pytest

from backprop.engine.params import element_names, resolve_param
from backprop.engine.spec import SpecError, load_network


def test_names_are_one_based_rows_then_columns():
    net = load_network("seed")  # W1 is 2×2, b1 2, W2 1×2, b2 1
    assert element_names(net) == ["W1[1,1]", "W1[1,2]", "W1[2,1]", "W1[2,2]", "b1[1]", "b1[2]",
                                  "W2[1,1]", "W2[1,2]", "b2[1]"]
    array, index = resolve_param(net, "W1[1,2]")
    # the lesson's w₁₂ (into h₁ from x₂) is 0.3, the weight its update example moves to 0.3045
    assert (array, index) == ("W1", (0, 1)) and net.params()[array][index] == 0.3
    assert resolve_param(net, " b2 [1] ") == ("b2", (0,))


@pytest.mark.parametrize("name", ["W1[3,1]", "W1[0,1]", "W3[1,1]", "W1[1]", "b1[1,1]", "w1[1,2]", "W1", "", "W1[1,2"])
def test_unknown_names_list_the_valid_ones(name):
    with pytest.raises(SpecError) as e:
        resolve_param(load_network("seed"), name)
    assert e.value.field == "param" and "W1[1,1]" in e.value.message and "b2[1]" in e.value.message
