"""The backward scene in every aspect ratio, played in skip-animations mode: after every play, every
text on screen inside the frame and no two texts overlapping (measured on what Pango drew); the
transcript per aspect reads right; the CLI's --aspect."""

import itertools
import json
import tempfile

import pytest
from manim import tempconfig

from backprop.engine.spec import load_network, parse_spec
from backprop.engine.timeline import build_timeline
from backprop.output.rendering import frame_options
from backprop.output.transcript import transcript
from backprop.scenes.backward import BackwardPass
from backprop.stage.board import Label
from backprop.story.frame import ASPECTS
from tests.helpers import run_cli
from tests.scenes.test_transcript import arithmetic_problems, final_gradient_problems

TANH_333 = {"input": [0.5, -0.3, 0.8], "target": [0.2, -0.4, 0.6], "seed": 3,
            "layers": [{"units": 3, "activation": "tanh"}, {"units": 3, "activation": "tanh"}]}
BATCH = {"inputs": [[0.5, -0.3], [0.1, 0.9], [-0.7, 0.2]], "targets": [[1.0], [0.0], [0.5]], "seed": 1,
         "layers": [{"units": 2, "activation": "sigmoid"}, {"units": 1, "activation": "sigmoid"}]}
BLOCKS = {"input": [0.01] * 784, "target": [0] * 9 + [1], "loss": "cross_entropy", "seed": 1,
          "layers": [{"units": 64, "activation": "relu"}, {"units": 10, "activation": "softmax"}]}
NETS = {"seed": lambda: load_network("seed"), "classifier": lambda: load_network("classifier"),
        "deep-sigmoid": lambda: load_network("deep-sigmoid"), "tanh 3-3-3": lambda: parse_spec(TANH_333),
        "batch of 3": lambda: parse_spec(BATCH), "784-64-10": lambda: parse_spec(BLOCKS)}


class Watched(BackwardPass):
    """Checks the screen after every play: what is wrong, with when."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.problems: list[str] = []

    def play(self, *args, **kwargs):
        super().play(*args, **kwargs)
        w, h = self.frame.width / 2, self.frame.height / 2
        labels = [m for m in self.get_mobject_family_members() if isinstance(m, Label) and m.original_text.strip()
                  and m.get_fill_opacity() > 0.01]
        boxes = {}
        for m in labels:
            l, r, b, t = m.get_left()[0], m.get_right()[0], m.get_bottom()[1], m.get_top()[1]
            if not (-w <= l and r <= w and -h <= b and t <= h):
                self.problems.append(f"off frame at {self.renderer.time:.1f} s: {m.original_text!r}")
            boxes[id(m)] = (m.original_text, (l, r, b, t))
        for (ta, (l1, r1, b1, t1)), (tb, (l2, r2, b2, t2)) in itertools.combinations(boxes.values(), 2):
            if not (r1 <= l2 or r2 <= l1 or t1 <= b2 or t2 <= b1):
                self.problems.append(f"overlap at {self.renderer.time:.1f} s: {ta!r} / {tb!r}")


def played(name, aspect):
    with tempconfig({"dry_run": True, "disable_caching": True, "verbosity": "ERROR", "progress_bar": "none",
                     "media_dir": tempfile.mkdtemp(prefix="backprop-tests-"), **frame_options(aspect, "low")}):
        scene = Watched(timeline=build_timeline(NETS[name]()), skip_animations=True)
        scene.render()
    return scene


@pytest.mark.parametrize("aspect", list(ASPECTS))
@pytest.mark.parametrize("name", ["seed", "tanh 3-3-3", "784-64-10"])
def test_nothing_off_frame_or_overlapping_at_any_time(name, aspect):
    scene = played(name, aspect)
    assert (scene.frame.width, scene.frame.height) == pytest.approx(
        (frame_options(aspect, "low")["frame_width"], frame_options(aspect, "low")["frame_height"]))
    assert scene.problems == []


@pytest.mark.slow
@pytest.mark.parametrize("aspect", ["4:3", "1:1", "9:16"])
@pytest.mark.parametrize("name", ["classifier", "deep-sigmoid", "batch of 3"])
def test_more_networks_stay_in_frame(name, aspect):
    assert played(name, aspect).problems == []


@pytest.mark.parametrize("aspect", list(ASPECTS))
def test_the_transcript_per_aspect_reads_right(aspect):
    data = transcript("backward", build_timeline(load_network("seed")), aspect=aspect)
    assert arithmetic_problems(data) == [] and final_gradient_problems(data) == []
    assert all(i["px"] >= 16 - 1e-6 for i in data["items"]), [
        (i["text"], i["px"]) for i in data["items"] if i["px"] < 16]
    # the same lesson at every aspect: every gradient the 16:9 video shows
    badges = {i["text"] for i in data["items"] if i["role"] == "badge"}
    wide = transcript("backward", build_timeline(load_network("seed")))
    assert badges == {i["text"] for i in wide["items"] if i["role"] == "badge"}


def test_the_cli_takes_an_aspect_and_refuses_others(capsys):
    code, out, err = run_cli(capsys, "transcript", "--network", "seed", "--json", "--aspect", "9:16")
    assert code == 0 and err == ""
    assert json.loads(out)["network"] == "seed"
    for bad in ("5:4", "16x9", ""):
        code, out, err = run_cli(capsys, "render", "--aspect", bad, "--output-dir", tempfile.mkdtemp())
        assert code == 2 and out == "" and err.count("\n") == 1 and "--aspect" in err and "Traceback" not in err


@pytest.mark.slow
def test_a_still_has_the_aspects_pixels(capsys, tmp_path):
    from PIL import Image

    code, out, err = run_cli(capsys, "render", "--format", "png", "--aspect", "9:16", "--output-dir", str(tmp_path))
    assert code == 0, err
    assert Image.open(out.strip()).size == (480, 854)


def test_numbers_left_out_are_said_on_screen():
    """A 3-4-4-3 net at 16:9 cannot keep every weight on its edges at 16 px: the screen says where
    they are (the legend, or the caption where no legend fits); the lesson's network never says it."""
    from backprop.scenes.base import LEFT_OUT
    from backprop.story.layout import layout_network
    from backprop.story.texts import make_texts
    from backprop.story.theme import Theme

    dense = parse_spec({"input": [0.5, -0.3, 0.8], "target": [0.2, -0.4, 0.6], "seed": 3,
                        "layers": [{"units": 4, "activation": "tanh"}, {"units": 4, "activation": "tanh"},
                                   {"units": 3, "activation": "tanh"}]})
    timeline = build_timeline(dense)
    assert layout_network(timeline, Theme(), make_texts(timeline)).numbers_left_out > 0
    data = transcript("backward", timeline)
    said_where = [i for i in data["items"] if LEFT_OUT in i["text"]]
    assert said_where and said_where[0]["start"] < 10  # from when the network appears
    seed = transcript("backward", build_timeline(load_network("seed")))
    assert not any(LEFT_OUT in i["text"] for i in seed["items"])
