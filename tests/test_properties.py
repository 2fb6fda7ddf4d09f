"""Property-based tests (Hypothesis) of rules with an invariant: outline area, the workflow's site figures, the EORE
grid's total, formula neutralisation in CSV exports, and digit normalisation. Few examples each, so the suite stays
fast; a failure prints the smallest example that breaks the rule."""

import csv
import io
import math
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule

from surveys import exports, geo, rules, workflow
from surveys.models import ClearanceReport, Report, Role, Site
from tests import factories as f

FEW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])
ARABIC = str.maketrans("0123456789.-", "٠١٢٣٤٥٦٧٨٩٫−")
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


# Outline area ------------------------------------------------------------------------------------------------------------


@st.composite
def convex_rings(draw):
    """A convex outline of 3–8 corners (so always valid) somewhere on Earth, a few metres to a kilometre across."""
    lon = draw(st.floats(-170, 170))
    lat = draw(st.floats(-60, 60))
    radius = draw(st.floats(0.0005, 0.01))
    angles = sorted(draw(st.lists(st.floats(0, 2 * math.pi, exclude_max=True), min_size=3, max_size=8,
                                  unique_by=lambda a: round(a, 2))))
    corners = [[lon + radius * math.cos(a), lat + radius * math.sin(a)] for a in angles]
    return corners


@FEW
@given(convex_rings(), st.integers(0, 7), st.booleans())
def test_outline_area_does_not_depend_on_direction_or_starting_corner(corners, start, reverse):
    polygon = {"type": "Polygon", "coordinates": [[*corners, corners[0]]]}
    if geo.outline_problem(polygon):  # corners too close together to make an area
        return
    turned = corners[start % len(corners):] + corners[:start % len(corners)]
    if reverse:
        turned.reverse()
    other = {"type": "Polygon", "coordinates": [[*turned, turned[0]]]}
    assert geo.polygon_area_m2(other) == pytest.approx(geo.polygon_area_m2(polygon), rel=1e-9)


# The workflow: approve then reopen restores every figure of the site ---------------------------------------------------


def site_figures(site: Site) -> tuple:
    site.refresh_from_db()
    return (site.cancelled_area_m2, site.reduced_area_m2, site.cleared_area_m2, site.status, site.handed_over_on,
            site.estimated_area_m2)


def expected_sums(site: Site) -> tuple:
    approved = ClearanceReport.objects.filter(site=site, status=Report.Status.APPROVED)
    return tuple(sum(getattr(r, name) for r in approved)
                 for name in ("cancelled_area_m2", "reduced_area_m2", "cleared_area_m2"))


AREAS = st.integers(0, rules.AREA_MAX_M2)


class SiteWorkflow(RuleBasedStateMachine):
    """Clearance reports of one site moving through submit, approve, return, reopen in any order."""

    reports = Bundle("reports")

    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()  # each run leaves nothing behind (rolled back in teardown)
        org = f.organisation(name="Property org")
        team = f.team(org, name="Property team")
        self.collector = f.user(Role.COLLECTOR, org, team, username="prop_collector")
        self.supervisor = f.user(Role.SUPERVISOR, org, username="prop_supervisor")
        self.site = f.site(org, team=team, estimated_area_m2=50_000)

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    @initialize()
    def start(self):
        assert site_figures(self.site)[:3] == (0, 0, 0)

    @rule(target=reports, cleared=AREAS, reduced=AREAS, cancelled=AREAS, completion=st.booleans(),
          days=st.integers(1, 300))
    def capture(self, cleared, reduced, cancelled, completion, days):
        day = f.YESTERDAY - timedelta(days=days)
        extra = {"stage": "completion", "handover_date": day, "handed_over_to": "Mukhtar"} if completion else {}
        report = f.clearance(self.collector, self.site, cleared_area_m2=cleared, reduced_area_m2=reduced,
                             cancelled_area_m2=cancelled, activity_date=day, start_date=day, end_date=day, **extra)
        return workflow.submit(report, self.collector)

    @rule(report=reports)
    def approve_then_reopen_restores_the_site(self, report):
        report.refresh_from_db()
        if report.status != Report.Status.SUBMITTED:
            return
        before = site_figures(self.site)
        workflow.approve(report, self.supervisor)
        workflow.reopen(report, self.supervisor, "Checking the figures")
        assert site_figures(self.site) == before

    @rule(report=reports)
    def approve(self, report):
        report.refresh_from_db()
        if report.status == Report.Status.SUBMITTED:
            workflow.approve(report, self.supervisor)

    @rule(report=reports)
    def reopen(self, report):
        report.refresh_from_db()
        if report.status == Report.Status.APPROVED:
            workflow.reopen(report, self.supervisor, "Wrong depth")

    @rule(report=reports)
    def resubmit(self, report):
        report.refresh_from_db()
        if report.status == Report.Status.RETURNED:
            workflow.submit(report, self.collector)

    @invariant()
    def site_figures_are_the_sums_of_the_approved_reports(self):
        figures = site_figures(self.site)
        assert figures[:3] == expected_sums(self.site)
        approved = ClearanceReport.objects.filter(site=self.site, status=Report.Status.APPROVED)
        closed = approved.filter(stage="completion").exists()
        assert figures[3] == ("closed" if closed else "worked_on" if approved.exists() else "open")


