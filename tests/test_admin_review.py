"""The review page in admin: read-only once submitted, photos through the access-checked view, the map, the review
timeline, the changes since the last submission, and the approve / return / reopen buttons."""

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from surveys import photos, workflow
from surveys.models import ExplosiveItem, Report, ReviewEvent
from tests import factories as f

POLYGON = {"type": "Polygon", "coordinates": [[[39.0, 35.9], [39.001, 35.9], [39.001, 35.901], [39.0, 35.9]]]}


def change_url(report) -> str:
    return f"/en/admin/surveys/{type(report).__name__.lower()}/{report.pk}/change/"


def review_url(report) -> str:
    return f"/en/admin/surveys/{type(report).__name__.lower()}/{report.pk}/review/"


def jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(out, "JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def submitted(collector):
    return workflow.submit(f.survey(collector), collector)


def map_data(response) -> dict:
    found = re.search(r'<script id="review-map-data" type="application/json">(.*?)</script>', response.text, re.S)
    return json.loads(found.group(1))


# Read-only once submitted ---------------------------------------------------------------------------------------------


def test_it_shows_a_submitted_report_read_only(client, supervisor, submitted):
    client.force_login(supervisor)
    response = client.get(change_url(submitted))
    assert response.status_code == 200
    assert 'name="place_name"' not in response.text
    assert 'name="_save"' not in response.text
    assert "Al-Mashlab" in response.text


@pytest.mark.parametrize("status", [Report.Status.SUBMITTED, Report.Status.APPROVED])
def test_it_refuses_edits_to_submitted_and_approved_reports_even_by_administrator(client, imofficer, collector, status):
    report = f.set_status(f.survey(collector), status)
    client.force_login(imofficer)
    response = client.post(change_url(report), {"place_name": "Changed", "_save": "1"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.place_name == "Al-Mashlab"


def test_it_lets_the_collector_edit_their_draft_and_refreshes_its_flags(client, collector):
    report = f.eore(collector, gps_accuracy_m=8.0)
    client.force_login(collector)
    page = client.get(change_url(report))
    assert 'name="place_name"' in page.text
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update({"place_name": "Camp 7", "gps_accuracy_m": "120", "_save": "1"})
    response = client.post(change_url(report), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    report.refresh_from_db()
    assert report.place_name == "Camp 7"
    assert report.flag_gps_poor
    assert report.history.first().history_user == collector


def test_it_shows_the_collector_their_submitted_report_read_only(client, collector, submitted):
    client.force_login(collector)
    response = client.get(change_url(submitted))
    assert response.status_code == 200
    assert 'name="place_name"' not in response.text
    assert client.post(change_url(submitted), {"place_name": "x"}).status_code == 403


def test_it_hides_reports_of_another_organisation(client, other_supervisor, submitted):
    client.force_login(other_supervisor)
    response = client.get(change_url(submitted))
    assert response.status_code == 302  # admin's "does not exist" redirect, revealing nothing
    assert "Al-Mashlab" not in client.get(response["Location"]).text


# Photos and map ------------------------------------------------------------------------------------------------------


def test_it_shows_photos_as_thumbnails_through_the_access_checked_view(client, supervisor, outsider, collector, media):
    report = f.survey(collector)
    photo, _ = photos.add_photo(report, jpeg(), collector, caption="north wall")
    workflow.submit(report, collector)
    client.force_login(supervisor)
    page = client.get(change_url(report)).text
    assert f'href="/en/photos/{photo.pk}/"' in page
    assert f'src="/en/photos/{photo.pk}/thumbnail/"' in page
    assert photo.image.name not in page and photo.thumbnail.name not in page  # never a media path
    thumb = client.get(f"/en/photos/{photo.pk}/thumbnail/")
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    client.force_login(outsider)
    assert client.get(f"/en/photos/{photo.pk}/thumbnail/").status_code == 404


def test_the_photo_admin_never_links_a_media_url(client, imofficer, collector, media):
    report = f.survey(collector)
    photo, _ = photos.add_photo(report, jpeg(), collector)
    client.force_login(imofficer)
    listing = client.get("/en/admin/surveys/photo/").text
    detail = client.get(f"/en/admin/surveys/photo/{photo.pk}/change/").text
    for page in (listing, detail):
        assert f"/en/photos/{photo.pk}/thumbnail/" in page
        assert photo.image.name not in page


def test_it_draws_the_point_and_outline_on_a_plain_background_without_tiles(client, supervisor, collector, settings):
    settings.MAP_TILE_URL = ""
    report = workflow.submit(f.survey(collector, polygon=POLYGON, gps_accuracy_m=12.0), collector)
    client.force_login(supervisor)
    response = client.get(change_url(report))
    data = map_data(response)
    assert data["point"] == [35.95, 39.01]
    assert data["accuracy_m"] == 12.0
    assert data["polygon"] == POLYGON
    assert data["tiles"] == ""
    assert "/static/vendor/leaflet-1.9.4/leaflet.js" in response.text
    assert "/static/js/admin_review_map.js" in response.text
    assert "http://" not in data["tiles"] and "https://" not in response.text.split("<body")[0]


def test_it_uses_the_configured_tile_server(client, supervisor, submitted, settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    client.force_login(supervisor)
    assert map_data(client.get(change_url(submitted)))["tiles"] == settings.MAP_TILE_URL


# Timeline and changes -------------------------------------------------------------------------------------------------


def test_it_shows_the_review_history_as_a_timeline(client, supervisor, collector, submitted):
    workflow.return_for_correction(submitted, supervisor, "Photo of the entrance is missing")
    workflow.submit(submitted, collector)
    client.force_login(supervisor)
    response = client.get(change_url(submitted))
    events = response.context["review"]["events"]
    assert [(e.action, e.from_status, e.to_status) for e in events] == [
        ("submit", "draft", "submitted"), ("return", "submitted", "returned"), ("submit", "returned", "submitted"),
    ]
    timeline = response.text.split('class="module review-timeline"')[1].split("</ol>")[0]
    assert "Photo of the entrance is missing" in timeline
    assert timeline.count("<li>") == 3
    assert "supervisor" in timeline and "collector" in timeline
    assert "Returned for correction → Submitted" in timeline


def _resubmit_with(report, supervisor, collector, **changes):
    report = workflow.return_for_correction(report, supervisor, "Check the area")
    for name, value in changes.items():
        setattr(report, name, value)
    report._history_user = collector
    report.save()
    return workflow.submit(report, collector)


def test_it_shows_changes_since_the_last_submission_field_by_field(client, supervisor, collector, submitted):
    _resubmit_with(submitted, supervisor, collector, estimated_area_m2=15_000, site_type="health_facility")
    client.force_login(supervisor)
    response = client.get(change_url(submitted))
    changes = {c.label: (c.old, c.new) for c in response.context["review"]["changes"]}
    assert changes == {"estimated area (m²)": ("12000", "15000"), "site type": ("School", "Health facility")}
    assert "Health facility" in response.text.split("review-changes")[1]


def test_it_shows_what_the_team_changed_since_it_was_returned(client, supervisor, collector, submitted):
    returned = workflow.return_for_correction(submitted, supervisor, "Wrong place")
    returned.place_name = "Tabqa"
    returned.save()
    client.force_login(supervisor)
    changes = client.get(change_url(submitted)).context["review"]["changes"]
    assert [(c.label, c.old, c.new) for c in changes] == [("place name", "Al-Mashlab", "Tabqa")]


def test_it_has_nothing_to_compare_after_the_first_submission(client, supervisor, submitted):
    client.force_login(supervisor)
    response = client.get(change_url(submitted))
    assert response.context["review"]["baseline"] is None
    assert "Submitted once: nothing to compare yet." in response.text


def test_it_shows_changed_explosive_items_and_photos_of_a_clearance(client, supervisor, collector, site, media):
    report = f.clearance(collector, site, items=[
        {"category": "uxo", "quantity": 2, "weight_kg": "3.50", "disposal": "destroyed_in_situ"}])
    photos.add_photo(report, jpeg(), collector)
    workflow.submit(report, collector)
    workflow.return_for_correction(report, supervisor, "Count the items again")
    ExplosiveItem.objects.create(report=report, category="ied", quantity=1, weight_kg="12.00", disposal="rendered_safe")
    photos.add_photo(report, jpeg(), collector)
    workflow.submit(report, collector)
    client.force_login(supervisor)
    changes = {c.label: (c.old, c.new) for c in client.get(change_url(report)).context["review"]["changes"]}
    assert changes["photos"] == ("1", "2")
    old, new = changes["explosive items"]
    assert "Improvised explosive device" not in old and "1 × Improvised explosive device (12.00 kg" in new
    assert "2 × Unexploded ordnance (UXO) (3.50 kg" in old and "2 × Unexploded ordnance (UXO)" in new


# Buttons --------------------------------------------------------------------------------------------------------------


def test_it_offers_approve_and_return_to_the_supervisor(client, supervisor, submitted):
    client.force_login(supervisor)
    response = client.get(change_url(submitted))
    assert response.context["review"]["moves"] == ["approve", "return"]
    assert 'value="approve"' in response.text and 'value="return"' in response.text


def test_it_offers_reopen_on_an_approved_report(client, supervisor, submitted):
    workflow.approve(submitted, supervisor)
    client.force_login(supervisor)
    assert client.get(change_url(submitted)).context["review"]["moves"] == ["reopen"]


def test_it_offers_no_review_buttons_to_the_collector(client, collector, submitted):
    client.force_login(collector)
    response = client.get(change_url(submitted))
    assert response.context["review"]["moves"] == []
    assert 'name="move"' not in response.text


def test_the_supervisor_approves_with_the_button(client, supervisor, submitted):
    client.force_login(supervisor)
    response = client.post(review_url(submitted), {"move": "approve"}, follow=True)
    submitted.refresh_from_db()
    assert submitted.status == Report.Status.APPROVED
    assert ReviewEvent.objects.filter(report=submitted, action="approve", actor=supervisor).count() == 1
    assert f"{submitted.reference} approved." in response.text
    assert response.redirect_chain[-1][0] == change_url(submitted)


def test_the_supervisor_returns_with_a_comment(client, supervisor, submitted):
    client.force_login(supervisor)
    client.post(review_url(submitted), {"move": "return", "comment": "  GPS point is in the river  "})
    event = ReviewEvent.objects.get(report=submitted, action="return")
    assert (event.to_status, event.comment) == (Report.Status.RETURNED, "GPS point is in the river")


def test_it_refuses_a_return_without_comment_and_changes_nothing(client, supervisor, submitted):
    client.force_login(supervisor)
    response = client.post(review_url(submitted), {"move": "return", "comment": "  "})
    assert response.status_code == 200
    assert "Write a comment saying what the team must correct." in response.text
    submitted.refresh_from_db()
    assert submitted.status == Report.Status.SUBMITTED
    assert not ReviewEvent.objects.filter(action="return").exists()


def test_it_refuses_a_reopen_without_reason(client, supervisor, submitted):
    workflow.approve(submitted, supervisor)
    client.force_login(supervisor)
    response = client.post(review_url(submitted), {"move": "reopen", "comment": ""})
    assert "Say why you are reopening the report." in response.text
    submitted.refresh_from_db()
    assert submitted.status == Report.Status.APPROVED


def test_the_supervisor_reopens_an_approved_report_with_a_reason(client, supervisor, submitted):
    workflow.approve(submitted, supervisor)
    client.force_login(supervisor)
    client.post(review_url(submitted), {"move": "reopen", "comment": "Area double counted"})
    submitted.refresh_from_db()
    assert submitted.status == Report.Status.RETURNED
    assert ReviewEvent.objects.get(report=submitted, action="reopen").comment == "Area double counted"


def test_the_administrator_may_review(client, imofficer, submitted):
    client.force_login(imofficer)
    client.post(review_url(submitted), {"move": "approve"})
    submitted.refresh_from_db()
    assert submitted.status == Report.Status.APPROVED


def test_it_refuses_review_by_the_collector(client, collector, submitted):
    client.force_login(collector)
    assert client.post(review_url(submitted), {"move": "approve"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Report.Status.SUBMITTED


def test_it_refuses_review_by_a_supervisor_of_another_organisation(client, other_supervisor, submitted):
    client.force_login(other_supervisor)
    assert client.post(review_url(submitted), {"move": "approve"}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Report.Status.SUBMITTED


def test_it_refuses_review_by_a_donor(client, donor, submitted):
    client.force_login(donor)
    response = client.post(review_url(submitted), {"move": "approve"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    submitted.refresh_from_db()
    assert submitted.status == Report.Status.SUBMITTED


def test_it_keeps_the_comment_when_the_report_moved_meanwhile(client, supervisor, imofficer, submitted):
    client.force_login(supervisor)
    client.get(change_url(submitted))  # the supervisor opens the page...
    workflow.approve(submitted, imofficer)  # ...someone else approves it...
    response = client.post(review_url(submitted), {"move": "return", "comment": "Depth is missing"})  # ...then return
    assert response.status_code == 200
    assert "is approved: it cannot be returned" in response.text
    assert "Depth is missing" in response.text
    submitted.refresh_from_db()
    assert submitted.status == Report.Status.APPROVED
    assert ReviewEvent.objects.filter(report=submitted).count() == 2  # submit, approve


def test_it_refuses_get_on_the_review_url(client, supervisor, submitted):
    client.force_login(supervisor)
    assert client.get(review_url(submitted)).status_code == 405


def test_it_links_to_the_next_report_in_the_queue(client, supervisor, collector, submitted):
    later = workflow.submit(f.eore(collector), collector)
    client.force_login(supervisor)
    response = client.get(change_url(submitted))
    assert response.context["review"]["next_report"].pk == later.pk
    assert f'href="/en/admin/surveys/eoresession/{later.pk}/change/"' in response.text


def test_the_queue_opens_each_report_on_its_own_review_page(client, supervisor, submitted):
    client.force_login(supervisor)
    response = client.get(f"/en/admin/surveys/report/{submitted.pk}/change/")
    assert response.status_code == 302 and response["Location"] == change_url(submitted)
