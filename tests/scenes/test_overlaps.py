"""Dense networks read: the transcript's `box`, `of` and `edges` checked by tests/overlaps.py, which
knows nothing of the layout: no two texts shown at once overlap, no number lies on another edge."""

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from backprop.engine.spec import load_network, parse_spec
from backprop.engine.timeline import build_timeline
from backprop.output.render.transcript import transcript
from tests.overlaps import edge_problems, problems, segment_cuts, text_overlaps

W, H = 854, 480  # the low-quality frame at 16:9


def item(text, role, box, of=None, visible=(0.0, 10.0)):
    return {"text": text, "role": role, "box": list(box), "of": of, "visible": list(visible)}


def test_the_checker_sees_what_the_issue_saw():
    """Each kind of fault the issue reported fails the checker; what reads fine passes."""
    edges = [{"of": "W₁[1,1]", "from": [100, 100], "to": [300, 300]},
             {"of": "W₁[2,1]", "from": [100, 300], "to": [300, 100]}]
    # "+0.0081" under "+0.066": two pills touching
    touching = {"items": [item("+0.066", "badge", (150, 150, 200, 168), "W₂[1,1]"),
                          item("+0.0081", "badge", (160, 166, 215, 184), "W₂[2,1]")], "edges": []}
    assert text_overlaps(touching)
    # "−0.161" lying on the edge of another weight
    on_other = {"items": [item("−0.161", "badge", (110, 270, 150, 288), "W₁[1,1]")], "edges": edges}
    assert edge_problems(on_other)
    # a four-line card over a unit's value and its bias
    covered = {"items": [item("h₃ 0.00", "value", (240, 330, 290, 345), "h₃"),
                         item("∂L/∂z₂₁ = …", "card", (20, 300, 420, 470))], "edges": []}
    assert text_overlaps(covered)
    # a weight's label nearer the other edge than its own (beside a crossing)
    near_other = {"items": [item("0.4", "weight", (212, 170, 232, 182), "W₁[1,1]")], "edges": edges}
    assert edge_problems(near_other)
    # fine: a pill on its own edge, a card's note inside it, a badge fading into the next in its place
    fine = {"items": [item("+0.05", "badge", (140, 130, 170, 148), "W₁[1,1]"),
                      item("∂L/∂y = …", "card", (20, 380, 420, 470)),
                      item("a note", "note", (40, 440, 200, 460)),
                      item("+0.1", "badge", (400, 50, 440, 68), "h₁", visible=(0, 5)),
                      item("−0.2", "badge", (400, 50, 440, 68), "h₁", visible=(5.5, 9))], "edges": edges}
    assert problems(fine) == []


def test_an_edge_cuts_a_box_only_through_its_inside():
    box = [100, 100, 140, 120]
    assert segment_cuts(box, (90, 110), (150, 110))  # straight through
    assert not segment_cuts(box, (90, 100.5), (150, 100.5))  # grazing its top
    assert not segment_cuts(box, (0, 0), (90, 200))  # beside it
    assert segment_cuts(box, (120, 0), (120, 115))  # ends inside it


@pytest.fixture(scope="module")
def seed():
    return transcript("backward", build_timeline(load_network("seed")))


