"""Saving what a field worker entered on a report form: the report, its item lines and its photos, then, if asked,
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

from surveys import access, flags, photos, workflow
from surveys.forms import PhotoListForm
from surveys.models import PendingPhoto, Report

# A pending photo whose form was abandoned is removed after this long.
PENDING_MAX_AGE = timedelta(days=7)


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
        taken_at=taken_at or processed.taken_at,
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


def update_pending(photo_list: PhotoListForm) -> None:
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
        discard_pending(pending)
    return problems


def save_report(form, items, photo_list: PhotoListForm, user, *, submit: bool) -> tuple[Report, list[str]]:
    """Store a valid report form with its item lines (or None) and photo changes; submit it if asked.

    Returns the report and the messages of anything refused on the way (a photo, or the submission itself); what
    was refused is said, and everything else stays saved.
    """
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
    problems = attach_pending(report, user)
    flags.refresh_flags(report)
    if submit:
        try:
            report = workflow.submit(report, user)
        except workflow.TransitionError as exc:
            problems.append(str(exc))
    return report, problems
