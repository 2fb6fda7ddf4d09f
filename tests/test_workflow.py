"""The review workflow: every allowed and forbidden move, its audit row, and the site reconciliation."""

import pytest

from surveys import workflow
from surveys.models import Report, ReviewEvent, Site, SiteStatus, SurveyReport
from tests import factories as f

S = Report.Status


def events(report):
    return list(ReviewEvent.objects.filter(report=report).values_list("action", "from_status", "to_status"))


# Allowed moves ---------------------------------------------------------------------------------------------------------


def test_it_submits_a_draft_and_records_who_and_when(collector):
    report = f.eore(collector)
    moved = workflow.submit(report, collector)
    assert moved.status == S.SUBMITTED
    assert moved.submitted_at is not None
    event = ReviewEvent.objects.get(report=report)
    assert (event.actor, event.action, event.from_status, event.to_status) == (collector, "submit", "draft",
                                                                                "submitted")


def test_it_approves_a_submitted_report(collector, supervisor):
    report = workflow.submit(f.eore(collector), collector)
    workflow.approve(report, supervisor)
    report.refresh_from_db()
    assert report.status == S.APPROVED
    assert events(report)[-1] == ("approve", "submitted", "approved")


def test_it_returns_report_with_comment(collector, supervisor):
    report = workflow.submit(f.eore(collector), collector)
    workflow.return_for_correction(report, supervisor, "  Count the girls again.  ")
    report.refresh_from_db()
    assert report.status == S.RETURNED
    event = ReviewEvent.objects.filter(report=report).last()
    assert (event.action, event.comment, event.actor) == ("return", "Count the girls again.", supervisor)


def test_it_resubmits_a_returned_report(collector, supervisor):
    report = workflow.submit(f.eore(collector), collector)
    workflow.return_for_correction(report, supervisor, "Fix it")
    workflow.submit(report, collector)
    assert [e[0] for e in events(report)] == ["submit", "return", "submit"]
    assert Report.objects.get(pk=report.pk).status == S.SUBMITTED


def test_it_reopens_an_approved_report_with_a_reason(collector, supervisor):
    report = workflow.submit(f.eore(collector), collector)
    workflow.approve(report, supervisor)
    workflow.reopen(report, supervisor, "Duplicate of EOR-2026-000010")
    assert Report.objects.get(pk=report.pk).status == S.RETURNED
    assert events(report)[-1] == ("reopen", "approved", "returned")


def test_an_administrator_may_review_any_organisation(outsider, imofficer):
    report = workflow.submit(f.eore(outsider), outsider)
    workflow.approve(report, imofficer)
    assert Report.objects.get(pk=report.pk).status == S.APPROVED


# Forbidden moves: a clear error, nothing written --------------------------------------------------------------------


@pytest.mark.parametrize(("status", "action"), [
    (S.DRAFT, "approve"), (S.DRAFT, "return"), (S.DRAFT, "reopen"),
    (S.SUBMITTED, "submit"), (S.SUBMITTED, "reopen"),
    (S.APPROVED, "submit"), (S.APPROVED, "approve"), (S.APPROVED, "return"),
    (S.RETURNED, "approve"), (S.RETURNED, "return"), (S.RETURNED, "reopen"),
])
def test_it_refuses_moves_not_in_the_table(collector, supervisor, status, action):
    report = f.set_status(f.eore(collector), status)
    actor = collector if action == "submit" else supervisor
    with pytest.raises(workflow.TransitionError, match="cannot be"):
        workflow.transition(report, action, actor, comment="because")
    assert Report.objects.get(pk=report.pk).status == status
    assert not ReviewEvent.objects.filter(report=report).exists()


def test_it_refuses_approval_by_collector(collector):
    report = workflow.submit(f.eore(collector), collector)
    with pytest.raises(workflow.TransitionError, match="not allowed"):
        workflow.approve(report, collector)
    assert Report.objects.get(pk=report.pk).status == S.SUBMITTED
    assert len(events(report)) == 1


def test_it_refuses_review_by_another_organisations_supervisor(collector, other_supervisor):
    report = workflow.submit(f.eore(collector), collector)
    with pytest.raises(workflow.TransitionError, match="not allowed"):
        workflow.approve(report, other_supervisor)
    assert Report.objects.get(pk=report.pk).status == S.SUBMITTED


def test_it_refuses_submission_by_someone_else_than_the_author(collector, teammate, supervisor, donor):
    report = f.eore(collector)
    for actor in (teammate, supervisor, donor):
        with pytest.raises(workflow.TransitionError, match="not allowed"):
            workflow.submit(report, actor)
    assert Report.objects.get(pk=report.pk).status == S.DRAFT


def test_it_requires_a_comment_to_return(collector, supervisor):
    report = workflow.submit(f.eore(collector), collector)
    with pytest.raises(workflow.TransitionError, match="comment"):
        workflow.return_for_correction(report, supervisor, "   ")
    assert Report.objects.get(pk=report.pk).status == S.SUBMITTED


def test_it_requires_a_reason_to_reopen(collector, supervisor):
    report = workflow.approve(workflow.submit(f.eore(collector), collector), supervisor)
    with pytest.raises(workflow.TransitionError, match="why"):
        workflow.reopen(report, supervisor, "")
    assert Report.objects.get(pk=report.pk).status == S.APPROVED


