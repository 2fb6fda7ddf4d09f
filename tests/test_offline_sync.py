"""Offline-first capture on a phone (Chromium at 360×740): reports and photos kept on the device with no network, then
sent once each, with every photo, whatever the network and the server do in between.

After each test the database holds exactly one report per UUID, with all its photos, and the phone's outbox is empty.

Tests that make the network fail with request routing run without the service worker: Playwright does not reliably
route the requests of a page a service worker controls (microsoft/playwright#7588), and what they test, the outbox,
does not depend on it. The worker is tested with the network switched off (context.set_offline), which does reach it.
"""

import json
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation
from rest_framework.response import Response

from surveys import offline, rules, workflow
from surveys.api.views import SurveyReportViewSet
from surveys.models import Photo, Report
from surveys.photos import add_photo
from tests import factories as f
from tests import images
from tests.factories import YESTERDAY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHOTO = images.small_jpeg(800, 600)
SURVEYS = "**/api/v1/surveys/"
PHOTOS = "**/api/v1/reports/*/photos/"

# The phone's IndexedDB, read without creating it: {"reports": [{uuid, state, user, error}], "photos": n}.
READ_OUTBOX = """() => new Promise((resolve) => {
  const open = indexedDB.open("fieldapp");
  let created = false;
  open.onupgradeneeded = () => { created = true; open.transaction.abort(); };
  open.onerror = () => resolve({reports: [], photos: 0});
  open.onsuccess = () => {
    const db = open.result;
    if (created) { db.close(); resolve({reports: [], photos: 0}); return; }
    const t = db.transaction(["reports", "photos"]);
    const reports = t.objectStore("reports").getAll(), photos = t.objectStore("photos").count();
    t.oncomplete = () => {
      resolve({reports: reports.result.map(r => ({uuid: r.uuid, state: r.state, user: r.user, error: r.error || "",
                                                   kind: r.kind})),
               photos: photos.result});
      db.close();
    };
  };
})"""


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True}


def session_cookie(live_server, user) -> dict:
    client = Client()
    client.force_login(user)
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": live_server.url, "expires": time.time() + settings.SESSION_COOKIE_AGE}


def open_app(page, live_server, user, language="en", shell=True):
    """Sign in and open the home page once online: the service worker caches the shell of this language."""
    page.context.add_cookies([session_cookie(live_server, user)])
    page.goto(f"{live_server.url}/{language}/")
    if shell:
        page.wait_for_selector("html[data-shell]", state="attached", timeout=15_000)


@pytest.fixture
def routed_page(new_context):
    """A phone page whose requests the test routes: without the service worker (see above)."""
    return new_context(service_workers="block").new_page()


def outbox(page) -> dict:
    return page.evaluate(READ_OUTBOX)


