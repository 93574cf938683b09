"""`backprop train` and the `frozen` field through the real command line."""

import json

import numpy as np
import pytest

from backprop.engine.presets import PRESETS
from tests.helpers import run_cli


def spec_file(tmp_path, **changes):
    path = tmp_path / "net.json"
    path.write_text(json.dumps({**PRESETS["seed"], **changes}))
    return str(path)


def test_plain_output_is_a_short_loss_table(capsys):
    code, out, err = run_cli(capsys, "train", "seed", "--steps", "1000")
    assert code == 0 and err == ""
    rows = [line.split() for line in out.splitlines() if line.strip()[:1].isdigit() and len(line.split()) == 2]
    steps = [int(r[0]) for r in rows]
    assert steps[:3] == [0, 1, 2] and steps[-1] == 1000 and len(rows) <= 12
    assert rows[0][1] == "0.0764"  # the lesson's loss before training (unrounded 0.07636)
    assert "--json lists every one" in out and "learning rate 0.1" in out


def test_json_has_every_loss_and_the_parameters_in_gradients_shapes(capsys):
    code, out, _ = run_cli(capsys, "train", "seed", "--steps", "1", "--json")
    data = json.loads(out)
    assert code == 0 and len(data["losses"]) == 2 and data["steps"] == 1
    _, grads_out, _ = run_cli(capsys, "gradients", "seed", "--json")
    updated = json.loads(grads_out)["updated"]
    # one step of train is the gradient report's one update: same keys, shapes, numbers
    assert list(data["parameters"]) == list(updated)
    for k in updated:
        assert np.allclose(data["parameters"][k], updated[k], rtol=0, atol=1e-15)
    assert data["parameters"]["W1"][0][1] == pytest.approx(0.3045, abs=1e-4)  # the lesson's update
    code, out, _ = run_cli(capsys, "train", "seed", "--steps", "250", "--json")
    losses = json.loads(out)["losses"]
    assert len(losses) == 251 and losses[-1] < losses[0]


@pytest.mark.parametrize("steps, says", [("-3", "from 0 to 20,000"), ("abc", "whole number"),
                                         ("1e9", "whole number"), ("20001", "at most 20,000")])
def test_bad_steps_are_one_line_and_exit_2(capsys, steps, says):
    code, out, err = run_cli(capsys, "train", "seed", "--steps", steps)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("backprop: steps: ") and says in err


def test_frozen_reaches_gradients_json_and_train(capsys, tmp_path):
    path = spec_file(tmp_path, frozen=["b1", "W1[1,2]"])
    _, out, _ = run_cli(capsys, "gradients", path, "--json")
    data = json.loads(out)
    assert data["updated"]["b1"] == [0.1, -0.1] and data["updated"]["W1"][0][1] == 0.3
    assert data["gradients"]["W1"][0][1] == pytest.approx(-0.0447, abs=1e-4)  # still computed
    _, out, _ = run_cli(capsys, "train", path, "--steps", "30", "--json")
    data = json.loads(out)
    assert data["frozen"] == ["W1[1,2]", "b1[1]", "b1[2]"]
    assert data["parameters"]["b1"] == [0.1, -0.1] and data["parameters"]["W1"][0][1] == 0.3
    _, out, _ = run_cli(capsys, "gradients", path)
    assert "frozen (would increase this weight)" in out


@pytest.mark.parametrize("command", ["gradients", "train", "timeline"])
def test_a_bad_frozen_name_is_one_line_naming_the_entry(capsys, tmp_path, command):
    code, out, err = run_cli(capsys, command, spec_file(tmp_path, frozen=["b1", "b9"]))
    assert code == 2 and out == ""
    assert err == ("backprop: frozen[1]: unknown parameter 'b9'; parameters: W1, b1, W2, b2 (whole arrays) "
                   "or one entry like W1[1,2]\n")
