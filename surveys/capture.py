"""Capturing a report, whatever the door (the HTML form, the REST API): the doors only translate their input and
output; this module owns what capturing means.

- Who owns a new report: assign_owner (organisation, team, captured_by).
- Which sites and grants the capturer may choose: site_choices, project_choices (asking surveys.access).
- Values derived from others: derive_defaults (site name from the chosen site, the EORE total from its grid).
- Digits as a phone keyboard types them: normalise (surveys.rules.normalise_digits, the one place it happens).
- What a report must meet: the shared rule set (surveys.rules), which the models' clean() applies for every door.
- Idempotency by device UUID: save_report answers a repeated or concurrent post of the same UUID with the stored
  report, as the API does, never with an error.
- Photos, and the flags of the report and its peers (surveys.flags.refresh_with_peers).

Saving what a field worker entered on a report form: the report, its item lines and its photos, then, if asked,
submitting it through the workflow.

Why photos wait as PendingPhoto rows: a report cannot be stored until it is valid (the database refuses incomplete
rows), and a browser cannot refill a file input, so photos sent with a form that has a mistake in it would be lost —
on 3G, after the worker took them. Instead each photo is checked and re-encoded the moment it arrives
(surveys.photos.process, refused files get their message and store nothing) and kept under the form's device UUID,
the same UUID that becomes the report's idempotency key. The form comes back with everything typed and those photos
shown; when the report saves, surveys.photos.add_photo stores each one under the pending photo's own id, so a POST
sent twice stores each photo once. With JavaScript the phone downscales each photo and sends it here as soon as it is
chosen, with a progress bar; without JavaScript the photos travel with the form and take the same path.
"""

import hashlib
import uuid
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from surveys import access, flags, photos, rules, workflow
from surveys.models import EoreSession, PendingPhoto, Photo, Project, Report, Site, SurveyReport

# A pending photo whose form was abandoned is removed after this long.
PENDING_MAX_AGE = timedelta(days=7)


# Owner, choices, derived values, digits -------------------------------------------------------------------------------


def assign_owner(report: Report, user) -> Report:
    """A new report belongs to the capturer, their team and the team's organisation (the one place this is set)."""
    report.captured_by = user
    report.team = user.team
    report.organisation_id = user.team.organisation_id
    return report


def site_choices(user, report: Report | None = None):
    """Sites the user may put on a report: their team's and their organisation's unheld ones (an administrator, any
    they see); a report keeps the site it already has."""
    sites = access.visible_sites(user) if access.can_reassign_reports(user) else access.capture_sites(user)
    current = getattr(report, "site_id", None) if report is not None and report.pk else None
    if current:
        sites = sites | Site.objects.filter(pk=current)
    return sites.distinct()


# What a door answers when a site or grant outside these choices is sent (a form's "invalid choice", the API's
# "does not exist"): the same words on both.
CHOICE_MESSAGES = {
    "site": _("This site is not one you may report on: choose one of your team's sites."),
    "project": _("This grant is not one of your organisation's."),
}


def project_choices(user, report: Report | None = None):
    """Grants the user may put on a report: their organisation's, or the stored report's organisation's."""
    if report is not None and report.pk and report.organisation_id:
        return Project.objects.filter(organisation_id=report.organisation_id)
    return access.selectable_projects(user)


def derive_defaults(report: Report) -> Report:
    """Fill the values derived from others, before the rules run: a survey's site name from the chosen site, a
    session's total from its sex × age grid (when left empty)."""
    if isinstance(report, SurveyReport) and not report.site_name and report.site_id:
        report.site_name = report.site.name
    if isinstance(report, EoreSession) and report.total_participants is None:
        parts = [getattr(report, name) for name in _grid_fields()]
        if all(isinstance(part, int) or part is None for part in parts):
            report.total_participants = sum(part or 0 for part in parts)
    return report


def _grid_fields() -> list[str]:
    return next(r for r in rules.rules_for("eore") if r.kind == "sum_equals").params["fields"]


def normalise(report_type: str, data: dict, scope: str = "report") -> dict:
    """Latin digits in every number and date a phone sent (a copy; other values as they are)."""
    numeric = {r.field for r in rules.rules_for(report_type, scope) if r.kind in ("number", "date")}
    return {key: rules.normalise_digits(value) if key in numeric else value for key, value in data.items()}


# Photos ---------------------------------------------------------------------------------------------------------------


