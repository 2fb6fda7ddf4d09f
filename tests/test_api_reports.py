"""API v1 reports: create (idempotent by device UUID), validation, update while draft or returned, submit, lists."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from surveys.models import (
    ClearanceReport,
    EoreSession,
    ExplosiveItem,
    Report,
    ReviewEvent,
    SiteStatus,
    SurveyReport,
)
from tests import factories as f

YESTERDAY = f.YESTERDAY


def survey_body(**kw) -> dict:
    return {
        "uuid": str(uuid.uuid4()), "activity_date": YESTERDAY.isoformat(), "place_name": "Al-Mashlab",
        "latitude": 35.95, "longitude": 39.01, "gps_accuracy_m": 8, "site_name": "Al-Rashid school",
        "site_type": "school", "classification": "sha", "evidence": "direct", "contamination": ["uxo"],
        "estimated_area_m2": 12000, **kw,
    }


def clearance_body(site, **kw) -> dict:
    return {
        "uuid": str(uuid.uuid4()), "activity_date": YESTERDAY.isoformat(), "site": site.pk, "method": "manual",
        "start_date": (YESTERDAY - timedelta(days=5)).isoformat(), "end_date": YESTERDAY.isoformat(),
        "cleared_area_m2": 3000, "reduced_area_m2": 1000, "cancelled_area_m2": 500, "depth_cm": 30,
        "items": [
            {"category": "uxo", "quantity": 4, "weight_kg": "12.5", "disposal": "destroyed_in_situ"},
            {"category": "ied", "quantity": 1, "weight_kg": "20", "disposal": "moved_and_destroyed"},
        ],
        **kw,
    }


def eore_body(**kw) -> dict:
    return {
        "uuid": str(uuid.uuid4()), "activity_date": YESTERDAY.isoformat(), "place_name": "Al-Amal school",
        "place_type": "school", "delivery_method": "face_to_face_group", "female_5_12": 10, "male_5_12": 12,
        "female_25_59": 3, **kw,
    }


# Creating, and resending -----------------------------------------------------------------------------------------------


def test_it_creates_a_survey_for_the_collectors_team(api, collector):
    response = api(collector).post("/api/v1/surveys/", survey_body(), format="json")
    assert response.status_code == 201, response.data
    report = SurveyReport.objects.get()
    assert (report.team, report.organisation, report.captured_by) == (collector.team, collector.organisation, collector)
    assert report.status == Report.Status.DRAFT
    assert response.data["reference"] == report.reference
    assert response["Location"] == f"/api/v1/surveys/{report.pk}/"
    assert report.history.get().history_user == collector


def test_a_resend_with_the_same_content_answers_200_and_creates_nothing(api, collector):
    body = survey_body(captured_at="2026-01-10T12:00:00+03:00")
    first = api(collector).post("/api/v1/surveys/", body, format="json")
    # The same report, written differently: another key order, the same instant in another time zone.
    again = dict(reversed(list({**body, "captured_at": "2026-01-10T09:00:00Z"}.items())))
    second = api(collector).post("/api/v1/surveys/", again, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.data["id"] == first.data["id"]
    assert SurveyReport.objects.count() == 1


def test_a_resent_clearance_matches_whatever_the_order_and_notation_of_its_item_lines(api, collector, site):
    body = clearance_body(site)
    assert api(collector).post("/api/v1/clearances/", body, format="json").status_code == 201
    lines = [{**line, "weight_kg": f"{float(line['weight_kg']):.2f}"} for line in reversed(body["items"])]
    response = api(collector).post("/api/v1/clearances/", {**body, "items": lines}, format="json")
    assert response.status_code == 200, response.data
    assert ClearanceReport.objects.get().items.count() == 2


def test_a_resend_with_different_content_answers_409_naming_the_fields(api, collector, site):
    body = clearance_body(site, notes="Rubble at the gate.")
    first = api(collector).post("/api/v1/clearances/", body, format="json")
    changed = {**body, "notes": "Other notes", "items": body["items"][:1]}
    response = api(collector).post("/api/v1/clearances/", changed, format="json")
    assert response.status_code == 409
    assert set(response.data["fields"]) == {"notes", "items"}
    assert response.data["url"] == f"/api/v1/clearances/{first.data['id']}/"
    assert "PATCH" in response.data["detail"]
    stored = ClearanceReport.objects.get()
    assert (stored.notes, stored.items.count()) == ("Rubble at the gate.", 2)


def test_a_uuid_of_another_report_type_or_of_a_report_out_of_sight_is_a_conflict(api, collector, outsider):
    body = survey_body()
    api(collector).post("/api/v1/surveys/", body, format="json")
    as_eore = api(collector).post("/api/v1/eore-sessions/", eore_body(uuid=body["uuid"]), format="json")
    elsewhere = api(outsider).post("/api/v1/surveys/", body, format="json")
    assert (as_eore.status_code, elsewhere.status_code) == (409, 409)
    assert "reference" not in elsewhere.data and "url" not in elsewhere.data
    assert Report.objects.count() == 1


def test_it_creates_and_submits_in_one_request_and_a_resend_submits_nothing_twice(api, collector):
    body = survey_body(submit=True, photos_expected=0)
    first = api(collector).post("/api/v1/surveys/", body, format="json")
    second = api(collector).post("/api/v1/surveys/", body, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.data["status"] == second.data["status"] == "submitted"
    assert ReviewEvent.objects.filter(action="submit").count() == 1


def test_a_resend_asking_to_submit_submits_a_report_stored_as_a_draft(api, collector):
    body = survey_body()
    api(collector).post("/api/v1/surveys/", body, format="json")
    response = api(collector).post("/api/v1/surveys/", {**body, "submit": True}, format="json")
    assert response.status_code == 200
    assert response.data["status"] == "submitted"


# Validation -------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("change", "field"), [
    ({"activity_date": (timezone.localdate() + timedelta(days=2)).isoformat()}, "activity_date"),
    ({"longitude": None}, "longitude"),
    ({"latitude": 123.0}, "latitude"),
    ({"site_type": "castle"}, "site_type"),
    ({"estimated_area_m2": "lots"}, "estimated_area_m2"),
    ({"estimated_area_m2": -5}, "estimated_area_m2"),
    ({"contamination": ["uxo", "dragons"]}, "contamination"),
    ({"polygon": {"type": "Polygon", "coordinates": [[[39.0, 35.9], [39.1, 35.9], [39.0, 36.0]]]}}, "polygon"),
    ({"polygon": "a circle"}, "polygon"),
    ({"uuid": "not-a-uuid"}, "uuid"),
    ({"captured_at": "2031-01-01T00:00:00Z"}, "captured_at"),
])
def test_invalid_fields_are_400_with_a_message_for_the_field_and_store_nothing(api, collector, change, field):
    response = api(collector).post("/api/v1/surveys/", survey_body(**change), format="json")
    assert response.status_code == 400
    assert field in response.data, response.data
    assert Report.objects.count() == 0


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", "null", '"text"', '{"activity_date": NaN}'])
def test_a_malformed_body_is_400(api, collector, body):
    response = api(collector).post("/api/v1/surveys/", body, content_type="application/json")
    assert response.status_code == 400
    assert Report.objects.count() == 0


def test_a_grant_or_site_of_another_organisation_is_refused(api, collector, other_org):
    foreign_site = f.site(other_org)
    foreign_grant = f.project(other_org)
    body = clearance_body(foreign_site, project=foreign_grant.pk)
    response = api(collector).post("/api/v1/clearances/", body, format="json")
    assert response.status_code == 400
    assert {"site", "project"} <= set(response.data)


def test_a_completion_report_needs_its_handover(api, collector, site):
    response = api(collector).post("/api/v1/clearances/", clearance_body(site, stage="completion"), format="json")
    assert response.status_code == 400
    assert {"handover_date", "handed_over_to"} <= set(response.data)


def test_an_eore_total_that_is_not_the_sum_of_its_breakdown_is_refused(api, collector):
    response = api(collector).post("/api/v1/eore-sessions/", eore_body(total_participants=30), format="json")
    assert response.status_code == 400
    assert "sum" in str(response.data["total_participants"][0])


def test_an_eore_total_left_out_is_the_sum_of_its_breakdown(api, collector):
    response = api(collector).post("/api/v1/eore-sessions/", eore_body(persons_with_disabilities=2), format="json")
    assert response.status_code == 201, response.data
    assert EoreSession.objects.get().total_participants == 25


def test_more_persons_with_disabilities_than_participants_is_refused(api, collector):
    response = api(collector).post("/api/v1/eore-sessions/", eore_body(persons_with_disabilities=26), format="json")
    assert response.status_code == 400
    assert "persons_with_disabilities" in response.data


# Who may create, see and change ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["supervisor", "donor"])
def test_only_capturers_create_reports(api, request, db, persona):
    response = api(request.getfixturevalue(persona)).post("/api/v1/surveys/", survey_body(), format="json")
    assert response.status_code == 403
    assert Report.objects.count() == 0


def test_anonymous_requests_are_refused(api, collector):
    f.survey(collector)
    assert api().get("/api/v1/surveys/").status_code in (401, 403)


def test_a_user_without_role_sees_nothing(api, org):
    nobody = f.user(None, org)
    assert api(nobody).get("/api/v1/reports/").status_code == 403


def test_reports_of_another_organisation_are_not_found(api, collector, outsider):
    report = f.survey(collector)
    assert api(outsider).get(f"/api/v1/surveys/{report.pk}/").status_code == 404
    assert api(outsider).patch(f"/api/v1/surveys/{report.pk}/", {"notes": "x"}, format="json").status_code == 404
    assert api(outsider).get("/api/v1/surveys/").data["count"] == 0


def test_a_teammate_sees_but_does_not_change_anothers_report(api, collector, teammate):
    report = f.survey(collector)
    client = api(teammate)
    assert client.get(f"/api/v1/surveys/{report.pk}/").status_code == 200
    assert client.patch(f"/api/v1/surveys/{report.pk}/", {"notes": "x"}, format="json").status_code == 403
    assert client.post(f"/api/v1/surveys/{report.pk}/submit/").status_code == 403


def test_a_report_is_found_by_its_device_uuid(api, collector):
    report = f.survey(collector)
    response = api(collector).get(f"/api/v1/surveys/{report.uuid}/")
    assert response.status_code == 200
    assert response.data["id"] == report.pk
    assert api(collector).get(f"/api/v1/eore-sessions/{report.uuid}/").status_code == 404
    assert api(collector).get("/api/v1/surveys/not-a-key/").status_code == 404


# Changing --------------------------------------------------------------------------------------------------------------


def test_a_draft_is_changed_with_patch_and_replaced_with_put(api, collector):
    report = f.survey(collector)
    client = api(collector)
    patched = client.patch(f"/api/v1/surveys/{report.uuid}/", {"notes": "Wall collapsed"}, format="json")
    assert patched.status_code == 200, patched.data
    body = survey_body(uuid=str(report.uuid), site_name="Al-Rashid school (east)")
    put = client.put(f"/api/v1/surveys/{report.pk}/", body, format="json")
    assert put.status_code == 200, put.data
    report.refresh_from_db()
    assert (report.notes, report.site_name) == ("Wall collapsed", "Al-Rashid school (east)")


def test_the_uuid_of_a_report_cannot_change(api, collector):
    report = f.survey(collector)
    response = api(collector).patch(f"/api/v1/surveys/{report.pk}/", {"uuid": str(uuid.uuid4())}, format="json")
    assert response.status_code == 400
    assert "uuid" in response.data


def test_a_submitted_report_cannot_change_and_a_returned_one_can(api, collector):
    report = f.set_status(f.survey(collector), Report.Status.SUBMITTED)
    client = api(collector)
    refused = client.patch(f"/api/v1/surveys/{report.pk}/", {"notes": "late"}, format="json")
    assert refused.status_code == 409
    assert "submitted" in refused.data["detail"]
    f.set_status(report, Report.Status.RETURNED)
    assert client.patch(f"/api/v1/surveys/{report.pk}/", {"notes": "fixed"}, format="json").status_code == 200


def test_item_lines_sent_replace_the_stored_ones_and_lines_left_out_stay(api, collector, site):
    report = f.clearance(collector, site, items=[{"category": "uxo", "quantity": 2, "weight_kg": 3,
                                                  "disposal": "destroyed_in_situ"}])
    client = api(collector)
    client.patch(f"/api/v1/clearances/{report.pk}/", {"notes": "no items sent"}, format="json")
    assert report.items.count() == 1
    lines = [{"category": "ap_mine", "quantity": 7, "weight_kg": "1.40", "disposal": "destroyed_in_situ"}]
    response = client.patch(f"/api/v1/clearances/{report.pk}/", {"items": lines}, format="json")
    assert response.status_code == 200
    assert [(i.category, i.quantity) for i in report.items.all()] == [("ap_mine", 7)]
    history = ExplosiveItem.history.order_by("history_id")
    assert [(h.history_type, h.category) for h in history] == [("+", "uxo"), ("-", "uxo"), ("+", "ap_mine")]
    assert history.last().history_user == collector


def test_an_invalid_change_leaves_the_report_as_it_was(api, collector, site):
    report = f.clearance(collector, site)
    response = api(collector).patch(f"/api/v1/clearances/{report.pk}/",
                                    {"end_date": (YESTERDAY - timedelta(days=30)).isoformat(), "notes": "x"},
                                    format="json")
    assert response.status_code == 400
    assert "end_date" in response.data
    report.refresh_from_db()
    assert (report.end_date, report.notes) == (YESTERDAY, "")


# Submitting ------------------------------------------------------------------------------------------------------------


def test_submit_moves_a_draft_through_the_workflow(api, collector):
    report = f.survey(collector)
    response = api(collector).post(f"/api/v1/surveys/{report.pk}/submit/")
    assert response.status_code == 200
    assert response.data["status"] == "submitted"
    event = ReviewEvent.objects.get(report=report)
    assert (event.actor, event.from_status, event.to_status) == (collector, "draft", "submitted")


def test_submitting_again_changes_nothing(api, collector):
    report = f.survey(collector)
    client = api(collector)
    client.post(f"/api/v1/surveys/{report.pk}/submit/")
    assert client.post(f"/api/v1/surveys/{report.pk}/submit/").status_code == 200
    assert ReviewEvent.objects.filter(report=report).count() == 1


def test_submitting_an_approved_report_is_a_conflict(api, collector):
    report = f.set_status(f.survey(collector), Report.Status.APPROVED)
    response = api(collector).post(f"/api/v1/surveys/{report.pk}/submit/")
    assert response.status_code == 409
    assert "approved" in response.data["detail"]


def test_submitting_an_incomplete_report_is_400_with_the_reasons(api, collector, site):
    report = f.clearance(collector, site, stage="completion")  # no handover: stored by hand, not complete
    response = api(collector).post(f"/api/v1/clearances/{report.pk}/submit/")
    assert response.status_code == 400
    assert "handed over" in str(response.data["non_field_errors"][0])
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT


# Lists -----------------------------------------------------------------------------------------------------------------


def test_lists_filter_by_status_team_project_dates_and_updates(api, collector, supervisor, outsider, project):
    old = f.survey(collector, activity_date=YESTERDAY - timedelta(days=40), project=project)
    new = f.set_status(f.survey(collector), Report.Status.SUBMITTED)
    f.survey(outsider)  # of another organisation: never listed
    client = api(supervisor)

    def ids(query: str) -> set[int]:
        response = client.get(f"/api/v1/surveys/?{query}")
        assert response.status_code == 200, response.data
        return {row["id"] for row in response.data["results"]}

    assert ids("") == {old.pk, new.pk}
    assert ids("status=submitted") == {new.pk}
    assert ids("status=draft&status=submitted") == {old.pk, new.pk}
    assert ids(f"team={collector.team_id}") == {old.pk, new.pk}
    assert ids(f"project={project.pk}") == {old.pk}
    assert ids(f"activity_date_from={(YESTERDAY - timedelta(days=1)).isoformat()}") == {new.pk}
    assert ids(f"activity_date_to={(YESTERDAY - timedelta(days=1)).isoformat()}") == {old.pk}
    Report.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=3))
    since = (timezone.now() - timedelta(days=1)).isoformat().replace("+00:00", "Z")
    assert ids(f"updated_since={since}") == {new.pk}


def test_updated_since_takes_any_iso_offset(api, collector):
    report = f.survey(collector)
    response = api(collector).get("/api/v1/surveys/?updated_since=2000-01-01T00:00:00-20:25")
    assert [row["id"] for row in response.data["results"]] == [report.pk]


@pytest.mark.parametrize("query", ["status=lost", "team=abc", "team=1.5", "activity_date_from=yesterday",
                                   "updated_since=soon", f"team={2**70}", "updated_since=9999-12-31T23:00:00-05:00"])
def test_a_filter_value_that_does_not_parse_is_400(api, collector, query):
    assert api(collector).get(f"/api/v1/surveys/?{query}").status_code == 400


def test_the_page_size_is_capped_by_the_settings(api, collector, settings):
    settings.API_MAX_PAGE_SIZE = 2
    for _ in range(3):
        f.eore(collector)
    response = api(collector).get("/api/v1/eore-sessions/?limit=100")
    assert response.data["count"] == 3
    assert len(response.data["results"]) == 2
    assert "limit=2" in response.data["next"]


@pytest.mark.parametrize(("url", "make"), [
    ("/api/v1/surveys/", lambda by, site: f.survey(by, site=site)),
    ("/api/v1/clearances/", lambda by, site: f.clearance(by, site, items=[
        {"category": "uxo", "quantity": 1, "weight_kg": 1, "disposal": "destroyed_in_situ"}])),
    ("/api/v1/eore-sessions/", lambda by, site: f.eore(by)),
    ("/api/v1/reports/", lambda by, site: f.survey(by)),
])
def test_list_queries_do_not_grow_with_the_rows(api, collector, site, url, make):
    client = api(collector)
    make(collector, site)
    client.get(url)  # the role is read once per user, then cached
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(5):
        make(collector, site)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.data["count"] == 6
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_generic_list_has_every_type_and_filters_by_kind(api, collector, site):
    f.survey(collector)
    f.clearance(collector, site)
    eore = f.eore(collector)
    response = api(collector).get("/api/v1/reports/?kind=eore")
    assert [row["id"] for row in response.data["results"]] == [eore.pk]
    assert api(collector).get("/api/v1/reports/").data["count"] == 3


# Donor viewers ---------------------------------------------------------------------------------------------------------


def test_donors_see_approved_reports_of_their_grants_with_coarse_points_until_the_site_is_closed(
    api, collector, donor, project, org,
):
    open_site = f.site(org, latitude=35.951234, longitude=39.018765)
    closed_site = f.site(org, latitude=35.961234, longitude=39.028765, status=SiteStatus.CLOSED)
    polygon = {"type": "Polygon", "coordinates": [[[39.0, 35.9], [39.01, 35.9], [39.01, 35.91], [39.0, 35.9]]]}
    on_open = f.set_status(f.clearance(collector, open_site, project=project, latitude=35.951234,
                                       longitude=39.018765, polygon=polygon), Report.Status.APPROVED)
    on_closed = f.set_status(f.clearance(collector, closed_site, project=project, latitude=35.961234,
                                         longitude=39.028765), Report.Status.APPROVED)
    f.clearance(collector, open_site, project=project)  # a draft: not for donors
    f.set_status(f.clearance(collector, open_site), Report.Status.APPROVED)  # another grant's
    rows = {row["id"]: row for row in api(donor).get("/api/v1/clearances/").data["results"]}
    assert set(rows) == {on_open.pk, on_closed.pk}
    assert (rows[on_open.pk]["latitude"], rows[on_open.pk]["longitude"], rows[on_open.pk]["polygon"]) == (
        35.95, 39.02, None)
    assert (rows[on_closed.pk]["latitude"], rows[on_closed.pk]["longitude"]) == (35.961234, 39.028765)
    generic = {row["id"]: row for row in api(donor).get("/api/v1/reports/").data["results"]}
    assert generic[on_open.pk]["latitude"] == 35.95
    assert api(collector).get(f"/api/v1/clearances/{on_open.pk}/").data["latitude"] == 35.951234


def test_browsable_api_pages_render(client, collector, site):
    f.clearance(collector, site)
    client.force_login(collector)
    for url in ("/api/v1/", "/api/v1/clearances/", "/api/v1/surveys/", "/api/v1/reports/"):
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, url
