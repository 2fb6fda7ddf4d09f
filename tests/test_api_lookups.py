"""API v1 beyond reports: sites, administrative areas, explosive items, the signed-in user, tokens and throttling."""

import pytest
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from surveys.models import AdminArea, Report, SiteStatus
from tests import factories as f
from tests.test_api_reports import eore_body, survey_body


def test_the_phone_lists_its_teams_sites(api, collector, org, team, outsider):
    ours = f.site(org, team=team)
    f.site(org, team=f.team(org))  # another team of the organisation
    f.site(outsider.organisation, team=outsider.team)
    response = api(collector).get(f"/api/v1/sites/?team={team.pk}")
    assert [row["id"] for row in response.data["results"]] == [ours.pk]
    assert api(collector).get("/api/v1/sites/").data["count"] == 2


def test_donors_see_sites_of_their_grants_reports_with_coarse_points_until_closed(api, collector, donor, project, org):
    open_site = f.site(org, latitude=35.951234, longitude=39.018765,
                       polygon={"type": "Polygon", "coordinates": [[[39, 35], [39.1, 35], [39.1, 35.1], [39, 35]]]})
    closed_site = f.site(org, latitude=35.961234, longitude=39.028765, status=SiteStatus.CLOSED)
    f.site(org)  # no approved report of the donor's grant
    for site in (open_site, closed_site):
        f.set_status(f.clearance(collector, site, project=project), Report.Status.APPROVED)
    rows = {row["id"]: row for row in api(donor).get("/api/v1/sites/").data["results"]}
    assert set(rows) == {open_site.pk, closed_site.pk}
    assert (rows[open_site.pk]["latitude"], rows[open_site.pk]["longitude"], rows[open_site.pk]["polygon"]) == (
        35.95, 39.02, None)
    assert (rows[closed_site.pk]["latitude"], rows[closed_site.pk]["longitude"]) == (35.961234, 39.028765)


def test_admin_areas_come_in_one_list_for_offline_use(api, collector, settings):
    settings.API_MAX_PAGE_SIZE = 2
    raqqa = AdminArea.objects.create(level=1, name_en="Ar-Raqqa", name_ar="الرقة", pcode="SY11")
    for n in range(3):
        AdminArea.objects.create(level=2, name_en=f"District {n}", parent=raqqa)
    response = api(collector).get("/api/v1/admin-areas/")
    assert len(response.data) == 4
    assert response.data[0] == {"id": raqqa.pk, "pcode": "SY11", "level": 1, "name_en": "Ar-Raqqa",
                                "name_ar": "الرقة", "parent": None}


def test_explosive_items_are_listed_for_visible_reports_and_filtered_by_report(api, collector, outsider, site):
    line = {"category": "uxo", "quantity": 3, "weight_kg": "4.50", "disposal": "destroyed_in_situ"}
    first = f.clearance(collector, site, items=[line, {**line, "category": "ied"}])
    f.clearance(collector, site, items=[line])
    foreign_site = f.site(outsider.organisation)
    f.clearance(outsider, foreign_site, items=[line])
    client = api(collector)
    assert client.get("/api/v1/explosive-items/").data["count"] == 3
    rows = client.get(f"/api/v1/explosive-items/?report={first.pk}").data["results"]
    assert [(r["report_reference"], r["category"], r["weight_kg"]) for r in rows] == [
        (first.reference, "uxo", "4.50"), (first.reference, "ied", "4.50")]
    assert client.get(f"/api/v1/explosive-items/?report={first.pk}&category=ied").data["count"] == 1


def test_me_says_who_the_user_is(api, collector, project, donor):
    me = api(collector).get("/api/v1/me/").data
    assert (me["username"], me["role"], me["can_create_reports"], me["can_review"]) == (
        "collector", "collector", True, False)
    assert me["team"]["id"] == collector.team_id
    assert me["organisation"]["id"] == collector.organisation_id
    assert [p["code"] for p in me["projects"]] == [project.code]
    donor_me = api(donor).get("/api/v1/me/").data
    assert (donor_me["role"], donor_me["team"], donor_me["can_view_photos"]) == ("donor", None, False)
    assert [p["id"] for p in donor_me["projects"]] == [project.pk]


def test_me_answers_a_user_without_a_role(api, org):
    assert api(f.user(None, org)).get("/api/v1/me/").data["role"] is None


def test_a_script_gets_a_token_and_creates_a_report_with_it(imofficer, collector):
    imofficer.team = collector.team
    imofficer.organisation = collector.organisation
    imofficer.save()
    client = APIClient()
    refused = client.post("/api/v1/auth/token/", {"username": "imofficer", "password": "wrong"}, format="json")
    assert refused.status_code == 400
    token = client.post("/api/v1/auth/token/", {"username": "imofficer", "password": f.PASSWORD},
                        format="json").data["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.post("/api/v1/eore-sessions/", eore_body(), format="json")
    assert response.status_code == 201, response.data
    assert Report.objects.get().captured_by == imofficer


def test_session_writes_need_the_csrf_token(collector):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(collector)
    assert client.post("/api/v1/surveys/", survey_body(), format="json").status_code == 403
    assert client.get("/api/v1/surveys/").status_code == 200


def test_requests_beyond_the_users_rate_are_refused_with_retry_after(api, collector, supervisor, monkeypatch):
    # DRF reads the rates once at import: set them on the class as a changed setting would.
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute", "anon": "100/hour"})
    client = api(collector)
    codes = [client.get("/api/v1/me/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert int(client.get("/api/v1/me/")["Retry-After"]) > 0
    assert api(supervisor).get("/api/v1/me/").status_code == 200  # per user, not for everyone


def test_token_requests_are_throttled_per_address(monkeypatch, db):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"user": "2000/hour", "anon": "2/minute"})
    client = APIClient()
    codes = [client.post("/api/v1/auth/token/", {"username": "x", "password": "y"}).status_code for _ in range(3)]
    assert codes == [400, 400, 429]


@pytest.mark.parametrize("url", ["/api/v1/sites/", "/api/v1/admin-areas/", "/api/v1/explosive-items/",
                                 "/api/v1/reports/", "/api/v1/me/"])
def test_anonymous_callers_get_nothing(url, db):
    assert APIClient().get(url).status_code in (401, 403)


def test_a_donor_viewer_sees_no_explosive_item_of_reports_not_approved(api, donor, collector, project, site):
    line = {"category": "uxo", "quantity": 1, "weight_kg": 1, "disposal": "destroyed_in_situ"}
    approved = f.set_status(f.clearance(collector, site, project=project, items=[line]), Report.Status.APPROVED)
    f.clearance(collector, site, project=project, items=[line])
    rows = api(donor).get("/api/v1/explosive-items/").data["results"]
    assert [r["report"] for r in rows] == [approved.pk]

