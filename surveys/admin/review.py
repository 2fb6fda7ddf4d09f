"""Review moves made from admin: one report or many, each through surveys.workflow, with a per-report outcome."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from surveys import access, workflow
from surveys.models import Report

REVIEW_MOVES = ("approve", "return", "reopen")
MAX_REFERENCES_SHOWN = 10


class ReviewCommentForm(forms.Form):
    """The comment of a move: required to return (what to correct) and to reopen (why), optional to approve."""

    comment = forms.CharField(label=gettext_lazy("Comment"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 4, "cols": 60, "dir": "auto"}))

    LABELS = {
        "approve": (gettext_lazy("Comment (optional)"), ""),
        "return": (gettext_lazy("What must the team correct?"),
                   gettext_lazy("Write a comment saying what the team must correct.")),
        "reopen": (gettext_lazy("Why reopen it?"), gettext_lazy("Say why you are reopening the report.")),
    }

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        field_ = self.fields["comment"]
        field_.required = workflow.TRANSITIONS[action].needs_comment
        field_.label, required_message = self.LABELS[action]
        field_.error_messages["required"] = required_message


@dataclass
class Outcome:
    """What happened to each report of a move: done, or skipped with a reason."""

    action: str
    done: list[str] = field(default_factory=list)
    skipped: dict[str, list[str]] = field(default_factory=dict)

    @property
    def level(self) -> int:
        if not self.skipped:
            return messages.SUCCESS
        return messages.WARNING if self.done else messages.ERROR

    def summary(self) -> str:
        """E.g. "12 approved, 2 skipped: already approved (SUR-2026-000003, SUR-2026-000007)"."""
        parts = [_("%(count)d %(done)s") % {"count": len(self.done), "done": workflow.TRANSITIONS[self.action].done}]
        for reason, refs in self.skipped.items():
            shown = ", ".join(refs[:MAX_REFERENCES_SHOWN]) + (" …" if len(refs) > MAX_REFERENCES_SHOWN else "")
            parts.append(
                ngettext("%(count)d skipped: %(reason)s (%(refs)s)", "%(count)d skipped: %(reason)s (%(refs)s)",
                         len(refs)) % {"count": len(refs), "reason": reason, "refs": shown}
            )
        return ", ".join(parts)


def _skip_reason(report: Report, action: str, actor, error: workflow.TransitionError) -> str:
    """A short reason to group skipped reports by, read from the report's state after the refused move."""
    current = Report.objects.filter(pk=report.pk).first()
    if current is None:
        return str(error)
    move = workflow.TRANSITIONS[action]
    if current.status not in move.sources:
        status = current.get_status_display().lower()
        if current.status == move.target:
            return _("already %(status)s") % {"status": status}
        return _("status is %(status)s") % {"status": status}
    if not access.can_review_report(actor, current):
        return _("not yours to review")
    return str(error)


def move_each(reports: Iterable[Report], action: str, actor, comment: str = "") -> Outcome:
    """Make the move on each report in turn, each in its own transaction; one refusal does not stop the others."""
    outcome = Outcome(action)
    for report in reports:
        try:
            workflow.transition(report, action, actor, comment)
        except workflow.TransitionError as exc:
            outcome.skipped.setdefault(_skip_reason(report, action, actor, exc), []).append(report.reference)
        else:
            outcome.done.append(report.reference)
    return outcome
