"""Photos a worker has chosen for a report that is not saved yet (see surveys.capture for why they are kept)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from surveys import geo


def _pending_path(photo: "PendingPhoto", filename: str) -> str:
    return f"pending/{photo.uploaded_by_id}/{photo.id}{'_thumb' if 'thumb' in filename else ''}.jpg"


class PendingPhoto(models.Model):
    """A checked, re-encoded photo held under the device UUID of the form it was chosen on, until the report is saved.

    Its id becomes the Photo's id, so attaching it twice stores it once. Seen only by the person who uploaded it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    form_uuid = models.UUIDField(_("report device UUID"), db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+",
                                    verbose_name=_("uploaded by"))
    image = models.FileField(_("image"), upload_to=_pending_path)
    thumbnail = models.FileField(_("thumbnail"), upload_to=_pending_path)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True, validators=[geo.validate_latitude])
    longitude = models.FloatField(_("longitude"), null=True, blank=True, validators=[geo.validate_longitude])
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("photo waiting for its report")
        verbose_name_plural = _("photos waiting for their report")

    def __str__(self) -> str:
        return self.caption or str(self.id)