def wait_until(page, check, timeout=20.0):
    """Poll `check` while letting Playwright run route handlers and events (a plain sleep would hold them back)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        page.wait_for_timeout(200)


def wait_for_empty_outbox(page, timeout=20.0):
    assert wait_until(page, lambda: outbox(page) == {"reports": [], "photos": 0}, timeout), outbox(page)


def fill_survey(page, site_name: str, activity_date=YESTERDAY):
    page.fill("[name=activity_date]", activity_date.isoformat())
    page.fill("[name=site_name]", site_name)
    page.select_option("[name=site_type]", "school")
    page.check("[name=classification][value=sha]")
    page.check("[name=evidence][value=direct]")
    page.fill("[name=estimated_area_m2]", "١٢٠٠")  # Arabic-Indic digits, as a phone keyboard types them
    page.fill("[name=place_name]", "Al-Mashlab")


def add_photos(page, count: int, captions=()):
    before = page.locator("[data-photo-list] .photo-card").count()
    files = [{"name": f"photo{i}.jpg", "mimeType": "image/jpeg", "buffer": PHOTO} for i in range(count)]
    page.set_input_files("[data-photo-input][multiple]", files)
    cards = page.locator("[data-photo-list] .photo-card")
    stored = page.locator("[data-photo-list] [data-stored]").count()  # listed by the server: no upload bar
    page.wait_for_function(  # each downscaled and kept on the phone: its upload bar is gone
        f"""() => {{ const bars = document.querySelectorAll("[data-photo-list] .photo-card progress");
        return bars.length === {before - stored + count} && Array.from(bars).every(bar => bar.hidden); }}"""
    )
    for i, caption in enumerate(captions):
        cards.nth(before + i).locator("[data-caption]").fill(caption)


def capture_survey(page, live_server, site_name: str, photos: int = 2, language="en", submit=True) -> str:
    """Fill a new survey on the phone, with photos, and press Submit: it goes into the outbox. Returns its UUID."""
    page.goto(f"{live_server.url}/{language}/reports/new/survey/#new")
    fill_survey(page, site_name)
    add_photos(page, photos, captions=[f"{site_name} {i}" for i in range(photos)])
    uuid = page.input_value("[name=uuid]")
    page.click("button[name=submit]" if submit else "button[name=save]")
    page.wait_for_url(f"{live_server.url}/{language}/")
    return uuid


def assert_stored_once(uuids_and_photos: dict, user):
    """Exactly one report per UUID, captured by `user`, with all its photos; nothing else."""
    assert Report.objects.count() == len(uuids_and_photos)
    for uuid, photos in uuids_and_photos.items():
        report = Report.objects.get(uuid=uuid)
        assert report.captured_by == user
        assert report.photos.count() == photos == report.photos_expected
        assert not report.waiting_for_photos
    assert Photo.objects.count() == sum(uuids_and_photos.values())


# The fields of the drafts kept on the phone, and their photos: [{uuid, fields: {name: value}, photos}].
READ_DRAFTS = """() => new Promise((resolve) => {
  const open = indexedDB.open("fieldapp");
  open.onsuccess = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains("reports")) { db.close(); resolve([]); return; }
    const t = db.transaction(["reports", "photos"]);
    const reports = t.objectStore("reports").getAll(), photos = t.objectStore("photos").getAll();
    t.oncomplete = () => {
      resolve(reports.result.filter(r => r.state === "draft").map(r => ({
        uuid: r.uuid, fields: Object.fromEntries(r.fields || []),
        photos: photos.result.filter(p => p.report === r.uuid).length})));
      db.close();
    };
  };
})"""


def wait_for_draft(page, fields: dict, photos: int = 0, captions=()):
    """Until a draft kept on the phone holds these answers, this many photos and these photo captions (drafts save a
    moment after a change)."""
    def saved():
        return any(all(d["fields"].get(k) == v for k, v in fields.items()) and d["photos"] == photos
                   and set(captions) <= {v for k, v in d["fields"].items() if k.startswith("photo-")}
                   for d in page.evaluate(READ_DRAFTS))
    assert wait_until(page, saved, timeout=10), page.evaluate(READ_DRAFTS)


# Offline capture, then sync -------------------------------------------------------------------------------------------


def test_reports_captured_offline_wait_on_the_phone_and_are_sent_once_with_every_photo(page, live_server, collector):
    open_app(page, live_server, collector)
    page.context.set_offline(True)

    first = capture_survey(page, live_server, "Al-Rashid school", photos=2)
    second = capture_survey(page, live_server, "Water plant east", photos=1, submit=False)
    page.wait_for_selector("[data-outbox][data-waiting='2'][data-outbox-state='offline']", state="attached")

    assert sorted(r["state"] for r in outbox(page)["reports"]) == ["queued", "queued"]
    assert outbox(page)["photos"] == 3
    assert Report.objects.count() == 0

    page.context.set_offline(False)  # the "online" event starts the sync
    wait_for_empty_outbox(page)
    assert_stored_once({first: 2, second: 1}, collector)
    submitted = Report.objects.get(uuid=first).specific
    assert (submitted.status, submitted.site_name, submitted.estimated_area_m2) == ("submitted", "Al-Rashid school", 1200)
    assert sorted(submitted.photos.values_list("caption", flat=True)) == ["Al-Rashid school 0", "Al-Rashid school 1"]
    assert Report.objects.get(uuid=second).status == "draft"  # "Save draft" keeps it a draft on the server
    sent = Report.objects.get(uuid=first).reference + " " + Report.objects.get(uuid=second).reference
    page.wait_for_selector(f"[data-outbox][data-sent='{sent}']", state="attached")


def test_the_network_cut_during_photo_uploads_loses_and_duplicates_nothing(routed_page, live_server, collector):
    page = routed_page
    open_app(page, live_server, collector, shell=False)
    calls = []

    def photo_route(route):
        calls.append(route.request.url)
        if len(calls) == 2:
            # The server stores the photo, but its answer never reaches the phone.
            route.fetch()
            route.abort("connectionreset")
        elif len(calls) == 3:
            # The network drops while the next photo is on its way.
            page.context.set_offline(True)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.context.route(PHOTOS, photo_route)
    uuid = capture_survey(page, live_server, "Bridge 4", photos=3)
    assert wait_until(page, lambda: len(calls) >= 3)
    page.wait_for_selector("[data-outbox][data-outbox-state='offline']", state="attached")
    assert Report.objects.get(uuid=uuid).waiting_for_photos  # submitted, but not complete: the server says so
    assert outbox(page)["photos"] == 2  # the first photo, confirmed, is gone from the phone; the other two wait

    page.context.set_offline(False)
    wait_for_empty_outbox(page)
    assert_stored_once({uuid: 3}, collector)
    assert len(calls) == 5  # photo 2 resent once (the server answered 200), photo 3 sent again


def test_reloading_offline_keeps_the_queued_reports_in_arabic(page, live_server, collector):
    open_app(page, live_server, collector, language="ar")
    page.context.set_offline(True)
    uuid = capture_survey(page, live_server, "مدرسة الرشيد", photos=1, language="ar")

    page.reload()
    assert page.get_attribute("html", "dir") == "rtl"
    page.wait_for_selector("[data-outbox][data-waiting='1']", state="attached")
    page.goto(f"{live_server.url}/ar/reports/new/eore/")  # every form opens from the phone's cache
    assert page.locator("form.report-form[data-kind=eore]").count() == 1
    page.goto(f"{live_server.url}/ar/")
    assert outbox(page)["reports"][0]["uuid"] == uuid

    page.context.set_offline(False)
    wait_for_empty_outbox(page)
    assert_stored_once({uuid: 1}, collector)
    assert Report.objects.get().specific.site_name == "مدرسة الرشيد"


def test_the_browser_closed_and_reopened_offline_still_has_the_reports(playwright, browser_type_launch_args, live_server,
                                                                     collector, tmp_path):
    def launch():
        return playwright.chromium.launch_persistent_context(
            tmp_path / "profile", **browser_type_launch_args, viewport={"width": 360, "height": 740}, has_touch=True,
            is_mobile=True,
        )

    context = launch()
    page = context.pages[0]
    open_app(page, live_server, collector)
    context.set_offline(True)
    uuids = {capture_survey(page, live_server, "School north", photos=2): 2,
             capture_survey(page, live_server, "School south", photos=1): 1}
    context.close()

    context = launch()
    context.set_offline(True)
    page = context.pages[0]
    page.goto(f"{live_server.url}/en/")  # no network: the home page comes from the phone
    page.wait_for_selector("[data-outbox][data-waiting='2']", state="attached")
    assert Report.objects.count() == 0

    context.set_offline(False)
    wait_for_empty_outbox(page)
    context.close()
    assert_stored_once(uuids, collector)


# What the server answers ----------------------------------------------------------------------------------------------


def test_a_server_error_twice_is_retried_with_backoff_until_it_is_stored(routed_page, live_server, collector):
    page = routed_page
    open_app(page, live_server, collector, shell=False)
    attempts = []

    def flaky(route):
        attempts.append(time.monotonic())
        if len(attempts) <= 2:
            route.fulfill(status=500, body="<h1>Server Error (500)</h1>", content_type="text/html")
        else:
            route.continue_()

    page.context.route(SURVEYS, flaky)
    uuid = capture_survey(page, live_server, "Health centre", photos=1)
    page.wait_for_selector("[data-outbox][data-outbox-state='retry']", state="attached", timeout=5000)
    wait_for_empty_outbox(page)

    assert len(attempts) == 3
    waits = [b - a for a, b in zip(attempts, attempts[1:], strict=False)]
    assert waits[0] >= 0.85 and waits[1] >= 1.7  # 1 s, then 2 s (±10 %)
    assert_stored_once({uuid: 1}, collector)


def test_a_report_sent_twice_is_stored_once(routed_page, live_server, collector):
    page = routed_page
    open_app(page, live_server, collector, shell=False)
    answers = []

    def lost_answer(route):
        response = route.fetch()
        answers.append(response.status)
        if len(answers) == 1:
            route.abort("connectionreset")  # stored on the server; the phone never hears it
        else:
            route.fulfill(response=response)

    page.context.route(SURVEYS, lost_answer)
    uuid = capture_survey(page, live_server, "Water tower", photos=2)
    wait_for_empty_outbox(page)

    assert answers == [201, 200]  # the resend found it already there, with the same content
    assert_stored_once({uuid: 2}, collector)
    assert Report.objects.get().review_events.count() == 1  # submitted once


def test_a_uuid_the_server_has_with_other_content_is_a_conflict_the_worker_resolves(page, live_server, collector):
    open_app(page, live_server, collector)
    page.context.set_offline(True)
    uuid = capture_survey(page, live_server, "Market", photos=1)
    # Meanwhile the server got a different report under the same UUID.
    f.survey(collector, uuid=uuid, site_name="Something else")

    page.context.set_offline(False)
    page.wait_for_selector(f"[data-outbox][data-attention='1'] [data-uuid='{uuid}'][data-state='conflict']",
                           state="attached")
    assert outbox(page)["reports"][0]["state"] == "conflict"
    assert outbox(page)["reports"][0]["error"]  # the server's reason, shown to the worker

    page.click("[data-state='conflict'] [data-action='as-new']")
    wait_for_empty_outbox(page)
    assert Report.objects.count() == 2
    sent = Report.objects.exclude(uuid=uuid).get().specific
    assert (sent.site_name, sent.photos.count(), sent.waiting_for_photos) == ("Market", 1, False)


def test_a_report_the_server_refuses_comes_back_as_a_draft_with_its_messages(page, live_server, collector,
                                                                           monkeypatch):
    # The phone checks the rule set before anything leaves it; the server may still refuse (a rule it changed since
    # the page was cached, a site that left the team): its messages go beside the answers, on their paths.
    refusals = []
    create = SurveyReportViewSet.create

    def refuse_once(self, request, *args, **kwargs):
        if refusals:
            return create(self, request, *args, **kwargs)
        refusals.append(request.data["uuid"])
        return Response({"errors": {"activity_date": ["Not on that day."], "__all__": ["Check the site."]}},
                        status=400)

    monkeypatch.setattr(SurveyReportViewSet, "create", refuse_once)
    open_app(page, live_server, collector)
    page.goto(f"{live_server.url}/en/reports/new/survey/#new")
    fill_survey(page, "Clinic")
    add_photos(page, 1)
    uuid = page.input_value("[name=uuid]")
    page.click("button[name=submit]")
    page.wait_for_url(f"{live_server.url}/en/")

    page.wait_for_selector(f"[data-outbox] [data-uuid='{uuid}'][data-state='draft']", state="attached")
    assert outbox(page)["reports"][0]["state"] == "draft"
    assert outbox(page)["photos"] == 1
    assert Report.objects.count() == 0
    page.click(f"[data-uuid='{uuid}'] a")
    page.wait_for_selector("#div_id_activity_date [data-rule-error='activity_date']")
    assert page.locator("[data-rule-error='__all__'] p").all_inner_texts() == ["Check the site."]
    assert page.input_value("[name=site_name]") == "Clinic"
    assert page.input_value("[name=uuid]") == uuid

    page.fill("[name=activity_date]", (YESTERDAY - timedelta(days=1)).isoformat())
    page.click("button[name=submit]")
    page.wait_for_url(f"{live_server.url}/en/")
    wait_for_empty_outbox(page)
    assert_stored_once({uuid: 1}, collector)
    assert refusals == [uuid]


def test_the_phone_refuses_what_the_rules_refuse_before_it_leaves(page, live_server, collector):
    open_app(page, live_server, collector)
    page.context.set_offline(True)  # the rules are checked on the phone, without the server
    page.goto(f"{live_server.url}/en/reports/new/survey/#new")
    fill_survey(page, "Clinic", activity_date=timezone.localdate() + timedelta(days=2))
    page.fill("[name=estimated_area_m2]", "−1200")  # a Unicode minus
    page.fill("[name=latitude]", "95")
    page.click("button[name=submit]")

    page.wait_for_selector("form[data-rule-errors*='activity_date']", state="attached")
    errors = json.loads(page.get_attribute("form.report-form", "data-rule-errors"))
    assert set(errors) == {"activity_date", "estimated_area_m2", "latitude", "longitude"}
    for path in errors:
        assert page.locator(f"[name={path}].is-invalid").count() == 1
        assert page.locator(f"[data-rule-error='{path}']").count() == 1
    assert "queued" not in [r["state"] for r in outbox(page)["reports"]]  # nothing went to the outbox

    page.fill("[name=activity_date]", YESTERDAY.isoformat())
    page.fill("[name=estimated_area_m2]", "1200")
    page.fill("[name=latitude]", "")
    page.locator("[name=latitude]").blur()
    page.wait_for_selector("form[data-rule-errors='{}']", state="attached")
    assert page.locator(".is-invalid").count() == 0


def test_item_line_errors_show_beside_the_line_in_arabic_offline(page, live_server, collector, site):
    open_app(page, live_server, collector, language="ar")
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/ar/reports/new/clearance/#new")
    page.fill("[name=activity_date]", YESTERDAY.isoformat())
    page.select_option("[name=site]", str(site.pk))
    page.select_option("[name=items-0-category]", "ied")
    page.fill("[name=items-0-quantity]", "-٢")  # Arabic digits and a minus
    page.locator("[name=items-0-quantity]").blur()  # checked as the worker leaves the answer
    page.wait_for_selector("[data-rule-error='items.0.quantity']")
    page.click("button[name=submit]")

    page.wait_for_selector("form[data-rule-errors*='items.0.weight_kg']", state="attached")
    errors = json.loads(page.get_attribute("form.report-form", "data-rule-errors"))
    with translation.override("ar"):
        expected = rules.check_raw("clearance", {"activity_date": YESTERDAY.isoformat(), "site": str(site.pk)},
                                   [{"category": "ied", "quantity": "-٢"}])
    assert {k: v for k, v in errors.items() if k.startswith("items.")} == {
        k: v for k, v in expected.items() if k.startswith("items.")}
    line = page.locator("[name=items-0-quantity]").locator("xpath=ancestor::*[@data-row][1]")
    assert line.locator("[data-rule-error='items.0.quantity']").count() == 1
    assert page.locator("[name=items-0-quantity].is-invalid").count() == 1
    assert "queued" not in [r["state"] for r in outbox(page)["reports"]]  # nothing went to the outbox


# Drafts, and who sees what ---------------------------------------------------------------------------------------------


def test_what_the_worker_typed_and_the_photos_they_chose_survive_a_reload(page, live_server, collector, site):
    open_app(page, live_server, collector)
    page.goto(f"{live_server.url}/en/reports/new/clearance/#new")
    page.fill("[name=activity_date]", YESTERDAY.isoformat())
    page.select_option("[name=site]", str(site.pk))
    page.check("[name=stage][value=completion]")
    page.fill("[name=handed_over_to]", "Mukhtar of Al-Mashlab")
    page.click("[data-add]")  # a third item line, added on the phone
    page.select_option("[name=items-2-category]", "ied")
    page.fill("[name=items-2-quantity]", "2")
    add_photos(page, 2, captions=["before", "after"])
    wait_for_draft(page, {"items-2-quantity": "2", "handed_over_to": "Mukhtar of Al-Mashlab"}, photos=2,
                   captions=["before", "after"])

    page.reload()
    page.wait_for_selector("[data-draft-notice]")  # restored from the phone
    assert page.input_value("[name=site]") == str(site.pk)
    assert page.is_checked("[name=stage][value=completion]")
    assert page.is_visible("[name=handed_over_to]")  # the handover section shows again for a completion
    assert page.input_value("[name=handed_over_to]") == "Mukhtar of Al-Mashlab"
    assert page.input_value("[name=items-2-category]") == "ied"
    assert page.input_value("[name=items-2-quantity]") == "2"
    captions = page.locator("[data-photo-list] [data-caption]")
    assert [captions.nth(i).input_value() for i in range(captions.count())] == ["before", "after"]

    page.click("[data-draft-notice] button")  # start a new report instead: the draft stays on the phone
    page.wait_for_load_state()
    assert page.input_value("[name=handed_over_to]") == ""
    assert page.locator("[data-photo-list] .photo-card").count() == 0
    assert [r["state"] for r in outbox(page)["reports"]] == ["draft"]
    page.wait_for_selector("[data-outbox][data-drafts='1']", state="attached", timeout=5000)


def test_an_existing_reports_page_keeps_what_was_typed_until_the_server_has_saved_it(page, live_server, collector,
                                                                                      supervisor):
    report = workflow.submit(f.survey(collector, estimated_area_m2=1200), collector)
    workflow.return_for_correction(report, supervisor, "The area is 12 000 m².")
    open_app(page, live_server, collector)
    page.goto(f"{live_server.url}/en/reports/{report.pk}/edit/")
    page.fill("[name=estimated_area_m2]", "12000")
    wait_for_draft(page, {"estimated_area_m2": "12000"})

    page.reload()  # the server still has 1200; the phone kept 12000
    assert wait_until(page, lambda: page.input_value("[name=estimated_area_m2]") == "12000", timeout=5)
    assert [r["state"] for r in outbox(page)["reports"]] == ["draft"]

    page.click("button[name=submit]")  # through the outbox, like a new report
    page.wait_for_url(f"{live_server.url}/en/")
    wait_for_empty_outbox(page)
    report.refresh_from_db()
    assert (report.status, report.specific.estimated_area_m2) == ("submitted", 12000)

    workflow.return_for_correction(report, supervisor, "And the evidence.")
    page.goto(f"{live_server.url}/en/reports/{report.pk}/edit/")
    page.fill("[name=place_name]", "Typed on the old version")
    wait_for_draft(page, {"place_name": "Typed on the old version"})
    report.refresh_from_db()
    report.notes = "A newer version, saved on the server"
    report.save()
    page.goto(f"{live_server.url}/en/reports/{report.pk}/edit/")  # a newer version: what the phone kept is dropped
    assert wait_until(page, lambda: outbox(page) == {"reports": [], "photos": 0}, timeout=5)
    assert page.input_value("[name=place_name]") != "Typed on the old version"


def test_a_change_to_a_stored_photo_posts_the_page(page, live_server, collector, supervisor):
    """Captions and removals of photos the server has are form fields only the page's own post saves."""
    report = f.survey(collector, estimated_area_m2=1200, photos_expected=1)
    add_photo(report, SimpleUploadedFile("before.jpg", PHOTO, "image/jpeg"), collector, caption="before")
    workflow.return_for_correction(workflow.submit(report, collector), supervisor, "Say where it was taken.")
    open_app(page, live_server, collector)
    page.goto(f"{live_server.url}/en/reports/{report.pk}/edit/")
    page.fill("[data-stored] input:not([type])", "North wall, before clearance")
    page.click("button[name=submit]")

    page.wait_for_url(f"**/reports/{report.pk}/")
    report.refresh_from_db()
    assert report.status == "submitted"
    assert list(report.photos.values_list("caption", flat=True)) == ["North wall, before clearance"]
    assert report.review_events.filter(to_status="submitted").count() == 2


