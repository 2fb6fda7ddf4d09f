"""The field team's day on a phone, in Chromium at 360×740 with touch: sign in, record each report type with GPS and
photos, submit, find it in "My reports", correct a returned report; the Arabic page right to left. A screenshot of
each form page goes to test-artifacts/."""

import json
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from surveys import geo, workflow
from surveys.models import ClearanceReport, EoreSession, Report, SurveyReport
from tests import factories as f
from tests import images

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
HERE = {"latitude": 35.951234, "longitude": 39.012345}



@pytest.fixture(scope="module")
def camera_photo(tmp_path_factory) -> Path:
    """A 12-megapixel camera JPEG of a few MB, with EXIF time, GPS and orientation."""
    path = tmp_path_factory.mktemp("photos") / "IMG_20261120_093015.jpg"
    path.write_bytes(images.camera_jpeg())
    return path


@pytest.fixture
def small_photos(tmp_path) -> list[Path]:
    paths = []
    for i in range(2):
        path = tmp_path / f"gate-{i}.jpg"
        path.write_bytes(images.small_jpeg(800 + i * 10, 600))
        paths.append(path)
    return paths


@pytest.fixture
def phone(browser):
    """A phone's browser that lets the page read its location; `accuracy` in metres."""
    contexts = []

    def make(accuracy: float = 12, locale: str = "en-GB"):
        context = browser.new_context(**PHONE, locale=locale, permissions=["geolocation"],
                                      geolocation={**HERE, "accuracy": accuracy})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.requests = []
        page.on("request", lambda request: page.requests.append(request.url))
        return page

    yield make
    for context in contexts:
        context.close()


def sign_in(page, live_server, user, lang: str = "en"):
    page.goto(f"{live_server.url}/{lang}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", f.PASSWORD)
    page.locator("form button.btn-primary").click()
    page.wait_for_url(re.compile(rf"/{lang}/$"))


def screenshot(page, name: str):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def use_my_location(page):
    page.get_by_role("button", name="Use my location").click()
    expect(page.locator("#id_latitude")).to_have_value("35.951234")


def expect_sent(page):
    """With JavaScript a new report goes into the phone's outbox (static/js/outbox.js), which sends it at once."""
    expect(page.locator("[data-outbox]")).to_have_attribute("data-sent", re.compile(r"\S"), timeout=30_000)


def only_this_host(page, live_server):
    assert all(url.startswith((live_server.url, "data:", "blob:")) for url in page.requests), page.requests


# The story from the issue: a school surveyed with its GPS point and three photos ---------------------------------------


def test_a_collector_records_a_survey_with_gps_and_three_photos_and_finds_it(live_server, phone, collector,
                                                                                camera_photo, small_photos):
    page = phone()
    sign_in(page, live_server, collector)
    page.get_by_role("link", name="New survey").click()
    screenshot(page, "form-survey")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone

    page.fill("#id_site_name", "Al-Rashid school")
    page.select_option("#id_site_type", "school")
    page.get_by_label("High", exact=True).check()
    page.get_by_label("Suspected hazardous area (SHA)", exact=True).check()
    page.get_by_label("Direct evidence", exact=True).check()
    page.get_by_label("Unexploded ordnance (UXO)", exact=True).check()
    page.fill("#id_estimated_area_m2", "12000")
    page.fill("#id_activity_date", str(f.YESTERDAY))
    page.fill("#id_place_name", "Al-Mashlab")
    use_my_location(page)
    expect(page.locator("#id_gps_accuracy_m")).to_have_value("12")
    expect(page.locator("[data-gps-status]")).to_be_visible()
    expect(page.locator("[data-gps-status]")).not_to_have_class(re.compile("warn"))

    page.locator("input[data-photo-input][multiple]").set_input_files([camera_photo, *small_photos])
    cards = page.locator("[data-photo-list] .photo-card")
    expect(cards).to_have_count(3)
    for i in range(3):  # downscaled and kept on the phone until the report is sent
        expect(cards.nth(i).locator("progress")).to_be_hidden(timeout=30_000)
        expect(cards.nth(i)).not_to_have_class(re.compile("failed"))
    cards.nth(0).locator("[data-caption]").fill("North wall")

    page.get_by_role("button", name="Submit for review").click()
    expect_sent(page)

    survey = SurveyReport.objects.get()
    assert survey.status == Report.Status.SUBMITTED
    assert (survey.latitude, survey.longitude, survey.gps_accuracy_m) == (35.951234, 39.012345, 12)
    stored = list(survey.photos.order_by("created_at"))
    assert len(stored) == 3
    big = next(p for p in stored if p.caption == "North wall")
    with Image.open(big.image.open("rb")) as image:
        assert max(image.size) <= 1600 and image.size == (1200, 1600)  # EXIF orientation applied on the phone
    assert big.bytes < camera_photo.stat().st_size / 4
    assert big.taken_at.strftime("%Y-%m-%d %H:%M:%S") == "2026-11-20 09:30:15"  # read from EXIF on the phone
    assert big.latitude == pytest.approx(35.95) and big.longitude == pytest.approx(39.01)

    page.get_by_role("link", name="Field reports").click()
    row = page.locator(".report-list li", has_text=survey.reference)
    expect(row.locator(".badge")).to_have_class(re.compile("status-submitted"))
    only_this_host(page, live_server)


