"""The indicators report: figures checked against totals computed by hand, per filter and per role.

The fixture (all in 2025; "approved" unless said otherwise):

    sites           S1 school 10,000 m² (org)   S2 health facility 8,000 m² (org)   S3 bridge 5,000 m² (other org)
    surveys         sv1 S1 01-10 grant A Mashlab (Raqqa)   sv2 S2 02-05 grant B Aleppo
                    sv3 S3 02-15 submitted   sv4 S3 2024-12-20 other org
    clearances      c1 S1 progress 01-20 grant A Raqqa district: 500 / 1,000 / 3,000 (cancelled / reduced / cleared)
                       items: 10 UXO 25.50 kg in situ, 2 IED 30.00 kg moved and destroyed, 1 AV mine 8 kg handed over
                    c2 S1 completion 03-15 grant A Raqqa: 0 / 2,000 / 3,500
                       items: 5 UXO 12.25 kg in situ, 3 AP mines 0.75 kg rendered safe
                    c3 S2 progress 02-10 grant B Aleppo: 1,000 / 0 / 2,000; items: 20 cluster 4.00 kg in situ
                    c4 S2 returned 02-11 grant B: 100 UXO (not counted)
                    c5 S3 progress 02-20 other org, no grant, Raqqa: 0 / 0 / 1,000
    sessions        e1 01-15 grant A Raqqa district: 43 people   e2 03-01 grant B Aleppo: 38 people
                    e3 02-01 draft   e4 04-10 grant A: 34 people

After approval the sites are: S1 closed (10,000 released, 0 remaining), S2 worked on (3,000 released, 5,000
remaining), S3 worked on (1,000 released, 4,000 remaining).
"""

import re
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys import indicators
from surveys.indicators import Filters
from surveys.models import AdminArea, Report
from tests import factories as f

Q1 = {"date_from": date(2025, 1, 1), "date_to": date(2025, 3, 31)}
APPROVED = Report.Status.APPROVED


def _clearance(by, site, day, areas, items=(), status=APPROVED, **kw):
    cancelled, reduced, cleared = areas
    report = f.clearance(by, site, items=list(items), activity_date=day, start_date=day, end_date=day,
                         cancelled_area_m2=cancelled, reduced_area_m2=reduced, cleared_area_m2=cleared, **kw)
    return f.set_status(report, status)