def test_every_number_of_the_network_says_where_it_is_and_what_it_labels(seed):
    """Every parameter of the lesson has its value on screen labelled with its name, on its own edge
    (a weight) or under its unit (a bias); every item's box lies in the frame."""
    net = build_timeline(load_network("seed"))
    names = {p["symbol"] for p in net.params}
    labelled = {i["of"] for i in seed["items"] if i["role"] == "weight"}
    assert labelled == names == {"W₁[1,1]", "W₁[1,2]", "W₁[2,1]", "W₁[2,2]", "W₂[1,1]", "W₂[1,2]",
                                 "b₁[1]", "b₁[2]", "b₂[1]"}
    for i in seed["items"]:
        x0, y0, x1, y1 = i["box"]
        assert 0 <= x0 < x1 <= W and 0 <= y0 < y1 <= H, i
    edges = {e["of"]: e for e in seed["edges"]}
    assert set(edges) == {"W₁[1,1]", "W₁[1,2]", "W₁[2,1]", "W₁[2,2]", "W₂[1,1]", "W₂[1,2]", None}
    for i in seed["items"]:
        if i["role"] in ("weight", "badge") and i["of"] in edges:  # on its own edge (or just beside a level one)
            assert segment_cuts(i["box"], edges[i["of"]]["from"], edges[i["of"]]["to"], inset=-3), i
    # the lesson's layout: x₁ above x₂ on the left, the loss on the right
    at = {i["of"]: i["box"] for i in seed["items"] if i["role"] == "value"}
    assert at["x₁"][3] < at["x₂"][1] and at["x₁"][2] < at["h₁"][0] < at["y"][0] < at["L"][0]
    # the gradients the lesson computes, on what they label
    pills = {(i["of"], i["text"]) for i in seed["items"] if i["role"] == "badge"}
    assert {("y", "−0.391"), ("y", "−0.093"), ("W₁[1,2]", "−0.045"), ("b₁[2]", "+0.037"), ("x₁", "−0.030")} <= pills


def test_the_lesson_reads(seed):
    assert problems(seed) == []


# The networks issue 19 found unreadable, and a wider one: a 3-3-3 tanh/softmax batch of 3, a 2-3-2-1
# ReLU net with a dead unit (h₁₃: z = −0.49), and 3-4-4-3.
DENSE = {
    "3-3-3 softmax batch": {"inputs": [[0.5, -0.3, 0.8], [0.1, 0.9, -0.4], [-0.7, 0.2, 0.3]], "seed": 3,
                            "targets": [[1, 0, 0], [0, 1, 0], [0, 0, 1]], "loss": "cross_entropy",
                            "layers": [{"units": 3, "activation": "tanh"}, {"units": 3, "activation": "softmax"}]},
    "2-3-2-1 dead ReLU": {"inputs": [[0.5, 0.8]], "targets": [[1.0]], "loss": "mse", "layers": [
        {"units": 3, "activation": "relu", "weights": [[0.4, 0.3], [-0.2, 0.5], [-0.6, -0.3]], "bias": [0.1, -0.1, 0.05]},
        {"units": 2, "activation": "relu", "weights": [[0.6, -0.4, 0.2], [-0.5, 0.2, 0.3]], "bias": [0.1, 0.0]},
        {"units": 1, "activation": "sigmoid", "weights": [[0.7, 0.8]], "bias": [0.2]}]},
    "3-4-4-3": {"inputs": [[0.5, -0.3, 0.8]], "targets": [[0.2, -0.4, 0.6]], "seed": 3, "loss": "mse",
                "layers": [{"units": 4, "activation": "tanh"}, {"units": 4, "activation": "tanh"},
                           {"units": 3, "activation": "linear"}]},
}


@pytest.mark.parametrize("name", list(DENSE))
def test_dense_networks_read(name):
    net = parse_spec(DENSE[name])
    data = transcript("backward", build_timeline(net), network=net)
    assert data["edges"] and all(len(i["box"]) == 4 for i in data["items"])
    assert problems(data) == []


@st.composite
def dense_shapes(draw):
    """Two or three layers, two to four units a column, one example or a batch of two."""
    sizes = [draw(st.integers(2, 4)) for _ in range(draw(st.integers(3, 4)))]
    examples = draw(st.integers(1, 2))
    act = draw(st.sampled_from(["tanh", "relu", "sigmoid"]))
    return {"inputs": [[round(0.3 * (i + 1) * (-1) ** (i + e), 2) for i in range(sizes[0])] for e in range(examples)],
            "targets": [[0.5] * sizes[-1] for _ in range(examples)], "seed": draw(st.integers(0, 99)), "loss": "mse",
            "layers": [{"units": n, "activation": act} for n in sizes[1:-1]] + [{"units": sizes[-1], "activation": "linear"}]}


@pytest.mark.slow
@settings(max_examples=4, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(dense_shapes())
def test_dense_shapes_read(spec):
    """A few dense shapes played in full (skip-animations, seconds each), the same ones every run."""
    net = parse_spec(spec)
    assert problems(transcript("backward", build_timeline(net), network=net)) == []
