"""The review queue overview at the top of admin's index, for supervisors and administrators."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from surveys import access, flags, workflow
from surveys.models import Report
from tests import factories as f

INDEX = "/en/admin/"


def fill_queue(collector, supervisor, site, n: int = 1) -> dict:
    """n rounds of: two submitted surveys, one submitted clearance, a submitted EORE with poor GPS, a returned EORE,
    a draft and an approved survey."""
    made = {"submitted": []}
    for _ in range(n):
        made["submitted"] += [workflow.submit(f.survey(collector), collector) for _ in range(2)]
        made["submitted"].append(workflow.submit(f.clearance(collector, site), collector))
        made["submitted"].append(workflow.submit(f.eore(collector, gps_accuracy_m=500), collector))
        workflow.return_for_correction(workflow.submit(f.eore(collector), collector), supervisor, "Fix the counts")
        f.survey(collector)
        workflow.approve(workflow.submit(f.survey(collector), collector), supervisor)
    return made


def test_it_counts_what_waits_for_review(collector, supervisor, site, outsider):
    made = fill_queue(collector, supervisor, site)
    oldest = made["submitted"][1]
    Report.objects.filter(pk=oldest.pk).update(submitted_at=timezone.now() - timedelta(days=9))
    workflow.submit(f.eore(outsider), outsider)  # another organisation's: not this supervisor's queue
    overview = flags.queue_overview(supervisor)
    assert overview["submitted"] == {"survey": 2, "clearance": 1, "eore": 1}
    assert overview["submitted_total"] == 4
    assert overview["flagged"] == 4  # every submitted one lacks a photo
    assert overview["returned"] == 1
    assert overview["oldest"].pk == oldest.pk


def test_a_resubmitted_report_is_no_longer_counted_as_returned(collector, supervisor):
    report = workflow.return_for_correction(workflow.submit(f.eore(collector), collector), supervisor, "Counts")
    assert flags.queue_overview(supervisor)["returned"] == 1
    workflow.submit(report, collector)
    assert flags.queue_overview(supervisor)["returned"] == 0


def queries_short_and_long(collector, supervisor, site, call) -> tuple[int, int]:
    """The queries `call` makes with a queue of 7 reports, then of 42."""
    counts = []
    for rounds in (1, 5):
        fill_queue(collector, supervisor, site, rounds)
        with CaptureQueriesContext(connection) as queries:
            call()
        counts.append(len(queries))
    return counts[0], counts[1]


def test_the_overview_takes_the_same_queries_however_long_the_queue(collector, supervisor, site):
    access.role(supervisor)  # the role is looked up once per request, whatever the queue
    short, long = queries_short_and_long(collector, supervisor, site, lambda: flags.queue_overview(supervisor))
    assert short == long == 2


def test_the_index_page_shows_the_overview_to_supervisors(client, collector, supervisor, site):
    made = fill_queue(collector, supervisor, site)
    client.force_login(supervisor)
    page = client.get(INDEX).text
    overview = page.split('id="review-queue-overview"')[1].split("</table>")[0]
    assert "4 reports waiting for review" in overview
    assert "/en/admin/surveys/report/?status__exact=submitted&amp;flag=any" in overview
    assert "/en/admin/surveys/report/?status__exact=returned" in overview
    assert f">{made['submitted'][0].reference}</a>" in overview  # the oldest, linked to its review page


def test_the_index_page_takes_the_same_queries_however_long_the_queue(client, collector, supervisor, site):
    client.force_login(supervisor)
    short, long = queries_short_and_long(collector, supervisor, site, lambda: client.get(INDEX))
    assert short == long


def test_the_collector_gets_no_overview(client, collector, supervisor, site):
    fill_queue(collector, supervisor, site)
    client.force_login(collector)
    response = client.get(INDEX)
    assert response.status_code == 200
    assert "review-queue-overview" not in response.text
