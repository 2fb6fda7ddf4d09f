"""Review flags: warnings that never block, for the supervisor to filter on."""

from surveys import workflow
from surveys.flags import refresh_flags
from surveys.models import Report
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