def hold_photo(user, form_uuid: uuid.UUID, upload, *, photo_id: uuid.UUID | None = None, caption: str = "",
               taken_at: datetime | None = None, latitude: float | None = None,
               longitude: float | None = None) -> PendingPhoto:
    """Check and re-encode an uploaded photo and keep it for the report of `form_uuid`. Idempotent by `photo_id` (or,
    without one, by the file's content).

    Raises ValidationError, storing nothing, for a refused file or a photo id already used elsewhere. Permission is the
    caller's to check (access.can_hold_photo).
    """
    if photo_id is None:
        # A photo sent with the form itself has no id of its own: the same file sent again with the same form (a retried
        # post) is the same photo.
        photo_id = uuid.uuid5(form_uuid, _digest(upload))
    existing = PendingPhoto.objects.filter(pk=photo_id).first()
    if existing is not None:
        if existing.uploaded_by_id != user.pk or existing.form_uuid != form_uuid:
            raise ValidationError(_("This photo was already sent for another report."), code="photo")
        return existing
    processed = photos.process(upload)
    pending = PendingPhoto(
        id=photo_id, form_uuid=form_uuid, uploaded_by=user, caption=caption[:300],
        taken_at=photos.plausible_taken_at(taken_at) or photos.plausible_taken_at(processed.taken_at),
        latitude=latitude if latitude is not None else processed.latitude,
        longitude=longitude if longitude is not None else processed.longitude,
    )
    try:
        with transaction.atomic():
            pending.image.save("image.jpg", processed.image, save=False)
            pending.thumbnail.save("thumb.jpg", processed.thumbnail, save=False)
            pending.save(force_insert=True)
    except IntegrityError:
        # The same photo arrived twice at once: the other request kept it.
        _delete_files(pending)
        return hold_photo(user, form_uuid, upload, photo_id=pending.id)
    except Exception:
        _delete_files(pending)
        raise
    prune_pending()
    return pending


def _digest(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1 << 20), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def discard_pending(pending: PendingPhoto) -> None:
    pending.delete()
    transaction.on_commit(lambda: _delete_files(pending))


def prune_pending(now: datetime | None = None) -> int:
    """Remove photos whose form was abandoned more than PENDING_MAX_AGE ago; returns how many."""
    old = PendingPhoto.objects.filter(created_at__lt=(now or timezone.now()) - PENDING_MAX_AGE)
    count = 0
    for pending in old:
        discard_pending(pending)
        count += 1
    return count


def _delete_files(pending: PendingPhoto) -> None:
    for field in (pending.image, pending.thumbnail):
        if field.name:
            field.delete(save=False)


def photos_on_form(user, report: Report | None, form_uuid) -> list:
    """The photos a report form shows: those stored with the report, then those waiting for it."""
    stored = list(report.photos.all()) if report is not None and report.pk else []
    return stored + list(access.pending_photos(user, form_uuid))


def update_pending(photo_list) -> None:
    """Captions and removals of waiting photos take effect at once, whether or not the rest of the form is valid."""
    for pending, caption, remove in photo_list.changes(pending=True):
        if remove:
            discard_pending(pending)
            photo_list.photos.remove(pending)
        elif caption != pending.caption:
            pending.caption = caption
            pending.save(update_fields=["caption"])


def attach_pending(report: Report, user) -> list[str]:
    """Store every photo waiting for this report through surveys.photos.add_photo; returns messages of any refused."""
    problems = []
    for pending in access.pending_photos(user, report.uuid):
        try:
            with pending.image.open("rb") as upload:
                photos.add_photo(report, upload, user, photo_id=pending.id, caption=pending.caption,
                                 taken_at=pending.taken_at, latitude=pending.latitude, longitude=pending.longitude)
        except ValidationError as exc:
            problems.extend(exc.messages)
        except FileNotFoundError:
            # The same report posted twice at once: the other request stored this photo and, once committed, removed
            # the waiting file. Only a photo that was not stored is worth a word.
            if not Photo.objects.filter(pk=pending.id, report=report).exists():
                problems.append(str(_("A photo could not be read; please send it again.")))
        discard_pending(pending)
    return problems


def save_report(form, items, photo_list, user, *, submit: bool) -> tuple[Report, list[str]]:
    """Store a valid report form with its item lines (or None) and photo changes; submit it if asked.

    Returns the report and the messages of anything refused on the way (a photo, or the submission itself); what
    was refused is said, and everything else stays saved. A new report whose device UUID another request stored
    meanwhile (the same form posted twice at once) is answered with that stored report, as the API answers a resend.
    """
    try:
        with transaction.atomic():
            report = form.save()
            if items is not None:
                items.instance = report
                items.save()
            for photo, caption, remove in photo_list.changes(pending=False):
                if remove:
                    photos.delete_photo(photo)
                elif caption != photo.caption:
                    photo.caption = caption
                    photo.save(update_fields=["caption"])
    except IntegrityError:
        stored = stored_resend(form.instance.uuid, user)
        if stored is None:
            raise
        form.instance.pk = None
        report = stored
    problems = attach_pending(report, user)
    flags.refresh_with_peers(report)
    if submit and report.status in (Report.Status.DRAFT, Report.Status.RETURNED):
        try:
            report = workflow.submit(report, user)
        except workflow.TransitionError as exc:
            problems.append(str(exc))
    return report, problems


def stored_resend(report_uuid, user) -> Report | None:
    """The report already stored under a device UUID, when the user may see it (a resend), else None."""
    try:
        found = Report.objects.filter(uuid=report_uuid).first()
    except ValidationError:
        return None
    if found is None or not access.can_view_report(user, found):
        return None
    return found.specific
