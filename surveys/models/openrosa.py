"""Instances received through OpenRosa (ODK Collect, KoboCollect): each instanceID once, with the XML as it came."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from surveys.models.reports import Report


class OpenRosaInstance(models.Model):
    """One submitted instance of a form. The first instance of a report has the report's own device UUID as its
    instanceID; an edited instance (Collect's deprecatedID) gets a row of its own pointing at the same report, so a
    resend of either is recognised and stores nothing twice."""

    instance_id = models.UUIDField(_("instance ID"), primary_key=True)
    report = models.ForeignKey(Report, models.CASCADE, related_name="openrosa_instances", verbose_name=_("report"))
    deprecated_id = models.UUIDField(_("replaces instance"), null=True, blank=True)
    form_version = models.CharField(_("form version"), max_length=40, blank=True)
    sha256 = models.CharField(_("SHA-256 of the XML"), max_length=64)
    xml = models.TextField(_("instance XML"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                     verbose_name=_("submitted by"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        ordering = ["received_at"]
        verbose_name = _("OpenRosa instance")
        verbose_name_plural = _("OpenRosa instances")

    def __str__(self) -> str:
        return f"uuid:{self.instance_id}"
