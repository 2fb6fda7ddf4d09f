"""Site admin: each site's land-release status from approved reports, its reports, filters and query counts."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys import workflow
from surveys.models import AdminArea, SiteStatus
from tests import factories as f

SITES = "/en/admin/surveys/site/"


def names(response) -> list[str]:
    return [s.name for s in response.context["cl"].result_list]


def change_url(site) -> str:
    return f"{SITES}{site.pk}/change/"


def test_approving_clearances_in_admin_changes_the_sites_figures(client, supervisor, collector, org):
    site = f.site(org, name="Al-Rashid school", estimated_area_m2=10_000)
    progress = workflow.submit(f.clearance(collector, site, cleared_area_m2=3_000, reduced_area_m2=1_000,
                                           cancelled_area_m2=500), collector)
    client.force_login(supervisor)
    client.post(f"/en/admin/surveys/clearancereport/{progress.pk}/review/", {"move": "approve"})
    page = client.get(change_url(site))
    shown = page.context["original"]
    assert (shown.cleared_area_m2, shown.reduced_area_m2, shown.cancelled_area_m2) == (3_000, 1_000, 500)
    assert shown.remaining_area_m2 == 5_500 and shown.status == SiteStatus.WORKED_ON
    assert '<div class="readonly">5500</div>' in page.text
    completion = workflow.submit(f.clearance(
        collector, site, stage="completion", cleared_area_m2=5_500, reduced_area_m2=0, cancelled_area_m2=0,
        handover_date=progress.end_date, handed_over_to="School director"), collector)
    client.post("/en/admin/surveys/report/", {"action": "approve_selected", "_selected_action": [completion.pk],
                                              "confirm": "1"})  # from the confirmation page
    site.refresh_from_db()
    assert site.status == SiteStatus.CLOSED and site.remaining_area_m2 == 0


def test_the_site_page_lists_its_reports_with_links(client, supervisor, collector, org):
    site = f.site(org)
    clearance = workflow.submit(f.clearance(collector, site), collector)
    survey = f.survey(collector, site=site, site_name=site.name)
    client.force_login(supervisor)
    page = client.get(change_url(site)).text
    assert clearance.reference in page and survey.reference in page
    assert f"/en/admin/surveys/clearancereport/{clearance.pk}/change/" in page
    assert f"/en/admin/surveys/surveyreport/{survey.pk}/change/" in page


def test_the_site_page_shows_its_map(client, supervisor, org):
    site = f.site(org)
    client.force_login(supervisor)
    page = client.get(change_url(site)).text
    assert 'id="review-map-data"' in page and "leaflet.js" in page


def test_the_site_list_shows_land_release_columns(client, supervisor, org):
    f.site(org, name="Tabqa bridge", estimated_area_m2=8_000, cleared_area_m2=2_000, reduced_area_m2=1_000)
    client.force_login(supervisor)
    row = client.get(SITES).text.split("Tabqa bridge")[1].split("</tr>")[0]
    for value in ["8000", "2000", "1000", "5000"]:
        assert f">{value}<" in row, value


def test_it_filters_sites_by_type_status_and_governorate(client, supervisor, org):
    raqqa = AdminArea.objects.create(level=1, name_en="Ar-Raqqa", pcode="SY11")
    district = AdminArea.objects.create(level=2, name_en="Ar-Raqqa district", pcode="SY1100", parent=raqqa)
    f.site(org, name="School in Raqqa", admin_area=district)
    f.site(org, name="Bridge", site_type="bridge", status=SiteStatus.CLOSED)
    client.force_login(supervisor)
    assert names(client.get(SITES, {"site_type__exact": "bridge"})) == ["Bridge"]
    assert names(client.get(SITES, {"status__exact": "closed"})) == ["Bridge"]
    response = client.get(SITES, {"governorate": raqqa.pk})
    assert names(response) == ["School in Raqqa"]
    assert "Ar-Raqqa" in response.text.split("School in Raqqa")[1].split("</tr>")[0]  # the governorate column


def test_the_supervisor_sees_only_their_organisations_sites_and_cannot_edit_them(client, supervisor, org, other_org):
    ours = f.site(org, name="Ours")
    f.site(other_org, name="Theirs")
    client.force_login(supervisor)
    assert names(client.get(SITES)) == ["Ours"]
    page = client.get(change_url(ours))
    assert page.status_code == 200 and 'name="name"' not in page.text
    assert client.post(change_url(ours), {"name": "Renamed"}).status_code == 403


def test_the_administrator_corrects_a_site_but_not_its_derived_figures(client, imofficer, org):
    site = f.site(org, name="Old name", cleared_area_m2=100)
    client.force_login(imofficer)
    page = client.get(change_url(site))
    assert 'name="name"' in page.text and 'name="cleared_area_m2"' not in page.text
    form = page.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in ((n, form[n].value()) for n in form.fields)}
    data["contamination"] = "[]"
    data.update({"name": "New name", "cleared_area_m2": "99999", "_save": "1"})
    for prefix in ("clearances", "surveys"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(change_url(site), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    site.refresh_from_db()
    assert (site.name, site.cleared_area_m2) == ("New name", 100)


def test_site_changelist_queries_do_not_grow_with_rows(client, supervisor, org):
    gov = AdminArea.objects.create(level=1, name_en="Ar-Raqqa")
    district = AdminArea.objects.create(level=2, name_en="Ath-Thawrah", parent=gov)
    sub_district = AdminArea.objects.create(level=3, name_en="Al-Mansura", parent=district)
    client.force_login(supervisor)
    counts = []
    for rows in (5, 45):
        for i in range(rows):
            f.site(org, admin_area=[gov, district, sub_district, None][i % 4])
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(SITES)
        counts.append((len(response.context["cl"].result_list), len(ctx)))
    assert [shown for shown, _ in counts] == [5, 50]
    assert counts[0][1] == counts[1][1]
