"""GeoJSON and XLSX exports: the same features, rows and coordinates as the CSV (read back with shapely, pyproj and
openpyxl), RFC 7946 geometry, donor rounding, and spreadsheets with no formula, Arabic intact, typed cells and a frozen
header. Also the admin actions."""

import io
import json
from datetime import datetime

import openpyxl
import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from pyproj import Transformer
from shapely.geometry import shape

from surveys import exports, exports_geo, exports_xlsx, workflow
from surveys.models import ClearanceReport, SurveyReport
from tests import factories as f
from tests import test_export_csv as csv_tests
from tests.test_maps import square

world = csv_tests.world  # the CSV tests' reports: Arabic names, formula-like notes, a closed and an open site
english = csv_tests.english
# WGS84 to UTM zone 37N (Raqqa and Tabqa): a point read as (lon, lat) lands at the right easting and northing only
# when the order is right.
TO_UTM = Transformer.from_crs("EPSG:4326", "EPSG:32637", always_xy=True)


def geojson(client, user, slug, **params) -> tuple[object, dict]:
    client.force_login(user)
    response = client.get(f"/en/figures/exports/{slug}.geojson", params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    body = json.loads(b"".join(response.streaming_content))
    assert body["type"] == "FeatureCollection" and "crs" not in body
    return response, body


def workbook(client, user, path, **params) -> openpyxl.Workbook:
    client.force_login(user)
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == exports_xlsx.CONTENT_TYPE
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def cells(sheet) -> list:
    return [cell for row in sheet.iter_rows() for cell in row]


# GeoJSON ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", exports_geo.GEO_EXPORTS)
@pytest.mark.parametrize("who", ["supervisor", "donor"])
def test_the_geojson_has_the_features_and_coordinates_of_the_csv(world, client, request, slug, who):
    user = request.getfixturevalue(who)
    rows = csv_tests.parse(csv_tests.download(client, user, slug)[1])
    _response, body = geojson(client, user, slug)

    assert [feature["id"] for feature in body["features"]] == [row["reference"] for row in rows]
    for row, feature in zip(rows, body["features"], strict=True):
        assert list(feature["properties"]) == list(row)
        if not row["latitude"]:
            assert feature["geometry"] is None
            continue
        point = shape(feature["geometry"])
        assert (point.x, point.y) == (float(row["longitude"]), float(row["latitude"]))
        assert feature["properties"]["location_precision"] == row["location_precision"]


def test_points_are_longitude_first(world, client, supervisor):
    _response, body = geojson(client, supervisor, "surveys")
    feature = next(x for x in body["features"] if x["id"] == world.survey.reference)
    easting, northing = TO_UTM.transform(*feature["geometry"]["coordinates"])
    assert 500_000 < easting < 520_000 and 3_970_000 < northing < 3_990_000  # Al-Mashlab, east of Raqqa


def test_the_geojson_keeps_text_as_typed_and_numbers_as_numbers(world, client, supervisor):
    _response, body = geojson(client, supervisor, "surveys")
    properties = next(x for x in body["features"] if x["id"] == world.survey.reference)["properties"]
    assert properties["notes"] == '=HYPERLINK("http://example.invalid","click")'  # JSON strings are never run
    assert properties["site_name"] == "مدرسة الرشيد"
    assert properties["estimated_area_m2"] == world.survey.estimated_area_m2
    assert properties["activity_date"] == "2025-01-20"


def test_the_site_geojson_gives_outlines_by_the_right_hand_rule_and_land_release_figures(world, client, supervisor):
    for site in (world.open_site, world.closed_site):
        site.polygon = square(site.latitude or 35.83, site.longitude or 38.54)
        site.save()
    _response, body = geojson(client, supervisor, "sites")
    features = {feature["id"]: feature for feature in body["features"]}
    open_site = features[world.open_site.reference]
    outline = shape(open_site["geometry"])
    assert open_site["geometry"]["type"] == "Polygon" and outline.is_valid and outline.exterior.is_ccw
    assert outline.bounds == pytest.approx((39.01789, 35.95123, 39.01989, 35.95323))
    world.open_site.refresh_from_db()
    properties = open_site["properties"]
    assert properties["status"] == "Worked on" and properties["name"] == "مدرسة الرشيد"
    assert properties["released_area_m2"] == world.open_site.released_area_m2
    assert properties["remaining_area_m2"] == world.open_site.remaining_area_m2


def test_a_donor_never_gets_the_outline_of_an_uncleared_hazard(world, client, donor):
    for site in (world.open_site, world.closed_site):
        site.polygon = square(35.9, 39.0)
        site.save()
    _response, body = geojson(client, donor, "sites", values="codes")
    features = {feature["id"]: feature for feature in body["features"]}
    open_site = features[world.open_site.reference]
    assert open_site["geometry"] == {"type": "Point", "coordinates": [39.02, 35.95]}
    assert open_site["properties"]["location_precision"] == "rounded"
    assert features[world.closed_site.reference]["geometry"]["type"] == "Polygon"  # closed: cleared land


def test_geojson_follows_the_filters_and_refuses_collectors(world, client, supervisor, collector):
    _response, body = geojson(client, supervisor, "eore", date_from="2030-01-01")
    assert body["features"] == []
    client.force_login(collector)
    assert client.get("/en/figures/exports/surveys.geojson").status_code == 403
    client.force_login(supervisor)
    assert client.get("/en/figures/exports/items.geojson").status_code == 404  # items have no location
    assert client.get("/en/figures/exports/surveys.geojson", {"date_from": "nonsense"}).status_code == 400


# XLSX ------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", list(exports.EXPORTS))
def test_each_xlsx_has_the_csv_rows_no_formula_and_a_frozen_header(world, client, supervisor, slug):
    rows = csv_tests.parse(csv_tests.download(client, supervisor, slug)[1])
    sheet = workbook(client, supervisor, f"/en/figures/exports/{slug}.xlsx").active
    values = list(sheet.iter_rows(values_only=True))

    assert list(values[0]) == list(rows[0]) if rows else True
    assert len(values) == len(rows) + 1
    assert sheet.freeze_panes == "A2"
    assert not [cell.coordinate for cell in cells(sheet) if cell.data_type == "f"]


def test_the_xlsx_keeps_arabic_text_as_text_numbers_and_dates_typed(world, client, supervisor):
    sheet = workbook(client, supervisor, "/en/figures/exports/surveys.xlsx").active
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == world.survey.reference)
    cell = dict(zip(header, row, strict=True))

    assert cell["site_name"].value == "مدرسة الرشيد" and cell["place_name"].value == "المشلب"
    assert cell["notes"].value == '=HYPERLINK("http://example.invalid","click")'
    assert cell["notes"].data_type == "s"
    assert cell["estimated_area_m2"].data_type == "n" and cell["estimated_area_m2"].value == 12_000
    assert cell["latitude"].value == pytest.approx(35.95123)
    assert isinstance(cell["activity_date"].value, datetime) and cell["activity_date"].is_date
    assert cell["activity_date"].value.date().isoformat() == "2025-01-20"