def test_a_returned_report_is_corrected_and_submitted_again(live_server, phone, collector, supervisor):
    survey = workflow.submit(f.survey(collector, estimated_area_m2=1200), collector)
    workflow.return_for_correction(survey, supervisor, "The area is 12 000 m², not 1 200.")
    page = phone()
    sign_in(page, live_server, collector)

    returned = page.locator(f".to-correct [data-returned='{survey.pk}']")  # listed first, with the comment
    expect(returned.locator(".returned-comment")).to_contain_text("The area is 12 000 m², not 1 200.")
    returned.locator("a").click()
    expect(page.locator(".returned-comment")).to_be_visible()
    page.fill("#id_estimated_area_m2", "12000")
    page.get_by_role("button", name="Submit for review").click()
    # Through the outbox, like a new report: sent from the home page.
    page.wait_for_selector(f"[data-outbox][data-sent='{survey.reference}']", state="attached")

    survey.refresh_from_db()
    assert survey.status == Report.Status.SUBMITTED and survey.estimated_area_m2 == 12_000
    page.reload()
    expect(page.locator(".to-correct")).to_have_count(0)  # corrected: no longer listed first
    page.goto(f"{live_server.url}/en/reports/{survey.pk}/")
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)


def test_the_location_warns_when_its_accuracy_is_poor(live_server, phone, collector):
    page = phone(accuracy=120)
    sign_in(page, live_server, collector)
    page.goto(f"{live_server.url}/en/reports/new/eore/")

    use_my_location(page)

    status = page.locator("[data-gps-status]")
    expect(status).to_have_class(re.compile("warn"))


def test_a_clearance_report_with_item_lines_added_and_removed_on_the_phone(live_server, phone, collector, org, team):
    f.site(org, team=team, name="Water plant Al-Tabqa")
    school = f.site(org, team=team, name="Al-Rashid school")
    page = phone()
    sign_in(page, live_server, collector)
    page.get_by_role("link", name="New clearance report").click()
    screenshot(page, "form-clearance")

    page.fill("#site-search", school.reference)
    expect(page.locator("#id_site")).to_have_value(str(school.pk))
    page.fill("#id_activity_date", str(f.YESTERDAY))
    page.get_by_label("Manual", exact=True).check()
    page.fill("#id_start_date", str(f.YESTERDAY))
    page.fill("#id_end_date", str(f.YESTERDAY))
    page.fill("#id_cleared_area_m2", "3000")
    handover = page.locator("[data-show-if]")
    expect(handover).to_be_hidden()
    rows = page.locator("[data-rows] [data-row]:visible")
    expect(rows).to_have_count(2)
    for i, (category, quantity, weight) in enumerate([("uxo", "3", "4.5"), ("ied", "1", "12")]):
        rows.nth(i).locator("select[name$=category]").select_option(category)
        rows.nth(i).locator("input[name$=quantity]").fill(quantity)
        rows.nth(i).locator("input[name$=weight_kg]").fill(weight)
        rows.nth(i).locator("select[name$=disposal]").select_option("destroyed_in_situ")
    page.get_by_role("button", name="Add an item line").click()
    expect(rows).to_have_count(3)
    rows.nth(2).locator("select[name$=category]").select_option("av_mine")
    rows.nth(2).locator("input[name$=quantity]").fill("2")
    rows.nth(2).locator("input[name$=weight_kg]").fill("14")
    rows.nth(2).locator("select[name$=disposal]").select_option("handed_over")
    rows.nth(1).get_by_role("button", name="Remove this line").click()
    expect(rows).to_have_count(2)
    page.get_by_label("Completion", exact=True).check()
    expect(handover).to_be_visible()
    page.fill("#id_handover_date", str(f.YESTERDAY))
    page.fill("#id_handed_over_to", "School director")
    use_my_location(page)
    page.get_by_role("button", name="Save draft").click()
    expect_sent(page)

    report = ClearanceReport.objects.get()
    assert report.site == school and report.stage == "completion" and report.status == Report.Status.DRAFT
    assert sorted((i.category, i.quantity) for i in report.items.all()) == [("av_mine", 2), ("uxo", 3)]


