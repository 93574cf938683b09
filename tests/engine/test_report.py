"""The gradient report: one model for the CLI table, the video's table and exports."""

import math

import numpy as np
import pytest

from backprop.engine.presets import PRESETS
from backprop.engine.report import largest, report_from_engine, report_from_timeline
from backprop.engine.spec import load_network
from backprop.engine.timeline import build_timeline


def test_the_lessons_rows_and_advice():
    report = report_from_engine(load_network("seed"))
    row = {r.name: r for r in report.rows}["W1[1,2]"]
    assert (row.symbol, row.path, row.kind) == ("W₁[1,2]", "x₂ → h₁", "weight")
    assert math.isclose(row.gradient, -0.0448, abs_tol=5e-4) and row.advice == "increase"
    assert math.isclose(row.updated, 0.3 - 0.1 * row.gradient, rel_tol=1e-12)
    assert [r.name for r in report.rows] == ["W1[1,1]", "W1[1,2]", "W1[2,1]", "W1[2,2]", "b1[1]", "b1[2]",
                                             "W2[1,1]", "W2[1,2]", "b2[1]"]
    assert math.isclose(report.loss, 0.07636, abs_tol=1e-5) and report.left_out == 0


@pytest.mark.parametrize("preset", list(PRESETS))
def test_the_engine_and_the_timeline_report_the_same(preset):
    net = load_network(preset)
    a, b = report_from_engine(net, limit=5), report_from_timeline(build_timeline(net, "scalar"), limit=5)
    assert [r.name for r in a.rows] == [r.name for r in b.rows]
    for ra, rb in zip(a.rows, b.rows):
        assert (ra.symbol, ra.path, ra.kind, ra.advice) == (rb.symbol, rb.path, rb.kind, rb.advice)
        assert math.isclose(ra.gradient, rb.gradient, rel_tol=1e-10, abs_tol=1e-15)
        assert math.isclose(ra.updated, rb.updated, rel_tol=1e-10, abs_tol=1e-15)
    assert a.total == b.total == net.n_params and a.left_out == net.n_params - 5
    assert np.allclose(a.outputs, b.outputs, rtol=1e-12) and a.loss == pytest.approx(b.loss, rel=1e-12)


def test_a_short_table_keeps_the_largest_in_order():
    assert largest([0.1, -0.5, 0.3, 0.5, 0.0], 3) == [1, 2, 3]
    assert largest([0.2, -0.2, 0.2], 2) == [0, 1]  # ties: the earlier first
    assert largest([1.0, 2.0], None) == [0, 1] and largest([1.0, 2.0], 5) == [0, 1]
    advice = {r.name: r.advice for r in report_from_engine(load_network("seed")).rows}
    assert (advice["W1[2,1]"], advice["b1[1]"], advice["b1[2]"]) == ("decrease", "increase", "decrease")


def test_a_short_table_lists_first_what_the_network_left_out():
    """seed's two smallest gradients, asked for first, take two of four rows; the largest fill the rest."""
    tl = build_timeline(load_network("seed"), "scalar")
    grads = {e["param"]: abs(e["value"]) for e in tl.of_kind("param_grad")}
    small = sorted(grads, key=grads.get)[:2]
    big = [p for p in sorted(grads, key=grads.get, reverse=True) if p not in small][:2]
    rows = [r.name for r in report_from_timeline(tl, limit=4, first=frozenset(small)).rows]
    order = [r.name for r in report_from_timeline(tl).rows]  # layer by layer, weights before biases
    assert rows == sorted(small + big, key=order.index)
    assert report_from_timeline(tl, limit=4, first=frozenset(small)).left_out == len(grads) - 4
