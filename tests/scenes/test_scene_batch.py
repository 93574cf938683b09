"""batch in transcript mode: each example's gradient of one parameter, their mean, the batch gradient —
every number from engine/batch.py or the timeline, arithmetic true as shown, time to read."""

import pytest

from backprop.engine.batch import batch_gradient, default_param
from backprop.engine.presets import PRESETS
from backprop.engine.timeline import build_timeline
from tests.helpers import run_cli
from tests.plays import network_of, played as shared
from tests.scenes.sums_numbers import shown_numbers, timeline_values, unmatched
from tests.scenes.transcript_checks import arithmetic_problems, timing_problems

IGNORE = (r"the \d+ gradients", r"all \d+", r"sum of \d+", r"example \d+", r"the \d+ examples", r"÷ \d+", r"\d+ examples", r"L[₀-₉]+")
FIVE = dict(PRESETS["classifier"], name="five", inputs=[[0.5, -0.3], [1.0, 0.2], [-0.4, 0.9], [0.3, 0.3], [0.0, -1.0]],
            targets=[[0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0]])


@pytest.fixture(scope="module", params=[("batch", None), ("batch", "W2[1,2]"), ("five", None)])
def played(request):
    name, param = request.param
    source = FIVE if name == "five" else name
    net = network_of(source)
    return net, build_timeline(net), param, shared("batch", source, param=param)


def test_every_number_is_the_engines(played):
    net, tl, param, data = played
    g = batch_gradient(net, param or default_param(net))
    assert len(shown_numbers(data, ignore=IGNORE)) >= 3 * net.X.shape[0]
    assert unmatched(data, timeline_values(tl) + g.per_example + [g.batch], ignore=IGNORE) == []
    # the per-example gradients are the engine's, not some other parameter's
    assert unmatched(data, timeline_values(tl), ignore=IGNORE) != []


def test_arithmetic_time_to_read_and_size(played):
    *_, data = played
    assert arithmetic_problems(data) == []
    assert timing_problems(data) == []
    assert [i["text"] for i in data["items"] if i["px"] < 16 - 0.05] == []  # nothing under 16 px at 854×480


def test_the_batch_presets_mean_as_shown():
    """W₁[1,2] on `batch`: example 1 is the lesson's −0.045; with +0.018 and −0.053 the mean is −0.027,
    the same as the whole batch's backward pass."""
    data = shared("batch", "batch")
    texts = "\n".join(i["text"] for i in data["items"])
    for line in ("∂L₁/∂W₁[1,2] = −0.045", "∂L₂/∂W₁[1,2] = +0.018", "∂L₃/∂W₁[1,2] = −0.053",
                 "= (−0.045 + 0.018 + (−0.053)) ÷ 3 = −0.027", "∂L/∂W₁[1,2] = −0.027"):
        assert line in texts, line


def test_one_example_is_refused(capsys, tmp_path):
    code, out, err = run_cli(capsys, "render", "batch", "--network", "seed", "--output-dir", str(tmp_path))
    assert code == 2 and out == "" and list(tmp_path.iterdir()) == []
    assert err.count("\n") == 1 and "batch" in err and "at least 2" in err
    code, out, err = run_cli(capsys, "transcript", "batch", "--param", "W9[1,1]")
    assert code == 2 and err.count("\n") == 1 and "param" in err
