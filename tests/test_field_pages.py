"""The field team's pages without JavaScript: home and "My reports", new report forms, drafts, submission, the
correction loop, a form posted twice, and photos kept when a form has a mistake."""

import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys import photos, workflow
from surveys.models import ClearanceReport, EoreSession, PendingPhoto, Photo, Report, ReviewEvent, SurveyReport
from tests import factories as f
from tests import images
from tests import report_data as data


@pytest.fixture
def signed_in(client, collector):
    client.force_login(collector)
    return client


def new(kind: str) -> str:
    return reverse("report_new", args=[kind])


# Home and "My reports" -----------------------------------------------------------------------------------------------


def test_home_offers_the_three_new_reports_and_lists_the_teams_reports_newest_first(signed_in, collector, teammate,
                                                                                     outsider):
    older = f.survey(collector)
    theirs = f.eore(teammate)
    newest = f.set_status(f.survey(collector), Report.Status.RETURNED)
    elsewhere = f.survey(outsider)

    page = signed_in.get("/en/").content.decode()

    for kind in ("survey", "clearance", "eore"):
        assert f'href="{new(kind)}"' in page
    assert page.index(newest.reference) < page.index(theirs.reference) < page.index(older.reference)
    assert elsewhere.reference not in page
    assert 'class="badge status-returned"' in page and "Returned for correction" in page


def test_my_reports_use_the_same_number_of_queries_for_3_or_20_reports(signed_in, collector, teammate):
    for _ in range(3):
        f.survey(collector)
    with CaptureQueriesContext(connection) as few:
        signed_in.get("/en/")
    for _ in range(17):
        f.eore(teammate)
    with CaptureQueriesContext(connection) as many:
        page = signed_in.get("/en/").content.decode()

    assert page.count('class="stretched-link report-ref"') == 20
    assert len(many.captured_queries) == len(few.captured_queries)


def test_my_reports_are_paginated(signed_in, collector):
    for _ in range(23):
        f.survey(collector)

    first = signed_in.get("/en/").content.decode()
    second = signed_in.get("/en/?page=2").content.decode()

    assert first.count("report-ref") == 20 and second.count("report-ref") == 3
    assert "Page 2 of 2" in second


def test_a_donor_gets_no_report_forms(client, donor):
    client.force_login(donor)

    assert f'href="{new("survey")}"' not in client.get("/en/").content.decode()
    assert client.get(new("survey")).status_code == 403
    assert client.post(new("survey"), data.survey()).status_code == 403
    assert not Report.objects.exists()


def test_an_unknown_report_type_is_not_found(signed_in):
    assert signed_in.get("/en/reports/new/accident/").status_code == 404


@pytest.mark.parametrize("kind", ["survey", "clearance", "eore"])
def test_each_form_page_is_made_for_a_phone(signed_in, site, kind):
    page = signed_in.get(new(kind)).content.decode()

    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert 'enctype="multipart/form-data"' in page and 'method="post"' in page
    assert 'inputmode="decimal"' in page and 'type="date"' in page
    assert 'capture="environment"' in page
    assert "bootstrap.bundle" not in page and "leaflet.js" in page and "<script type=\"module\" src" in page
    assert 'name="uuid"' in page and "data-fresh" in page


def test_the_arabic_form_is_right_to_left(signed_in):
    page = signed_in.get("/ar/reports/new/survey/").content.decode()

    assert '<html lang="ar" dir="rtl">' in page
    assert "bootstrap.rtl.min.css" in page


# Saving and submitting -----------------------------------------------------------------------------------------------


def test_it_saves_a_new_survey_as_a_draft(signed_in, collector):
    post = data.survey()

    response = signed_in.post(new("survey"), post)

    survey = SurveyReport.objects.get()
    assert response.status_code == 302 and response["Location"] == survey.get_absolute_url()
    assert str(survey.uuid) == post["uuid"]
    assert survey.status == Report.Status.DRAFT
    assert (survey.captured_by, survey.team, survey.organisation) == (collector, collector.team, collector.organisation)
    assert survey.site_name == "Al-Rashid school" and survey.contamination == ["uxo", "ied"]
    assert survey.estimated_area_m2 == 12_000 and survey.gps_accuracy_m == 8
    assert "saved as a draft" in signed_in.get(response["Location"]).content.decode()