@pytest.mark.django_db
def test_the_workflow_keeps_site_figures_exact():
    SiteWorkflow.TestCase.settings = settings(max_examples=25, stateful_step_count=8, deadline=None,
                                              suppress_health_check=[HealthCheck.too_slow])
    SiteWorkflow.TestCase().runTest()


# The EORE grid ---------------------------------------------------------------------------------------------------------

GRID = next(r for r in rules.rules_for("eore") if r.kind == "sum_equals").params["fields"]


@FEW
@given(st.lists(st.integers(0, rules.PEOPLE_MAX), min_size=len(GRID), max_size=len(GRID)), st.integers(-5, 5),
       st.sampled_from([str, lambda n: str(n).translate(ARABIC), lambda n: str(n).translate(PERSIAN)]))
def test_the_eore_total_is_the_sum_of_the_grid(counts, delta, write):
    raw = {name: write(count) for name, count in zip(GRID, counts, strict=True)}
    left_empty = rules.prepare("eore", {**raw, "total_participants": ""})
    assert left_empty["total_participants"] == sum(counts)
    assert "total_participants" not in rules.check_raw("eore", {**raw, "total_participants": ""})
    errors = rules.check_raw("eore", {**raw, "total_participants": write(sum(counts) + delta)})
    sum_error = "The total is not the sum of the people counted by sex and age."
    assert (sum_error in errors.get("total_participants", [])) == (delta != 0)


# CSV formula neutralisation ---------------------------------------------------------------------------------------------


@FEW
@given(st.lists(st.text(max_size=30), min_size=1, max_size=5))
def test_no_exported_text_cell_can_run_as_a_formula(cells):
    body = b"".join(exports.table_csv([cells], bom=False)).decode()
    [row] = list(csv.reader(io.StringIO(body)))
    for original, written in zip(cells, row, strict=True):
        assert not written.startswith(exports.FORMULA_STARTS)
        assert written == ("'" + original if original.startswith(exports.FORMULA_STARTS) else original)


# Digit normalisation ------------------------------------------------------------------------------------------------------


@FEW
@given(st.integers(-10**9, 10**9), st.sampled_from([ARABIC, PERSIAN]))
def test_whole_numbers_read_the_same_in_any_digits(number, table):
    typed = str(number).translate(table).replace("-", "−")
    assert rules.parse_number(typed, integer=True) == number
    assert rules.normalise_digits(typed) == str(number)


@FEW
@given(st.decimals(min_value=-10**6, max_value=10**6, places=3, allow_nan=False, allow_infinity=False))
def test_decimals_read_the_same_with_the_arabic_decimal_separator(number):
    typed = str(number).translate(ARABIC)
    assert rules.parse_number(typed, integer=False) == Decimal(str(number))