def test_risk_education_totals_are_checked_as_the_worker_types(live_server, phone, collector):
    page = phone()
    sign_in(page, live_server, collector)
    page.get_by_role("link", name="New risk-education session").click()
    screenshot(page, "form-eore")

    page.fill("#id_activity_date", str(f.YESTERDAY))
    page.select_option("#id_place_type", "school")
    page.get_by_label("Face to face group", exact=True).check()
    page.fill("#id_female_5_12", "10")
    page.fill("#id_male_5_12", "١٢")  # an Arabic keyboard's digits
    page.fill("#id_female_25_59", "4")
    sum_cell = page.locator("[data-sum]")
    expect(sum_cell).to_have_text("26")
    page.fill("#id_total_participants", "30")
    message = page.locator("[data-rule-error='total_participants']")  # the rule set's own check, on the phone
    expect(message).to_be_visible()
    expect(page.locator("#id_total_participants")).to_have_class(re.compile("is-invalid"))
    page.fill("#id_total_participants", "26")
    expect(message).to_have_count(0)
    page.fill("#id_first_time_attendees", "27")
    expect(page.locator("[data-rule-error='first_time_attendees']")).to_be_visible()
    expect(page.locator("#id_first_time_attendees")).to_have_class(re.compile("is-invalid"))
    page.fill("#id_first_time_attendees", "20")
    expect(page.locator("[data-rule-error]")).to_have_count(0)
    page.get_by_role("button", name="Submit for review").click()
    expect_sent(page)

    session = EoreSession.objects.get()
    assert (session.male_5_12, session.total_participants, session.status) == (12, 26, Report.Status.SUBMITTED)


def test_a_mistake_keeps_what_was_typed_and_the_photo_already_sent(live_server, phone, collector, small_photos):
    page = phone()
    sign_in(page, live_server, collector)
    page.goto(f"{live_server.url}/en/reports/new/survey/")
    page.fill("#id_site_name", "Clinic")
    page.fill("#id_notes", "Mortar fins by the gate.")
    page.locator("input[data-photo-input][capture]").set_input_files(small_photos[0])
    expect(page.locator(".photo-card [data-status]")).to_contain_text("Kept on this phone")
    page.locator(".photo-card [data-caption]").fill("Gate")

    page.get_by_role("button", name="Save draft").click()

    expect(page.locator("#id_site_type")).to_have_class(re.compile("is-invalid"))
    expect(page.locator("#id_notes")).to_have_value("Mortar fins by the gate.")
    expect(page.locator("#id_site_name")).to_have_value("Clinic")
    card = page.locator(".photo-card")
    expect(card).to_have_count(1)
    expect(card.locator("input[name$=caption]")).to_have_value("Gate")
    assert not Report.objects.exists()


