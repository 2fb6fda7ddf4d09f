"""Raw CSV exports: columns, byte-order mark, formula neutralising, Arabic round trip, and who gets which rows and
columns. Also the admin action that exports selected reports the same way."""

import csv
import io
import re
from datetime import UTC, date
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import translation

from surveys import exports, views
from surveys.models import AdminArea, ClearanceReport, EoreSession, Photo, Report, SurveyReport
from tests import factories as f

APPROVED = Report.Status.APPROVED
DAY = date(2025, 1, 20)


def approved(report):
    return f.set_status(report, APPROVED)


@pytest.fixture
def world(org, team, collector, project, outsider):
    raqqa = AdminArea.objects.create(level=1, name_en="Raqqa", name_ar="الرقة", pcode="SY11")
    mashlab = AdminArea.objects.create(level=3, name_en="Al-Mashlab", name_ar="المشلب", pcode="SY110000",
                                       parent=AdminArea.objects.create(level=2, name_en="Ar-Raqqa", name_ar="الرقة",
                                                                       parent=raqqa))
    open_site = f.site(org, team=team, name="مدرسة الرشيد", site_type="school", latitude=35.95123, longitude=39.01789)
    closed_site = f.site(org, team=team, name="Tabqa bridge", site_type="bridge")
    survey = approved(f.survey(collector, site=open_site, project=project, activity_date=DAY, admin_area=mashlab,
                               place_name="المشلب", site_name="مدرسة الرشيد", latitude=35.95123, longitude=39.01789,
                               notes='=HYPERLINK("http://example.invalid","click")', contamination=["uxo", "ied"]))
    completion = approved(f.clearance(
        collector, closed_site, project=project, activity_date=DAY, admin_area=raqqa, place_name="الطبقة",
        latitude=35.83456, longitude=38.54321, stage="completion", handover_date=DAY, handed_over_to="+Mukhtar",
        items=[{"category": "uxo", "quantity": 4, "weight_kg": Decimal("10.50"), "disposal": "destroyed_in_situ"},
               {"category": "ap_mine", "quantity": 1, "weight_kg": Decimal("0.25"), "disposal": "handed_over"}]))
    progress = approved(f.clearance(collector, open_site, project=project, activity_date=DAY, latitude=35.95123,
                                    longitude=39.01789, handed_over_to="-1+2", notes="@SUM(A1:A9)"))
    closed_site.refresh_from_reports()
    open_site.refresh_from_reports()
    session = approved(f.eore(collector, project=project, activity_date=DAY, place_name="مخيم عين عيسى",
                              other_materials="\tstickers", notes="\rnote", latitude=-1.25, longitude=-36.5))
    other_grant = approved(f.eore(collector, project=f.project(org), activity_date=DAY))
    draft = f.survey(collector, project=project)
    elsewhere = approved(f.eore(outsider, activity_date=DAY))
    photo = Photo.objects.create(report=survey, image="photos/x.jpg", thumbnail="photos/x_thumb.jpg", width=640,
                                 height=480, uploaded_by=collector)
    return SimpleNamespace(survey=survey, completion=completion, progress=progress, session=session,
                           other_grant=other_grant, draft=draft, elsewhere=elsewhere, photo=photo,
                           open_site=open_site, closed_site=closed_site)


def download(client, user, slug, lang="en", **params) -> tuple[StreamingHttpResponse, str]:
    client.force_login(user)
    response = client.get(f"/{lang}/figures/exports/{slug}.csv", params)
    assert response.status_code == 200, response.content
    return response, b"".join(response.streaming_content).decode("utf-8")


def parse(text: str) -> list[dict]:
    """The records of a complete export: its last line says how many there are (and that nothing was cut)."""
    body, _sep, last = text.removeprefix("\ufeff").rstrip("\r\n").rpartition("\r\n")
    rows = list(csv.DictReader(io.StringIO(body + "\r\n")))
    assert last == exports.trailer(len(rows))
    return rows


def by_reference(rows: list[dict]) -> dict[str, dict]:
    return {row["reference"]: row for row in rows}


# Format ----------------------------------------------------------------------------------------------------------------


def test_it_streams_a_utf8_csv_with_a_byte_order_mark(world, supervisor, client):
    response, text = download(client, supervisor, "surveys")

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="surveys-')
    assert text.startswith("\ufeffreference,uuid,")
    assert "\r\n" in text


def test_it_leaves_the_byte_order_mark_out_when_asked(world, supervisor, client):
    _response, text = download(client, supervisor, "surveys", bom="0")
    assert text.startswith("reference,uuid,")