def test_a_signed_out_workers_reports_wait_for_them_and_no_one_else_sees_or_sends_them(page, live_server, collector,
                                                                                       teammate, monkeypatch):
    received = []

    def unavailable(self, request, *args, **kwargs):
        received.append(request.user.username)
        return Response({"detail": "Down for maintenance."}, status=503)

    monkeypatch.setattr(SurveyReportViewSet, "create", unavailable)
    open_app(page, live_server, collector)
    uuid = capture_survey(page, live_server, "Bakery", photos=1)
    assert wait_until(page, lambda: received)

    page.click("form[data-signout] button")
    page.wait_for_url("**/login/**")
    assert outbox(page)["reports"][0]["uuid"] == uuid  # signing out keeps them
    assert not [name for name in page.evaluate("caches.keys()") if name.startswith("fieldapp-pages-")]

    open_app(page, live_server, teammate)
    page.wait_for_selector("[data-outbox][data-outbox-state]", state="attached")  # drawn for the teammate
    assert page.locator("[data-outbox]").is_hidden()  # the teammate sees nothing of it
    assert set(received) == {"collector"}  # and their session sends nothing
    assert outbox(page)["reports"][0]["user"] == str(collector.pk)

    page.click("form[data-signout] button")
    page.wait_for_url("**/login/**")
    monkeypatch.undo()
    open_app(page, live_server, collector)  # the same worker again: the outbox resumes
    wait_for_empty_outbox(page)
    assert_stored_once({uuid: 1}, collector)


