"""The indicators page's new figures (land by method, land-release beneficiaries, the monthly trend) and its charts:
the same figures on the page, in the CSV and in the API; empty sections said in one line; no sideways scrolling on a
phone in English or Arabic, and no serious accessibility violation (axe-core)."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from surveys import indicators
from surveys.indicators import Filters, MonthRow
from surveys.models import Report
from tests import factories as f
from tests import test_indicators
from tests.test_indicators import APPROVED, Q1, _clearance

world = test_indicators.world  # the hand-computed fixture of the indicators' tests

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture
def beneficiaries(world, collector):
    """s1 (closed in Q1) has two approved surveys: the later one's estimate counts. s2 is not closed: not counted."""
    f.set_status(f.survey(collector, site=world.s1, activity_date=date(2024, 11, 1), expected_beneficiaries=100),
                 APPROVED)
    f.set_status(f.survey(collector, site=world.s1, activity_date=date(2025, 2, 1), expected_beneficiaries=450),
                 APPROVED)
    f.set_status(f.survey(collector, site=world.s2, activity_date=date(2025, 2, 6), expected_beneficiaries=9_000),
                 APPROVED)
    f.set_status(f.survey(collector, site=world.s1, activity_date=date(2025, 3, 1), expected_beneficiaries=7_777),
                 Report.Status.SUBMITTED)  # not approved: ignored
    return world


def test_it_splits_land_released_by_method(world, imofficer, collector):
    _clearance(collector, world.s2, date(2025, 2, 12), (100, 200, 700), method="mdd")
    figures = indicators.compute(imofficer, Filters(**Q1))

    by_method = {row.method: row for row in figures.land_by_method}
    assert [row.method for row in figures.land_by_method] == ["manual", "mechanical", "mdd"]
    assert (by_method["manual"].clearance_reports, by_method["manual"].cleared_m2,
            by_method["manual"].released_m2) == (4, 9_500, 14_000)
    assert (by_method["mechanical"].clearance_reports, by_method["mechanical"].cleared_m2) == (0, 0)
    assert (by_method["mdd"].cleared_m2, by_method["mdd"].released_m2) == (700, 1_000)
    assert sum(row.released_m2 for row in figures.land_by_method) == figures.land.total_m2


def test_it_sums_the_beneficiaries_of_the_sites_closed(beneficiaries, imofficer):
    assert indicators.compute(imofficer, Filters(**Q1)).land_beneficiaries == 450
    assert indicators.compute(imofficer, Filters(date_from=date(2025, 4, 1))).land_beneficiaries == 0


def test_the_trend_has_every_month_from_the_first_to_the_last(world, imofficer):
    trend = indicators.compute(imofficer, Filters(**Q1)).trend

    assert trend == [
        MonthRow(date(2025, 1, 1), released_m2=4_500, items_destroyed=12, people_reached=43),
        MonthRow(date(2025, 2, 1), released_m2=4_000, items_destroyed=20, people_reached=0),
        MonthRow(date(2025, 3, 1), released_m2=5_500, items_destroyed=5, people_reached=38),
    ]
    whole = indicators.compute(imofficer, Filters()).trend
    assert [row.month for row in whole] == [date(2025, m, 1) for m in range(1, 5)]
    assert whole[3] == MonthRow(date(2025, 4, 1), 0, 0, 34)  # April: one session, no land, no item


def test_months_with_nothing_between_two_months_are_zeros(world, imofficer, collector):
    _clearance(collector, world.s2, date(2025, 7, 3), (0, 0, 10))
    months = indicators.compute(imofficer, Filters(date_from=date(2025, 3, 1))).trend
    assert [row.month.month for row in months] == [3, 4, 5, 6, 7]
    assert months[2] == MonthRow(date(2025, 5, 1), 0, 0, 0)


def test_the_csv_and_the_api_hold_the_new_figures(beneficiaries, imofficer, client, api):
    client.force_login(imofficer)
    response = client.get("/en/figures/indicators.csv", {"date_from": "2025-01-01", "date_to": "2025-03-31"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode().removeprefix("\ufeff"))))
    values = {row[1]: row[3] for row in rows[1:]}
    assert values["land.method.manual.cleared_m2"] == "9500"
    assert values["land.method.mdd.released_m2"] == "0"
    assert values["land.beneficiaries"] == "450"
    assert values["trend.2025-02.items_destroyed"] == "20"
    assert values["trend.2025-03.people_reached"] == "38"
    assert values["land.total_m2"] == "14000"  # the existing keys are unchanged

    data = api(imofficer).get("/api/v1/indicators/", {"date_from": "2025-01-01", "date_to": "2025-03-31"}).json()
    assert data["land_beneficiaries"] == 450
    assert data["land_by_method"][0] == {"method": "manual", "label": "Manual", "clearance_reports": 4,
                                         "cleared_m2": 9_500, "released_m2": 14_000}
    assert data["trend"][0] == {"month": "2025-01-01", "released_m2": 4_500, "items_destroyed": 12,
                                "people_reached": 43}


