"""Corrections offline (Chromium at 360×740, service worker on): a report returned for correction is listed first on
home with the supervisor's comment; its form opens without a network, thumbnails included, once home was visited
online; Save/Submit go through the outbox like a new report; and a report the supervisor changed meanwhile keeps the
worker's edits on the phone as a draft."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys import workflow
from surveys.models import Report
from surveys.photos import add_photo
from tests import factories as f
from tests.test_offline_sync import (
    PHOTO,
    add_photos,
    open_app,
    outbox,
    wait_for_draft,
    wait_for_empty_outbox,
    wait_until,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True}


def returned_survey(collector, supervisor, comment="The area is 12 000 m², not 1 200.") -> Report:
    report = f.survey(collector, estimated_area_m2=1200, photos_expected=1)
    add_photo(report, SimpleUploadedFile("before.jpg", PHOTO, "image/jpeg"), collector, caption="before")
    workflow.submit(report, collector)
    return workflow.return_for_correction(report, supervisor, comment).specific


def open_home_for_offline(page, live_server, collector):
    """Home, online: the shell, the latest reports' pages, the correction forms and their thumbnails are kept."""
    open_app(page, live_server, collector)
    page.wait_for_selector("html[data-shell-reports]", state="attached", timeout=15_000)


def thumbnails_shown(page) -> bool:
    return page.evaluate("""() => Array.from(document.querySelectorAll("[data-photo-list] [data-stored] img"))
                                 .every(img => img.complete && img.naturalWidth > 0)""")


def test_a_returned_report_corrected_offline_is_sent_once_with_its_photos(page, live_server, collector, supervisor,
                                                                          teammate):
    report = returned_survey(collector, supervisor)
    teammates = f.survey(teammate, site_name="Teammate's site")
    open_home_for_offline(page, live_server, collector)
    assert page.get_attribute("html", "data-storage-persisted") in ("true", "false")  # asked for, whatever the answer
    first = page.locator(".to-correct [data-returned]").first
    assert first.get_attribute("data-returned") == str(report.pk)  # returned reports come first, with the comment
    assert page.locator(".to-correct").get_attribute("data-to-correct") == "1"

    page.context.set_offline(True)
    page.goto(f"{live_server.url}/en/reports/{teammates.pk}/")  # the team's latest reports can be read offline
    assert page.locator("h1").inner_text().startswith(teammates.reference)
    page.goto(f"{live_server.url}/en/reports/{report.pk}/edit/")  # from the phone: no network
    page.wait_for_selector("form.report-form[data-rules-version]")
    assert wait_until(page, lambda: thumbnails_shown(page), timeout=5)
    page.fill("[name=estimated_area_m2]", "12000")
    add_photos(page, 1, captions=["after"])
    wait_for_draft(page, {"estimated_area_m2": "12000"}, photos=1, captions=["after"])

    page.reload()  # still offline: the page from the phone, the edits from the outbox
    assert wait_until(page, lambda: page.input_value("[name=estimated_area_m2]") == "12000", timeout=5)
    assert page.locator("[data-photo-list] .photo-card").count() == 2  # the stored photo and the new one
    page.click("button[name=submit]")
    page.wait_for_url(f"{live_server.url}/en/")
    page.wait_for_selector("[data-outbox][data-waiting='1'][data-outbox-state='offline']", state="attached")
    report.refresh_from_db()
    assert (report.status, report.estimated_area_m2) == ("returned", 1200)  # nothing reached the server yet

    page.context.set_offline(False)
    wait_for_empty_outbox(page)
    report.refresh_from_db()
    assert (report.status, report.estimated_area_m2) == ("submitted", 12000)
    assert sorted(report.photos.values_list("caption", flat=True)) == ["after", "before"]
    assert (report.photos_expected, report.waiting_for_photos) == (2, False)
    events = list(report.review_events.order_by("at", "pk").values_list("to_status", "comment"))
    assert events == [("submitted", ""), ("returned", "The area is 12 000 m², not 1 200."), ("submitted", "")]
    assert report.history.filter(estimated_area_m2=1200).exists()  # the reviewer's diff still has the old figure


def test_a_report_changed_by_the_supervisor_meanwhile_keeps_the_workers_edits_as_a_draft(page, live_server,
                                                                                         collector, supervisor):
    report = returned_survey(collector, supervisor)
    open_home_for_offline(page, live_server, collector)
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/en/reports/{report.pk}/edit/")
    page.wait_for_selector("form.report-form[data-rules-version]")
    page.fill("[name=estimated_area_m2]", "12000")
    page.click("button[name=submit]")
    page.wait_for_url(f"{live_server.url}/en/")
    page.wait_for_selector("[data-outbox][data-waiting='1']", state="attached")

    report.notes = "Supervisor: the outline is fine."
    report.save()  # meanwhile, on the server
    page.context.set_offline(False)
    page.wait_for_selector(f"[data-outbox][data-attention='1'] [data-uuid='{report.uuid}'][data-state='draft']",
                           state="attached")
    report.refresh_from_db()
    assert (report.status, report.estimated_area_m2) == ("returned", 1200)  # nothing overwritten
    assert [r["state"] for r in outbox(page)["reports"]] == ["draft"]

    page.click(f"[data-uuid='{report.uuid}'] a")  # "Correct it": the current version, the worker's edits on it
    page.wait_for_selector("[data-draft-notice='overtaken']")
    assert page.input_value("[name=estimated_area_m2]") == "12000"
    assert page.input_value("[name=notes]") == "Supervisor: the outline is fine."  # the new version's own
    page.click("button[name=submit]")
    page.wait_for_url(f"{live_server.url}/en/")
    wait_for_empty_outbox(page)
    report.refresh_from_db()
    assert (report.status, report.estimated_area_m2) == ("submitted", 12000)


def test_home_lists_returned_reports_first_in_a_fixed_number_of_queries(client, collector, supervisor):
    for _ in range(3):
        returned_survey(collector, supervisor)
    f.survey(collector)
    client.force_login(collector)
    client.get("/en/")
    with CaptureQueriesContext(connection) as few:
        client.get("/en/")
    for _ in range(3):
        returned_survey(collector, supervisor)

    with CaptureQueriesContext(connection) as more:
        response = client.get("/en/")

    assert len(more) == len(few)
    assert len(response.context["to_correct"]) == 6
    kept = response.context["offline_pages"]
    assert len(kept["images"]) == 6 and len(kept["pages"]) == 7 + 6  # 7 report pages, 6 correction forms