def test_it_submits_a_new_report_through_the_workflow(signed_in, collector):
    signed_in.post(new("eore"), {**data.eore(), "submit": "1"})

    session = EoreSession.objects.get()
    assert session.status == Report.Status.SUBMITTED and session.submitted_at
    assert ReviewEvent.objects.get(report=session).action == "submit"


def test_a_clearance_report_keeps_its_item_lines(signed_in, site):
    items = [
        {"category": "uxo", "quantity": "3", "weight_kg": "4.5", "disposal": "destroyed_in_situ"},
        {"category": "ied", "quantity": "١", "weight_kg": "١٢٫٥", "disposal": "rendered_safe"},
    ]

    signed_in.post(new("clearance"), data.clearance(site, items))

    report = ClearanceReport.objects.get()
    assert [(i.category, i.quantity, float(i.weight_kg)) for i in report.items.all()] == [
        ("uxo", 3, 4.5), ("ied", 1, 12.5)]


def test_item_lines_are_removed_and_added_when_editing(signed_in, collector, site):
    report = f.clearance(collector, site, items=[
        {"category": "uxo", "quantity": 3, "weight_kg": 4, "disposal": "destroyed_in_situ"},
        {"category": "axo", "quantity": 2, "weight_kg": 1, "disposal": "moved_and_destroyed"},
    ])
    keep, drop = report.items.all()
    post = data.clearance(site, [
        {"id": str(keep.pk), "report": str(report.pk), "category": "uxo", "quantity": "4", "weight_kg": "4",
         "disposal": "destroyed_in_situ"},
        {"id": str(drop.pk), "report": str(report.pk), "category": "axo", "quantity": "2", "weight_kg": "1",
         "disposal": "moved_and_destroyed", "DELETE": "on"},
        {"category": "av_mine", "quantity": "1", "weight_kg": "7", "disposal": "handed_over"},
        {"category": "", "quantity": "", "weight_kg": "", "disposal": ""},  # an unused empty line
    ], initial=2)

    response = signed_in.post(reverse("report_edit", args=[report.pk]), post)

    assert response.status_code == 302
    assert sorted((i.category, i.quantity) for i in report.items.all()) == [("av_mine", 1), ("uxo", 4)]


# The same form posted twice ------------------------------------------------------------------------------------------


def test_posting_the_same_form_twice_makes_one_report(signed_in):
    post = data.survey()

    signed_in.post(new("survey"), post)
    again = signed_in.post(new("survey"), {**post, "notes": "Second try, after the back button."})

    survey = SurveyReport.objects.get()
    assert again.status_code == 302 and again["Location"] == survey.get_absolute_url()
    assert survey.notes == "Second try, after the back button."


def test_posting_a_submitted_form_again_changes_nothing(signed_in):
    post = {**data.eore(), "submit": "1"}
    signed_in.post(new("eore"), post)

    again = signed_in.post(new("eore"), {**post, "notes": "changed"}, follow=True)

    session = EoreSession.objects.get()
    assert session.notes == "" and session.status == Report.Status.SUBMITTED
    assert session.review_events.count() == 1
    assert "was already sent; nothing was changed" in again.content.decode()


def test_a_device_uuid_of_someone_elses_report_is_refused(signed_in, outsider):
    theirs = f.survey(outsider)

    response = signed_in.post(new("survey"), data.survey(uuid=str(theirs.uuid)))

    assert response.status_code == 400
    assert SurveyReport.objects.count() == 1


def _checked(page: str, value: str) -> bool:
    """Whether the checkbox or radio with this value is checked, whatever the attribute order."""
    return any("checked" in tag for tag in re.findall(rf'<input[^>]*value="{value}"[^>]*>', page))


# Mistakes: shown beside the field, nothing lost ------------------------------------------------------------------------