def test_the_map_loads_only_when_opened_and_keeps_a_tapped_outline(live_server, phone, collector):
    page = phone()
    sign_in(page, live_server, collector)
    page.goto(f"{live_server.url}/en/reports/new/survey/")
    use_my_location(page)
    assert not any("leaflet" in url for url in page.requests)

    page.get_by_role("button", name="Show the map and draw the outline").click()
    map_box = page.locator("[data-map]")
    expect(map_box).to_be_visible()
    map_box.evaluate("element => element.scrollIntoView({block: 'start'})")
    box = map_box.bounding_box()
    for dx, dy in [(0.3, 0.15), (0.7, 0.15), (0.7, 0.45), (0.3, 0.45)]:  # clear of the sticky buttons at the bottom
        map_box.tap(position={"x": box["width"] * dx, "y": box["height"] * dy})
    expect(page.locator("[name=polygon]")).to_have_value(re.compile(r'^\{"type":"Polygon","coordinates":\[\[\[39\.01'))

    outline = json.loads(page.locator("input[name=polygon]").input_value())
    assert len(outline["coordinates"][0]) == 5
    assert any("leaflet" in url for url in page.requests)
    only_this_host(page, live_server)

    # The outline's area as the worker taps it: the server's geodesic area, and the flag's 20 % rule before submitting.
    area = page.locator("[data-outline-area]")
    expect(area).to_have_attribute("data-area-m2", re.compile(r"^\d+$"))
    drawn = int(area.get_attribute("data-area-m2"))
    assert drawn == pytest.approx(geo.polygon_area_m2(outline), abs=1)
    page.fill("#id_estimated_area_m2", str(drawn))
    expect(area).to_have_attribute("data-area-mismatch", "false")
    page.fill("#id_estimated_area_m2", str(round(drawn * 1.3)))
    expect(area).to_have_attribute("data-area-mismatch", "true")
    expect(area).to_have_class(re.compile("warn"))


def test_the_arabic_forms_are_right_to_left_and_take_arabic_digits(live_server, phone, collector):
    page = phone(locale="ar")
    sign_in(page, live_server, collector, lang="ar")
    for kind in ("survey", "clearance", "eore"):
        page.goto(f"{live_server.url}/ar/reports/new/{kind}/")
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        screenshot(page, f"form-{kind}-ar")
    assert any("bootstrap.rtl.min.css" in url for url in page.requests)

    page.fill("#id_activity_date", str(f.YESTERDAY))
    page.select_option("#id_place_type", "household")
    page.locator("input[name=delivery_method][value=house_to_house]").check()
    page.fill("#id_female_0_4", "٣")
    page.fill("#id_male_0_4", "۴")
    page.fill("#id_total_participants", "٧")
    expect(page.locator("[data-sum]")).to_have_text("7")
    page.locator("button[name=save]").click()
    expect(page.locator("[data-outbox-summary]")).not_to_be_empty(timeout=30_000)
    expect(page.locator("[data-outbox]")).to_have_attribute("data-waiting", "0", timeout=30_000)

    session = EoreSession.objects.get()
    assert (session.female_0_4, session.male_0_4, session.total_participants) == (3, 4, 7)


def test_without_javascript_a_form_still_submits_by_plain_post(live_server, browser, collector, small_photos):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, collector)
    page.goto(f"{live_server.url}/en/reports/new/survey/")
    expect(page.get_by_role("button", name="Use my location")).to_be_hidden()

    page.fill("#id_site_name", "Bridge 4")
    page.select_option("#id_site_type", "bridge")
    page.get_by_label("Confirmed hazardous area (CHA)", exact=True).check()
    page.get_by_label("Indirect evidence", exact=True).check()
    page.fill("#id_estimated_area_m2", "٥٠٠")
    page.fill("#id_activity_date", str(f.YESTERDAY))
    page.fill("#id_latitude", "35.9")
    page.fill("#id_longitude", "39.0")
    page.set_input_files("#id_newphoto-0-image", small_photos[0])
    page.fill("#id_newphoto-0-caption", "Bridge deck")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".alert-success")).to_contain_text("submitted for review")
    context.close()

    survey = SurveyReport.objects.get()
    assert survey.status == Report.Status.SUBMITTED and survey.estimated_area_m2 == 500
    assert survey.photos.get().caption == "Bridge deck"