def test_it_refuses_to_submit_an_invalid_report(collector):
    report = f.eore(collector)
    # Bypass the model's checks, as a bad import would: submission validates again.
    Report.objects.filter(pk=report.pk).update(activity_date="2999-01-01")
    with pytest.raises(workflow.TransitionError, match="future"):
        workflow.submit(Report.objects.get(pk=report.pk), collector)
    assert Report.objects.get(pk=report.pk).status == S.DRAFT


def test_it_refuses_an_unknown_action(collector):
    with pytest.raises(workflow.TransitionError):
        workflow.transition(f.eore(collector), "publish", collector)


# Reconciling sites -----------------------------------------------------------------------------------------------------


def approved(report, collector, supervisor):
    return workflow.approve(workflow.submit(report, collector), supervisor)


def test_an_approved_survey_creates_its_site(collector, supervisor):
    survey = approved(f.survey(collector, site_name="Al-Rashid school", estimated_area_m2=12_000), collector,
                      supervisor)
    site = Site.objects.get(surveys=survey)
    assert (site.name, site.site_type, site.estimated_area_m2, site.status) == ("Al-Rashid school", "school", 12_000,
                                                                                SiteStatus.OPEN)
    assert site.organisation == collector.organisation
    assert site.reference.startswith("SITE-")


def test_a_submitted_survey_creates_no_site(collector):
    workflow.submit(f.survey(collector), collector)
    assert not Site.objects.exists()


def test_an_approved_survey_updates_an_existing_site(collector, supervisor, site):
    approved(f.survey(collector, site=site, site_name="New name", estimated_area_m2=30_000,
                      classification="cha"), collector, supervisor)
    site.refresh_from_db()
    assert (site.name, site.estimated_area_m2, site.classification) == ("New name", 30_000, "cha")


def test_reopening_the_only_survey_of_a_site_removes_that_site(collector, supervisor):
    survey = approved(f.survey(collector), collector, supervisor)
    workflow.reopen(survey, supervisor, "Wrong place")
    assert not Site.objects.exists()
    assert SurveyReport.objects.get(pk=survey.pk).site is None


def test_reopening_a_survey_restores_the_previous_approved_survey(collector, supervisor, site):
    approved(f.survey(collector, site=site, site_name="First", estimated_area_m2=20_000), collector, supervisor)
    second = approved(f.survey(collector, site=site, site_name="Second", estimated_area_m2=5_000), collector,
                      supervisor)
    workflow.reopen(second, supervisor, "Area measured wrong")
    site.refresh_from_db()
    assert (site.name, site.estimated_area_m2) == ("First", 20_000)


def test_an_approved_clearance_report_moves_the_site_to_worked_on_and_adds_its_areas(collector, supervisor, site):
    approved(f.clearance(collector, site, cleared_area_m2=3_000, reduced_area_m2=1_000, cancelled_area_m2=500),
             collector, supervisor)
    site.refresh_from_db()
    assert site.status == SiteStatus.WORKED_ON
    assert (site.cleared_area_m2, site.reduced_area_m2, site.cancelled_area_m2) == (3_000, 1_000, 500)
    assert site.remaining_area_m2 == 10_000 - 4_500


def test_figures_of_several_approved_reports_add_up(collector, supervisor, site):
    approved(f.clearance(collector, site, cleared_area_m2=1_000, reduced_area_m2=0, cancelled_area_m2=0), collector,
             supervisor)
    approved(f.clearance(collector, site, cleared_area_m2=2_500, reduced_area_m2=100, cancelled_area_m2=0),
             collector, supervisor)
    site.refresh_from_db()
    assert (site.cleared_area_m2, site.reduced_area_m2) == (3_500, 100)


def test_a_submitted_clearance_report_does_not_count(collector, site):
    workflow.submit(f.clearance(collector, site), collector)
    site.refresh_from_db()
    assert (site.status, site.cleared_area_m2) == (SiteStatus.OPEN, 0)


def test_an_approved_completion_report_closes_the_site(collector, supervisor, site):
    approved(f.clearance(collector, site, stage="completion", handover_date=f.YESTERDAY,
                         handed_over_to="Head teacher"), collector, supervisor)
    site.refresh_from_db()
    assert site.status == SiteStatus.CLOSED
    assert site.handed_over_on == f.YESTERDAY


def test_reopening_takes_the_figures_back_out(collector, supervisor, site):
    first = approved(f.clearance(collector, site, cleared_area_m2=1_000, reduced_area_m2=0, cancelled_area_m2=0),
                     collector, supervisor)
    completion = approved(f.clearance(collector, site, stage="completion", cleared_area_m2=2_000, reduced_area_m2=0,
                                      cancelled_area_m2=0, handover_date=f.YESTERDAY, handed_over_to="Council"),
                          collector, supervisor)
    workflow.reopen(completion, supervisor, "Handover not signed")
    site.refresh_from_db()
    assert (site.status, site.cleared_area_m2, site.handed_over_on) == (SiteStatus.WORKED_ON, 1_000, None)
    workflow.reopen(first, supervisor, "Wrong site")
    site.refresh_from_db()
    assert (site.status, site.cleared_area_m2) == (SiteStatus.OPEN, 0)


def test_history_keeps_every_version_of_a_report(collector, supervisor):
    report = f.eore(collector, notes="first")
    report.notes = "second"
    report.save()
    workflow.submit(report, collector)
    notes = list(report.history.order_by("history_date").values_list("notes", "status"))
    assert notes == [("first", "draft"), ("second", "draft"), ("second", "submitted")]
