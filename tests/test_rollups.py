"""The roll-ups of the approved figures: after any sequence of review moves they equal a recomputation from the reports,
and the command rebuilds them."""

import contextlib
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys import indicators, rollups, workflow
from surveys.models import AdminArea, ClearanceRollup, Report, Site, SiteActivity
from tests import factories as f

ACTIONS = ["submit", "approve", "return", "reopen"]


@pytest.fixture
def reports(org, team, collector, project, supervisor):
    """Reports of every type, on shared and separate days, grants, areas and sites, all submitted."""
    raqqa = AdminArea.objects.create(level=1, name_en="Raqqa")
    district = AdminArea.objects.create(level=2, name_en="Ar-Raqqa", parent=raqqa)
    grant_b = f.project(org)
    s1 = f.site(org, team=team, site_type="school")
    s2 = f.site(org, team=team, site_type="bridge")
    day1, day2 = date(2025, 1, 10), date(2025, 2, 3)
    on1, on2 = {"activity_date": day1, "start_date": day1, "end_date": day1}, {
        "activity_date": day2, "start_date": day2, "end_date": day2}
    items = [{"category": "uxo", "quantity": 4, "weight_kg": Decimal("2.50"), "disposal": "destroyed_in_situ"},
             {"category": "uxo", "quantity": 1, "weight_kg": Decimal("0.25"), "disposal": "destroyed_in_situ"},
             {"category": "ied", "quantity": 2, "weight_kg": Decimal("7.00"), "disposal": "handed_over"}]
    made = [
        f.survey(collector, site=s1, activity_date=day1, project=project, admin_area=district,
                 expected_beneficiaries=120),
        f.survey(collector, site=s1, activity_date=day2, expected_beneficiaries=80),  # s1's latest when approved
        f.survey(collector, activity_date=day1, project=project, site_name="New school", expected_beneficiaries=300),
        f.survey(collector, site=s2, activity_date=day2, site_type="bridge", admin_area=raqqa),
        f.clearance(collector, s1, items=items, **on1, project=project, admin_area=district),
        f.clearance(collector, s1, items=items[:1], **on1, project=project, admin_area=district, method="mechanical"),
        f.clearance(collector, s1, **on2, stage="completion", project=grant_b, handover_date=day2,
                    handed_over_to="Mukhtar"),
        f.clearance(collector, s2, items=items[2:], **on2, method="mdd"),
        f.eore(collector, activity_date=day1, project=project, admin_area=district),
        f.eore(collector, activity_date=day1, project=project, admin_area=district, female_0_4=7),
        f.eore(collector, activity_date=day2, project=grant_b),
    ]
    for report in made:
        workflow.submit(report, collector)
    return [report.pk for report in made]


def _stored_equals_recomputed() -> None:
    expected, actual = rollups.recompute(), rollups.stored()
    for model in rollups.ROLLUPS:
        assert actual.get(model, {}) == expected.get(model, {}), model.__name__
    assert rollups.stored_site_counters() == rollups.site_counters()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=st.lists(st.tuples(st.integers(0, 10), st.sampled_from(ACTIONS)), max_size=25))
def test_rollups_always_equal_a_recomputation(reports, collector, supervisor, moves):
    # Examples run one after another on the same reports: the property must hold from whatever state is left.
    for index, action in moves:
        report = Report.objects.get(pk=reports[index])
        actor = collector if action == "submit" else supervisor
        with contextlib.suppress(workflow.TransitionError):
            workflow.transition(report, action, actor, comment="Because.")
        _stored_equals_recomputed()


def test_a_reopened_report_leaves_no_empty_cell(reports, supervisor):
    report = Report.objects.get(pk=reports[7])  # the mdd clearance
    workflow.approve(report, supervisor)
    assert ClearanceRollup.objects.filter(method="mdd").count() == 1
    workflow.reopen(report, supervisor, "Wrong site")
    assert not ClearanceRollup.objects.exists()
    assert not SiteActivity.objects.exists()


def test_indicators_read_the_cells_of_method_and_month(reports, supervisor, imofficer):
    for pk in reports:
        workflow.approve(Report.objects.get(pk=pk), supervisor)
    by_method = {row["method"]: row["cleared"] for row in
                 ClearanceRollup.objects.values("method").annotate(cleared=indicators.Sum("cleared_area_m2"))}
    assert by_method == {"manual": 3_000 * 2, "mechanical": 3_000, "mdd": 3_000}
    months = set(ClearanceRollup.objects.values_list("month", flat=True))
    assert months == {date(2025, 1, 1), date(2025, 2, 1)}
    figures = indicators.compute(imofficer, indicators.Filters())
    assert figures.land.clearance_reports == 4
    assert figures.sites_total.surveyed == 3  # s1, s2 and the new school's site
    assert figures.sites_total.closed == 1
    # All time from the sites' counters, or through the activity cells (a period covering everything): the same.
    everything = indicators.compute(imofficer, indicators.Filters(date_from=date(2000, 1, 1)))
    assert everything.sites == figures.sites
    # s1 is closed; its latest approved survey (day 2) expects 80 people, not the first one's 120.
    assert figures.land_beneficiaries == everything.land_beneficiaries == 80


def test_the_command_rebuilds_what_was_lost_and_checks(reports, supervisor, capsys):
    for pk in reports:
        workflow.approve(Report.objects.get(pk=pk), supervisor)
    before, counters = rollups.stored(), rollups.stored_site_counters()
    for model in rollups.ROLLUPS:
        model.objects.all().delete()
    Site.objects.update(approved_surveys=0, approved_clearances=0, approved_completions=0, expected_beneficiaries=0)
    with pytest.raises(SystemExit):
        call_command("rebuild_rollups", "--check")
    call_command("rebuild_rollups")
    assert rollups.stored() == before
    assert rollups.stored_site_counters() == counters != {}
    call_command("rebuild_rollups", "--check")
    assert "equal a recomputation" in capsys.readouterr().out