# A new deployment -------------------------------------------------------------------------------------------------------


def test_a_new_deployment_replaces_the_cached_shell(page, live_server, collector, monkeypatch):
    report = f.survey(collector)
    open_app(page, live_server, collector)
    page.wait_for_selector("html[data-shell-reports]", state="attached")
    old = page.evaluate("caches.keys()")
    version = offline.shell_version()
    assert sorted(old) == [f"fieldapp-pages-{version}", f"fieldapp-pages-reports-{version}",
                           f"fieldapp-static-{version}"]

    monkeypatch.setattr(offline, "shell_version", lambda: "0123456789abcdef")
    offline._worker_script.cache_clear()
    try:
        page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
        new = ["fieldapp-pages-0123456789abcdef", "fieldapp-pages-reports-0123456789abcdef",
               "fieldapp-static-0123456789abcdef"]
        assert wait_until(page, lambda: sorted(page.evaluate("caches.keys()")) == new, timeout=10)
        kept_reports = page.evaluate("""caches.open("fieldapp-pages-reports-0123456789abcdef")
            .then(c => c.keys()).then(keys => keys.map(k => new URL(k.url).pathname))""")
        assert kept_reports == [f"/en/reports/{report.pk}/"]  # the team's latest reports, fetched again
        cached_pages = page.evaluate("""caches.open("fieldapp-pages-0123456789abcdef")
            .then(c => c.keys()).then(keys => keys.map(k => new URL(k.url).pathname).sort())""")
        assert cached_pages == sorted(["/en/", "/en/reports/new/survey/", "/en/reports/new/clearance/",
                                       "/en/reports/new/eore/"])
    finally:
        offline._worker_script.cache_clear()
