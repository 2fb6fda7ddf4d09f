"""A correction made from one version of a report (the phone's outbox sends the `version` it read): applied only to
that version. A report the supervisor reopened or changed meanwhile answers 409 and nothing is saved; a resend of a
correction that was saved (its answer lost) answers 200 and changes nothing."""

import pytest

from surveys import workflow
from surveys.models import Report
from tests import factories as f

pytestmark = pytest.mark.django_db


def returned(collector, supervisor):
    report = workflow.submit(f.survey(collector, estimated_area_m2=1200), collector)
    return workflow.return_for_correction(report, supervisor, "The area is 12 000 m².").specific


def test_a_correction_of_the_current_version_is_saved_and_submitted(api, collector, supervisor):
    report = returned(collector, supervisor)
    body = {"estimated_area_m2": 12000, "submit": True, "version": report.updated_at.isoformat()}

    response = api(collector).patch(f"/api/v1/surveys/{report.pk}/", body, format="json")

    assert response.status_code == 200
    report.refresh_from_db()
    assert (report.status, report.estimated_area_m2) == ("submitted", 12000)


def test_a_correction_of_a_version_the_supervisor_changed_since_is_a_conflict(api, collector, supervisor):
    report = returned(collector, supervisor)
    read = report.updated_at.isoformat()
    report.notes = "Supervisor's note"
    report.save()  # changed on the server after the phone read it

    response = api(collector).patch(f"/api/v1/surveys/{report.pk}/",
                                    {"estimated_area_m2": 12000, "submit": True, "version": read}, format="json")

    assert response.status_code == 409
    assert report.reference in response.data["detail"]
    report.refresh_from_db()
    assert (report.status, report.estimated_area_m2, report.notes) == ("returned", 1200, "Supervisor's note")


def test_a_resend_of_a_saved_correction_answers_the_stored_report_and_submits_once(api, collector, supervisor):
    report = returned(collector, supervisor)
    body = {"estimated_area_m2": 12000, "submit": True, "version": report.updated_at.isoformat()}
    client = api(collector)
    assert client.patch(f"/api/v1/surveys/{report.pk}/", body, format="json").status_code == 200

    again = client.patch(f"/api/v1/surveys/{report.pk}/", body, format="json")

    assert again.status_code == 200
    assert again.data["status"] == "submitted"
    assert report.review_events.filter(to_status=Report.Status.SUBMITTED).count() == 2  # first submit, correction


def test_an_unreadable_version_is_a_400_and_no_version_changes_the_stored_report_as_before(api, collector,
                                                                                         supervisor):
    report = returned(collector, supervisor)
    client = api(collector)
    bad = client.patch(f"/api/v1/surveys/{report.pk}/", {"notes": "x", "version": "yesterday"}, format="json")
    assert bad.status_code == 400
    assert "version" in bad.data
    assert client.patch(f"/api/v1/surveys/{report.pk}/", {"notes": "x"}, format="json").status_code == 200
