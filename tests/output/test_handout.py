"""`backprop handout`: printed notes as a PDF, read back with pypdf and looked at through pdftoppm."""

import re
import shutil
import subprocess

import numpy as np
import pytest

from tests.helpers import run_cli as run

pypdf = pytest.importorskip("pypdf")


@pytest.fixture(scope="module")
def backward_letter(tmp_path_factory):
    """`backward` on `seed`, Letter (one dry run of the scene: ~12 s of work)."""
    target = tmp_path_factory.mktemp("handout") / "notes.pdf"
    from backprop.output.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["handout", "backward", "--network", "seed", "--paper", "letter", "--output", str(target)])
        raise SystemExit(0)
    assert (exc.value.code or 0) == 0
    return target


def test_the_handout_has_the_lessons_numbers_as_text(backward_letter):
    """The lesson's worked numbers (backprop-lesson.md, by hand): y = 0.609, L = 0.0764, ∂L/∂y = −0.391,
    ∂L/∂W₁[1,2] = −0.045 and its update 0.3 − 0.1 × (−0.045) = 0.3045, as selectable text."""
    reader = pypdf.PdfReader(str(backward_letter))
    assert [float(v) for v in reader.pages[0].mediabox[2:]] == [612, 792]  # Letter
    text = [page.extract_text() for page in reader.pages]
    title, beats, table = text[0], "\n".join(text[1:-1]), text[-1]
    assert "2 → 2 ReLU → 1 sigmoid" in title and "y⁽²⁾ = [0.609]" in title and "L = 0.0764" in title
    assert "∂L/∂y = −0.391: the output should go up." in beats  # a narrator's sentence
    assert "5. Step 1 · Start at the loss" in beats  # a caption, numbered as `transcript` numbers beats
    numbered = [int(n) for n in re.findall(r"^(\d+)\. ", beats, re.M)]
    assert numbered == list(range(1, 15))  # every one of backward's 14 beats, in order
    row = next(line for line in table.splitlines() if line.startswith("W₁[1,2]"))
    assert row.split()[1:] == ["x₂", "→", "h₁", "0.300", "−0.045", "0.3045", "increase", "this", "weight"]


def test_the_frames_are_vector_graphics(backward_letter):
    """No picture anywhere: each beat's frame is a form of paths (Cairo's replay of the recording)."""
    reader = pypdf.PdfReader(str(backward_letter))
    assert all(len(page.images) == 0 for page in reader.pages)
    forms = []
    for page in reader.pages[1:-1]:
        for ref in page["/Resources"].get("/XObject", {}).values():
            form = ref.get_object()
            assert form["/Subtype"] == "/Form"
            forms.append(form.get_data())
    assert len(forms) == 14
    # the title page draws the network with its forward values the same way
    title = [ref.get_object() for ref in reader.pages[0]["/Resources"]["/XObject"].values()]
    assert len(title) == 1 and len(re.findall(rb"(?<=\s)c(?=\s)", title[0].get_data())) > 300
    # a frame with the network: curves (glyph outlines, rounded boxes) and lines by the hundred
    assert all(len(re.findall(rb"(?<=\s)c(?=\s)", f)) > 300 for f in forms)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (setup.sh installs it)")
def test_a_page_printed_shows_the_network(backward_letter, tmp_path):
    """Page 3 as a printer would see it (pdftoppm, 100 dpi): ink in both frames, white around them."""
    subprocess.run(["pdftoppm", "-r", "100", "-gray", "-f", "3", "-l", "3", "-png", str(backward_letter),
                    str(tmp_path / "page")], check=True)
    from PIL import Image

    page = np.asarray(Image.open(next(tmp_path.glob("page*.png"))).convert("L"), float)
    assert page.shape == (1100, 850)
    top, bottom = page[80:460], page[540:920]  # the two frames (0.75 in margins, 16:9 across the text)
    for frame in (top, bottom):
        assert 0.01 < (frame < 128).mean() < 0.3  # the network's lines and numbers, black on white
    assert page[:60].min() > 250 and page[:, :60].min() > 250  # the margins stay white