@pytest.fixture
def world(org, team, collector, project, outsider, other_org):
    raqqa = AdminArea.objects.create(level=1, name_en="Raqqa", name_ar="الرقة", pcode="SY11")
    raqqa_district = AdminArea.objects.create(level=2, name_en="Ar-Raqqa", name_ar="الرقة", parent=raqqa)
    mashlab = AdminArea.objects.create(level=3, name_en="Al-Mashlab", name_ar="المشلب", parent=raqqa_district)
    aleppo = AdminArea.objects.create(level=1, name_en="Aleppo", name_ar="حلب", pcode="SY02")
    grant_b = f.project(org)
    s1 = f.site(org, team=team, site_type="school", estimated_area_m2=10_000)
    s2 = f.site(org, team=team, site_type="health_facility", estimated_area_m2=8_000)
    s3 = f.site(other_org, site_type="bridge", estimated_area_m2=5_000)

    def approved_survey(by, site, day, **kw):
        return f.set_status(f.survey(by, site=site, activity_date=day, **kw), APPROVED)

    approved_survey(collector, s1, date(2025, 1, 10), project=project, admin_area=mashlab)
    approved_survey(collector, s2, date(2025, 2, 5), project=grant_b, admin_area=aleppo)
    f.set_status(f.survey(outsider, site=s3, activity_date=date(2025, 2, 15)), Report.Status.SUBMITTED)
    approved_survey(outsider, s3, date(2024, 12, 20))

    _clearance(collector, s1, date(2025, 1, 20), (500, 1_000, 3_000), project=project, admin_area=raqqa_district,
               items=[{"category": "uxo", "quantity": 10, "weight_kg": Decimal("25.50"), "disposal": "destroyed_in_situ"},
                      {"category": "ied", "quantity": 2, "weight_kg": Decimal("30.00"),
                       "disposal": "moved_and_destroyed"},
                      {"category": "av_mine", "quantity": 1, "weight_kg": Decimal("8.00"), "disposal": "handed_over"}])
    _clearance(collector, s1, date(2025, 3, 15), (0, 2_000, 3_500), project=project, admin_area=raqqa,
               stage="completion", handover_date=date(2025, 3, 15), handed_over_to="Mukhtar",
               items=[{"category": "uxo", "quantity": 5, "weight_kg": Decimal("12.25"), "disposal": "destroyed_in_situ"},
                      {"category": "ap_mine", "quantity": 3, "weight_kg": Decimal("0.75"), "disposal": "rendered_safe"}])
    _clearance(collector, s2, date(2025, 2, 10), (1_000, 0, 2_000), project=grant_b, admin_area=aleppo,
               items=[{"category": "cluster_submunition", "quantity": 20, "weight_kg": Decimal("4.00"),
                       "disposal": "destroyed_in_situ"}])
    _clearance(collector, s2, date(2025, 2, 11), (0, 0, 500), project=grant_b, status=Report.Status.RETURNED,
               items=[{"category": "uxo", "quantity": 100, "weight_kg": Decimal("50"), "disposal": "destroyed_in_situ"}])
    _clearance(outsider, s3, date(2025, 2, 20), (0, 0, 1_000), admin_area=raqqa)
    for site in (s1, s2, s3):
        site.refresh_from_reports()

    f.set_status(f.eore(collector, activity_date=date(2025, 1, 15), project=project, admin_area=raqqa_district,
                        female_0_4=2, male_18_24=6, male_60_plus=1, persons_with_disabilities=3,
                        first_time_attendees=20), APPROVED)
    f.set_status(f.eore(collector, activity_date=date(2025, 3, 1), project=grant_b, admin_area=aleppo,
                        female_5_12=4, female_18_24=7, male_18_24=3, persons_with_disabilities=1,
                        first_time_attendees=10), APPROVED)
    f.eore(collector, activity_date=date(2025, 2, 1), project=project)
    f.set_status(f.eore(collector, activity_date=date(2025, 4, 10), project=project), APPROVED)
    return SimpleNamespace(raqqa=raqqa, aleppo=aleppo, grant_a=project, grant_b=grant_b, s1=s1, s2=s2, s3=s3)


def _sites(figures, measure):
    return {row.site_type: getattr(row, measure) for row in figures.sites if getattr(row, measure)}


def _items(figures):
    return {row.category: (row.quantity, row.weight_kg) for row in figures.items if row.quantity}


def test_it_computes_every_figure_for_the_quarter(world, imofficer):
    figures = indicators.compute(imofficer, Filters(**Q1))

    assert _sites(figures, "surveyed") == {"school": 1, "health_facility": 1}
    assert _sites(figures, "worked_on") == {"school": 1, "health_facility": 1, "bridge": 1}
    assert _sites(figures, "closed") == {"school": 1}
    assert _sites(figures, "not_closed") == {"health_facility": 1, "bridge": 1}
    assert _sites(figures, "remaining_m2") == {"health_facility": 5_000, "bridge": 4_000}
    total = figures.sites_total
    assert (total.surveyed, total.worked_on, total.closed, total.not_closed, total.remaining_m2) == (2, 3, 1, 2, 9_000)

    assert figures.land == indicators.LandRelease(clearance_reports=4, cancelled_m2=1_500, reduced_m2=3_000,
                                                  cleared_m2=9_500, total_m2=14_000, remaining_m2=9_000)

    assert _items(figures) == {"uxo": (15, Decimal("37.75")), "ied": (2, Decimal("30.00")),
                               "cluster_submunition": (20, Decimal("4.00"))}
    assert figures.items_total.quantity == 37
    assert figures.items_total.weight_kg == Decimal("71.75")
    assert figures.items_total.tonnes == Decimal("0.072")
    assert figures.items_not_destroyed == 4  # 1 AV mine handed over, 3 AP mines rendered safe

    eore = figures.risk_education
    assert (eore.sessions, eore.participants) == (2, 81)
    by_age = {row.key: (row.female, row.male) for row in eore.by_age}
    assert by_age == {"0_4": (2, 0), "5_12": (14, 24), "13_17": (10, 6), "18_24": (7, 9), "25_59": (8, 0),
                      "60_plus": (0, 1), "all": (41, 40)}
    assert (eore.girls, eore.boys, eore.women, eore.men) == (26, 30, 15, 10)
    rollups = {row.key: (row.female, row.male, row.total) for row in eore.rollups}
    assert rollups == {"under_18": (26, 30, 56), "18_plus": (15, 10, 25), "18_24": (7, 9, 16),
                       "under_25": (33, 39, 72)}
    unmas = {row.key: row.total for row in eore.unmas_bands}
    assert unmas == {"0_4": 2, "5_12": 38, "13_17": 16, "18_plus": 25}
    assert (eore.persons_with_disabilities, eore.first_time_attendees) == (4, 30)


