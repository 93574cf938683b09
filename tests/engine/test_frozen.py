"""The spec's `frozen` field: names resolved, updates and the timeline's update events leave them."""

import numpy as np
import pytest

from backprop.engine.backward import backward, update
from backprop.engine.frozen import frozen_names
from backprop.engine.presets import PRESETS
from backprop.engine.spec import SpecError, load_network, parse_spec
from backprop.engine.timeline import build_timeline


def frozen_seed(*names):
    return parse_spec({**PRESETS["seed"], "frozen": list(names)})


def test_whole_arrays_and_single_entries():
    net = frozen_seed("b1", "W1[1,2]", " W2 [1,2] ")
    assert frozen_names(net) == ["W1[1,2]", "b1[1]", "b1[2]", "W2[1,2]"]
    new = update(net, backward(net).grads)
    assert new["W1"][0, 1] == 0.3 and np.array_equal(new["b1"], [0.1, -0.1]) and new["W2"][0, 1] == -0.4
    # the others step as the lesson says: w − 0.1 × g (W₁[1,1]: 0.4 − 0.1 × (−0.0279) = 0.40279)
    assert new["W1"][0, 0] == pytest.approx(0.40279, abs=1e-5)
    assert new["b2"][0] == pytest.approx(0.2 + 0.1 * 0.0930, abs=1e-4)
    assert frozen_names(load_network("seed")) == []


@pytest.mark.parametrize("granularity", ["scalar", "layer"])
def test_update_events_say_frozen_and_keep_the_value(granularity):
    tl = build_timeline(frozen_seed("b1", "W1[1,2]"), granularity)
    updates = {e["param"]: e for e in tl.of_kind("update")}
    if granularity == "scalar":
        assert updates["W1[1,2]"]["frozen"] is True and updates["W1[1,2]"]["value"] == 0.3
        assert updates["b1[2]"]["frozen"] is True and updates["b1[2]"]["value"] == -0.1
        assert "frozen" not in updates["W1[1,1]"] and updates["W1[1,1]"]["value"] != 0.4
        assert updates["W1[1,2]"]["grad"] == pytest.approx(-0.0447, abs=1e-4)  # still computed
    else:
        assert updates["W1"]["frozen"] == [[False, True], [False, False]]
        assert updates["W1"]["value"][0][1] == 0.3 and updates["b1"]["value"] == [0.1, -0.1]
        assert "frozen" not in updates["W2"]


@pytest.mark.parametrize("value, field, message", [
    (["b1", "b9"], "frozen[1]", "unknown parameter 'b9'; parameters: W1, b1, W2, b2"),
    (["W1[3,1]"], "frozen[0]", "unknown parameter 'W1[3,1]'"),
    ([3], "frozen[0]", "expected a parameter name"),
    ("b1", "frozen", "expected a list"),
])
def test_bad_names_name_the_entry(value, field, message):
    with pytest.raises(SpecError) as e:
        parse_spec({**PRESETS["seed"], "frozen": value})
    assert e.value.field == field and message in e.value.message
