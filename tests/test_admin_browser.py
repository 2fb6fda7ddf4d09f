"""A supervisor's day in admin, in Chromium: the queue, a flagged report with its map, a return with a comment, three
approvals at once, and the site's figures changing."""

import pytest
from playwright.sync_api import expect

from surveys import workflow
from surveys.models import Report, ReviewEvent, Site
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
POLYGON = {"type": "Polygon", "coordinates": [[[39.0, 35.9], [39.001, 35.9], [39.001, 35.901], [39.0, 35.9]]]}



def test_a_supervisor_reviews_the_queue_in_admin(page, live_server, collector, supervisor, org, settings):
    settings.MAP_TILE_URL = ""
    site = f.site(org, name="Al-Rashid school", estimated_area_m2=20_000)
    flagged = workflow.submit(f.clearance(collector, site, gps_accuracy_m=150, polygon=POLYGON), collector)
    others = [workflow.submit(f.clearance(collector, site, cleared_area_m2=1_000, reduced_area_m2=0,
                                          cancelled_area_m2=0), collector) for _ in range(3)]
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{live_server.url}/en/admin/login/")
    page.fill("#id_username", "supervisor")
    page.fill("#id_password", f.PASSWORD)
    page.click("input[type=submit]")
    overview = page.locator("#review-queue-overview")
    assert "4 reports waiting for review" in overview.text_content()

    overview.get_by_role("link", name="Waiting, with a flag").click()
    page.get_by_role("link", name="Poor GPS accuracy").click()  # the flag filter
    page.wait_for_url("**flag=gps_poor**")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    rows.get_by_role("link", name=flagged.reference).click()

    page.wait_for_selector("#review-map[data-ready='1']")
    assert errors == []
    assert page.locator("#review-map path.leaflet-interactive").count() == 3  # outline, accuracy circle, point
    assert page.locator("#review-map .leaflet-tile").count() == 0
    page.fill("#review-comment", "The GPS fix is 150 m off: take the point again at the gate")
    page.get_by_role("button", name="Return for correction").click()
    expect(page.locator(".messagelist")).to_contain_text(f"{flagged.reference} returned.")
    assert "The GPS fix is 150 m off" in page.locator(".review-timeline").inner_text()

    page.goto(f"{live_server.url}/en/admin/surveys/report/?status__exact=submitted")
    for report in others:
        page.locator(f"input.action-select[value='{report.pk}']").check()
    page.select_option("select[name=action]", "approve_selected")
    page.click("button[name=index]")
    expect(page.locator("#review-flagged > ul > li")).to_have_count(3)  # confirmation: all three have no photo
    page.click(".submit-row input[type=submit]")
    expect(page.locator(".messagelist")).to_contain_text("3 approved")

    page.goto(f"{live_server.url}/en/admin/surveys/site/{site.pk}/change/")
    assert page.locator(".field-cleared_area_m2 .readonly").inner_text() == "3000"
    assert page.locator(".field-remaining .readonly").inner_text() == "17000"

    assert Report.objects.get(pk=flagged.pk).status == Report.Status.RETURNED
    assert ReviewEvent.objects.filter(action="approve").count() == 3
    assert Site.objects.get(pk=site.pk).cleared_area_m2 == 3_000
    assert all(url.startswith(live_server.url) for url in requests)  # nothing loaded from the internet
