"""The review workflow: the only code that changes a report's status.

    draft ──submit──▶ submitted ──approve──▶ approved
                        │   ▲                   │
                   return   submit            reopen
                        ▼   │                   │
                       returned ◀───────────────┘

Every move runs in one transaction with the report's row locked, checks the move against TRANSITIONS and the actor
against the access module, writes a ReviewEvent, and reconciles the site and the roll-ups of the figures
(surveys.rollups) when figures enter or leave the approved set.
Reopening sends an approved report back to its team as "returned" with the reason, so they can correct it.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from surveys import access, flags, rollups
from surveys.models import ClearanceReport, Report, ReviewEvent, Site, SurveyReport

log = logging.getLogger(__name__)
S = Report.Status


class TransitionError(Exception):
    """A move that is not allowed: the message says why, in words a user understands. Nothing was written."""


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str
    allowed: Callable  # (user, report) -> bool, from the access module
    needs_comment: bool
    label: str
    done: str


TRANSITIONS: dict[str, Move] = {
    "submit": Move(frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, access.can_edit_report, False,
                   gettext_lazy("submit"), gettext_lazy("submitted")),
    "approve": Move(frozenset({S.SUBMITTED}), S.APPROVED, access.can_review_report, False,
                    gettext_lazy("approve"), gettext_lazy("approved")),
    "return": Move(frozenset({S.SUBMITTED}), S.RETURNED, access.can_review_report, True,
                   gettext_lazy("return"), gettext_lazy("returned")),
    "reopen": Move(frozenset({S.APPROVED}), S.RETURNED, access.can_review_report, True,
                   gettext_lazy("reopen"), gettext_lazy("reopened")),
}


def transition(report: Report, action: str, actor, comment: str = "") -> Report:
    """Move `report` by `action` ("submit", "approve", "return" or "reopen") as `actor`.

    Returns the report (its specific type) as saved. Raises TransitionError, and writes nothing, when the move is not
    allowed from the report's current state, the actor may not make it, a required comment is missing, or (on
    submit) the report does not pass validation.
    """
    move = TRANSITIONS.get(action)
    if move is None:
        raise TransitionError(_("Unknown action: %(action)s.") % {"action": action})
    comment = (comment or "").strip()
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        source = locked.status
        if source not in move.sources:
            raise TransitionError(
                _("%(ref)s is %(status)s: it cannot be %(done)s.")
                % {"ref": locked.reference, "status": locked.get_status_display().lower(), "done": move.done}
            )
        if not move.allowed(actor, locked):
            raise TransitionError(
                _("You are not allowed to %(action)s %(ref)s.") % {"action": move.label, "ref": locked.reference}
            )
        if move.needs_comment and not comment:
            raise TransitionError(
                _("Say why you are reopening the report.") if action == "reopen"
                else _("Write a comment saying what the team must correct.")
            )
        specific = locked.specific
        update_fields = ["status", "updated_at"]
        if action == "submit":
            try:
                specific.full_clean()
            except ValidationError as exc:
                raise TransitionError(
                    _("%(ref)s is not complete: %(errors)s")
                    % {"ref": locked.reference, "errors": "; ".join(exc.messages)}
                ) from exc
            specific.submitted_at = timezone.now()
            update_fields.append("submitted_at")
        specific.status = move.target
        specific._history_user = actor
        specific.save(update_fields=update_fields)
        ReviewEvent.objects.create(
            report=locked, actor=actor, action=action, from_status=source, to_status=move.target, comment=comment
        )
        if source == S.APPROVED:
            rollups.remove(specific)  # before the site is reconciled: a reopened survey's new site may go
        if move.target == S.APPROVED or source == S.APPROVED:
            _reconcile_site(specific, actor)
        if move.target == S.APPROVED:
            rollups.add(specific)
        # Flags that depend on other reports (duplicates, the site's over-run) follow every move, for peers too.
        flags.refresh_with_peers(specific)
        transaction.on_commit(
            lambda: log.info("%s %s: %s -> %s by %s", specific.reference, action, source, move.target, actor)
        )
    return specific


def submit(report: Report, actor) -> Report:
    return transition(report, "submit", actor)


def approve(report: Report, actor, comment: str = "") -> Report:
    return transition(report, "approve", actor, comment)


def return_for_correction(report: Report, actor, comment: str) -> Report:
    return transition(report, "return", actor, comment)


def reopen(report: Report, actor, reason: str) -> Report:
    return transition(report, "reopen", actor, reason)


# Reconciling the site (the master record) ------------------------------------------------------------------------------

SURVEY_TO_SITE = [
    "site_type", "priority", "classification", "evidence", "contamination", "estimated_area_m2",
    "admin_area_id", "place_name", "latitude", "longitude", "polygon",
]


def _reconcile_site(report: Report, actor) -> None:
    """Bring the report's site in line with the approved reports, after this report entered or left that set."""
    if isinstance(report, ClearanceReport):
        site = Site.objects.select_for_update().get(pk=report.site_id)
        site._history_user = actor
        site.refresh_from_reports()
    elif isinstance(report, SurveyReport):
        _reconcile_survey_site(report, actor)


def _reconcile_survey_site(survey: SurveyReport, actor) -> None:
    """An approved survey creates its site or updates it; a reopened one gives way to the latest approved survey left.

    A site that a reopened survey had created, and that no other report refers to, is removed again.
    """
    if survey.status == S.APPROVED:
        site = survey.site or Site(organisation_id=survey.organisation_id, team_id=survey.team_id)
        site.name = survey.site_name
        latest = survey
    else:
        if survey.site_id is None:
            return
        site = Site.objects.select_for_update().get(pk=survey.site_id)
        latest = SurveyReport.approved_latest_first(site).exclude(pk=survey.pk).first()
        if latest is None:
            if not site.clearances.exists() and not site.surveys.exclude(pk=survey.pk).exists():
                survey.site = None
                survey.save(update_fields=["site"])
                site.delete()
            return
        site.name = latest.site_name
    for field in SURVEY_TO_SITE:
        setattr(site, field, getattr(latest, field))
    site._history_user = actor
    site.save()
    flags.refresh_site(site.pk)  # the estimated area the over-run flag compares with may have changed
    if survey.site_id != site.pk:
        survey.site = site
        survey.save(update_fields=["site"])
