"""Who sees what, per role, against reports of their own and of another organisation."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from surveys import access, workflow
from surveys.models import Report, Role
from tests import factories as f

S = Report.Status


@pytest.fixture
def reports(collector, teammate, outsider, project, org):
    """One report per situation: own draft, teammate's draft, another team's, another org's, approved in grant."""
    other_team_member = f.user(Role.COLLECTOR, org, f.team(org), username="other_team")
    return {
        "own": f.eore(collector),
        "teammate": f.eore(teammate),
        "other_team": f.eore(other_team_member),
        "other_org": f.eore(outsider),
        "approved_in_grant": f.set_status(f.eore(collector, project=project), S.APPROVED),
        "approved_no_grant": f.set_status(f.eore(collector), S.APPROVED),
    }


def visible(user, reports):
    ids = set(access.visible_reports(user).values_list("pk", flat=True))
    return {name for name, r in reports.items() if r.pk in ids}


def test_a_collector_sees_their_teams_reports(collector, reports):
    assert visible(collector, reports) == {"own", "teammate", "approved_in_grant", "approved_no_grant"}


def test_a_supervisor_sees_their_organisations_reports(supervisor, reports):
    assert visible(supervisor, reports) == set(reports) - {"other_org"}


def test_a_donor_sees_only_approved_reports_of_their_grants(donor, reports):
    assert visible(donor, reports) == {"approved_in_grant"}


def test_an_administrator_sees_everything(imofficer, reports):
    assert visible(imofficer, reports) == set(reports)


def test_a_user_without_role_or_inactive_sees_nothing(org, team, reports, collector):
    nobody = f.user(None, org, team)
    assert visible(nobody, reports) == set()
    collector.is_active = False
    collector.save()
    assert visible(collector, reports) == set()


def test_only_the_author_edits_a_draft_or_returned_report(collector, teammate, supervisor, imofficer, reports):
    own = reports["own"]
    assert access.can_edit_report(collector, own)
    assert not access.can_edit_report(teammate, own)
    assert not access.can_edit_report(supervisor, own)
    assert access.can_edit_report(imofficer, own)
    f.set_status(own, S.RETURNED)
    assert access.can_edit_report(collector, own)
    for status in (S.SUBMITTED, S.APPROVED):
        f.set_status(own, status)
        assert not access.can_edit_report(collector, own)


def test_only_supervisors_of_the_organisation_and_administrators_review(
        collector, supervisor, other_supervisor, donor, imofficer, reports):
    report = reports["own"]
    assert access.can_review_report(supervisor, report)
    assert access.can_review_report(imofficer, report)
    for user in (collector, other_supervisor, donor):
        assert not access.can_review_report(user, report)


def test_get_report_for_user_hides_what_they_may_not_see_and_forbids_what_they_may_not_do(
        collector, teammate, outsider, reports):
    assert access.get_report_for_user(collector, reports["own"].pk, "edit") == reports["own"]
    with pytest.raises(Http404):
        access.get_report_for_user(outsider, reports["own"].pk)
    with pytest.raises(PermissionDenied):
        access.get_report_for_user(teammate, reports["own"].pk, "edit")
    with pytest.raises(PermissionDenied):
        access.get_report_for_user(collector, reports["own"].pk, "review")


def test_donors_see_no_photos_and_no_exact_location_of_uncleared_sites(donor, supervisor):
    assert not access.can_view_photos(donor)
    assert access.can_view_photos(supervisor)
    assert not access.sees_exact_location(donor, "open")
    assert access.sees_exact_location(donor, "closed")
    assert access.sees_exact_location(supervisor, "open")
    assert access.coarse(35.951234) == 35.95


def test_sites_are_visible_within_the_organisation(collector, outsider, supervisor, donor, imofficer, project, org):
    site = f.site(org)
    assert set(access.visible_sites(collector)) == {site}
    assert set(access.visible_sites(supervisor)) == {site}
    assert set(access.visible_sites(outsider)) == set()
    assert set(access.visible_sites(imofficer)) == {site}
    assert set(access.visible_sites(donor)) == set()
    report = f.clearance(collector, site, project=project)
    workflow.approve(workflow.submit(report, collector), supervisor)
    assert set(access.visible_sites(donor)) == {site}


def test_figures_count_only_approved_reports_and_never_for_collectors(collector, supervisor, donor, reports):
    def pks(qs):
        return set(qs.values_list("pk", flat=True))

    assert pks(access.reports_for_figures(supervisor)) == {reports["approved_in_grant"].pk,
                                                           reports["approved_no_grant"].pk}
    assert pks(access.reports_for_figures(donor)) == {reports["approved_in_grant"].pk}
    assert not access.reports_for_figures(collector).exists()
