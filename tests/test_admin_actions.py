"""Bulk review actions on the changelists: each report through the workflow, with a per-report outcome."""

import pytest
from django.contrib.messages import get_messages

from surveys import workflow
from surveys.models import Report, ReviewEvent, SiteStatus
from tests import factories as f

QUEUE = "/en/admin/surveys/report/"


def act(client, url, action, reports, **extra):
    data = {"action": action, "_selected_action": [r.pk for r in reports], "index": "0", **extra}
    return client.post(url, data)


def approve(client, url, reports):
    """Approve from the changelist, then on the confirmation page (which lists the flagged reports)."""
    page = act(client, url, "approve_selected", reports)
    if page.status_code != 200:
        return page
    return confirm(client, url, "approve_selected", reports, "")


def confirm(client, url, action, reports, comment):
    data = {"action": action, "_selected_action": [r.pk for r in reports], "confirm": "1", "comment": comment}
    return client.post(url, data)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def statuses(reports) -> list[str]:
    return [Report.objects.get(pk=r.pk).status for r in reports]


@pytest.fixture
def waiting(collector, site):
    """Three submitted reports, one of each type."""
    return [workflow.submit(r, collector) for r in (f.survey(collector), f.clearance(collector, site), f.eore(collector))]


def test_the_supervisor_approves_several_reports_at_once(client, supervisor, waiting):
    client.force_login(supervisor)
    response = approve(client, QUEUE, waiting)
    assert response.status_code == 302
    assert statuses(waiting) == [Report.Status.APPROVED] * 3
    assert ReviewEvent.objects.filter(action="approve", actor=supervisor).count() == 3
    assert messages_of(response) == ["3 approved"]


def test_it_reports_what_happened_to_each_report(client, supervisor, collector, waiting):
    approved = workflow.approve(workflow.submit(f.eore(collector), collector), supervisor)
    draft = f.eore(collector)
    client.force_login(supervisor)
    response = approve(client, QUEUE, [*waiting, approved, draft])
    assert statuses(waiting) == [Report.Status.APPROVED] * 3
    assert (Report.objects.get(pk=draft.pk).status, Report.objects.get(pk=approved.pk).status) == ("draft", "approved")
    assert messages_of(response) == [
        f"3 approved, 1 skipped: already approved ({approved.reference}), "
        f"1 skipped: status is draft ({draft.reference})"
    ]
    assert ReviewEvent.objects.filter(report=approved, action="approve").count() == 1  # no second approval recorded


def test_the_per_type_changelist_has_the_same_actions(client, supervisor, collector, site):
    reports = [workflow.submit(f.clearance(collector, site, cleared_area_m2=1_000), collector) for _ in range(2)]
    client.force_login(supervisor)
    approve(client, "/en/admin/surveys/clearancereport/", reports)
    assert statuses(reports) == [Report.Status.APPROVED] * 2
    site.refresh_from_db()
    assert site.cleared_area_m2 == 2_000 and site.status == SiteStatus.WORKED_ON


def test_bulk_return_asks_for_a_comment_first(client, supervisor, waiting):
    client.force_login(supervisor)
    response = act(client, QUEUE, "return_selected", waiting)
    assert response.status_code == 200
    assert "What must the team correct?" in response.text
    for report in waiting:
        assert report.reference in response.text
    assert statuses(waiting) == [Report.Status.SUBMITTED] * 3


def test_bulk_return_refuses_an_empty_comment_and_changes_nothing(client, supervisor, waiting):
    client.force_login(supervisor)
    response = confirm(client, QUEUE, "return_selected", waiting, "   ")
    assert response.status_code == 200
    assert "Write a comment saying what the team must correct." in response.text
    assert statuses(waiting) == [Report.Status.SUBMITTED] * 3


def test_bulk_return_returns_each_report_with_the_comment(client, supervisor, waiting):
    client.force_login(supervisor)
    response = confirm(client, QUEUE, "return_selected", waiting, "Add the handover photos")
    assert response.status_code == 302
    assert statuses(waiting) == [Report.Status.RETURNED] * 3
    assert set(ReviewEvent.objects.filter(action="return").values_list("comment", flat=True)) == {
        "Add the handover photos"}
    assert messages_of(response) == ["3 returned"]


def test_bulk_reopen_needs_a_reason_and_reopens_approved_reports(client, supervisor, site, collector):
    reports = [workflow.submit(f.clearance(collector, site, cleared_area_m2=1_000), collector) for _ in range(2)]
    for report in reports:
        workflow.approve(report, supervisor)
    client.force_login(supervisor)
    assert "Why reopen it?" in act(client, QUEUE, "reopen_selected", reports).text
    response = confirm(client, QUEUE, "reopen_selected", reports, "Figures entered twice")
    assert statuses(reports) == [Report.Status.RETURNED] * 2
    assert messages_of(response) == ["2 reopened"]
    site.refresh_from_db()
    assert site.cleared_area_m2 == 0 and site.status == SiteStatus.OPEN


def test_the_administrator_may_act_on_every_organisation(client, imofficer, waiting, outsider):
    theirs = workflow.submit(f.eore(outsider), outsider)
    client.force_login(imofficer)
    approve(client, QUEUE, [*waiting, theirs])
    assert statuses([*waiting, theirs]) == [Report.Status.APPROVED] * 4


def test_the_collector_sees_no_review_actions(client, collector, waiting):
    client.force_login(collector)
    page = client.get(QUEUE)
    assert page.status_code == 200
    assert 'name="action"' not in page.text
    assert "approve_selected" not in page.text
    response = approve(client, QUEUE, waiting)
    assert statuses(waiting) == [Report.Status.SUBMITTED] * 3
    assert not ReviewEvent.objects.filter(action="approve").exists()
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("action", ["approve_selected", "return_selected", "reopen_selected"])
def test_a_supervisor_of_another_organisation_cannot_act(client, other_supervisor, waiting, action):
    client.force_login(other_supervisor)
    confirm(client, QUEUE, action, waiting, "Not mine")
    assert statuses(waiting) == [Report.Status.SUBMITTED] * 3
    assert ReviewEvent.objects.exclude(action="submit").count() == 0


def test_the_supervisor_is_offered_the_review_actions_but_never_delete(client, supervisor, waiting):
    client.force_login(supervisor)
    choices = [value for value, _label in client.get(QUEUE).context["action_form"].fields["action"].choices]
    assert {"approve_selected", "return_selected", "reopen_selected"} <= set(choices)
    assert "delete_selected" not in choices


@pytest.mark.parametrize("staff", [False, True])
def test_a_donor_cannot_act_even_if_let_into_admin_by_mistake(client, donor, waiting, staff):
    donor.is_staff = staff
    donor.save()
    client.force_login(donor)
    response = approve(client, QUEUE, waiting)
    assert response.status_code == (403 if staff else 302)
    assert statuses(waiting) == [Report.Status.SUBMITTED] * 3