def test_a_mistake_is_shown_beside_its_field_and_keeps_everything_typed_and_the_photos(signed_in, collector):
    post = data.survey(site_type="", notes="Children play near the wall.", site_name="Al-Rashid school",
                       **{"newphoto-0-image": images.upload(images.small_jpeg()), "newphoto-0-caption": "East gate"})

    response = signed_in.post(new("survey"), post)

    page = response.content.decode()
    assert response.status_code == 400 and not Report.objects.exists()
    assert 'id="error_1_id_site_type"' in page and "This field is required." in page
    assert "Children play near the wall." in page and 'value="Al-Rashid school"' in page
    assert 'value="12000"' in page
    assert _checked(page, "uxo") and _checked(page, "ied") and not _checked(page, "ap_mine")
    pending = PendingPhoto.objects.get()
    assert pending.caption == "East gate" and str(pending.form_uuid) == post["uuid"]
    assert reverse("pending_photo", args=[pending.pk]) in page and 'value="East gate"' in page
    assert f'name="uuid" value="{post["uuid"]}"' in page

    corrected = {k: v for k, v in post.items() if not k.startswith("newphoto-0-")}
    corrected.update(site_type="school", **{f"photo-{pending.pk}-caption": "East gate, inside"})
    signed_in.post(new("survey"), corrected)

    survey = SurveyReport.objects.get()
    photo = survey.photos.get()
    assert photo.pk == pending.pk and photo.caption == "East gate, inside"
    assert not PendingPhoto.objects.exists() and not survey.flag_no_photo


def test_a_refused_photo_is_named_and_the_report_waits(signed_in):
    post = data.survey(**{"newphoto-0-image": images.upload(images.text_as_jpg(), "notes.jpg"),
                          "newphoto-1-image": images.upload(images.small_jpeg(), "gate.jpg")})

    response = signed_in.post(new("survey"), post)

    page = response.content.decode()
    assert response.status_code == 400 and not Report.objects.exists()
    assert "notes.jpg: This file is not a photo we can read." in page
    assert PendingPhoto.objects.count() == 1  # the good one is kept


def test_a_waiting_photo_can_be_removed_before_saving(signed_in, collector):
    form_uuid = uuid.uuid4()
    signed_in.post("/en/photos/pending/", {"form_uuid": str(form_uuid), "image": images.upload(images.small_jpeg())})
    pending = PendingPhoto.objects.get()

    signed_in.post(new("survey"), data.survey(uuid=str(form_uuid), **{f"photo-{pending.pk}-remove": "on"}))

    assert not SurveyReport.objects.get().photos.exists()
    assert not PendingPhoto.objects.exists()


def test_the_totals_rule_is_checked_on_the_server(signed_in):
    response = signed_in.post(new("eore"), data.eore(total_participants="40"))

    assert response.status_code == 400 and not Report.objects.exists()
    assert "The total is not the sum of the people counted by sex and age." in response.content.decode()


# The correction loop -------------------------------------------------------------------------------------------------


def test_a_returned_report_shows_the_comment_is_corrected_and_submitted_again(client, collector, supervisor):
    client.force_login(collector)
    client.post(new("survey"), {**data.survey(estimated_area_m2="1200"), "submit": "1"})
    survey = SurveyReport.objects.get()
    workflow.return_for_correction(survey, supervisor, "The area is 12 000 m², not 1 200: check the sketch.")

    detail = client.get(survey.get_absolute_url()).content.decode()
    edit_page = client.get(reverse("report_edit", args=[survey.pk])).content.decode()

    for page in (detail, edit_page):
        assert "Returned for correction" in page and "The area is 12 000 m², not 1 200" in page
        assert page.index("returned-comment") < page.index("<form method=\"post\"" if page is edit_page else "facts")
    response = client.post(reverse("report_edit", args=[survey.pk]),
                           {**data.survey(uuid=str(survey.uuid), estimated_area_m2="12000"), "submit": "1"})

    survey.refresh_from_db()
    assert response.status_code == 302
    assert survey.status == Report.Status.SUBMITTED and survey.estimated_area_m2 == 12_000
    assert list(survey.review_events.values_list("action", flat=True)) == ["submit", "return", "submit"]
    assert SurveyReport.objects.count() == 1


