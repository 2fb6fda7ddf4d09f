"""Arabic done properly: one date format per language on pages and in admin, Arabic units, user text isolated in its
own direction, and Arabic's six plural forms."""

import re
from datetime import date

import pytest
from django.utils import formats, translation

from surveys import photos, workflow
from tests import factories as f
from tests.test_admin_review import jpeg

SLASHED = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")
ISO = re.compile(r">[^<]*\b\d{4}-\d{2}-\d{2}\b[^<]*<")  # an ISO date in shown text (not in attributes)


def visible(html: str) -> str:
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    return re.sub(r"<(input|option|time)[^>]*>", "", html)


@pytest.mark.parametrize(("language", "expected"), [("en", "30 Nov 2026"), ("ar", "30 نوفمبر 2026")])
def test_one_date_format_per_language(language, expected):
    with translation.override(language):
        day = date(2026, 11, 30)
        assert formats.date_format(day) == expected
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == expected  # the short format is the same one
        assert formats.number_format(12500.5, 1, force_grouping=True) == "12,500.5"


def test_the_report_page_and_the_review_page_show_one_arabic_date_format(client, collector, supervisor):
    report = workflow.submit(f.survey(collector, activity_date=date(2025, 5, 31), gps_accuracy_m=25,
                                      latitude=35.95, longitude=39.01), collector)
    workflow.return_for_correction(report, supervisor, "The north wall is missing")

    client.force_login(collector)
    page = visible(client.get(f"/ar/reports/{report.pk}/").text)
    assert "31 مايو 2025" in page
    assert not SLASHED.search(page) and not ISO.search(page)
    assert "± 25 م" in page and "± 25 m" not in page
    assert '<p class="mb-0 mt-1" dir="auto">The north wall is missing</p>' in page  # English, isolated

    client.force_login(supervisor)
    page = visible(client.get(f"/ar/admin/surveys/surveyreport/{report.pk}/change/").text)
    assert "31 مايو 2025" in page
    assert not SLASHED.search(page)
    assert '<blockquote dir="auto">The north wall is missing</blockquote>' in page


@pytest.mark.parametrize(("count", "words"), [(1, "صورة واحدة"), (2, "صورتان"), (3, "3 صور"), (11, "11 صورة")])
def test_the_photo_count_takes_the_right_arabic_plural(client, collector, supervisor, count, words):
    report = f.survey(collector)
    for _ in range(count):
        photos.add_photo(report, jpeg(), collector)
    workflow.submit(report, collector)
    client.force_login(supervisor)
    page = client.get(f"/ar/admin/surveys/surveyreport/{report.pk}/change/").text
    assert f"<h2>{words}</h2>" in page


def test_user_text_is_isolated_on_the_home_page(client, collector):
    f.eore(collector, place_name="Camp Al-Hol")
    client.force_login(collector)
    page = client.get("/ar/").text
    assert "<bdi>Camp Al-Hol</bdi>" in page


def test_free_text_boxes_follow_what_is_typed(client, collector):
    client.force_login(collector)
    page = client.get("/ar/reports/new/eore/").text
    assert re.search(r'<input[^>]*name="place_name"[^>]*dir="auto"|<input[^>]*dir="auto"[^>]*name="place_name"', page)
    assert re.search(r'<textarea[^>]*name="notes"[^>]*dir="auto"|<textarea[^>]*dir="auto"[^>]*name="notes"', page)
