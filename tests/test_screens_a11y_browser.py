"""In Chromium: the review queue fits 1366 px, the review page explains its flags, a return without comment keeps the
page as it was, and axe-core finds no serious or critical violation on the review and report pages."""

import pytest
from playwright.sync_api import expect

from surveys import photos, workflow
from surveys.flags import refresh_flags
from tests import factories as f
from tests import test_indicators_charts
from tests.test_admin_review import jpeg
from tests.test_indicators_charts import ARTIFACTS, axe_violations
from tests.test_validation import SQUARE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
a11y_page = test_indicators_charts.a11y_page  # the fixture: a page that lets axe-core in


def _admin_sign_in(page, live_server, language="en"):
    page.goto(f"{live_server.url}/{language}/admin/login/")
    page.fill("#id_username", "supervisor")
    page.fill("#id_password", f.PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#content")


def _flagged_survey(collector):
    report = f.survey(collector, polygon=SQUARE, estimated_area_m2=6_000, gps_accuracy_m=120,
                      site_name="Al-Rashid school and the long road to the water plant",
                      place_name="Al-Mashlab", contamination=["ied", "uxo"])
    photos.add_photo(report, jpeg(), collector)
    refresh_flags(report)
    return workflow.submit(report, collector)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_queue_fits_1366_px_and_the_review_page_passes_axe(a11y_page, live_server, collector, supervisor, settings,
                                                               language):
    page = a11y_page
    settings.MAP_TILE_URL = ""
    settings.GPS_ACCURACY_WARN_M = 50
    report = _flagged_survey(collector)
    for i in range(3):
        workflow.submit(f.eore(collector, place_name=f"Camp {i}", photos_expected=2, gps_accuracy_m=90), collector)
    page.set_viewport_size({"width": 1366, "height": 800})
    _admin_sign_in(page, live_server, language)

    page.goto(f"{live_server.url}/{language}/admin/surveys/report/")
    page.wait_for_selector("#result_list")
    # Every column, the last one included, is shown: neither the page nor the list's own box scrolls sideways.
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 1366
    assert page.evaluate("(() => { const r = document.querySelector('#changelist .results');"
                         " return r.scrollWidth <= r.clientWidth; })()")
    results = page.locator("#changelist .results").bounding_box()
    for column in ("flag_badges", "photos", "queue_age"):
        box = page.locator(f"#result_list th.column-{column}").bounding_box()
        assert box["x"] >= results["x"] - 1 and box["x"] + box["width"] <= results["x"] + results["width"] + 1, column
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"review-queue-1366-{language}.png"))
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/{language}/admin/surveys/surveyreport/{report.pk}/change/")
    page.wait_for_selector("#review-map[data-ready='1']")
    expect(page.locator("#review-explanations li")).to_have_count(2)  # outline mismatch, poor GPS
    assert axe_violations(page) == []

    # Return without a comment: the same page, the error beside the box, nothing moved.
    page.get_by_role("button", name="Return for correction" if language == "en" else "إعادة للتصحيح").click()
    page.wait_for_selector("#review-comment-error")
    expect(page.locator("#review-comment")).to_have_attribute("aria-invalid", "true")
    page.wait_for_selector("#review-map[data-ready='1']")
    assert page.locator(".review-photos img").count() == 1
    page.screenshot(path=str(ARTIFACTS / f"review-return-without-comment-{language}.png"), full_page=True)
    assert axe_violations(page) == []


def test_the_collectors_report_page_passes_axe(a11y_page, live_server, collector):
    page = a11y_page
    report = f.survey(collector, polygon=SQUARE, estimated_area_m2=9_000, latitude=35.9504, longitude=39.0005,
                      notes="Rubble near the gate")
    photos.add_photo(report, jpeg(), collector)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/ar/login/")
    page.fill("input[name=username]", "collector")
    page.fill("input[name=password]", f.PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit], form:has(input[name=password]) button").first.click()
    page.wait_for_selector("main")
    page.goto(f"{live_server.url}/ar/reports/{report.pk}/")
    page.wait_for_selector("svg.outline-map")

    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
    page.screenshot(path=str(ARTIFACTS / "report-360-ar.png"), full_page=True)
    assert axe_violations(page) == []