@pytest.mark.parametrize("status", [Report.Status.SUBMITTED, Report.Status.APPROVED])
def test_a_submitted_or_approved_report_cannot_be_edited(signed_in, collector, status):
    report = f.set_status(f.survey(collector), status)
    url = reverse("report_edit", args=[report.pk])

    assert signed_in.get(url).status_code == 403
    assert signed_in.post(url, data.survey(uuid=str(report.uuid), site_name="Changed")).status_code == 403
    assert signed_in.post(reverse("report_submit", args=[report.pk])).status_code == 403
    report.refresh_from_db()
    assert report.specific.site_name == "Al-Rashid school"
    assert "report_edit" not in signed_in.get(report.get_absolute_url()).content.decode()


def test_only_the_author_edits_a_draft_and_outsiders_do_not_see_it(client, collector, teammate, outsider):
    report = f.survey(collector)
    url = reverse("report_edit", args=[report.pk])

    client.force_login(teammate)
    assert client.get(report.get_absolute_url()).status_code == 200
    assert client.get(url).status_code == 403
    client.force_login(outsider)
    assert client.get(report.get_absolute_url()).status_code == 404
    assert client.get(url).status_code == 404


def test_a_draft_is_submitted_from_its_page(signed_in, collector):
    report = f.eore(collector)

    response = signed_in.post(reverse("report_submit", args=[report.pk]), follow=True)

    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    assert f"{report.reference} was submitted for review." in response.content.decode()


def test_an_incomplete_draft_is_not_submitted_and_says_why(signed_in, collector):
    report = f.eore(collector)
    tomorrow = f.YESTERDAY + timedelta(days=2)
    Report.objects.filter(pk=report.pk).update(activity_date=tomorrow)  # e.g. a phone with a wrong clock, via the API

    response = signed_in.post(reverse("report_submit", args=[report.pk]), follow=True)

    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT
    assert "is not complete: Enter a date from 1990-01-01 to today, not in the future." in response.content.decode()


# The read-only report page -------------------------------------------------------------------------------------------


def test_the_report_page_shows_the_report_and_its_photos(signed_in, collector, site):
    report = f.clearance(collector, site, items=[
        {"category": "uxo", "quantity": 3, "weight_kg": 4, "disposal": "destroyed_in_situ"}])
    photo, _ = photos.add_photo(report, images.upload(images.small_jpeg()), collector, caption="Lane 3")

    page = signed_in.get(report.get_absolute_url()).content.decode()

    assert site.name in page and "Manual" in page and "3000" in page.replace(",", "").replace("\u202f", "")
    assert "Unexploded ordnance (UXO)" in page
    assert reverse("photo_thumbnail", args=[photo.pk]) in page and "Lane 3" in page
    assert "35.950000, 39.010000" in page


def test_a_donor_sees_an_uncleared_hazard_only_roughly_and_no_photos(client, collector, donor, project, site):
    report = f.set_status(f.clearance(collector, site, project=project, latitude=35.95432, longitude=39.01234),
                          Report.Status.APPROVED)
    photo, _ = photos.add_photo(report, images.upload(images.small_jpeg()), collector)
    client.force_login(donor)

    page = client.get(report.get_absolute_url()).content.decode()

    assert "35.95, 39.01" in page and "approximate" in page
    assert "35.954320" not in page and str(photo.pk) not in page


def test_photos_kept_as_pending_are_invisible_in_the_photo_table(signed_in):
    signed_in.post("/en/photos/pending/", {"form_uuid": str(uuid.uuid4()), "image": images.upload(images.small_jpeg())})

    assert PendingPhoto.objects.count() == 1 and not Photo.objects.exists()


def test_the_language_switch_keeps_the_worker_on_the_same_page(signed_in):
    response = signed_in.post("/i18n/setlang/", {"language": "ar", "next": "/en/reports/new/survey/"})

    assert response.status_code == 302 and response["Location"] == "/ar/reports/new/survey/"
    assert 'lang="ar" dir="rtl"' in signed_in.get(response["Location"]).content.decode()


def test_a_form_with_photos_posted_twice_stores_each_photo_once(signed_in):
    photo = images.small_jpeg()
    post = data.survey(**{"newphoto-0-caption": "Gate"})

    signed_in.post(new("survey"), {**post, "newphoto-0-image": images.upload(photo)})
    signed_in.post(new("survey"), {**post, "newphoto-0-image": images.upload(photo)})  # the retry of a slow post

    survey = SurveyReport.objects.get()
    assert survey.photos.count() == 1 and not PendingPhoto.objects.exists()
