"""Every page works under the Content-Security-Policy, in Chromium: no violation is reported (securitypolicyviolation
events, console errors) on the field pages (with the form map open), the admin review page with its map, the
indicators and exports pages, the account pages and the API docs."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from surveys import workflow
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

POLYGON = {"type": "Polygon", "coordinates": [[[39.0, 35.9], [39.001, 35.9], [39.001, 35.901], [39.0, 35.9]]]}
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


@pytest.fixture
def watched(browser):
    """A phone-sized page that records every CSP violation, from events and from the console."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, permissions=["geolocation"],
                                  geolocation={"latitude": 35.95, "longitude": 39.01, "accuracy": 10})
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.console_csp = []
    page.on("console", lambda m: page.console_csp.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    context.close()


def visit(page, url: str, ready: str):
    """Open a page, wait for its own ready state, and return the violations it reported."""
    page.goto(url)
    page.wait_for_selector(ready, state="attached")
    return page.evaluate("window.__csp") + [text for text in page.console_csp if text not in visit.seen]


visit.seen = []


def sign_in(page, live_server, user, path="/en/login/", button="form button.btn-primary"):
    page.goto(f"{live_server.url}{path}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", f.PASSWORD)
    page.locator(button).click()
    page.wait_for_load_state()


def test_the_field_pages_run_under_the_policy(watched, live_server, collector, site, settings):
    settings.MAP_TILE_URL = ""
    draft = f.survey(collector)
    returned = f.clearance(collector, site)
    page = watched
    violations = visit(page, f"{live_server.url}/en/login/", "#id_username")
    violations += visit(page, f"{live_server.url}/en/password-reset/", "#id_email")
    violations += visit(page, f"{live_server.url}/ar/login/", "#id_username")
    sign_in(page, live_server, collector)
    pages = {
        "/en/": ".report-list", "/ar/": ".report-list",
        "/en/reports/new/survey/": "form[data-kind]", "/en/reports/new/clearance/": "form[data-kind]",
        "/en/reports/new/eore/": "form[data-kind]", "/ar/reports/new/survey/": "form[data-kind]",
        f"/en/reports/{draft.pk}/": "main h1", f"/en/reports/{draft.pk}/edit/": "form[data-kind]",
        f"/en/reports/{returned.pk}/edit/": "form[data-kind]",
        "/en/account/": "[data-tokens]", "/en/account/password/": "[data-password-change]",
    }
    too_wide = []
    for path, ready in pages.items():
        violations += [f"{path}: {v}" for v in visit(page, f"{live_server.url}{path}", ready)]
        if page.evaluate("document.documentElement.scrollWidth") > 360:  # mobile first: no sideways scrolling
            too_wide.append(path)
        if path in ("/en/account/", "/ar/"):
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=ARTIFACTS / f"csp-{path.strip('/').replace('/', '-')}.png", full_page=True)
    assert too_wide == []
    # The form's map (Leaflet, loaded on demand) and the photo previews.
    page.goto(f"{live_server.url}/en/reports/new/survey/")
    page.get_by_role("button", name="Use my location").click()
    page.get_by_role("button", name="Show the map and draw the outline").click()
    expect(page.locator("[data-map] .leaflet-container, [data-map].leaflet-container")).to_have_count(1)
    box = page.locator("[data-map]").bounding_box()
    page.locator("[data-map]").click(position={"x": box["width"] / 2, "y": box["height"] / 3})
    expect(page.locator("[data-map-status]")).to_have_text(re.compile("1"))
    violations += page.evaluate("window.__csp") + page.console_csp
    assert violations == []


def test_the_review_indicators_and_api_docs_run_under_the_policy(watched, live_server, collector, supervisor, org,
                                                                 settings):
    settings.MAP_TILE_URL = ""
    site = f.site(org, name="Al-Rashid school", estimated_area_m2=20_000)
    report = workflow.submit(f.clearance(collector, site, polygon=POLYGON), collector)
    page = watched
    sign_in(page, live_server, supervisor, "/en/admin/login/", "input[type=submit]")
    pages = {
        "/en/admin/": "#review-queue-overview",
        "/en/admin/surveys/report/": "#result_list",
        f"/en/admin/surveys/clearancereport/{report.pk}/change/": "#review-map[data-ready='1']",
        f"/en/admin/surveys/site/{site.pk}/change/": "#content-main",
        "/en/figures/": "main form", "/en/figures/exports/": "main form", "/ar/figures/": "main form",
        "/api/docs/": ".opblock",
    }
    violations = []
    for path, ready in pages.items():
        violations += [f"{path}: {v}" for v in visit(page, f"{live_server.url}{path}", ready)]
    assert violations == []

    # The listener hears a violation: an injected inline script is blocked and reported.
    page.goto(f"{live_server.url}/en/admin/")
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
                  " document.body.append(s); }")
    page.wait_for_function("window.__csp.length > 0")
    assert page.evaluate("window.ran") is None
