"""What a reviewer reads of a report's past: "changes since the last submission", from the edit history."""

import json
from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils.formats import localize
from django.utils.translation import gettext as _
from simple_history.models import DeletedObject

from surveys.models import ClearanceReport, ExplosiveItem, Report, ReviewEvent

# Bookkeeping that every move or save touches: not what the team changed.
NOT_CONTENT = {
    "id", "report_ptr", "reference", "kind", "status", "submitted_at", "created_at", "updated_at", *Report.FLAG_FIELDS,
}
EMPTY = "—"


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


def baseline_submission(report: Report, events: list[ReviewEvent]) -> ReviewEvent | None:
    """The submission to compare the report with.

    A report under review (submitted or approved) is compared with the submission before the current one; a report
    back with its team (draft or returned) with its last submission, to show what the team has changed since.
    """
    submits = [event for event in events if event.action == "submit"]
    if report.status in (Report.Status.SUBMITTED, Report.Status.APPROVED):
        return submits[-2] if len(submits) >= 2 else None
    return submits[-1] if submits else None


def _display(field: models.Field, value) -> str:
    if isinstance(value, DeletedObject) and value.pk is None:  # an empty foreign key, as simple-history reports it
        value = None
    if value is None or value == "" or value == []:
        return EMPTY
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(field, models.JSONField):
        text = json.dumps(value, ensure_ascii=False)
        return text if len(text) <= 120 else text[:117] + "…"
    return str(localize(value))


def _items_as_of(report: Report, when: datetime | None) -> list[str]:
    """The clearance report's explosive-item lines as they stood at `when` (None: now), as text."""
    if when is None:
        items = list(report.items.all())
    else:
        latest: dict[int, object] = {}
        records = ExplosiveItem.history.filter(report_id=report.pk, history_date__lte=when).order_by("history_date",
                                                                                                      "history_id")
        for record in records:
            latest[record.id] = record
        items = [record for record in latest.values() if record.history_type != "-"]
    return sorted(
        f"{item.quantity} × {item.get_category_display()} ({localize(item.weight_kg)} kg, "
        f"{item.get_disposal_display()})"
        for item in items
    )


def changes_since(report: Report, baseline: ReviewEvent) -> list[FieldChange]:
    """Field by field, what differs between the report as submitted at `baseline` and the report now."""
    history = report.history.order_by("-history_date", "-history_id")
    old = history.filter(history_date__lte=baseline.at).first()
    new = history.first()
    if old is None or new is None:
        return []
    delta = new.diff_against(old, excluded_fields=NOT_CONTENT, foreign_keys_are_objs=True)
    fields = {f.name: f for f in type(report)._meta.get_fields() if isinstance(f, models.Field)}
    order = {name: i for i, name in enumerate(fields)}
    changes = [
        FieldChange(str(fields[c.field].verbose_name), _display(fields[c.field], c.old), _display(fields[c.field], c.new))
        for c in sorted(delta.changes, key=lambda c: order.get(c.field, len(order)))
        if c.field in fields
    ]
    if isinstance(report, ClearanceReport):
        before, now = _items_as_of(report, baseline.at), _items_as_of(report, None)
        if before != now:
            changes.append(FieldChange(_("explosive items"), "; ".join(before) or EMPTY, "; ".join(now) or EMPTY))
    photos_before = report.photos.filter(created_at__lte=baseline.at).count()
    photos_now = report.photos.count()
    if photos_before != photos_now:
        changes.append(FieldChange(_("photos"), str(photos_before), str(photos_now)))
    return changes
