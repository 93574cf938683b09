"""confusions in transcript mode: three questions, each with a pause to predict, answered with the
timeline's numbers; networks it cannot play refused in one line."""

import pytest

from backprop.engine.confusions import event_order, longest_path
from backprop.story.beats import plan_beats
from backprop.engine.spec import load_network
from backprop.engine.timeline import build_timeline
from backprop.story.confusions import MAX_FACTORS
from tests.helpers import run_cli
from tests.plays import played as shared
from tests.scenes.transcript_checks import arithmetic_problems, timing_problems
from tests.scenes.why_numbers import unexplained

NETWORKS = ["seed", "classifier", "deep-sigmoid"]


@pytest.fixture(scope="module")
def played():
    out = {}
    for name in NETWORKS:
        net = load_network(name)
        timeline = build_timeline(net)
        out[name] = (timeline, shared("confusions", name))
    return out


def timeline_values(timeline):
    path = longest_path(timeline, MAX_FACTORS)
    order = event_order(timeline)
    values = {1, 2, 3}  # the confusions' numbers
    values |= {f.value for f in path.factors} | {path.gradient, path.total, len(path.factors)}
    values |= {order.gradients, order.changed}
    values |= set(range(1, len(timeline.network["sizes"])))  # layer numbers ("back to hidden layer 5")
    # the backward scene's step numbers of the events the third confusion names (never event numbers)
    values |= {int(b.caption.split(" ")[1]) for b in plan_beats(timeline) if b.caption.startswith("Step ")
               and any(e["t"] in (order.known_at - 1, order.used_at - 1) for e in b.events)}
    for e in timeline.events:
        if e["kind"] in ("multiply", "update"):
            values |= {e["value"], *e.get("factors", []), e.get("old", 0.0), e.get("lr", 0.0), e.get("grad", 0.0)}
    return values


@pytest.mark.parametrize("name", NETWORKS)
def test_every_number_is_the_timelines(played, name):
    timeline, data = played[name]
    assert unexplained(data["items"], timeline_values(timeline)) == []


@pytest.mark.parametrize("name", NETWORKS)
def test_reads_right(played, name):
    _, data = played[name]
    assert arithmetic_problems(data) == []
    assert timing_problems(data) == []
    assert all(item["px"] >= 16 for item in data["items"])


@pytest.mark.parametrize("name", NETWORKS)
def test_each_question_leaves_three_seconds_to_predict(played, name):
    """From the question card fully shown to the answer's caption: time to read it (125 words a
    minute) and then at least 3 s more."""
    _, data = played[name]
    items = data["items"]
    captions = [i for i in items if i["role"] == "caption"]
    questions = [c for c in captions if c["text"].startswith("Confusion ")]
    assert [q["text"][:12] for q in questions] == ["Confusion 1:", "Confusion 2:", "Confusion 3:"]
    for q in questions:
        card = next(i for i in items if i["role"] == "card" and q["start"] <= i["start"] < q["end"])
        answer = captions[captions.index(q) + 1]
        words = len([w for w in card["text"].split() if any(c.isalnum() for c in w)])
        assert answer["start"] - card["visible"][0] >= words * 60 / 125 + 3.0


def test_the_lessons_answers_on_seed(played):
    _, data = played["seed"]
    cards = "\n".join(i["text"] for i in data["items"] if i["role"] == "card")
    assert "W₁[1,2]:  0.3 − 0.1 × (−0.045) = 0.3045" in cards  # the lesson's update, only afterwards
    assert "0 weights changed: W₁[1,2] is still 0.3" in cards
    assert "−0.391 × 0.238 × 0.6 × 1 × 0.8 = −0.045" in cards  # the product is the gradient
    assert "−0.391 + 0.238 + 0.6 + 1 + 0.8 = 2.247" in cards  # the sum is not
    assert "∂L/∂h₁ = −0.093 × 0.6 = −0.056" in cards  # the backward pass uses the old W₂[1,1]
    notes = [i["text"] for i in data["items"] if i["role"] == "note"]
    assert "forward pass" in notes and "backward pass" in notes and "updates" in notes
    # the lesson's words for when: the backward scene's steps, never the program's event numbers
    assert "∂L/∂W₂[1,1] is known after step 3 (output-layer weights)." in cards
    assert "Then step 4 (back to the hidden layer) multiplies by W₂[1,1]:" in cards
    assert "event" not in " ".join(i["text"] for i in data["items"])


def test_the_narration_says_to_pause_and_predict(played):
    from backprop.engine.spec import load_network as load
    from backprop.scenes.confusions import Confusions
    from manim import tempconfig

    net = load("seed")
    with tempconfig({"dry_run": True, "disable_caching": True, "verbosity": "ERROR", "progress_bar": "none"}):
        scene = Confusions(network=net, skip_animations=True)
        scene.render()
    said = [s for s, _, _ in scene.spoken]
    assert sum("Pause and predict" in s for s in said) == 3


@pytest.mark.parametrize("spec, reason", [
    ('{"name": "b", "inputs": [[0.5, 0.8], [0.1, 0.2]], "targets": [[1.0], [0.0]], "layers": '
     '[{"units": 2, "activation": "relu"}, {"units": 1, "activation": "sigmoid"}], "loss": "mse"}',
     "its gradients sum a batch of 2 examples"),
    ('{"name": "b", "inputs": [[0.1, 0.2]], "targets": [[1.0]], "layers": '
     '[{"units": 700, "activation": "relu"}, {"units": 1, "activation": "sigmoid"}], "loss": "mse"}',
     "it has 2,801 parameters"),
])
def test_networks_it_cannot_play_are_refused_in_one_line(capsys, tmp_path, spec, reason):
    path = tmp_path / "net.json"
    path.write_text(spec)
    code, out, err = run_cli(capsys, "render", "confusions", "--network", str(path), "--output-dir",
                             str(tmp_path / "out"))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("backprop: network: scene 'confusions' cannot play b: " + reason)
    assert not (tmp_path / "out").exists()
