"""The report changelists: columns, filters, search, queue order, who sees which rows, and query counts that do not
grow with the rows shown."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from surveys import photos, workflow
from surveys.models import AdminArea, Report
from tests import factories as f

QUEUE = "/en/admin/surveys/report/"
CHANGELISTS = {
    "queue": QUEUE,
    "survey": "/en/admin/surveys/surveyreport/",
    "clearance": "/en/admin/surveys/clearancereport/",
    "eore": "/en/admin/surveys/eoresession/",
}


def rows(response) -> list[str]:
    return [r.reference for r in response.context["cl"].result_list]


@pytest.fixture
def areas(db):
    raqqa = AdminArea.objects.create(level=1, name_en="Ar-Raqqa", name_ar="الرقة", pcode="SY11")
    district = AdminArea.objects.create(level=2, name_en="Ath-Thawrah", pcode="SY1102", parent=raqqa)
    tabqa = AdminArea.objects.create(level=3, name_en="Al-Thawrah", pcode="SY110200", parent=district)
    ninewa = AdminArea.objects.create(level=1, name_en="Ninewa", pcode="IQ-G15")
    return {"raqqa": raqqa, "tabqa": tabqa, "ninewa": ninewa}


def jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "grey").save(out, "JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


# Columns and order ----------------------------------------------------------------------------------------------------


def test_the_queue_shows_what_a_reviewer_needs_per_row(client, supervisor, collector, site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = f.clearance(collector, site, gps_accuracy_m=200)
    photos.add_photo(report, jpeg(), collector)
    photos.add_photo(report, jpeg(), collector)
    workflow.submit(report, collector)
    Report.objects.filter(pk=report.pk).update(submitted_at=timezone.now() - timedelta(days=3, hours=2))
    client.force_login(supervisor)
    response = client.get(QUEUE)
    row = response.text.split(f">{report.reference}</a>")[1].split("</tr>")[0]
    assert f'href="/en/admin/surveys/clearancereport/{report.pk}/change/"' in response.text
    for expected in ["Clearance", site.name, "Raqqa Team 1", "Submitted", "poor GPS accuracy", ">2<", "3\xa0days"]:
        assert expected in row, expected


def test_the_queue_puts_the_oldest_submitted_first(client, supervisor, collector):
    now = timezone.now()
    newest, oldest, middle = (workflow.submit(f.eore(collector), collector) for _ in range(3))
    for report, age in ((newest, 1), (oldest, 30), (middle, 5)):
        Report.objects.filter(pk=report.pk).update(submitted_at=now - timedelta(days=age))
    draft = f.eore(collector)
    approved = workflow.approve(workflow.submit(f.eore(collector), collector), supervisor)
    client.force_login(supervisor)
    assert rows(client.get(QUEUE)) == [r.reference for r in (oldest, middle, newest, draft, approved)]


# Filters and search ---------------------------------------------------------------------------------------------------


def test_it_filters_by_status_and_type(client, supervisor, collector, site):
    survey = workflow.submit(f.survey(collector), collector)
    workflow.submit(f.clearance(collector, site), collector)
    f.survey(collector)
    client.force_login(supervisor)
    assert rows(client.get(QUEUE, {"status__exact": "submitted", "kind__exact": "survey"})) == [survey.reference]


def test_it_filters_flagged_reports(client, supervisor, collector):
    poor = f.eore(collector, gps_accuracy_m=300, place_name="Camp A")
    fine = f.eore(collector, place_name="Camp B")
    for report in (poor, fine):
        workflow.submit(report, collector)
    client.force_login(supervisor)
    assert rows(client.get(QUEUE, {"flag": "gps_poor"})) == [poor.reference]
    assert set(rows(client.get(QUEUE, {"flag": "any"}))) == {poor.reference, fine.reference}  # both have no photo
    assert rows(client.get(QUEUE, {"flag": "none"})) == []
    page = client.get(QUEUE, {"flag": "any"}).text
    assert 'class="review-flag review-flag-no_photo"' in page


def test_it_filters_by_governorate_through_districts_and_sub_districts(client, supervisor, collector, areas):
    in_tabqa = f.eore(collector, admin_area=areas["tabqa"])
    in_raqqa = f.eore(collector, admin_area=areas["raqqa"])
    f.eore(collector, admin_area=areas["ninewa"])
    f.eore(collector)
    client.force_login(supervisor)
    found = rows(client.get(CHANGELISTS["eore"], {"governorate": areas["raqqa"].pk}))
    assert sorted(found) == sorted([in_tabqa.reference, in_raqqa.reference])


def test_it_filters_by_team_organisation_project_and_date(client, imofficer, collector, outsider, project):
    ours = f.survey(collector, project=project)
    theirs = f.survey(outsider)
    client.force_login(imofficer)
    assert rows(client.get(QUEUE, {"team__id__exact": collector.team_id})) == [ours.reference]
    assert rows(client.get(QUEUE, {"organisation__id__exact": outsider.organisation_id})) == [theirs.reference]
    assert rows(client.get(QUEUE, {"project__id__exact": project.pk})) == [ours.reference]
    day = ours.activity_date
    assert len(rows(client.get(QUEUE, {"activity_date__year": day.year, "activity_date__month": day.month,
                                      "activity_date__day": day.day}))) == 2


@pytest.mark.parametrize("term", ["SUR-", "Rashid", "Mashlab"])
def test_it_searches_by_reference_site_name_and_place_name(client, supervisor, collector, term):
    report = f.survey(collector, site_name="Al-Rashid school", place_name="Al-Mashlab")
    f.eore(collector, place_name="Tabqa camp")
    client.force_login(supervisor)
    assert rows(client.get(QUEUE, {"q": term})) == [report.reference]
    assert rows(client.get(CHANGELISTS["survey"], {"q": term})) == [report.reference]


def test_it_searches_clearances_by_site_name(client, supervisor, collector, org):
    report = f.clearance(collector, f.site(org, name="Tabqa water plant"))
    f.clearance(collector, f.site(org, name="Raqqa bridge"))
    client.force_login(supervisor)
    assert rows(client.get(CHANGELISTS["clearance"], {"q": "water"})) == [report.reference]
    assert rows(client.get(QUEUE, {"q": "water"})) == [report.reference]


# Who sees which rows --------------------------------------------------------------------------------------------------


def test_the_collector_sees_only_their_teams_reports(client, collector, teammate, outsider, org):
    mine, teammates = f.eore(collector), f.eore(teammate)
    other_team = f.user("collector", org, f.team(org))
    f.eore(other_team)
    f.eore(outsider)
    client.force_login(collector)
    for url in CHANGELISTS.values():
        response = client.get(url)
        assert response.status_code == 200
    assert sorted(rows(client.get(QUEUE))) == sorted([mine.reference, teammates.reference])


def test_the_supervisor_sees_only_their_organisations_reports(client, supervisor, collector, outsider):
    ours = f.eore(collector)
    f.eore(outsider)
    client.force_login(supervisor)
    assert rows(client.get(QUEUE)) == [ours.reference]
    assert "Nineveh" not in client.get(QUEUE).text  # other organisations are not even offered as a filter


def test_the_donor_has_no_admin(client, donor):
    client.force_login(donor)
    response = client.get(QUEUE)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# Query counts ---------------------------------------------------------------------------------------------------------


def _make(kinds, collector, site, areas, n):
    """n reports, cycling through the kinds; every other one submitted, every third with a photo."""
    builders = {
        "survey": lambda: f.survey(collector, admin_area=areas["tabqa"]),
        "clearance": lambda: f.clearance(collector, site, admin_area=areas["tabqa"]),
        "eore": lambda: f.eore(collector, admin_area=areas["raqqa"]),
    }
    for i in range(n):
        report = builders[kinds[i % len(kinds)]]()
        if i % 3 == 0:
            photos.add_photo(report, jpeg(), collector)
        if i % 2:
            workflow.submit(report, collector)


def _queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.context["cl"].result_list)


@pytest.mark.parametrize("name", list(CHANGELISTS))
def test_changelist_queries_do_not_grow_with_rows(client, supervisor, collector, site, areas, name, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    kinds = ["survey", "clearance", "eore"] if name == "queue" else [name]
    client.force_login(supervisor)
    _make(kinds, collector, site, areas, 5)
    few, shown = _queries(client, CHANGELISTS[name])
    assert shown == 5
    _make(kinds, collector, site, areas, 45)
    many, shown = _queries(client, CHANGELISTS[name])
    assert shown == 50
    assert many == few
