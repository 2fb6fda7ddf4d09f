"""surveys.charts: series in, inline SVG out; zeros never drawn; right to left in Arabic; the numbers in the text."""

import re
from decimal import Decimal

from django.utils import translation

from surveys import charts


def _rects(svg: str) -> list[dict]:
    return [dict(re.findall(r'(\w+)="([^"]*)"', tag)) for tag in re.findall(r"<rect [^>]*>", svg)]


def _texts(svg: str) -> list[str]:
    return re.findall(r"<text [^>]*>([^<]*)</text>", svg)


def test_it_draws_one_bar_per_value_in_proportion():
    svg = charts.bars("Land", [("Cancelled", 1_000), ("Reduced", 0), ("Cleared", 4_000)], unit="m²",
                      empty_message="Nothing")

    widths = [float(r["width"]) for r in _rects(svg)]
    assert len(widths) == 2  # the zero is left out
    assert widths[1] == charts.WIDTH - 90  # the largest fills the room left for its value
    assert widths[0] == widths[1] / 4
    assert "Reduced" not in _texts(svg)
    assert "1,000 m²" in _texts(svg) and "4,000 m²" in _texts(svg)


def test_it_says_so_in_one_line_when_everything_is_zero():
    html = charts.bars("Land", [("Cancelled", 0), ("Cleared", 0)], empty_message="No land released.")
    assert html == '<p class="chart-empty">No land released.</p>'
    assert charts.pyramid("People", [("0–4", 0, 0)], left="M", right="F", empty_message="No one") \
        == '<p class="chart-empty">No one</p>'
    assert "<svg" not in charts.columns("Trend", [], empty_message="Nothing")
    assert "<svg" not in charts.grouped_bars("Sites", ["a", "b"], [("School", (0, 0))], empty_message="None")


def test_screen_readers_get_a_title_and_every_number():
    svg = charts.bars("Items destroyed", [("Unexploded ordnance", 1234), ("Improvised explosive device", 7)],
                      empty_message="None")

    assert 'role="img"' in svg
    labelled = re.search(r'aria-labelledby="(\S+) (\S+)"', svg)
    assert f'<figcaption id="{labelled[1]}" class="chart-title">Items destroyed</figcaption>' in svg
    desc = re.search(rf'<desc id="{labelled[2]}">([^<]*)</desc>', svg)[1]
    assert desc == "Unexploded ordnance: 1,234; Improvised explosive device: 7"


def test_it_escapes_labels():
    svg = charts.bars("<b>", [("<script>alert(1)</script>", 3)], empty_message="None")
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_it_mirrors_bars_and_says_rtl_in_arabic():
    ltr = charts.bars("Land", [("Cleared", 10), ("Reduced", 5)], empty_message="None", rtl=False)
    rtl = charts.bars("Land", [("Cleared", 10), ("Reduced", 5)], empty_message="None", rtl=True)

    assert 'direction="ltr"' in ltr and 'direction="rtl"' in rtl
    for left, right in zip(_rects(ltr), _rects(rtl), strict=True):
        assert float(left["x"]) == 0  # bars start at the reading start: the left…
        assert float(right["x"]) + float(right["width"]) == charts.WIDTH  # …or the right edge


def test_it_follows_the_current_language_for_direction_and_numbers():
    with translation.override("ar"):
        svg = charts.bars("الأرض", [("مُزال", 12_500)], unit="م²", empty_message="لا شيء")
    assert 'direction="rtl"' in svg
    assert "12,500 م²" in _texts(svg)  # grouped (fieldapp/formats/ar), with the Arabic unit


def test_decimals_are_kept_for_tonnes():
    svg = charts.bars("Tonnes", [("UXO", Decimal("0.068"))], unit="t", decimals=3, empty_message="None")
    assert "0.068 t" in _texts(svg)


def test_grouped_bars_leave_out_empty_groups_and_keep_a_legend():
    svg = charts.grouped_bars("Sites", ["Surveyed", "Worked on", "Closed"],
                              [("School", (3, 2, 1)), ("Bridge", (0, 0, 0)), ("Road", (1, 0, 0))],
                              empty_message="None")
    texts = _texts(svg)
    assert "Bridge" not in texts
    assert {"Surveyed", "Worked on", "Closed", "School", "Road"} <= set(texts)
    assert "School: Surveyed 3, Worked on 2, Closed 1; Road: Surveyed 1, Worked on 0, Closed 0" in svg


def test_the_pyramid_puts_the_youngest_at_the_bottom_and_sides_apart():
    svg = charts.pyramid("People", [("0–4", 4, 2), ("60+", 1, 8)], left="Male", right="Female",
                         empty_message="None", rtl=False)
    rects = _rects(svg)
    # 60+ first (top row), then 0–4; male bars end at the middle, female bars start after the label column.
    male_60, female_60, male_04, female_04 = rects
    assert float(male_60["y"]) < float(male_04["y"])
    middle_start = float(male_04["x"]) + float(male_04["width"])
    assert float(male_60["x"]) + float(male_60["width"]) == middle_start
    assert float(female_04["x"]) > middle_start
    assert float(female_60["width"]) == 2 * float(male_04["width"])  # 8 vs 4, one scale for both sides
    assert "0–4: Male 4, Female 2; 60+: Male 1, Female 8" in svg


def test_columns_run_in_reading_order_and_label_the_peak():
    rows = [("Jan", 10), ("Feb", 0), ("Mar", 30)]
    ltr, rtl = (charts.columns("Trend", rows, unit="m²", empty_message="None", rtl=flag) for flag in (False, True))

    ltr_x = [float(r["x"]) for r in _rects(ltr)]
    rtl_x = [float(r["x"]) for r in _rects(rtl)]
    assert len(ltr_x) == 2 and ltr_x[0] < ltr_x[1]  # January on the left…
    assert rtl_x[0] > rtl_x[1]  # …on the right in Arabic
    assert "30 m²" in _texts(ltr)
    assert "Jan: 10 m²; Feb: 0 m²; Mar: 30 m²" in ltr


def test_many_months_keep_their_labels_apart():
    rows = [(f"M{i:02d}", i) for i in range(1, 37)]
    svg = charts.columns("Trend", rows, empty_message="None", rtl=False)
    labels = [t for t in _texts(svg) if t.startswith("M")]
    assert 4 <= len(labels) <= 7
    assert labels[0] == "M01"