def test_it_filters_by_grant(world, imofficer):
    figures = indicators.compute(imofficer, Filters(**Q1, project=world.grant_a))

    assert _sites(figures, "surveyed") == _sites(figures, "worked_on") == _sites(figures, "closed") == {"school": 1}
    assert _sites(figures, "remaining_m2") == {}
    assert (figures.land.cancelled_m2, figures.land.reduced_m2, figures.land.cleared_m2) == (500, 3_000, 6_500)
    assert figures.land.total_m2 == 10_000
    assert _items(figures) == {"uxo": (15, Decimal("37.75")), "ied": (2, Decimal("30.00"))}
    assert figures.risk_education.sessions == 1
    assert figures.risk_education.participants == 43


def test_it_filters_by_donor(world, imofficer):
    figures = indicators.compute(imofficer, Filters(**Q1, donor=world.grant_b.donor))

    assert _sites(figures, "surveyed") == _sites(figures, "worked_on") == {"health_facility": 1}
    assert _sites(figures, "remaining_m2") == {"health_facility": 5_000}
    assert figures.land.total_m2 == 3_000
    assert _items(figures) == {"cluster_submunition": (20, Decimal("4.00"))}
    assert figures.items_not_destroyed == 0
    assert (figures.risk_education.sessions, figures.risk_education.participants) == (1, 38)


def test_it_filters_by_organisation(world, imofficer, other_org):
    figures = indicators.compute(imofficer, Filters(**Q1, organisation=other_org))

    assert _sites(figures, "surveyed") == {}
    assert _sites(figures, "worked_on") == {"bridge": 1}
    assert figures.land.cleared_m2 == figures.land.total_m2 == 1_000
    assert figures.land.remaining_m2 == 4_000
    assert figures.items_total.quantity == 0
    assert figures.risk_education.sessions == 0


def test_it_filters_by_governorate_including_its_districts_and_sub_districts(world, imofficer):
    figures = indicators.compute(imofficer, Filters(**Q1, governorate=world.raqqa))

    assert _sites(figures, "surveyed") == {"school": 1}  # sv1 is recorded at sub-district level
    assert _sites(figures, "worked_on") == {"school": 1, "bridge": 1}
    assert _sites(figures, "remaining_m2") == {"bridge": 4_000}
    assert (figures.land.cancelled_m2, figures.land.reduced_m2, figures.land.cleared_m2) == (500, 3_000, 7_500)
    assert figures.risk_education.participants == 43  # e1, recorded at district level

    aleppo = indicators.compute(imofficer, Filters(**Q1, governorate=world.aleppo))
    assert aleppo.land.total_m2 == 3_000
    assert aleppo.risk_education.participants == 38


