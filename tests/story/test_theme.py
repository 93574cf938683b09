"""Named themes and theme files: WCAG contrast of every text colour, `base = "…"`, and the errors."""

import json

import pytest

from backprop.engine.spec import SpecError, load_network
from backprop.story.theme import THEMES, Theme, load_theme
from tests.helpers import run_cli as run


def luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of #RRGGBB (sRGB linearised)."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted([luminance(a), luminance(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_contrast_formula_against_known_ratios():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)  # the classic just-fails grey
    assert contrast("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)


TEXT_ON = {  # what each text colour is drawn on: the background, and cards or unit boxes
    "text": ("background", "card_fill", "unit_fill"), "muted": ("background", "card_fill"),
    "negative": ("background", "card_fill"), "positive": ("background", "card_fill"), "zero": ("background",)}


@pytest.mark.parametrize("name", list(THEMES))
def test_every_text_colour_reads_at_4_5_to_1(name):
    """WCAG 1.4.3 (AA) for normal text, in every named theme, on everything text sits on; edges and
    outlines at 3:1 (1.4.11, non-text)."""
    th = THEMES[name]
    for colour, grounds in TEXT_ON.items():
        for ground in grounds:
            ratio = contrast(getattr(th, colour), getattr(th, ground))
            assert ratio >= 4.5, (name, colour, ground, round(ratio, 2))
    for outline in ("edge", "unit_stroke"):
        assert contrast(getattr(th, outline), th.background) >= 3.0, (name, outline)


def grey(colour: str) -> float:
    """The grey a colour prints as (ITU-R 601 luma, what a greyscale conversion keeps)."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b


def test_print_is_black_on_white_and_its_signs_are_the_same_grey():
    th = THEMES["print"]
    assert (th.background, th.text) == ("#FFFFFF", "#000000")
    assert abs(grey(th.negative) - grey(th.positive)) < 15  # colour alone cannot tell the sign on paper…
    assert grey(th.edge) - max(grey(th.negative), grey(th.positive)) > 50  # …the dashes on a lighter edge do


def test_high_contrast_has_larger_numerals_than_dark():
    hc, dark = THEMES["high-contrast"], THEMES["dark"]
    for size in ("badge_size", "label_size", "card_size", "caption_size"):
        assert getattr(hc, size) > getattr(dark, size), size
    assert min(contrast(getattr(hc, c), hc.background) for c in TEXT_ON) >= 7  # AAA, beyond what is asked


def test_dark_is_the_default():
    assert THEMES["dark"] == Theme() and load_theme("dark") == Theme()


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_a_file_starts_from_its_base_and_changes_a_few_fields(tmp_path):
    th = load_theme(write(tmp_path, "t.toml", 'base = "light"\npositive = "#0000AA"\nbadge_size = 22\n'))
    light = THEMES["light"]
    assert (th.positive, th.badge_size) == ("#0000AA", 22.0)
    assert (th.background, th.negative, th.text, th.card_size) == (light.background, light.negative, light.text,
                                                                    light.card_size)
    th = load_theme(write(tmp_path, "t.json", json.dumps({"base": "high-contrast", "pace": 2})))
    assert th.pace == 2.0 and th.badge_size == THEMES["high-contrast"].badge_size
    assert load_theme(write(tmp_path, "plain.json", '{"text": "#111111"}')).background == Theme().background


@pytest.mark.parametrize("text, field, says", [
    ('base = "ligth"', "theme.base", "did you mean 'light'"),
    ("base = 3", "theme.base", "expected a theme name"),
    ('base = "light"\nnegatve = "#112233"', "theme.negatve", "did you mean 'negative'"),
    ('base = "print"\nnegative = "red"', "theme.negative", "colour"),
    ('base = "dark"\npace = 9', "theme.pace", "at most 4"),
    ('pace = 5e-324', "theme.pace", "at least 0.1"),  # was an internal error in the render
    ('caption_size = 5e-324', "theme.caption_size", "at least 0.5"),
    ('font = "DejaVu\\u0000Sans"', "theme.font", "expected a font name"),  # a NUL: internal error in Pango
])
def test_bad_fields_are_named(tmp_path, text, field, says):
    with pytest.raises(SpecError) as e:
        load_theme(write(tmp_path, "bad.toml", text))
    assert str(e.value).startswith(field + ":") and says in str(e.value)


def test_a_bad_name_lists_the_themes(capsys, tmp_path):
    with pytest.raises(SpecError) as e:
        load_theme("hight-contrast")
    assert "did you mean 'high-contrast'" in str(e.value) and "dark, light, print, high-contrast" in str(e.value)
    code, out, err = run(capsys, "transcript", "--theme", "sepia")
    assert code == 2 and out == "" and err.count("\n") == 1 and err.startswith("backprop: theme: unknown 'sepia'")
    code, out, err = run(capsys, "render", "--theme", write(tmp_path, "b.toml", 'base = "night"'),
                         "--output-dir", str(tmp_path / "out"))
    assert code == 2 and err.count("\n") == 1 and "theme.base" in err and not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", [n for n in THEMES if n != "dark"])
@pytest.mark.parametrize("preset", ["seed", "branching", "classifier", "deep-sigmoid"])
def test_every_theme_lays_out_the_presets_cleanly(name, preset):
    """Larger numerals must still fit: nothing overlaps or leaves the frame, every number placed."""
    from backprop.engine.timeline import build_timeline
    from backprop.story.layout import layout_network
    from backprop.story.texts import make_texts
    from tests.story.layout_checks import assert_clean, assert_every_number_placed, biases_of

    timeline = build_timeline(load_network(preset))
    layout = layout_network(timeline, THEMES[name], make_texts(timeline))
    assert_clean(layout)
    # biases may go to the table where their row has no room (said on screen: counted as left out)
    assert_every_number_placed(timeline, layout, biases=False)
    missing = 2 * len(biases_of(timeline)) - len(layout.bias) - len(layout.bias_badges)
    assert layout.numbers_left_out == missing and (missing == 0 or name == "high-contrast")
