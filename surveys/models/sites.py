"""The site (hazard area): the master record that approved reports update."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from surveys import geo
from surveys.models.choices import Classification, ClearanceKind, Evidence, Priority, SiteStatus, SiteType
from surveys.models.people import AdminArea, Organisation, Team

COUNTERS = ("approved_surveys", "approved_clearances", "approved_completions")


def area_field(label: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, default=0, help_text=_("Square metres"))


def area_sum_field(label: str) -> models.PositiveBigIntegerField:
    """A sum of reported areas: 64 bits, so that many approved reports cannot overflow it."""
    return models.PositiveBigIntegerField(label, default=0, help_text=_("Square metres"))


class Site(models.Model):
    """A hazard area. Its land-release figures and status are derived from approved reports (see refresh_from_reports)."""

    reference = models.CharField(_("reference"), max_length=30, unique=True, null=True, blank=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="sites", verbose_name=_("organisation"))
    team = models.ForeignKey(Team, models.PROTECT, null=True, blank=True, related_name="sites", verbose_name=_("team"))
    admin_area = models.ForeignKey(
        AdminArea, models.PROTECT, null=True, blank=True, related_name="sites", verbose_name=_("administrative area")
    )
    place_name = models.CharField(_("place name"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True, validators=[geo.validate_latitude])
    longitude = models.FloatField(_("longitude"), null=True, blank=True, validators=[geo.validate_longitude])
    polygon = models.JSONField(_("outline (GeoJSON)"), null=True, blank=True, validators=[geo.validate_polygon])
    site_type = models.CharField(_("site type"), max_length=20, choices=SiteType.choices)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    classification = models.CharField(_("classification"), max_length=10, choices=Classification.choices)
    evidence = models.CharField(_("evidence"), max_length=10, choices=Evidence.choices, blank=True)
    contamination = models.JSONField(_("contamination types"), default=list, blank=True)
    estimated_area_m2 = area_field(_("estimated area (m²)"))
    status = models.CharField(_("status"), max_length=10, choices=SiteStatus.choices, default=SiteStatus.OPEN,
                              db_index=True)
    # Derived from approved clearance reports by refresh_from_reports(); stored so lists and figures need no join.
    cancelled_area_m2 = area_sum_field(_("cancelled area (m²)"))
    reduced_area_m2 = area_sum_field(_("reduced area (m²)"))
    cleared_area_m2 = area_sum_field(_("cleared area (m²)"))
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    # How many approved surveys, clearance reports and completion reports the site has: kept by surveys.rollups with
    # the roll-ups, so that the all-time site figures read the sites alone (a site is surveyed, worked on, closed).
    approved_surveys = models.PositiveIntegerField(default=0, editable=False)
    approved_clearances = models.PositiveIntegerField(default=0, editable=False)
    approved_completions = models.PositiveIntegerField(default=0, editable=False)
    # People expected to benefit, from the site's latest approved survey (by date of activity): kept by
    # surveys.rollups with the counters, so that the land-release beneficiaries add up sites instead of looking up
    # each closed site's latest survey.
    expected_beneficiaries = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        indexes = [models.Index(fields=["name", "id"], name="site_name_keyset")]
        constraints = [
            models.CheckConstraint(condition=Q(latitude__gte=-90, latitude__lte=90) | Q(latitude__isnull=True),
                                   name="site_latitude_range"),
            models.CheckConstraint(condition=Q(longitude__gte=-180, longitude__lte=180) | Q(longitude__isnull=True),
                                   name="site_longitude_range"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}" if self.reference else self.name

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding and kwargs.get("update_fields") is None and not args:
            # The counters of approved reports are surveys.rollups' to change, by UPDATE in the approving
            # transaction: a save of a site loaded earlier must not write back the counts it was loaded with.
            kwargs["update_fields"] = [f.name for f in self._meta.concrete_fields
                                       if not f.primary_key and f.name not in COUNTERS]
        super().save(*args, **kwargs)
        if not self.reference:
            self.reference = f"SITE-{self.created_at:%Y}-{self.pk:06d}"
            Site.objects.filter(pk=self.pk).update(reference=self.reference)

    @property
    def released_area_m2(self) -> int:
        return self.cancelled_area_m2 + self.reduced_area_m2 + self.cleared_area_m2

    @property
    def remaining_area_m2(self) -> int:
        return max(self.estimated_area_m2 - self.released_area_m2, 0)

    def refresh_from_reports(self) -> None:
        """Recompute land-release figures and status from this site's approved clearance reports.

        Recomputing from scratch (rather than adding and subtracting) makes approve and reopen exact inverses.
        """
        from surveys.models.reports import ClearanceReport, Report

        approved = ClearanceReport.objects.filter(site=self, status=Report.Status.APPROVED)
        totals = approved.aggregate(
            cancelled=models.Sum("cancelled_area_m2"),
            reduced=models.Sum("reduced_area_m2"),
            cleared=models.Sum("cleared_area_m2"),
        )
        self.cancelled_area_m2 = totals["cancelled"] or 0
        self.reduced_area_m2 = totals["reduced"] or 0
        self.cleared_area_m2 = totals["cleared"] or 0
        completion = approved.filter(stage=ClearanceKind.COMPLETION).order_by("-end_date").first()
        if completion:
            self.status = SiteStatus.CLOSED
            self.handed_over_on = completion.handover_date or completion.end_date
        else:
            self.status = SiteStatus.WORKED_ON if approved.exists() else SiteStatus.OPEN
            self.handed_over_on = None
        self.save(update_fields=["cancelled_area_m2", "reduced_area_m2", "cleared_area_m2", "status",
                                 "handed_over_on", "updated_at"])