def test_it_counts_both_ends_of_the_date_range(world, imofficer):
    one_day = indicators.compute(imofficer, Filters(date_from=date(2025, 1, 20), date_to=date(2025, 1, 20)))
    assert (one_day.land.cancelled_m2, one_day.land.reduced_m2, one_day.land.cleared_m2) == (500, 1_000, 3_000)

    february = indicators.compute(imofficer, Filters(date_from=date(2025, 2, 1), date_to=date(2025, 2, 28)))
    assert _sites(february, "surveyed") == {"health_facility": 1}
    assert _sites(february, "worked_on") == {"health_facility": 1, "bridge": 1}
    assert february.sites_total.closed == 0
    assert february.land.total_m2 == 4_000
    assert february.risk_education.sessions == 0  # e3 is a draft


def test_without_dates_it_counts_every_approved_report(world, imofficer):
    figures = indicators.compute(imofficer, Filters())

    assert _sites(figures, "surveyed") == {"school": 1, "health_facility": 1, "bridge": 1}  # sv4 of 2024 too
    assert figures.risk_education.sessions == 3  # e4 of April too


def test_a_donor_counts_only_their_grants(world, donor):
    figures = indicators.compute(donor, Filters())

    assert _sites(figures, "worked_on") == {"school": 1}
    assert figures.land.total_m2 == 10_000
    assert figures.items_total.quantity == 17
    assert (figures.risk_education.sessions, figures.risk_education.participants) == (2, 77)  # e1 and e4


def test_a_donor_filtering_by_another_grant_gets_nothing(world, donor):
    figures = indicators.compute(donor, Filters(project=world.grant_b))

    assert figures.land.total_m2 == 0
    assert figures.risk_education.sessions == 0


def test_a_supervisor_counts_only_their_organisation(world, supervisor, other_supervisor):
    ours = indicators.compute(supervisor, Filters(**Q1))
    theirs = indicators.compute(other_supervisor, Filters(**Q1))

    assert _sites(ours, "worked_on") == {"school": 1, "health_facility": 1}
    assert ours.land.total_m2 == 13_000
    assert _sites(theirs, "worked_on") == {"bridge": 1}
    assert theirs.land.total_m2 == 1_000
    assert theirs.risk_education.sessions == 0


def test_a_field_collector_counts_nothing(world, collector):
    figures = indicators.compute(collector, Filters())

    assert figures.sites_total.worked_on == 0
    assert figures.land.total_m2 == 0
    assert figures.risk_education.sessions == 0


def test_it_runs_a_constant_number_of_queries(world, imofficer, collector):
    indicators.compute(imofficer, Filters())  # caches the role
    with CaptureQueriesContext(connection) as before:
        indicators.compute(imofficer, Filters(**Q1, governorate=world.raqqa))
    for _ in range(5):
        _clearance(collector, world.s2, date(2025, 1, 5), (1, 1, 1), admin_area=world.raqqa,
                   items=[{"category": "uxo", "quantity": 1, "weight_kg": Decimal("1"), "disposal": "destroyed_in_situ"}])
    with CaptureQueriesContext(connection) as after:
        figures = indicators.compute(imofficer, Filters(**Q1, governorate=world.raqqa))

    # sites (distinct counts over the site-activity cells joined to those sites' state and land-release
    # beneficiaries), land, explosive items, risk education, then clearance by month and method (land by method and the
    # trend), items destroyed by month, people by month: all over the roll-ups, never the reports.
    assert len(before) == len(after) == 7
    assert figures.items_total.quantity == 17 + 5


def test_as_dict_is_plain_data(world, donor):
    data = indicators.compute(donor, Filters(project=donor.projects.get())).as_dict()

    assert data["filters"]["project"]["id"] == donor.projects.get().pk
    assert data["land"]["total_m2"] == 10_000
    assert data["sites"][0] == {"site_type": "school", "label": "School", "surveyed": 1, "worked_on": 1, "closed": 1,
                                "not_closed": 0, "remaining_m2": 0}
    assert data["risk_education"]["girls"] == 32  # e1: 2 + 10 + 5, e4: 10 + 5
    assert isinstance(data["items"][0]["label"], str)


