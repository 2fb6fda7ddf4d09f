"""The phone's copy of the sites a worker may pick (static/js/outbox/sites.js), in Chromium: synced while online, it lets
the form's site search find a site the page does not list with no network at all; the report saved then reaches the
server with that site; signing out empties the copy."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from surveys.forms import SITES_LISTED
from surveys.models import ClearanceReport, Site
from tests import factories as f
from tests.factories import YESTERDAY
from tests.test_offline_sync import (  # noqa: F401 (browser_context_args: the same phone)
    browser_context_args,
    open_app,
    outbox,
    wait_for_draft,
    wait_for_empty_outbox,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# How many sites the phone's copy holds (-1: no copy database yet), read without creating it.
READ_SITES = """() => new Promise((resolve) => {
  const open = indexedDB.open("fieldapp-sites");
  let created = false;
  open.onupgradeneeded = () => { created = true; open.transaction.abort(); };
  open.onerror = () => resolve(-1);
  open.onsuccess = () => {
    const db = open.result;
    const count = db.transaction("sites").objectStore("sites").count();
    count.onsuccess = () => { db.close(); resolve(count.result); };
  };
})"""


@pytest.fixture
def far_site(org, team):
    """The team's site changed longest ago, among many: the form does not list it."""
    site = f.site(org, team=team, name="مدرسة الرشيد الابتدائية")
    Site.objects.filter(pk=site.pk).update(updated_at=timezone.now() - timedelta(days=400))
    for i in range(SITES_LISTED + 15):
        f.site(org, team=team, name=f"School {i}")
    return site


def test_a_site_the_form_does_not_list_is_found_offline_and_the_report_reaches_the_server_with_it(
        page, live_server, collector, far_site):
    open_app(page, live_server, collector)
    page.goto(f"{live_server.url}/en/reports/new/clearance/#new")
    choices = Site.objects.filter(team=collector.team).count()
    page.wait_for_selector(f"html[data-sites-synced='{choices}']", state="attached")
    assert page.locator(f"#id_site option[value='{far_site.pk}']").count() == 0
    expect(page.locator("[data-sites-kept]")).to_be_visible()

    page.context.set_offline(True)
    page.fill("#site-search", "الرشيد")
    expect(page.locator("#id_site")).to_have_value(str(far_site.pk))  # the one match is picked
    page.fill("#site-search", "")  # the pick stays; the restored draft below has no search to find it again by
    expect(page.locator("#id_site")).to_have_value(str(far_site.pk))
    page.fill("[name=activity_date]", YESTERDAY.isoformat())
    page.check("[name=method][value=manual]")
    page.fill("[name=start_date]", YESTERDAY.isoformat())
    page.fill("[name=end_date]", YESTERDAY.isoformat())
    page.fill("[name=cleared_area_m2]", "3000")
    wait_for_draft(page, {"site": str(far_site.pk), "site_q": "", "cleared_area_m2": "3000"})

    page.reload()  # offline: the cached form, and the draft kept on the phone
    page.wait_for_selector("[data-draft-notice]")
    expect(page.locator("#id_site")).to_have_value(str(far_site.pk))  # put back from the copy of the sites

    page.click("button[name=save]")
    page.wait_for_url(f"{live_server.url}/en/")
    assert [r["state"] for r in outbox(page)["reports"]] == ["queued"]

    page.context.set_offline(False)  # the "online" event sends it
    wait_for_empty_outbox(page)
    assert ClearanceReport.objects.get().site == far_site

    page.click("form[data-signout] button")
    page.wait_for_url("**/login/**")
    assert page.evaluate(READ_SITES) == 0
