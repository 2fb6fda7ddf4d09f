"""The maps in Chromium: a field team's sites on a 360 px phone, a donor's figures map, and the admin's queue map, in
English and Arabic. Each waits for the map to have drawn its features, checks nothing scrolls sideways and nothing is
asked of another host, runs axe-core (no serious or critical violation), and leaves a screenshot in test-artifacts/."""

import random
from pathlib import Path

import pytest
from playwright.sync_api import expect

from surveys.models import AdminArea, Report, SiteStatus
from tests import factories as f
from tests.test_browser_forms import PHONE, screenshot, sign_in
from tests.test_maps import square

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


@pytest.fixture
def mapped(org, team, collector, project, supervisor, donor):
    """Three hundred sites around Raqqa (enough to cluster), a few with outlines, reports in the queue."""
    raqqa = AdminArea.objects.create(level=1, name_en="Raqqa", name_ar="الرقة", pcode="SY11")
    rng = random.Random(7)
    statuses = [SiteStatus.OPEN, SiteStatus.WORKED_ON, SiteStatus.CLOSED]
    for i in range(300):
        lat, lon = round(rng.uniform(35.8, 36.0), 5), round(rng.uniform(38.9, 39.2), 5)
        site = f.site(org, team=team, name=f"مدرسة {i}", latitude=lat, longitude=lon, admin_area=raqqa,
                      status=statuses[i % 3], polygon=square(lat, lon) if i % 10 == 0 else None)
        if i % 5 == 0:
            f.set_status(f.survey(collector, site=site, project=project, latitude=lat, longitude=lon),
                         Report.Status.APPROVED)
    for _ in range(20):
        f.set_status(f.survey(collector, latitude=rng.uniform(35.8, 36.0), longitude=rng.uniform(38.9, 39.2)),
                     Report.Status.SUBMITTED)


def axe_violations(page) -> list[str]:
    # Evaluated by the browser's tooling, not injected as a <script>: the page's CSP (script-src 'self') stays on.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]
            if v["impact"] in ("serious", "critical")]


def check_map(page, live_server, name: str) -> None:
    block = page.locator("[data-sites-map]")
    expect(block).to_have_attribute("data-state", "ready")
    assert int(block.get_attribute("data-features")) > 0
    expect(page.locator(".map-cluster").first).to_be_visible()  # clustered, not 300 dots
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert all(url.startswith(live_server.url) for url in page.requests), page.requests  # no other host
    screenshot(page, name)
    assert axe_violations(page) == []


@pytest.fixture
def open_page(browser):
    contexts = []

    def make(viewport: dict | None = None):
        context = browser.new_context(**{**PHONE, **(viewport or {})}, locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.requests = []
        page.on("request", lambda request: page.requests.append(request.url))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_field_team_sees_its_sites_on_a_phone(open_page, live_server, mapped, collector, lang):
    page = open_page()
    sign_in(page, live_server, collector, lang)
    page.goto(f"{live_server.url}/{lang}/map/")
    check_map(page, live_server, f"map-field-360-{lang}")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    page.locator(".map-cluster").first.click()  # a cluster opens up: the map zooms in and asks again
    expect(page.locator("[data-sites-map]")).to_have_attribute("data-state", "ready")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_donor_sees_the_figures_map_on_a_phone(open_page, live_server, mapped, donor, lang):
    page = open_page()
    sign_in(page, live_server, donor, lang)
    page.goto(f"{live_server.url}/{lang}/figures/map/")
    check_map(page, live_server, f"map-donor-360-{lang}")


def test_a_supervisor_sees_the_queue_on_the_admin_map(open_page, live_server, mapped, supervisor):
    page = open_page({"viewport": {"width": 1366, "height": 900}, "is_mobile": False, "has_touch": False,
                      "device_scale_factor": 1})
    sign_in(page, live_server, supervisor, "en")
    page.goto(f"{live_server.url}/en/admin/map/?layer=sites")
    check_map(page, live_server, "map-admin-sites-1366-en")
    page.goto(f"{live_server.url}/en/admin/map/")
    expect(page.locator("[data-sites-map]")).to_have_attribute("data-state", "ready")
    assert int(page.locator("[data-sites-map]").get_attribute("data-features")) == 80  # 60 approved + 20 submitted
    assert axe_violations(page) == []


def test_without_javascript_the_map_page_is_a_list(browser, live_server, mapped, collector):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, collector, "en")
    page.goto(f"{live_server.url}/en/map/")
    expect(page.locator(".map-list li").first).to_be_visible()
    expect(page.locator("[data-sites-map]")).to_be_hidden()
    expect(page.get_by_role("link", name="The same as GeoJSON")).to_be_visible()
    screenshot(page, "map-field-360-en-nojs")
    context.close()