# The page and its CSV --------------------------------------------------------------------------------------------------


def test_the_page_shows_a_donor_their_figures(world, donor, client):
    client.force_login(donor)
    response = client.get("/en/figures/", {"date_from": "2025-01-01", "date_to": "2025-03-31"})

    assert response.status_code == 200
    assert response.context["figures"].land.total_m2 == 10_000
    page = response.content.decode()
    assert "10,000" in page
    assert "Destroyed in situ, Moved and destroyed" in page
    assert world.grant_b.code not in page  # not a grant the donor may choose


def test_the_page_refuses_a_field_collector(collector, client):
    client.force_login(collector)
    assert client.get("/en/figures/").status_code == 403


def test_the_page_sends_anonymous_visitors_to_sign_in(client):
    response = client.get("/en/figures/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_page_explains_a_grant_the_donor_may_not_choose(world, donor, client):
    client.force_login(donor)
    response = client.get("/en/figures/", {"project": world.grant_b.pk})

    assert response.status_code == 200
    assert response.context["figures"] is None
    assert "Select a valid choice" in response.content.decode()


def test_the_page_says_when_the_period_ends_before_it_starts(donor, client):
    client.force_login(donor)
    response = client.get("/en/figures/", {"date_from": "2025-03-01", "date_to": "2025-01-01"})

    assert response.context["figures"] is None
    assert "The end of the period is before its start." in response.content.decode()


def test_the_page_is_right_to_left_in_arabic(world, supervisor, client):
    client.force_login(supervisor)
    response = client.get("/ar/figures/")

    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()


def test_the_page_runs_the_same_number_of_queries_whatever_the_data(world, supervisor, client):
    client.force_login(supervisor)
    with CaptureQueriesContext(connection) as before:
        client.get("/en/figures/", Q1)
    for _ in range(5):
        f.set_status(f.eore(supervisor, team=world.s1.team, activity_date=date(2025, 1, 3)), APPROVED)
    with CaptureQueriesContext(connection) as after:
        response = client.get("/en/figures/", Q1)

    assert response.context["figures"].risk_education.sessions == 2 + 5
    assert len(before) == len(after)


def test_the_csv_holds_the_same_figures(world, donor, client):
    import csv
    import io

    client.force_login(donor)
    response = client.get("/en/figures/indicators.csv", {"date_from": "2025-01-01", "date_to": "2025-03-31"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == ["section", "key", "indicator", "value", "unit"]
    values = {row[1]: row[3] for row in rows[1:]}
    assert values["date_from"] == "2025-01-01"
    assert values["land.total_m2"] == "10000"
    assert values["sites.school.closed"] == "1"
    assert values["items.uxo.weight_kg"] == "37.75"
    assert values["items.all.tonnes"] == "0.068"  # 67.75 kg
    assert values["eore.rollup.under_18.total"] == "32"
    assert values["eore.girls"] == "17"


# On a phone ------------------------------------------------------------------------------------------------------------



@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_donor_reads_the_figures_on_a_phone_in_arabic(world, donor, live_server, page):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/ar/login/")
    page.fill("input[name=username]", "donor")
    page.fill("input[name=password]", f.PASSWORD)
    page.locator("form:has(input[name=password]) button, form:has(input[name=password]) [type=submit]").first.click()
    page.goto(f"{live_server.url}/ar/figures/")
    page.fill("input[name=date_from]", "2025-01-01")
    page.fill("input[name=date_to]", "2025-03-31")
    page.get_by_role("button", name="اعرض الأرقام").click()  # "Show figures"

    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("table").first.is_visible()
    assert re.fullmatch(r"10\D?000", page.locator("#land-total").inner_text().strip())  # grouped the Arabic way
    # Wide tables scroll inside their own box; the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    with page.expect_download() as download:
        page.get_by_role("link", name="تنزيل هذه الأرقام (CSV)").click()  # "Download these figures (CSV)"
    assert download.value.suggested_filename.startswith("indicators-")