@pytest.mark.parametrize("args, says", [
    (("--paper", "a5"), "'--paper': 'a5' is not one of 'a4', 'letter'"),
    (("--output", "notes.txt"), "output: a handout is a PDF; name it FILE.pdf, not 'notes.txt'"),
    (("--network", "sead"), "network: no preset or file named 'sead'"),
    (("--theme", "prnt"), "theme: unknown 'prnt'"),
    (("--output", "folder.pdf"), "'--output': File 'folder.pdf' is a directory"),
    (("lecture", "--network", "sead"), "network: no preset or file named 'sead'"),
])
def test_bad_input_is_one_line_and_writes_nothing(capsys, monkeypatch, tmp_path, args, says):
    (tmp_path / "folder.pdf").mkdir()
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run(capsys, "handout", *args)
    assert code == 2 and out == "" and err.count("\n") == 1 and says in err and "Traceback" not in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_graphs_handout_has_its_values_and_gradients(capsys, tmp_path):
    """micrograd's L = (a·b + c)·f with a = 2, b = −3, c = 10, f = −2, by hand: e = a·b = −6, d = e + c = 4,
    L = d·f = −8; ∂L/∂f = d = 4, ∂L/∂c = f = −2, ∂L/∂a = f·b = 6, ∂L/∂b = f·a = −4."""
    target = tmp_path / "graph.pdf"
    code, out, err = run(capsys, "handout", "graph", "--network", "micrograd", "--output", str(target))
    assert code == 0 and out.split() == [str(target)], err
    reader = pypdf.PdfReader(str(target))
    assert "L = −8.0000" in reader.pages[0].extract_text()
    table = {line.split()[0]: line.split()[1:] for line in reader.pages[-1].extract_text().splitlines() if line.split()}
    assert [table[n][:2] for n in "abcfed"] == [["2.000", "+6.000"], ["−3.000", "−4.000"], ["10.000", "−2.000"],
                                                ["−2.000", "+4.000"], ["−6.000", "−2.000"], ["4.000", "−2.000"]]
    assert all(len(page.images) == 0 for page in reader.pages)


@pytest.mark.slow
def test_a_network_drawn_one_block_per_layer_has_its_table(capsys, tmp_path):
    """A layer-granularity network (40 × 50 + 50 × 3 weights): its forward values as the report's loss
    and outputs, and the 60 largest gradients, each as `backprop gradients` prints it."""
    import json

    spec = tmp_path / "wide.json"
    spec.write_text(json.dumps({"name": "wide", "inputs": [[0.1 * i for i in range(40)]], "targets": [[1.0, 0.0, 0.0]],
                                "seed": 3, "loss": "cross_entropy",
                                "layers": [{"units": 50, "activation": "tanh"}, {"units": 3, "activation": "softmax"}]}))
    target = tmp_path / "wide.pdf"
    code, out, err = run(capsys, "handout", "backward", "--network", str(spec), "--output", str(target))
    assert code == 0, err
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(str(target)).pages)
    code, table, _ = run(capsys, "gradients", str(spec))
    first = next(line for line in table.splitlines() if line.startswith("W")).split()
    symbol, value, gradient = first[0], first[4], first[5]  # W₁[a,b]  x_b → h_a  value  gradient
    row = next(line for line in text.splitlines() if line.startswith(symbol + " "))
    assert row.split()[4:6] == [value.replace("-", "−"), gradient.replace("-", "−")]
    assert "the 60 largest of 2,203 gradients" in text


@pytest.mark.parametrize("network", ["seed", "dense"])
def test_the_title_pages_forward_picture_shows_values_and_no_gradient_legend(network):
    """The title page's picture is the forward pass: every unit's value, and no legend of gradient
    signs or pill places (nothing of the kind is on it); a network with numbers left out still says
    where they are."""
    from backprop.engine.spec import load_network, parse_spec
    from backprop.engine.timeline import build_timeline
    from backprop.output.material.handout_pdf import ForwardValues, _dry_run
    from backprop.story.theme import Theme

    net = load_network("seed") if network == "seed" else parse_spec(
        {"input": [0.5, -0.3, 0.8], "target": [1.0, 0.0, 0.0], "seed": 7,
         "layers": [{"units": 4, "activation": "relu"}, {"units": 4, "activation": "tanh"},
                    {"units": 3, "activation": "sigmoid"}]})
    played, _ = _dry_run(ForwardValues, build_timeline(net), Theme(), "16:9", None, network=net, transcribe=True)
    items = played.transcript.as_json(played.renderer.time)
    legend = [i["text"] for i in items if i["role"] == "legend"]
    assert not [t for t in legend if "gradient" in t or "∂L" in t or "negative" in t], legend
    assert (legend == ["some numbers: see the table"]) == (network == "dense"), legend
    if network == "seed":  # the lesson's forward values (backprop-lesson.md): z, h, y and L
        values = {i["text"] for i in items if i["role"] == "value"}
        assert {"0.54", "0.20", "0.444", "0.609", "0.0764"} <= values, values