def test_the_page_draws_a_chart_per_figure(beneficiaries, imofficer, client):
    client.force_login(imofficer)
    page = client.get("/en/figures/", {"date_from": "2025-01-01", "date_to": "2025-03-31"}).content.decode()

    assert page.count("<svg") == 9
    for title in ("Sites by type and status", "Land released (m²)", "Land cleared by method (m²)",
                  "Explosive items destroyed, by category (count)", "Explosive items destroyed, by category (tonnes)",
                  "People reached by sex and age", "Land released per month (m²)"):
        assert f'class="chart-title">{title}</figcaption>' in page
    assert 'id="land-beneficiaries">450<' in page
    assert "Manual: 9,500 m²" in page  # the chart's numbers, in its description


def test_sections_with_nothing_say_so_in_one_line(org, collector, donor, client):
    """A donor whose grant funded clearance but no risk education."""
    site = f.site(org)
    _clearance(collector, site, date(2025, 1, 20), (0, 0, 2_000), project=donor.projects.get())
    client.force_login(donor)
    page = client.get("/en/figures/").content.decode()

    assert "No risk-education session for these filters." in page
    assert "People reached by sex and age" not in page
    assert "Girls" not in page  # no tiles of zeros
    assert "Land cleared by method (m²)" in page  # what there is, is drawn
    assert "No explosive item destroyed for these filters." in page

    page = client.get("/en/figures/", {"date_from": "2020-01-01", "date_to": "2020-12-31"}).content.decode()
    assert "<svg" not in page and "<table" not in page
    for line in ("No site surveyed, worked on or closed for these filters.", "No land released for these filters.",
                 "No explosive item destroyed for these filters.", "No risk-education session for these filters.",
                 "Nothing for these filters."):
        assert line in page


def test_the_arabic_page_draws_right_to_left_with_arabic_units(world, supervisor, client):
    client.force_login(supervisor)
    page = client.get("/ar/figures/", {"date_from": "2025-01-01", "date_to": "2025-03-31"}).content.decode()

    assert 'direction="rtl"' in page and 'direction="ltr"' not in page
    assert "m²" not in page.split("<main")[1]  # units in Arabic: م²
    assert "م²" in page


# In Chromium, at 360 px -----------------------------------------------------------------------------------------------


AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


@pytest.fixture
def a11y_page(browser, browser_context_args):
    """A page whose context lets axe-core (vendored for the tests only) be injected: the site's Content-Security-
    Policy allows no inline script. The policy itself is tested by test_csp_browser.py on the same pages."""
    context = browser.new_context(**browser_context_args, bypass_csp=True)
    yield context.new_page()
    context.close()


def axe_violations(page) -> list[str]:
    """Serious and critical axe-core violations on the page (axe is vendored for the tests only)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]
            if v["impact"] in ("serious", "critical")]


def _sign_in(page, live_server, language, username):
    page.goto(f"{live_server.url}/{language}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f.PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit], form:has(input[name=password]) button").first.click()
    page.wait_for_selector("main")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_charts_fit_a_phone(world, imofficer, live_server, a11y_page, language):
    page = a11y_page
    page.set_viewport_size({"width": 360, "height": 740})
    _sign_in(page, live_server, language, "imofficer")
    page.goto(f"{live_server.url}/{language}/figures/?date_from=2025-01-01&date_to=2025-03-31")
    page.wait_for_selector("svg.chart")

    assert page.locator("svg.chart").count() == 9
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
    for svg in page.locator("svg.chart").all():
        box = svg.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"indicators-360-{language}.png"), full_page=True)
    assert axe_violations(page) == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_charts_print_without_the_controls(world, imofficer, live_server, page):
    _sign_in(page, live_server, "en", "imofficer")
    page.goto(f"{live_server.url}/en/figures/?date_from=2025-01-01&date_to=2025-03-31")
    page.wait_for_selector("svg.chart")
    page.emulate_media(media="print")

    assert not page.locator("form[aria-label='Filters']").is_visible()
    assert not page.locator(".app-nav").is_visible()
    assert page.locator("svg.chart").first.is_visible()
