"""gradient-check in transcript mode: every number is the check's (backprop.engine.gradient_check, as
`backprop check` reports it), the table fits, the verdict and the tolerance are said."""

import pytest

from backprop.engine.gradient_check import TOLERANCE, finite_difference_check
from backprop.engine.labels import Symbols
from tests.helpers import run_cli
from tests.plays import network_of, played as shared
from tests.scenes.transcript_checks import arithmetic_problems, timing_problems
from tests.scenes.why_numbers import unexplained

WIDE = {"name": "wide", "inputs": [[0.5, -0.2, 0.8]], "targets": [[1.0, 0.0]],
        "layers": [{"units": 4, "activation": "tanh"}, {"units": 2, "activation": "sigmoid"}], "loss": "mse",
        "seed": 3}
NETWORKS = {"seed": "seed", "classifier": "classifier", "wide": WIDE}


@pytest.fixture(scope="module")
def played():
    out = {}
    for name, source in NETWORKS.items():
        out[name] = (network_of(source), shared("gradient-check", source))
    return out


@pytest.mark.parametrize("name", list(NETWORKS))
def test_every_number_is_the_checks(played, name):
    net, data = played[name]
    result = finite_difference_check(net)
    values = {TOLERANCE, 2, len(result.rows), len(result.rows) - 10, result.worst_error}
    for r in result.rows:
        values |= {r.analytic, r.numeric, r.error} - {None}
    assert unexplained(data["items"], values) == []


@pytest.mark.parametrize("name", list(NETWORKS))
def test_reads_right(played, name):
    _, data = played[name]
    assert arithmetic_problems(data) == []
    assert timing_problems(data) == []
    assert all(item["px"] >= 16 for item in data["items"])


def test_the_table_shows_the_lessons_gradients_to_seven_figures(played):
    _, data = played["seed"]
    rows = [i["text"] for i in data["items"] if i["role"] == "table"]
    assert rows[0].split() == ["parameter", "numeric", "backprop", "relative", "error"]
    # W₁[1,2]: the lesson's −0.045, here −0.04465731 twice, and they agree
    w12 = next(r for r in rows if r.startswith("W₁[1,2]"))
    assert w12.count("−0.04465731") == 2 and w12.endswith("✓ agree")
    assert len(rows) == 1 + 9
    cards = [i["text"] for i in data["items"] if i["role"] == "card"]
    assert any("tolerance 1.0 × 10⁻⁶: every gradient passes" in c for c in cards)


def test_a_big_network_shows_ten_rows_and_counts_the_rest(played):
    net, data = played["classifier"]
    rows = [i["text"] for i in data["items"] if i["role"] == "table"]
    assert len(rows) == 1 + 10 + 1 and rows[-1] == f"… {net.n_params - 10} more: the largest gradients are shown"
    # the ten largest |gradients|, the worst error among them, in the check's order
    result = finite_difference_check(net)
    largest = sorted(result.rows, key=lambda r: -abs(r.analytic))[:9]
    names = [r.split()[0] for r in rows[1:-1]]
    assert set(Symbols(net.sizes).param(r.param) for r in largest) <= set(names)
    assert Symbols(net.sizes).param(result.worst_param) in names


def test_a_network_too_big_to_check_is_refused_in_one_line(capsys, tmp_path):
    spec = tmp_path / "big.json"
    spec.write_text('{"name": "big", "inputs": [[0.1, 0.2]], "targets": [[1.0]], "layers": '
                    '[{"units": 200, "activation": "relu"}, {"units": 100, "activation": "relu"}, '
                    '{"units": 1, "activation": "sigmoid"}], "loss": "mse"}')
    code, out, err = run_cli(capsys, "render", "gradient-check", "--network", str(spec), "--output-dir",
                             str(tmp_path / "out"))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("backprop: network: scene 'gradient-check' cannot play big: check is limited to 20,000")
    assert not (tmp_path / "out").exists()
