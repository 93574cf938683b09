"""story/matrix_form.py: entries as the video writes them, shapes, and "=" only where the shown entries
give the shown result (checked by the independent arithmetic reader, entry by entry)."""

from backprop.story.matrix_form import matrix_text, product_relation, shape_line, shapes_match
from tests.arithmetic import check_line


def test_the_lessons_hidden_gradient_as_a_product():
    wt = matrix_text("W₂ᵀ", [[0.6], [-0.4]], "weight")
    d = matrix_text("δ₂", [[-0.09303605466114716]], "grad")
    up = matrix_text("∂L/∂h₁", [[-0.055821632796688295], [0.03721442186445886]], "grad")
    assert wt.entries == [["0.6"], ["−0.4"]] and up.entries == [["−0.056"], ["0.037"]]
    assert shape_line(wt, d, "·", transposed="a") == "(1×2)ᵀ · (1×1) → 2×1"
    assert shapes_match(wt, d, "·")
    rel = product_relation(wt, d, up, "·")
    assert rel == "="
    for k in range(2):
        assert check_line(f"{wt.entries[k][0]} × ({d.entries[0][0]}) {rel} {up.entries[k][0]}") == []


def test_rounding_that_hides_the_result_says_approximately():
    d = matrix_text("δ₁", [[-0.055821632796688295], [0.03721442186445886]], "grad")
    xt = matrix_text("xᵀ", [[0.5, 0.8]], "input")
    g = matrix_text("∂L/∂W₁", [[-0.0279108, -0.0446573], [0.0186072, 0.0297715]], "grad")
    assert g.entries == [["−0.028", "−0.045"], ["0.019", "0.030"]]
    # 0.037 × 0.5 = 0.0185, which rounds to 0.019 only by a half: "≈", as the card rule says
    assert product_relation(d, xt, g, "·") == "≈"


def test_big_matrices_show_a_corner_and_no_equals():
    big = matrix_text("W", [[0.1] * 10 for _ in range(6)], "weight")
    assert not big.whole and big.entries[0][-1] == "⋯" and big.entries[-1][0] == "⋮"
    assert len(big.entries) == 4 and len(big.entries[0]) == 4
    v = matrix_text("δ", [[0.5]] * 10, "grad")
    assert product_relation(big, v, matrix_text("r", [[0.5]] * 6, "grad"), "·") == "→"
    assert shapes_match(big, v, "·") and not shapes_match(v, big, "·")