def test_a_donors_xlsx_is_rounded_like_the_csv(world, client, donor):
    rows = csv_tests.by_reference(csv_tests.parse(csv_tests.download(client, donor, "eore")[1]))
    sheet = workbook(client, donor, "/en/figures/exports/eore.xlsx").active
    header = [cell.value for cell in sheet[1]]
    for values in sheet.iter_rows(min_row=2, values_only=True):
        row = dict(zip(header, values, strict=True))
        assert row["latitude"] == float(rows[row["reference"]]["latitude"])
        assert "captured_by" not in row


def test_the_indicators_xlsx_has_numbers_as_numbers(world, client, supervisor):
    sheet = workbook(client, supervisor, "/ar/figures/indicators.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("section", "key", "indicator", "value", "unit")
    assert all(isinstance(row[3], int | float) for row in rows[1:])
    assert not [cell for cell in cells(sheet) if cell.data_type == "f"]
    assert any("م" in (row[4] or "") for row in rows[1:])  # Arabic units intact


# Admin actions ---------------------------------------------------------------------------------------------------------


def test_the_admin_actions_export_the_selection_as_xlsx_and_geojson(world, supervisor, english):
    request = csv_tests._admin_request(supervisor)
    model_admin = admin.ModelAdmin(SurveyReport, admin.site)
    selected = SurveyReport.objects.filter(pk__in=[world.survey.pk, world.draft.pk])

    book = openpyxl.load_workbook(io.BytesIO(b"".join(
        exports_xlsx.export_selected_xlsx(model_admin, request, selected).streaming_content)))
    assert [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)] == [world.survey.reference]
    body = json.loads(b"".join(exports_geo.export_selected_geojson(model_admin, request, selected).streaming_content))
    assert [feature["id"] for feature in body["features"]] == [world.survey.reference]
    assert "1 selected report was left out: only approved reports are exported." in [
        str(m) for m in get_messages(request)]


def test_the_admin_changelist_offers_the_new_formats(client, supervisor, collector, site):
    report = workflow.approve(workflow.submit(f.clearance(collector, site, place_name="حي المشلب"), collector),
                              supervisor)
    client.force_login(supervisor)
    response = client.post("/en/admin/surveys/clearancereport/",
                           {"action": "export_selected_xlsx", "_selected_action": [report.pk]})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert "حي المشلب" in [cell.value for cell in cells(book.active)]
    request = csv_tests._admin_request(collector)
    assert exports_geo.export_selected_geojson(admin.ModelAdmin(ClearanceReport, admin.site), request,
                                               ClearanceReport.objects.all()) is None


def test_the_exports_page_offers_xlsx_and_geojson(client, supervisor):
    client.force_login(supervisor)
    page = client.get("/en/figures/exports/").content.decode()
    assert 'formaction="/en/figures/exports/surveys.xlsx"' in page
    assert 'formaction="/en/figures/exports/sites.geojson"' in page
    assert 'formaction="/en/figures/exports/items.geojson"' not in page


def test_an_xlsx_larger_than_the_limit_is_refused_with_the_csv_offered_and_nothing_written(world, client, supervisor,
                                                                                           settings, monkeypatch):
    approved = SurveyReport.objects.filter(status="approved").count()
    settings.XLSX_MAX_ROWS = approved
    assert workbook(client, supervisor, "/en/figures/exports/surveys.xlsx").active.max_row == approved + 1
    settings.XLSX_MAX_ROWS = approved - 1

    def no_workbook(*args):
        raise AssertionError("a workbook was begun")

    monkeypatch.setattr(exports_xlsx, "xlsx_response", no_workbook)
    response = client.get("/en/figures/exports/surveys.xlsx")
    assert response.status_code == 400
    assert response.context["form"].has_error("__all__", code="too_many_rows")
    # The admin action: back to the list with the same message.
    request = csv_tests._admin_request(supervisor)
    selected = SurveyReport.objects.filter(status="approved")
    assert exports_xlsx.export_selected_xlsx(admin.ModelAdmin(SurveyReport, admin.site), request, selected) is None
    assert [m.level_tag for m in get_messages(request)] == ["error"]
