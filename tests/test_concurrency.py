"""Two supervisors acting on the same report at once: exactly one move happens and is recorded; the other gets a clear
message and nothing changes.

The real test needs PostgreSQL: two threads, each with its own database connection, racing on the row lock that
surveys.workflow takes (select_for_update). SQLite has no row locks, so only the sequential case runs there.
"""

import threading
import time

import pytest
from django.db import connection, transaction

from surveys import workflow
from surveys.models import Report, ReviewEvent, Role
from tests import factories as f

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (row locks and concurrent connections): "
    "DATABASE_URL=postgres://fieldapp:fieldapp@127.0.0.1:5432/fieldapp_issue4 pytest tests/test_concurrency.py",
)


def review_url(report) -> str:
    return f"/en/admin/surveys/{type(report).__name__.lower()}/{report.pk}/review/"



@pytest.fixture
def second_supervisor(org):
    return f.user(Role.SUPERVISOR, org, username="second_supervisor")


def in_thread(target, results: dict, key: str) -> threading.Thread:
    """Run target in a thread with its own database connection (closed at the end), keeping its result or error."""

    def run():
        try:
            results[key] = target()
        except Exception as exc:  # the test inspects it
            results[key] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def wait_for_lock_waiter(timeout: float = 10.0) -> None:
    """Block until another connection of this database is waiting on a row lock."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the second supervisor never waited for the row lock")


def test_a_move_on_a_report_someone_just_moved_gets_a_clear_message(client, supervisor, second_supervisor, collector):
    report = workflow.submit(f.survey(collector), collector)
    workflow.approve(report, second_supervisor)
    client.force_login(supervisor)
    response = client.post(review_url(report), {"move": "return", "comment": "Wrong site"})
    assert f"{report.reference} is approved: it cannot be returned." in response.text
    assert Report.objects.get(pk=report.pk).status == Report.Status.APPROVED
    assert list(ReviewEvent.objects.filter(report=report).values_list("action", flat=True)) == ["submit", "approve"]


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_second_supervisor_waits_for_the_first_and_then_is_refused(supervisor, second_supervisor, collector):
    report = workflow.submit(f.survey(collector), collector)
    first_moved, release = threading.Event(), threading.Event()
    results: dict = {}

    def approve_and_hold():
        with transaction.atomic():  # the first supervisor's move, not yet committed while the second one arrives
            moved = workflow.approve(Report.objects.get(pk=report.pk), supervisor)
            first_moved.set()
            assert release.wait(10)
        return moved

    def return_it():
        assert first_moved.wait(10)
        return workflow.return_for_correction(Report.objects.get(pk=report.pk), second_supervisor, "Depth missing")

    threads = [in_thread(approve_and_hold, results, "first"), in_thread(return_it, results, "second")]
    assert first_moved.wait(10)
    wait_for_lock_waiter()  # the second connection really is blocked on the first one's row lock
    release.set()
    for thread in threads:
        thread.join(20)

    assert results["first"].status == Report.Status.APPROVED
    assert isinstance(results["second"], workflow.TransitionError)
    assert str(results["second"]) == f"{report.reference} is approved: it cannot be returned."
    assert Report.objects.get(pk=report.pk).status == Report.Status.APPROVED
    events = ReviewEvent.objects.filter(report=report).exclude(action="submit")
    assert [(e.action, e.actor_id) for e in events] == [("approve", supervisor.pk)]


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_supervisors_pressing_buttons_at_once_make_one_move(supervisor, second_supervisor, collector):
    from django.test import Client

    report = workflow.submit(f.survey(collector), collector)
    start = threading.Barrier(2)
    results: dict = {}

    def press(user, data):
        def go():
            client = Client()
            client.force_login(user)
            start.wait(10)
            return client.post(review_url(report), data)
        return go

    threads = [
        in_thread(press(supervisor, {"move": "approve"}), results, "approve"),
        in_thread(press(second_supervisor, {"move": "return", "comment": "Photos missing"}), results, "return"),
    ]
    for thread in threads:
        thread.join(30)

    moves = list(ReviewEvent.objects.filter(report=report).exclude(action="submit").values_list("action", flat=True))
    assert len(moves) == 1
    winner, loser = moves[0], ({"approve", "return"} - {moves[0]}).pop()
    assert results[winner].status_code == 302
    assert results[loser].status_code == 200
    status = Report.objects.get(pk=report.pk).get_status_display().lower()
    assert f"{report.reference} is {status}: it cannot be" in results[loser].text
    assert Report.objects.get(pk=report.pk).status == workflow.TRANSITIONS[winner].target


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_supervisors_bulk_approving_the_same_reports_approve_each_once(supervisor, second_supervisor, collector):
    from django.contrib.messages import get_messages
    from django.test import Client

    reports = [workflow.submit(f.eore(collector), collector) for _ in range(6)]
    start = threading.Barrier(2)
    results: dict = {}

    def bulk(user):
        def go():
            client = Client()
            client.force_login(user)
            start.wait(10)
            response = client.post("/en/admin/surveys/report/", {
                "action": "approve_selected", "_selected_action": [r.pk for r in reports], "confirm": "1"})
            return [str(m) for m in get_messages(response.wsgi_request)]
        return go

    threads = [in_thread(bulk(supervisor), results, "a"), in_thread(bulk(second_supervisor), results, "b")]
    for thread in threads:
        thread.join(60)

    approvals = ReviewEvent.objects.filter(report__in=[r.pk for r in reports], action="approve")
    assert approvals.count() == 6
    assert sorted(approvals.values_list("report_id", flat=True)) == sorted(r.pk for r in reports)
    assert set(Report.objects.filter(pk__in=[r.pk for r in reports]).values_list("status", flat=True)) == {"approved"}
    done = 0
    for summary in (results["a"], results["b"]):
        approved = int(summary[0].split(" approved")[0])
        skipped = 6 - approved
        done += approved
        if skipped:
            assert f"{skipped} skipped: already approved" in summary[0]
    assert done == 6
