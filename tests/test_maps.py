"""The map endpoint and the map pages: who sees which features, donors' rounding, detail by zoom, the box, filters,
caching, and query counts that do not grow with the features."""

import gzip
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from shapely.geometry import shape

from surveys.models import AdminArea, Report, SiteStatus
from tests import factories as f

URL = "/map/features.geojson"


def square(lat: float, lon: float, d: float = 0.002) -> dict:
    """A clockwise square (the wrong way round for RFC 7946, to see it put right)."""
    ring = [[lon, lat], [lon, lat + d], [lon + d, lat + d], [lon + d, lat], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def world(org, team, collector, project, outsider):
    raqqa = AdminArea.objects.create(level=1, name_en="Raqqa", name_ar="الرقة", pcode="SY11")
    other_team = f.team(org, name="Tabqa Team")
    open_site = f.site(org, team=team, name="Al-Rashid school", latitude=35.95123, longitude=39.01789,
                       polygon=square(35.95123, 39.01789), admin_area=raqqa)
    closed_site = f.site(org, team=team, name="Tabqa bridge", latitude=35.83456, longitude=38.54321,
                         polygon=square(35.83456, 38.54321), status=SiteStatus.CLOSED, admin_area=raqqa)
    tabqa_site = f.site(org, team=other_team, name="Water plant", latitude=35.8, longitude=38.5,
                        status=SiteStatus.WORKED_ON)
    elsewhere = f.site(outsider.organisation, team=outsider.team, name="Mosul school", latitude=36.3, longitude=43.1)
    survey = f.set_status(f.survey(collector, site=open_site, project=project, latitude=35.95123, longitude=39.01789,
                                   polygon=square(35.95123, 39.01789)), Report.Status.APPROVED)
    completion = f.set_status(f.clearance(collector, closed_site, project=project, stage="completion",
                                          latitude=35.83456, longitude=38.54321), Report.Status.APPROVED)
    session = f.set_status(f.eore(collector, project=project, latitude=35.91234, longitude=39.05678),
                           Report.Status.APPROVED)
    submitted = f.set_status(f.survey(collector, latitude=35.7, longitude=38.9), Report.Status.SUBMITTED)
    draft = f.survey(collector, latitude=35.6, longitude=38.8)
    return locals()


def features(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    body = json.loads(response.content)
    assert body["type"] == "FeatureCollection" and "crs" not in body
    return {str(feature["id"]): feature for feature in body["features"]}


def test_a_supervisor_sees_every_site_of_the_organisation(client, world, supervisor):
    found = features(client, supervisor)
    assert set(found) == {f"{world[k].pk}" for k in ("open_site", "closed_site", "tabqa_site")}


def test_a_collector_sees_only_the_sites_of_their_team(client, world, collector):
    found = features(client, collector, zoom=18)
    assert set(found) == {f"{world['open_site'].pk}", f"{world['closed_site'].pk}"}
    assert found[f"{world['open_site'].pk}"]["geometry"]["type"] == "Polygon"  # their own: exact outline


def test_a_donor_sees_uncleared_sites_rounded_and_without_outline(client, world, donor):
    found = features(client, donor, zoom=18)
    open_site = found[f"{world['open_site'].pk}"]
    assert open_site["geometry"] == {"type": "Point", "coordinates": [39.02, 35.95]}
    assert open_site["properties"]["rounded"] is True
    closed = found[f"{world['closed_site'].pk}"]
    assert closed["geometry"]["type"] == "Polygon" and "rounded" not in closed["properties"]
    assert f"{world['tabqa_site'].pk}" not in found  # no report of the donor's grant


def test_a_tiny_box_cannot_locate_a_hazard_more_precisely_than_the_rounding(client, world, donor):
    exact = "39.0178,35.9512,39.0180,35.9513"  # around the exact point, away from the rounded one
    assert features(client, donor, bbox=exact, zoom=18) == {}
    rounded = "39.019,35.949,39.021,35.951"
    assert f"{world['open_site'].pk}" in features(client, donor, bbox=rounded, zoom=18)


def test_zoomed_out_every_feature_is_a_point_zoomed_in_outlines_follow_the_right_hand_rule(client, world, supervisor):
    out = features(client, supervisor, zoom=6)
    assert {feature["geometry"]["type"] for feature in out.values()} == {"Point"}
    point = out[f"{world['open_site'].pk}"]["geometry"]["coordinates"]
    assert point == [39.018, 35.951]  # longitude first, to a tenth of a pixel
    near = features(client, supervisor, zoom=18)
    outline = near[f"{world['open_site'].pk}"]["geometry"]
    polygon = shape(outline)
    assert outline["type"] == "Polygon" and polygon.is_valid and polygon.exterior.is_ccw
    assert polygon.bounds == pytest.approx((39.01789, 35.95123, 39.01989, 35.95323))


def test_an_outline_smaller_than_two_pixels_is_drawn_as_its_point(client, world, supervisor):
    found = features(client, supervisor, zoom=13)  # a 200 m square is ~10 pixels: still an outline
    assert found[f"{world['open_site'].pk}"]["geometry"]["type"] == "Polygon"
    world["open_site"].polygon = square(35.95123, 39.01789, d=0.00002)  # 2 m
    world["open_site"].save()
    found = features(client, supervisor, zoom=13)
    assert found[f"{world['open_site'].pk}"]["geometry"]["type"] == "Point"


def test_the_box_leaves_out_what_lies_outside_it(client, world, supervisor):
    found = features(client, supervisor, bbox="38.9,35.9,39.1,36.0", zoom=12)
    assert set(found) == {f"{world['open_site'].pk}"}


def test_filters_narrow_the_sites_to_those_of_matching_approved_reports(client, world, supervisor, project):
    found = features(client, supervisor, project=project.pk)
    assert set(found) == {f"{world['open_site'].pk}", f"{world['closed_site'].pk}"}


def test_the_queue_layer_shows_reports_in_review_to_reviewers_only(client, world, supervisor, collector, donor):
    found = features(client, supervisor, layer="queue")
    assert {feature["properties"]["status"] for feature in found.values()} == {"approved", "submitted"}
    assert f"{world['draft'].pk}" not in found
    for user in (collector, donor):
        client.force_login(user)
        assert client.get(URL, {"layer": "queue"}).status_code == 403


def test_the_reports_layer_gives_donors_approved_reports_with_sessions_rounded(client, world, donor):
    found = features(client, donor, layer="reports", zoom=18)
    assert set(found) == {f"{world[k].pk}" for k in ("survey", "completion", "session")}
    session = found[f"{world['session'].pk}"]
    assert session["geometry"]["coordinates"] == [39.06, 35.91] and session["properties"]["rounded"]
    assert found[f"{world['survey'].pk}"]["geometry"]["type"] == "Point"  # its site is not closed


def test_area_labels_stand_at_the_middle_of_the_users_sites(client, world, supervisor):
    found = features(client, supervisor, layer="areas")
    raqqa = world["raqqa"]
    label = found[f"{raqqa.pk}"]
    assert label["properties"]["name_ar"] == "الرقة" and label["properties"]["sites"] == 2
    assert label["geometry"]["coordinates"] == [38.78, 35.89]


@pytest.mark.parametrize("params", [{"bbox": "1,2,3"}, {"bbox": "10,5,5,6"}, {"bbox": "a,b,c,d"},
                                    {"layer": "everything"}, {"zoom": "99"}, {"project": "999999"}])
def test_bad_questions_get_a_clear_400(client, world, supervisor, params):
    client.force_login(supervisor)
    response = client.get(URL, params)
    assert response.status_code == 400
    assert "errors" in response.json()


def test_without_a_role_there_is_no_map(client, world):
    assert client.get(URL).status_code == 403
    client.force_login(f.user(None))
    assert client.get(URL).status_code == 403


def test_an_unchanged_answer_is_revalidated_and_compressed(client, world, supervisor):
    client.force_login(supervisor)
    first = client.get(URL, {"zoom": 6}, HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip" and first["Cache-Control"] == "private, no-cache"
    assert json.loads(gzip.decompress(first.content))["type"] == "FeatureCollection"
    again = client.get(URL, {"zoom": 6}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    world["open_site"].name = "Renamed"
    world["open_site"].save()
    assert client.get(URL, {"zoom": 6}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


@pytest.mark.parametrize("layer", ["sites", "queue", "areas"])
def test_queries_do_not_grow_with_the_features(client, org, team, collector, supervisor, layer):
    client.force_login(supervisor)

    def count(n: int) -> int:
        for _ in range(n):
            f.site(org, team=team, polygon=square(35.9, 39.0))
            f.set_status(f.survey(collector), Report.Status.SUBMITTED)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"layer": layer, "zoom": 18}).status_code == 200
        return len(queries)

    assert count(2) == count(20)


# The pages ------------------------------------------------------------------------------------------------------------


def test_the_figures_map_is_for_those_who_see_figures(client, world, donor, collector):
    client.force_login(donor)
    response = client.get("/en/figures/map/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="map-config"' in page and "geo+json" in page
    assert "39.02, 35.95" not in page and "35.95, 39.02" in page  # the list gives the rounded point
    assert "35.95123" not in page
    client.force_login(collector)
    assert client.get("/en/figures/map/").status_code == 403


def test_the_field_map_lists_the_teams_own_sites_without_javascript(client, world, collector):
    client.force_login(collector)
    page = client.get("/ar/map/").content.decode()
    assert "Al-Rashid school" in page and "Tabqa bridge" in page
    assert "Water plant" not in page and "Mosul school" not in page
    assert "/map/features.geojson?layer=sites" in page


def test_the_admin_map_is_for_reviewers(client, world, supervisor, collector):
    client.force_login(supervisor)
    response = client.get("/en/admin/map/")
    assert response.status_code == 200
    page = response.content.decode()
    assert world["submitted"].reference in page and world["draft"].reference not in page
    assert f"/en/admin/surveys/surveyreport/{world['submitted'].pk}/change/" in page
    client.force_login(collector)
    assert client.get("/en/admin/map/").status_code == 403


def test_a_bad_filter_on_a_map_page_is_a_400_with_the_form(client, world, supervisor):
    client.force_login(supervisor)
    response = client.get("/en/figures/map/", {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert response.status_code == 400
    assert "before its start" in response.content.decode()


@pytest.mark.parametrize("rows", [3, 30])
def test_map_page_queries_do_not_grow_with_rows(client, org, team, supervisor, django_assert_max_num_queries, rows):
    for _ in range(rows):
        f.site(org, team=team)
    client.force_login(supervisor)
    with django_assert_max_num_queries(12):
        assert client.get("/en/figures/map/").status_code == 200


def test_the_admin_index_links_to_the_map_for_reviewers_only(client, world, supervisor, collector):
    client.force_login(supervisor)
    assert 'href="/en/admin/map/"' in client.get("/en/admin/").content.decode()
    client.force_login(collector)
    assert 'href="/en/admin/map/"' not in client.get("/en/admin/").content.decode()


def map_config(client, user, path: str) -> dict:
    import re

    client.force_login(user)
    page = client.get(path).content.decode()
    return json.loads(re.search(r'<script id="map-config" type="application/json">(.*?)</script>', page).group(1))


def test_a_click_leads_only_to_pages_the_user_may_open(client, world, supervisor, donor, collector):
    assert map_config(client, supervisor, "/en/figures/map/")["links"] == {"site": "/en/admin/surveys/site/{id}/change/"}
    assert map_config(client, donor, "/en/figures/map/")["links"] == {}  # no site page for donors
    reports = map_config(client, donor, "/en/figures/map/?layer=reports")["links"]
    assert reports["eore"] == "/en/reports/{id}/"  # the report page, which donors may open for their grants
    assert map_config(client, collector, "/ar/map/")["links"] == {}
    queue = map_config(client, supervisor, "/en/admin/map/")["links"]
    assert queue["clearance"] == "/en/admin/surveys/clearancereport/{id}/change/"
    client.force_login(donor)
    assert client.get(f"/en/reports/{world['session'].pk}/").status_code == 200


def test_the_first_view_is_no_finer_than_a_donors_rounding(client, world, donor):
    assert map_config(client, donor, "/en/figures/map/")["bounds"] == [[35.82, 38.53], [35.96, 39.03]]


def test_tiles_are_asked_for_only_when_configured(client, world, supervisor, settings):
    assert map_config(client, supervisor, "/en/figures/map/")["tiles"] == ""
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© OpenStreetMap contributors"
    config = map_config(client, supervisor, "/en/figures/map/")
    assert config["tiles"] == settings.MAP_TILE_URL and config["attribution"] == "© OpenStreetMap contributors"


def test_the_map_page_speaks_arabic(client, world, collector):
    client.force_login(collector)
    page = client.get("/ar/map/").content.decode()
    assert 'dir="rtl"' in page and "مواقعنا" in page and "مفتاح الخريطة" in page
    assert map_config(client, collector, "/ar/map/")["statuses"]["open"] == "مفتوح"