def test_each_export_has_its_documented_columns(world, supervisor, client):
    for slug, export in exports.EXPORTS.items():
        _response, text = download(client, supervisor, slug)
        header = next(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
        assert header == [c.name for c in export.columns if c.audience != "photos"], slug
        parse(text)


def test_a_complete_file_ends_with_its_record_count(world, supervisor, client):
    _response, text = download(client, supervisor, "surveys")
    assert text.endswith("\r\n# end of export: 1 records\r\n")


def test_a_cut_file_lacks_the_end_line(world, supervisor, client):
    _response, text = download(client, supervisor, "clearances")
    cut = text[: len(text) // 2]
    with pytest.raises(AssertionError):
        parse(cut)


def test_it_writes_iso_dates_and_utc_times(world, supervisor, client):
    _response, text = download(client, supervisor, "clearances")
    row = by_reference(parse(text))[world.completion.reference]

    assert row["activity_date"] == row["handover_date"] == "2025-01-20"
    assert row["captured_at"] == world.completion.captured_at.astimezone(UTC).isoformat(timespec="seconds")
    assert row["captured_at"].endswith("+00:00")


def test_it_writes_labels_or_codes(world, supervisor, client):
    labels = by_reference(parse(download(client, supervisor, "surveys")[1]))[world.survey.reference]
    codes = by_reference(parse(download(client, supervisor, "surveys", values="codes")[1]))[world.survey.reference]

    assert (labels["site_type"], labels["report_type"], labels["evidence"]) == ("School", "Survey", "Direct evidence")
    assert labels["contamination"] == "Unexploded ordnance (UXO); Improvised explosive device"
    assert (codes["site_type"], codes["report_type"], codes["evidence"]) == ("school", "survey", "direct")
    assert codes["contamination"] == "uxo ied"


def test_it_neutralises_cells_a_spreadsheet_would_run_as_formulas(world, supervisor, client):
    surveys = by_reference(parse(download(client, supervisor, "surveys")[1]))
    clearances = by_reference(parse(download(client, supervisor, "clearances")[1]))
    sessions = by_reference(parse(download(client, supervisor, "eore")[1]))

    assert surveys[world.survey.reference]["notes"] == '\'=HYPERLINK("http://example.invalid","click")'
    assert clearances[world.completion.reference]["handed_over_to"] == "'+Mukhtar"
    assert clearances[world.progress.reference]["handed_over_to"] == "'-1+2"
    assert clearances[world.progress.reference]["notes"] == "'@SUM(A1:A9)"
    assert sessions[world.session.reference]["other_materials"] == "'\tstickers"
    assert sessions[world.session.reference]["notes"] == "'\rnote"


def test_it_writes_negative_numbers_as_numbers(world, supervisor, client):
    row = by_reference(parse(download(client, supervisor, "eore")[1]))[world.session.reference]
    assert (row["latitude"], row["longitude"]) == ("-1.25", "-36.5")


@pytest.mark.parametrize("text, expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("a=1", "a=1"), ("", ""), (None, ""), ("'quoted", "'quoted"), ("مرحبا", "مرحبا"),
])
def test_neutralise(text, expected):
    assert exports.neutralise(text) == expected


def test_arabic_place_names_survive_the_round_trip(world, supervisor, client):
    _response, text = download(client, supervisor, "surveys", lang="ar")
    raw = text.encode("utf-8")
    row = by_reference(parse(raw.decode("utf-8-sig")))[world.survey.reference]  # as Excel and pandas read it

    assert row["place_name"] == "المشلب"
    assert row["admin_area"] == "المشلب"
    assert row["governorate"] == "الرقة"
    assert row["admin_area_pcode"] == "SY110000"
    assert row["site_name"] == "مدرسة الرشيد"


def test_area_names_are_english_in_english(world, supervisor, client):
    row = by_reference(parse(download(client, supervisor, "surveys")[1]))[world.survey.reference]
    assert (row["governorate"], row["admin_area"]) == ("Raqqa", "Al-Mashlab")


def test_explosive_items_are_keyed_by_report_reference(world, supervisor, client):
    rows = parse(download(client, supervisor, "items")[1])

    assert [(r["report_reference"], r["category"], r["quantity"], r["weight_kg"], r["disposal"], r["destroyed"])
            for r in rows] == [
        (world.completion.reference, "Unexploded ordnance (UXO)", "4", "10.50", "Destroyed in situ", "Yes"),
        (world.completion.reference, "Anti-personnel mine", "1", "0.25", "Handed over", "No"),
    ]
    assert rows[0]["site_reference"] == world.closed_site.reference
    assert rows[0]["governorate"] == "Raqqa"


# Who gets what ---------------------------------------------------------------------------------------------------------


def test_a_donor_gets_only_approved_reports_of_their_grants(world, donor, client):
    everything = parse(download(client, donor, "reports")[1])
    assert {r["reference"] for r in everything} == {
        world.survey.reference, world.completion.reference, world.progress.reference, world.session.reference}


def test_a_donor_gets_uncleared_sites_rounded_and_no_staff_names_or_photos(world, donor, client):
    response, text = download(client, donor, "clearances", photos="1")
    rows = by_reference(parse(text))

    assert "captured_by" not in rows[world.progress.reference]
    assert "photo_urls" not in rows[world.progress.reference]
    progress = rows[world.progress.reference]  # on a site still open
    assert (progress["latitude"], progress["longitude"], progress["location_precision"]) == (
        "35.95", "39.02", "rounded to about 1 km")
    completion = rows[world.completion.reference]  # its site is closed
    assert (completion["latitude"], completion["longitude"], completion["location_precision"]) == (
        "35.83456", "38.54321", "exact")


def test_a_donor_gets_survey_and_session_points_rounded(world, donor, client):
    survey = by_reference(parse(download(client, donor, "surveys")[1]))[world.survey.reference]
    session = by_reference(parse(download(client, donor, "eore")[1]))[world.session.reference]

    assert (survey["latitude"], survey["longitude"]) == ("35.95", "39.02")
    assert (session["latitude"], session["longitude"]) == ("-1.25", "-36.5")
    assert session["location_precision"] == "rounded to about 1 km"


def test_a_supervisor_gets_their_organisations_reports_with_exact_points(world, supervisor, client):
    rows = by_reference(parse(download(client, supervisor, "reports")[1]))

    assert set(rows) == {world.survey.reference, world.completion.reference, world.progress.reference,
                         world.session.reference, world.other_grant.reference}
    progress = rows[world.progress.reference]
    assert (progress["latitude"], progress["longitude"], progress["location_precision"]) == (
        "35.95123", "39.01789", "exact")
    assert progress["captured_by"] == "collector"


def test_a_supervisor_gets_photo_links_when_asked(world, supervisor, client):
    without = by_reference(parse(download(client, supervisor, "surveys")[1]))
    rows = by_reference(parse(download(client, supervisor, "surveys", photos="1")[1]))

    assert "photo_urls" not in without[world.survey.reference]
    assert rows[world.survey.reference]["photo_urls"] == f"http://testserver/en/photos/{world.photo.pk}/"
    assert resolve(urlsplit(rows[world.survey.reference]["photo_urls"]).path).func is views.photo  # access-checked


def test_an_administrator_gets_every_approved_report(world, imofficer, client):
    rows = by_reference(parse(download(client, imofficer, "reports")[1]))

    assert world.elsewhere.reference in rows
    assert world.draft.reference not in rows


def test_a_field_collector_may_not_export(world, collector, client):
    client.force_login(collector)
    assert client.get("/en/figures/exports/surveys.csv").status_code == 403
    assert client.get("/en/figures/exports/").status_code == 403


def test_filters_apply_to_exports(world, supervisor, project, client):
    in_grant = parse(download(client, supervisor, "eore", project=project.pk)[1])
    later = parse(download(client, supervisor, "eore", date_from="2025-01-21")[1])

    assert {r["reference"] for r in in_grant} == {world.session.reference}
    assert later == []


def test_a_bad_filter_is_a_clear_400(world, donor, client):
    client.force_login(donor)
    response = client.get("/en/figures/exports/surveys.csv", {"date_from": "yesterday"})

    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()


def test_an_unknown_export_is_404(supervisor, client):
    client.force_login(supervisor)
    assert client.get("/en/figures/exports/passwords.csv").status_code == 404


def test_it_reads_the_rows_in_chunks_with_a_fixed_number_of_queries(world, supervisor, client, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    client.force_login(supervisor)
    response = client.get("/en/figures/exports/reports.csv", {"photos": "1"})
    with CaptureQueriesContext(connection) as queries:
        rows = parse(b"".join(response.streaming_content).decode("utf-8"))

    assert len(rows) == 5
    assert sum(1 for r in rows if r["photo_urls"]) == 1
    photo_queries = [q for q in queries if q["sql"].startswith('SELECT "surveys_photo".')]  # not the photo counts
    assert len(photo_queries) == 3  # one per chunk of two reports, never one per report


def test_the_export_page_documents_every_column(world, donor, client):
    client.force_login(donor)
    page = client.get("/en/figures/exports/").content.decode()

    for export in exports.EXPORTS.values():
        for column in export.columns:
            assert f"<code>{column.name}</code>" in page
    assert "Rounded to 0.01° (about 1 km) for donor viewers" in page
    assert 'name="photos"' not in page  # donors cannot ask for photo links


def test_the_export_page_works_in_arabic_with_the_defaults_chosen(supervisor, client):
    client.force_login(supervisor)
    page = client.get("/ar/figures/exports/").content.decode()

    assert 'dir="rtl"' in page
    checked = re.findall(r'<input[^>]*name="(\w+)" value="(\w+)"[^>]*checked>', page)
    assert checked == [("values", "labels"), ("bom", "1"), ("photos", "0")]
    assert 'formaction="/ar/figures/exports/eore.csv"' in page


# The admin action ------------------------------------------------------------------------------------------------------


@pytest.fixture
def english():
    """Admin actions run after the middleware has chosen the language; a RequestFactory request has none."""
    with translation.override("en"):
        yield


def _admin_request(user):
    request = RequestFactory().post("/en/admin/surveys/surveyreport/")
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_the_admin_action_exports_the_selected_approved_reports(world, supervisor, english):
    request = _admin_request(supervisor)
    model_admin = admin.ModelAdmin(SurveyReport, admin.site)
    selected = SurveyReport.objects.filter(pk__in=[world.survey.pk, world.draft.pk])

    response = exports.export_selected_csv(model_admin, request, selected)
    rows = parse(b"".join(response.streaming_content).decode("utf-8"))

    assert [r["reference"] for r in rows] == [world.survey.reference]
    assert rows[0]["photo_urls"] == f"http://testserver/en/photos/{world.photo.pk}/"
    assert [str(m) for m in get_messages(request)] == [
        "1 selected report was left out: only approved reports are exported."]


def test_the_admin_action_uses_the_type_of_a_single_type_selection(world, supervisor, english):
    model_admin = admin.site._registry[Report]  # the review queue, with its annotations and ordering
    listed = model_admin.get_queryset(_admin_request(supervisor))
    clearances = listed.filter(pk__in=[world.completion.pk, world.progress.pk])
    mixed = listed.filter(pk__in=[world.completion.pk, world.session.pk])

    one_type = exports.export_selected_csv(model_admin, _admin_request(supervisor), clearances)
    two_types = exports.export_selected_csv(model_admin, _admin_request(supervisor), mixed)

    assert "cleared_area_m2" in parse(b"".join(one_type.streaming_content).decode())[0]
    rows = parse(b"".join(two_types.streaming_content).decode())
    assert {r["report_type"] for r in rows} == {"Clearance", "Risk education"}
    assert "cleared_area_m2" not in rows[0]


def test_the_admin_action_applies_the_same_access_rules(world, other_supervisor):
    request = _admin_request(other_supervisor)
    model_admin = admin.ModelAdmin(EoreSession, admin.site)

    response = exports.export_selected_csv(model_admin, request, EoreSession.objects.all())

    assert [r["reference"] for r in parse(b"".join(response.streaming_content).decode())] == [
        world.elsewhere.reference]


def test_the_admin_action_refuses_a_field_collector(world, collector, english):
    request = _admin_request(collector)
    model_admin = admin.ModelAdmin(ClearanceReport, admin.site)

    assert exports.export_selected_csv(model_admin, request, ClearanceReport.objects.all()) is None
    assert [str(m) for m in get_messages(request)] == ["You are not allowed to export reports."]


def test_the_admin_changelists_offer_the_export_action_to_reviewers_only(client, supervisor, collector, site):
    from tests import factories as f

    f.clearance(collector, site)  # admin shows no actions over an empty list
    client.force_login(supervisor)
    page = client.get("/en/admin/surveys/clearancereport/")
    assert "export_selected_csv" in page.content.decode()
    client.force_login(collector)
    page = client.get("/en/admin/surveys/clearancereport/")
    assert page.status_code == 200
    assert "export_selected_csv" not in page.content.decode()


def test_the_admin_export_action_answers_a_csv_of_the_selection(client, supervisor, collector, site):
    from surveys import workflow
    from tests import factories as f

    report = workflow.approve(workflow.submit(f.clearance(collector, site, place_name="حي المشلب"), collector),
                              supervisor)
    client.force_login(supervisor)
    response = client.post("/en/admin/surveys/clearancereport/",
                           {"action": "export_selected_csv", "_selected_action": [report.pk]})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert report.reference in body and "حي المشلب" in body
