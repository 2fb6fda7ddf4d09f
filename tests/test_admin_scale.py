"""The review desk at scale: what it asks the database does not read every visible row (order from an index, filter
choices from lookup tables, a date drill-down without SELECT DISTINCT, cheap counts, indexed search)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys import counting, search, workflow
from surveys.models import AdminArea, Report
from tests import factories as f

QUEUE = "/en/admin/surveys/report/"


def _refs(response) -> list[str]:
    return [r.reference for r in response.context["cl"].result_list]


def test_filter_choices_come_from_the_lookup_tables_within_the_users_organisation(client, supervisor, org,
                                                                                   other_org):
    idle = f.team(org, name="Team without reports")
    foreign = f.team(other_org, name="Someone else's team")
    client.force_login(supervisor)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(QUEUE).text
    assert idle.name in page  # listed without looking for its reports
    assert foreign.name not in page
    assert not any("DISTINCT" in q["sql"] for q in ctx.captured_queries)


def test_the_date_drill_down_lists_years_months_and_days_without_reading_rows(client, supervisor, collector):
    f.survey(collector, activity_date=date(2024, 5, 2))
    f.survey(collector, activity_date=date(2025, 3, 1))
    client.force_login(supervisor)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(QUEUE).text
    assert "activity_date__year=2024" in page and "activity_date__year=2025" in page
    assert not any("DISTINCT" in q["sql"] for q in ctx.captured_queries)
    months = client.get(QUEUE, {"activity_date__year": 2025}).text
    assert months.count("activity_date__month=") >= 12
    days = client.get(QUEUE, {"activity_date__year": 2025, "activity_date__month": 2}).text
    assert "activity_date__day=28" in days and "activity_date__day=29" not in days
    # A month that does not exist: admin says the filter is wrong (?e=1), as for any bad lookup.
    assert client.get(QUEUE, {"activity_date__year": 2025, "activity_date__month": 13}).status_code == 302


def test_the_queue_is_in_review_order_from_a_plain_column_order(client, supervisor, collector):
    draft = f.survey(collector)
    first = workflow.submit(f.survey(collector), collector)
    second = workflow.submit(f.survey(collector), collector)
    approved = workflow.approve(workflow.submit(f.survey(collector), collector), supervisor)
    returned = workflow.return_for_correction(workflow.submit(f.survey(collector), collector), supervisor, "GPS")
    client.force_login(supervisor)
    with CaptureQueriesContext(connection) as ctx:
        found = _refs(client.get(QUEUE))
    assert found == [r.reference for r in (first, second, returned, draft, approved)]
    assert not any("CASE WHEN" in q["sql"] for q in ctx.captured_queries)


def test_search_finds_references_by_prefix_and_names_in_their_own_tables(collector, org):
    survey = f.survey(collector, site_name="Al-Rashid school", place_name="Al-Mashlab")
    clearance = f.clearance(collector, f.site(org, name="Tabqa water plant"), place_name="Tabqa")
    everything = Report.objects.all()
    assert list(search.reports(everything, survey.reference[:9].lower())) == [survey.report_ptr]
    assert set(search.reports(everything, "rashid")) == {survey.report_ptr}
    assert set(search.reports(everything, "WATER")) == {clearance.report_ptr}
    assert set(search.reports(everything, "nowhere")) == set()


def test_a_common_term_is_checked_row_by_row_on_each_report_type_with_the_same_matches(collector, org, monkeypatch):
    survey = f.survey(collector, site_name="Al-Rashid school", place_name="Al-Mashlab")
    on_site = f.survey(collector, site=f.site(org, name="Rashid bridge"), place_name="Raqqa")
    clearance = f.clearance(collector, f.site(org, name="Tabqa water plant"), place_name="Tabqa")
    session = f.eore(collector, place_name="Rashid camp")
    rare = {model: set(search.reports(model.objects.all(), "RASHID")) for model in search.NAMES}
    monkeypatch.setattr(search, "FEW", 0)  # every term is common now: the joined filter instead of the ids
    common = {model: set(search.reports(model.objects.all(), "RASHID")) for model in search.NAMES}
    assert common == rare
    assert {r.pk for r in common[Report]} == {survey.pk, on_site.pk, session.pk}
    assert set(search.reports(Report.objects.all(), "water")) == {clearance.report_ptr}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement timeouts are PostgreSQL's")
def test_a_count_that_would_take_too_long_gives_way_to_the_estimate(collector, monkeypatch):
    for _ in range(3):
        f.eore(collector)
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        before = cursor.fetchone()[0]
    slow = Report.objects.extra(where=["pg_sleep(0.02) IS NOT NULL"])  # noqa: S610 (a constant: a slow count)
    monkeypatch.setattr(counting, "COUNT_TIMEOUT_MS", 5000)
    assert counting.cheap_count(slow) == (3, True)
    monkeypatch.setattr(counting, "COUNT_TIMEOUT_MS", 10)
    count, exact = counting.cheap_count(slow)
    assert not exact and count >= 0
    with connection.cursor() as cursor:  # the connection's own timeout is back, and it still works
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == before
    assert Report.objects.count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner estimates are PostgreSQL's")
def test_a_small_list_is_counted_even_when_stale_statistics_say_it_is_large(collector, monkeypatch):
    for _ in range(3):
        f.eore(collector)
    monkeypatch.setattr(counting, "planner_estimate", lambda queryset: 13_000)  # statistics of a fuller past
    assert counting.cheap_count(Report.objects.all()) == (3, True)
    monkeypatch.setattr(counting, "planner_estimate", lambda queryset: counting.ESTIMATE_ABOVE + 1)
    assert counting.cheap_count(Report.objects.all()) == (counting.ESTIMATE_ABOVE + 1, False)


def test_counts_are_exact_on_sqlite(collector):
    for _ in range(3):
        f.eore(collector)
    assert counting.cheap_count(Report.objects.all()) == (3, True)
    assert counting.cheap_count(Report.objects.filter(pk__in=[])) == (0, True)
    assert counting.EstimatedCountPaginator(Report.objects.order_by("pk"), 2).num_pages == 2


def test_a_search_that_finds_nothing_lists_nothing(client, supervisor, collector):
    f.survey(collector)
    client.force_login(supervisor)
    response = client.get(QUEUE, {"q": "nowhere at all"})
    assert response.status_code == 200
    assert _refs(response) == []


def test_an_id_filter_lists_its_records_and_nothing_for_a_value_that_is_not_an_id(client, supervisor, collector, team):
    area = AdminArea.objects.create(level=1, name_en="Raqqa")
    district = AdminArea.objects.create(level=2, name_en="Ar-Raqqa", parent=area)
    inside, outside = f.survey(collector, admin_area=district), f.survey(collector)
    for report in (inside, outside):
        workflow.submit(report, collector)
    client.force_login(supervisor)
    assert _refs(client.get(QUEUE, {"governorate": area.pk})) == [inside.reference]
    assert set(_refs(client.get(QUEUE, {"team__id__exact": team.pk}))) == {inside.reference, outside.reference}
    for parameter in ("governorate", "team__id__exact"):
        assert _refs(client.get(QUEUE, {parameter: "1 OR 1=1"})) == []
