"""A report declares how many photos its device will send (photos_expected); until that many have arrived it is
waiting for photos. One definition, in the queryset and on the model, cheap to filter and to show in lists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys import access
from surveys.models import Photo, Report
from tests import factories as f


def with_photos(report: Report, count: int) -> Report:
    for n in range(count):
        Photo.objects.create(report=report, uploaded_by=report.captured_by, image=f"p{n}.jpg", thumbnail=f"t{n}.jpg")
    return report


@pytest.mark.parametrize(("expected", "received", "waiting"), [
    (None, 0, False), (0, 0, False), (2, 0, True), (2, 1, True), (2, 2, False), (1, 3, False),
])
def test_a_report_waits_until_the_announced_photos_have_arrived(collector, expected, received, waiting):
    report = with_photos(f.survey(collector, photos_expected=expected), received)
    assert Report.objects.get(pk=report.pk).waiting_for_photos is waiting
    assert Report.objects.waiting_for_photos().filter(pk=report.pk).exists() is waiting
    assert Report.objects.waiting_for_photos(False).filter(pk=report.pk).exists() is not waiting


def test_the_filter_works_on_each_report_type_and_combines_with_access(collector, outsider, site):
    waiting = [with_photos(f.survey(collector, photos_expected=1), 0),
               with_photos(f.clearance(collector, site, photos_expected=3), 2),
               with_photos(f.eore(collector, photos_expected=2), 1)]
    with_photos(f.eore(collector, photos_expected=1), 1)
    f.survey(outsider, photos_expected=4)
    visible = access.visible_reports(collector).waiting_for_photos()
    assert sorted(visible.values_list("pk", flat=True)) == sorted(r.pk for r in waiting)
    assert [r.pk for r in type(waiting[1]).objects.waiting_for_photos()] == [waiting[1].pk]


def test_annotated_reports_say_whether_they_wait_without_a_query_each(collector):
    for n in range(4):
        with_photos(f.survey(collector, photos_expected=2), n % 3)
    reports = list(Report.objects.with_photos_received())
    with CaptureQueriesContext(connection) as queries:
        states = [(r.photos_received, r.waiting_for_photos) for r in reports]
    assert len(queries) == 0
    assert sorted(states) == [(0, True), (0, True), (1, True), (2, False)]


def test_the_capturer_may_add_photos_to_a_submitted_report_only_while_it_waits(collector, teammate):
    report = f.set_status(f.survey(collector, photos_expected=1), Report.Status.SUBMITTED)
    assert access.can_add_photo(collector, report)
    assert not access.can_add_photo(teammate, report)
    with_photos(report, 1)
    assert not access.can_add_photo(collector, Report.objects.get(pk=report.pk))
    approved = f.set_status(f.survey(collector, photos_expected=3), Report.Status.APPROVED)
    assert not access.can_add_photo(collector, approved)
