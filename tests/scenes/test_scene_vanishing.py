"""vanishing in transcript mode: bars, factors and local gradients from engine/depth.py, the ReLU beat
from the timeline where the network has a unit with z < 0 (and said to be skipped where not),
arithmetic true as shown, time to read, exit 2 where there is no depth to show."""

import pytest

from backprop.engine.depth import gradient_by_layer, shrink_factors
from backprop.engine.timeline import build_timeline
from tests.helpers import run_cli
from tests.networks import DEEP_RELU
from tests.plays import network_of, played as shared
from tests.scenes.sums_numbers import shown_numbers, timeline_values, unmatched
from tests.scenes.transcript_checks import arithmetic_problems, timing_problems

IGNORE = (r"layer \d+", r"×10\b", r"σ′ ≤ 0\.25", r"ReLU′ = [01]\b(?! )", r"z < 0", r"> 0", r"≤ 0", r"else 0")


@pytest.fixture(scope="module", params=["deep-sigmoid", "deep-relu", "deep-dead"])
def played(request):
    source = DEEP_RELU if request.param == "deep-relu" else request.param
    net = network_of(source)
    return net, build_timeline(net), shared("vanishing", source)


def test_every_number_is_the_engines(played):
    net, tl, data = played
    sizes = gradient_by_layer(net)
    engine = [s.grad for s in sizes] + [s.local for s in sizes if s.local is not None] + shrink_factors(sizes)
    assert len(shown_numbers(data, ignore=IGNORE)) >= 3 * len(sizes) - 2
    assert unmatched(data, engine + timeline_values(tl), ignore=IGNORE) == []


def test_arithmetic_time_to_read_and_size(played):
    *_, data = played
    assert arithmetic_problems(data) == []
    assert timing_problems(data) == []
    assert [i["text"] for i in data["items"] if i["px"] < 16 - 0.05] == []  # nothing under 16 px at 854×480


def test_the_deep_sigmoid_bars():
    """Layer 6 to layer 1: 0.148 down to 4.0 × 10⁻⁵, each step × ~0.2 (0.9 × σ′ ≈ 0.9 × 0.22), log scale said."""
    items = shared("vanishing", "deep-sigmoid")["items"]
    values = [i["text"] for i in items if i["role"] == "value"]
    assert values[:6] == ["0.148", "0.030", "0.0059", "0.0012", "2.3 × 10⁻⁴", "4.0 × 10⁻⁵"]
    factors = [v for v in values if v.startswith("× ")]
    assert len(factors) == 5 and all(0.17 <= float(f[2:]) <= 0.2 for f in factors)
    assert sum(v.startswith("σ′ ") for v in values) == 5
    texts = [i["text"] for i in items]
    assert any("log scale" in t for t in texts)
    assert "No ReLU unit here has z < 0: that beat is skipped" in texts
    assert not any("dead" in t for t in texts)  # no dead unit here: the closing line does not claim one


def test_the_dead_relu_beat():
    items = shared("vanishing", DEEP_RELU)["items"]
    cards = [i["text"] for i in items if i["role"] == "card"]
    assert any("z₂⁽²⁾ = −0.23 ≤ 0, so ReLU′ = 0" in c for c in cards)
    assert any(c.endswith("× 0 = 0.000") for c in cards)
    assert not any("skipped" in i["text"] for i in items)


def test_one_hidden_layer_is_refused(capsys, tmp_path):
    code, out, err = run_cli(capsys, "render", "vanishing", "--network", "seed", "--output-dir", str(tmp_path))
    assert code == 2 and out == "" and list(tmp_path.iterdir()) == []
    assert err.count("\n") == 1 and "vanishing" in err and "at least 3" in err


def test_its_default_network_shows_a_dead_unit_on_the_network():
    """deep-dead, vanishing's own network: x = 1.0 into two ReLU units, z = 0.8 + 0.1 = 0.90 and
    z = −0.6 + 0.1 = −0.50 (by hand): ReLU′ = 0, nothing passes back, shown on the network with its
    forward values (z = 0.90, −0.50; h = 0.90, 0.00), not on an empty frame; the sigmoids above still shrink the
    gradient; every sentence is true of this network (a layer of two units: ratios of means)."""
    from backprop.scenes.catalog import SCENES

    assert SCENES["vanishing"].network == "deep-dead"
    data = shared("vanishing", "deep-dead")
    items = data["items"]
    beat = next(b for b in data["beats"] if b["name"].startswith("A ReLU unit with z < 0"))
    during = [i for i in items if i["start"] < beat["end"] and i["end"] > beat["start"] + 1.5]
    cards = [i["text"] for i in during if i["role"] == "card"]
    assert any("−0.50 ≤ 0, so ReLU′ = 0" in c for c in cards), cards
    assert any(c.endswith("× 0 = 0.000") for c in cards), cards
    shown = [i["text"] for i in during if i["role"] == "value"]
    assert {"1.0", "0.90", "−0.50", "0.00"} <= set(shown), shown
    captions = [i["text"] for i in items if i["role"] == "caption"]
    assert "Each step back: the ratio of the layers' mean gradients (σ′ ≤ 0.25)" in captions
    assert not any("multiplies by w × f′(z)" in c for c in captions)
    assert captions[-1] == "Deep ReLU and sigmoid nets: early layers learn slowly; dead ReLU units don't learn"
    # the bars, output layer first: 0.148 at the output, 60 times smaller three layers down (vanishing);
    # layer 1's is the mean of its live unit's 0.0048 and its dead unit's 0
    bars = [i["text"] for i in items if i["role"] == "value"][:4]
    assert bars == ["0.148", "0.029", "0.0054", "0.0024"]


def test_a_chain_multiplies_by_w_times_f_prime_and_names_its_activation():
    captions = [i["text"] for i in shared("vanishing", "deep-sigmoid")["items"]
                if i["role"] == "caption"]
    assert "Each step back multiplies by w × f′(z) (σ′ ≤ 0.25)" in captions
    assert captions[-1] == "Deep sigmoid nets: early layers learn slowly"
