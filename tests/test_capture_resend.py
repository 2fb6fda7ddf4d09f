"""The no-JavaScript form posted again, or several times at once, with one device UUID: the capture service answers
like the API does — the report the first post stored — never a 500 and never a second report.

SQLite has no concurrent writers in the suite (its in-memory test database is shared by one process), so the race is
played there step by step: every post is checked before any is stored, then each is saved (the interleaving that
raised IntegrityError). On PostgreSQL real threads post at once (like tests/test_concurrency.py)."""

import threading

import pytest
from django.db import connection
from django.test import Client

from surveys import capture
from surveys.forms import PhotoListForm, SurveyForm
from surveys.models import Report, SurveyReport
from tests import report_data as data
from tests.test_concurrency import in_thread, on_postgres

NEW_SURVEY = "/en/reports/new/survey/"


@pytest.mark.parametrize("posts", [2, 5, 20])
def test_the_same_form_posted_again_and_again_stores_one_report(client, collector, posts):
    client.force_login(collector)
    post = data.survey()
    answers = [client.post(NEW_SURVEY, post) for _ in range(posts)]
    assert {a.status_code for a in answers} == {302}
    report = SurveyReport.objects.get()
    assert {a.url for a in answers} == {report.get_absolute_url()}


@pytest.mark.parametrize("posts", [2, 5, 20])
def test_posts_checked_before_any_was_stored_answer_with_the_one_stored(collector, posts):
    post = data.survey()
    forms = [SurveyForm(post, user=collector) for _ in range(posts)]
    assert all(form.is_valid() for form in forms)  # each saw no report with this UUID yet

    saved = []
    for form in forms:
        photo_list = PhotoListForm(post, photos=[])
        assert photo_list.is_valid()
        saved.append(capture.save_report(form, None, photo_list, collector, submit=False)[0])

    assert SurveyReport.objects.count() == 1
    assert {report.pk for report in saved} == {SurveyReport.objects.get().pk}


def test_a_post_that_loses_the_race_after_its_checks_answers_with_the_winner(client, collector, monkeypatch):
    """The first post is stored between the second post's look-up and its validation."""
    from surveys import views

    client.force_login(collector)
    post = data.survey(submit="1")
    real = views._resent
    calls = []

    def late(request, kind):
        calls.append(1)
        if len(calls) == 1:  # this post's first look-up finds nothing: the other post has not committed yet
            other = Client()
            other.force_login(collector)
            assert other.post(NEW_SURVEY, data.survey(uuid=post["uuid"])).status_code == 302
            return None
        return real(request, kind)

    monkeypatch.setattr(views, "_resent", late)
    response = client.post(NEW_SURVEY, post)

    assert response.status_code == 302
    report = SurveyReport.objects.get()
    assert response.url == report.get_absolute_url()
    assert report.status == Report.Status.SUBMITTED  # this post's Submit applied to the stored draft


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("posts", [2, 8])
def test_the_same_form_posted_at_once_from_many_connections_stores_one_report(collector, posts):
    post = data.survey()
    start = threading.Barrier(posts)
    results: dict = {}

    def send():
        client = Client()
        client.force_login(collector)
        start.wait(10)
        return client.post(NEW_SURVEY, post)

    threads = [in_thread(send, results, str(i)) for i in range(posts)]
    for thread in threads:
        thread.join(60)

    assert all(not isinstance(r, Exception) for r in results.values()), results
    assert {r.status_code for r in results.values()} == {302}
    assert SurveyReport.objects.count() == 1
    assert connection.vendor == "postgresql"


@pytest.mark.django_db
def test_a_waiting_photo_stored_meanwhile_by_the_same_post_sent_twice_is_not_an_error(collector):
    """Two posts of one report at once: the first stores the waiting photo and, on commit, removes its file; the second
    then finds the file gone. That photo is stored: no error, no message."""
    from surveys.models import Photo
    from tests import factories as f
    from tests.images import small_jpeg, upload

    report = f.survey(collector)
    pending = capture.hold_photo(collector, report.uuid, upload(small_jpeg()))
    with pending.image.open("rb") as file:
        Photo.objects.create(id=pending.id, report=report, uploaded_by=collector, width=1, height=1, bytes=1,
                             image=pending.image.name, thumbnail=pending.thumbnail.name)
    pending.image.storage.delete(pending.image.name)
    assert file.closed

    assert capture.attach_pending(report, collector) == []
    assert Photo.objects.filter(report=report).count() == 1


@pytest.mark.django_db
def test_a_waiting_photo_whose_file_is_gone_is_said_not_a_server_error(collector):
    from tests import factories as f
    from tests.images import small_jpeg, upload

    report = f.survey(collector)
    pending = capture.hold_photo(collector, report.uuid, upload(small_jpeg()))
    pending.image.storage.delete(pending.image.name)

    assert capture.attach_pending(report, collector) == ["A photo could not be read; please send it again."]
    assert report.photos.count() == 0
