"""Review flags: warnings that never block, for the supervisor to filter on."""

from datetime import timedelta

from surveys import workflow
from surveys.flags import refresh_flags
from surveys.models import ClearanceReport, Report
from tests import factories as f
from tests.test_validation import SQUARE  # about 9,900 m²


def flagged(report):
    refresh_flags(report)
    return Report.objects.get(pk=report.pk).flags


def test_it_flags_poor_gps_accuracy(collector):
    assert "gps_poor" not in flagged(f.eore(collector, gps_accuracy_m=50))
    assert "gps_poor" in flagged(f.eore(collector, gps_accuracy_m=51))


def test_it_flags_an_outline_whose_area_differs_by_more_than_a_fifth(collector):
    assert "polygon_mismatch" not in flagged(f.survey(collector, polygon=SQUARE, estimated_area_m2=9_000))
    assert "polygon_mismatch" in flagged(f.survey(collector, polygon=SQUARE, estimated_area_m2=7_000))
    assert "polygon_mismatch" in flagged(f.survey(collector, polygon=SQUARE, estimated_area_m2=13_000))


def test_it_flags_an_area_overrun_of_the_site(collector, supervisor, org):
    site = f.site(org, estimated_area_m2=5_000)
    first = f.clearance(collector, site, cleared_area_m2=3_000, reduced_area_m2=0, cancelled_area_m2=0)
    workflow.approve(workflow.submit(first, collector), supervisor)
    within = f.clearance(collector, site, cleared_area_m2=2_000, reduced_area_m2=0, cancelled_area_m2=0)
    over = f.clearance(collector, site, cleared_area_m2=2_000, reduced_area_m2=100, cancelled_area_m2=0)
    assert "area_overrun" not in flagged(within)
    assert "area_overrun" in flagged(over)


def test_it_flags_a_report_without_photo_until_one_arrives(collector):
    assert "no_photo" in flagged(f.eore(collector))


def test_it_flags_a_likely_duplicate(collector, site):
    f.clearance(collector, site)
    assert "duplicate" in flagged(f.clearance(collector, site))
    assert "duplicate" not in flagged(f.clearance(collector, f.site(site.organisation)))


def test_submitting_refreshes_the_flags(collector):
    report = f.eore(collector, gps_accuracy_m=120)
    workflow.submit(report, collector)
    assert Report.objects.get(pk=report.pk).flag_gps_poor


# Flags that depend on other reports follow them ------------------------------------------------------------------------


def _flags(report) -> list[str]:
    return Report.objects.get(pk=report.pk).flags


def test_a_report_is_flagged_when_its_later_duplicate_arrives_and_freed_when_it_goes(api, collector, site):
    from tests.test_api_reports import clearance_body

    client = api(collector)
    first = client.post("/api/v1/clearances/", clearance_body(site), format="json").json()
    second = client.post("/api/v1/clearances/", clearance_body(site), format="json").json()
    assert "duplicate" in _flags(Report.objects.get(pk=first["id"]))
    assert "duplicate" in _flags(Report.objects.get(pk=second["id"]))

    # B was for another day after all: A is no longer a duplicate either.
    other_day = (f.YESTERDAY - timedelta(days=1)).isoformat()
    assert client.patch(f"/api/v1/clearances/{second['id']}/", {"activity_date": other_day},
                        format="json").status_code == 200
    assert "duplicate" not in _flags(Report.objects.get(pk=first["id"]))
    assert "duplicate" not in _flags(Report.objects.get(pk=second["id"]))


def test_the_form_flags_both_duplicates_too(client, collector):
    from django.urls import reverse

    from tests import report_data as data

    client.force_login(collector)
    for _ in range(2):
        assert client.post(reverse("report_new", args=["eore"]), data.eore(place_name="Al-Amal school")).status_code == 302
    assert [r.flag_duplicate for r in Report.objects.order_by("pk")] == [True, True]


def test_an_earlier_clearance_is_flagged_over_run_when_others_are_approved_and_freed_when_one_is_reopened(
        collector, supervisor, org):
    site = f.site(org, team=collector.team, estimated_area_m2=5_000)
    areas = {"reduced_area_m2": 0, "cancelled_area_m2": 0}
    earlier = workflow.submit(f.clearance(collector, site, cleared_area_m2=3_000, **areas), collector)
    assert "area_overrun" not in _flags(earlier)

    others = [f.clearance(collector, site, cleared_area_m2=1_500, activity_date=f.YESTERDAY - timedelta(days=d),
                          **areas) for d in (1, 2)]
    for other in others:
        workflow.approve(workflow.submit(other, collector), supervisor)
    assert "area_overrun" in _flags(earlier)  # 3,000 approved + its own 3,000 > 5,000

    workflow.reopen(others[0], supervisor, "Wrong site")
    assert "area_overrun" not in _flags(earlier)  # 1,500 + 3,000 ≤ 5,000


def test_a_survey_that_shrinks_the_sites_estimate_flags_its_clearances(collector, supervisor, org):
    site = f.site(org, team=collector.team, estimated_area_m2=10_000)
    clearance = workflow.submit(f.clearance(collector, site, cleared_area_m2=4_000, reduced_area_m2=0,
                                            cancelled_area_m2=0), collector)
    assert "area_overrun" not in _flags(clearance)
    survey = workflow.submit(f.survey(collector, site=site, estimated_area_m2=3_000), collector)
    workflow.approve(survey, supervisor)
    assert "area_overrun" in _flags(clearance)


def test_the_sites_over_run_flags_agree_with_the_rule_in_a_fixed_number_of_queries(collector, supervisor, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from surveys import flags

    site = f.site(org, team=collector.team, estimated_area_m2=6_000)
    counts = []
    for batch in (2, 8):
        for i in range(batch):
            day = f.YESTERDAY - timedelta(days=len(counts) * 10 + i)
            report = f.clearance(collector, site, cleared_area_m2=1_000 + i, reduced_area_m2=0, cancelled_area_m2=0,
                                 activity_date=day, start_date=day, end_date=day)
            if i % 2:
                workflow.approve(workflow.submit(report, collector), supervisor)
        with CaptureQueriesContext(connection) as queries:
            flags.refresh_site(site.pk)
        counts.append(len(queries))
        for report in ClearanceReport.objects.filter(site=site).select_related("site"):
            assert report.flag_area_overrun == flags.area_overrun(report), report.reference
    assert counts[0] == counts[1]  # no query per report
