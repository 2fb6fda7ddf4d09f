"""End to end with a client no one here wrote: ODK Web Forms (ODK's own XForm engine and renderer, bundled once in
tests/web_forms/, see its package.json) loads the XForm and its pick lists from the OpenRosa door, a person fills it
in Chromium, the generated constraints stop what the rule set refuses, and the submission Web Forms makes (instance
XML and photo, multipart as Collect sends it) goes to /openrosa/submission and lands in the review queue."""

from datetime import date, timedelta
from pathlib import Path

import pytest

from surveys.models import ClearanceReport, EoreSession, Report
from tests import factories as f
from tests import images

pytestmark = pytest.mark.browser

HARNESS = Path(__file__).resolve().parent / "web_forms"


@pytest.fixture
def web_form(page, live_server):
    """open(user, form_id): the harness page served as if from the app's own address, so its requests to /openrosa
    are same-origin; returns the page once the form is drawn."""
    def serve(route):
        name = route.request.url.rsplit("/", 1)[-1].split("?")[0]
        kind = "text/html" if name.endswith(".html") else "text/javascript"
        route.fulfill(body=(HARNESS / name).read_bytes(), content_type=kind)

    # The geoshape question draws a map whose tiles would come from the internet: none are fetched here.
    page.route("**/*", lambda route: route.abort() if not route.request.url.startswith(live_server.url)
               else route.fallback())
    page.route(f"{live_server.url}/harness/**", serve)
    page.set_default_timeout(20_000)

    def open_form(user, form_id: str):
        page.goto(f"{live_server.url}/harness/index.html?form={form_id}&user={user.username}&password={f.PASSWORD}")
        page.wait_for_selector("body[data-loaded='yes'], body[data-error]", state="attached")
        assert page.evaluate("document.body.dataset.error") is None
        page.wait_for_selector(".question-container")
        return page

    return open_form


def question(page, label: str):
    return page.locator(".question-container").filter(has=page.locator(f"label:text-is('{label}')"))


def type_number(page, label: str, value: int) -> None:
    field = question(page, label).locator("input").first
    field.click()
    field.press("Control+a")
    field.press_sequentially(str(value))  # typed key by key: the number widget ignores a value set at once
    field.press("Tab")


def pick_last_months_day(page, label: str, day: int, *, answered: bool = False) -> None:
    """A day of last month from the date question's calendar (never in the future, whatever today is). The calendar
    opens on the current month, or on the month of the answer already given."""
    question(page, label).locator("input").first.click()
    panel = page.locator(".p-datepicker-panel:visible")
    if not answered:
        panel.locator(".p-datepicker-prev-button").click()
    panel.locator("td:not(.p-datepicker-other-month) .p-datepicker-day").get_by_text(str(day), exact=True).click()
    panel.wait_for(state="hidden")


def test_a_risk_education_session_filled_in_odk_web_forms_arrives_with_its_photo(web_form, collector, tmp_path):
    page = web_form(collector, "fieldapp_eore")
    question(page, "Place type").locator("input[value='school']").check()
    question(page, "Delivery method").locator("input[value='face_to_face_group']").check()
    type_number(page, "Female 5–12", 12)
    type_number(page, "Male 5–12", 9)
    # The total is the form's own calculation from the grid.
    page.wait_for_selector(".note-control label:has-text('21')")
    photo = tmp_path / "session.jpg"
    photo.write_bytes(images.small_jpeg(800, 600))
    question(page, "Photo").locator("input[type=file]").set_input_files(str(photo))

    # More persons with disabilities than people: the rule set's constraint, with its message, stops the form.
    type_number(page, "Persons with disabilities", 50)
    message = question(page, "Persons with disabilities").locator(".validation-message")
    message.wait_for(state="visible")
    assert "Persons with disabilities cannot be more than the total." in message.inner_text()
    page.get_by_role("button", name="Send").click()
    assert page.evaluate("document.body.dataset.submitted") is None
    type_number(page, "Persons with disabilities", 2)
    message.wait_for(state="hidden")

    page.get_by_role("button", name="Send").click()
    page.wait_for_selector("body[data-submitted='done']", state="attached")

    assert page.evaluate("document.body.dataset.submissionStatus") == "201"
    session = EoreSession.objects.get()
    assert (session.total_participants, session.persons_with_disabilities, session.place_type) == (21, 2, "school")
    assert session.status == Report.Status.SUBMITTED and session.captured_by == collector
    assert session.photos.count() == 1 and not Report.objects.waiting_for_photos().exists()


def test_a_clearance_picks_its_site_from_the_teams_pick_list_and_meets_the_date_rule(web_form, collector, site):
    page = web_form(collector, "fieldapp_clearance")
    site_question = question(page, "Site")
    site_question.locator(".p-select, .p-dropdown, [role=combobox]").first.click()
    page.get_by_role("option", name=site.name, exact=False).first.click()
    question(page, "Method").locator("input[value='manual']").check()
    pick_last_months_day(page, "Start date", 10)
    pick_last_months_day(page, "End date", 5)
    message = question(page, "End date").locator(".validation-message")
    message.wait_for(state="visible")
    assert "The end date is before the start date." in message.inner_text()

    pick_last_months_day(page, "End date", 12, answered=True)
    message.wait_for(state="hidden")
    question(page, "Were explosive items found?").locator("input[value='no']").check()
    page.get_by_role("button", name="Send").click()
    page.wait_for_selector("body[data-submitted='done']", state="attached")

    assert page.evaluate("document.body.dataset.submissionStatus") == "201", page.evaluate(
        "document.body.dataset.submissionMessage")
    report = ClearanceReport.objects.get()
    month = date.today().replace(day=1) - timedelta(days=1)
    assert (report.site, report.start_date, report.end_date) == (site, month.replace(day=10), month.replace(day=12))
    assert report.items.count() == 0 and report.status == Report.Status.SUBMITTED
