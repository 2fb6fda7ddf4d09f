"""What the field teams report: surveys, clearance (with explosive items) and risk-education sessions, their photos
and their review history.

The three report types share one concrete parent table, Report (multi-table inheritance): photos, review events and the
review queue point at one table whatever the type, and a reference or UUID is unique across all types.
"""

import operator
import uuid
from datetime import date
from functools import reduce

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from surveys import geo, rules
from surveys.models.choices import (
    PARTICIPANT_FIELDS,
    Blockage,
    Classification,
    ClearanceKind,
    ClearanceMethod,
    DeliveryMethod,
    Disposal,
    EOCategory,
    Evidence,
    PlaceType,
    Priority,
    SiteType,
    SurveyType,
)
from surveys.models.people import AdminArea, Organisation, Project, Team
from surveys.models.sites import Site, area_field


class RuledModel(models.Model):
    """A model whose values the shared rule set (surveys.rules) checks: clean() reports every broken rule at once, by
    field, and the fields the rules cover are left to them (their own validators — kept as the database's last line
    of defence — do not add second, differently worded, messages)."""

    RULE_TYPE: str | None = None
    RULE_SCOPE = "report"

    class Meta:
        abstract = True

    def rule_fields(self) -> set[str]:
        return rules.fields(self.RULE_TYPE, self.RULE_SCOPE) if self.RULE_TYPE else set()

    def rule_values(self) -> dict:
        return {name: getattr(self, self._meta.get_field(name).attname) for name in self.rule_fields()}

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True):
        self._clean_exclude = set(exclude or ())
        super().full_clean(exclude=exclude, validate_unique=validate_unique,
                           validate_constraints=validate_constraints)

    def clean_fields(self, exclude=None) -> None:
        exclude = set(exclude or ())
        ruled = self.rule_fields()
        errors: dict = {}
        try:
            super().clean_fields(exclude=exclude | ruled)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for name in ruled - exclude:
            field = self._meta.get_field(name)
            raw = getattr(self, field.attname)
            if raw in field.empty_values:
                continue  # the rule set says whether it may be empty
            try:
                # A relation is checked to exist; any other value is only converted: the rules judge it.
                value = field.clean(raw, self) if field.is_relation else field.to_python(raw)
            except ValidationError as exc:
                rule = rules.number_rule(self.RULE_TYPE, name, self.RULE_SCOPE)
                errors[name] = [rule.invalid_message] if rule and not field.is_relation else exc.messages
            else:
                setattr(self, field.attname, value)
        if errors:
            raise ValidationError(errors)

    def clean(self) -> None:
        errors = self.rule_errors()
        for name, message in self.validation_errors().items():
            errors.setdefault(name, []).append(message)
        skip = getattr(self, "_clean_exclude", set())
        errors = {name: messages for name, messages in errors.items() if name not in skip}
        if errors:
            raise ValidationError(errors)

    def rule_errors(self) -> dict[str, list]:
        if not self.RULE_TYPE:
            return {}
        if self.RULE_SCOPE == "item":
            return rules.check_item(self.RULE_TYPE, self.rule_values())
        return rules.check(self.RULE_TYPE, self.rule_values())

    def validation_errors(self) -> dict:
        """Rules that need the database or the record's owner (not part of the shared rule set), as {field: message}."""
        return {}


def _not_in_future(value: date) -> None:
    """Kept for migration 0001, which names it; the rule set's date rule checks report dates now."""
    if value and value > timezone.localdate():
        raise ValidationError(_("This date is in the future. Enter the day the work was done."), code="future")


_FLAGS = ["flag_area_overrun", "flag_polygon_mismatch", "flag_gps_poor", "flag_no_photo", "flag_duplicate"]


class ReportQuerySet(models.QuerySet):
    """Queries on reports that the API, the review queue and the exports share."""

    def with_photos_received(self) -> "ReportQuerySet":
        """Kept for callers written when `photos_received` was a per-row subquery: it is now a stored counter (kept by
        Photo.save and Photo.delete), so there is nothing to add."""
        return self

    def waiting_for_photos(self, waiting: bool = True) -> "ReportQuerySet":
        """Reports whose device announced more photos (photos_expected) than have arrived; with False, the others."""
        condition = Q(photos_expected__gt=F("photos_received"))
        return self.filter(condition) if waiting else self.exclude(condition)


class Report(RuledModel):
    """What every field report shares. A report is one of SurveyReport, ClearanceReport or EoreSession."""

    KIND: str | None = None

    class Kind(models.TextChoices):
        SURVEY = "survey", _("Survey")
        CLEARANCE = "clearance", _("Clearance")
        EORE = "eore", _("Risk education")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for correction")

    PREFIXES = {Kind.SURVEY: "SUR", Kind.CLEARANCE: "CLR", Kind.EORE: "EOR"}

    uuid = models.UUIDField(_("device UUID"), unique=True, default=uuid.uuid4,
                            help_text=_("Made on the device that captured the report; a retried upload reuses it."))
    reference = models.CharField(_("reference"), max_length=30, unique=True, null=True, blank=True, editable=False)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, editable=False, db_index=True)
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="reports",
                                     verbose_name=_("organisation"))
    team = models.ForeignKey(Team, models.PROTECT, related_name="reports", verbose_name=_("team"))
    project = models.ForeignKey(Project, models.PROTECT, null=True, blank=True, related_name="reports",
                                verbose_name=_("project (grant)"))
    captured_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="reports",
                                    verbose_name=_("captured by"))
    activity_date = models.DateField(_("date of activity"))
    captured_at = models.DateTimeField(_("captured on the device at"), default=timezone.now)
    admin_area = models.ForeignKey(AdminArea, models.PROTECT, null=True, blank=True, related_name="reports",
                                   verbose_name=_("administrative area"))
    place_name = models.CharField(_("place name"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    gps_accuracy_m = models.FloatField(_("GPS accuracy (m)"), null=True, blank=True)
    polygon = models.JSONField(_("outline (GeoJSON)"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True,
                              editable=False)
    submitted_at = models.DateTimeField(_("last submitted"), null=True, blank=True, editable=False)
    photos_expected = models.PositiveSmallIntegerField(
        _("photos expected"), null=True, blank=True,
        help_text=_("How many photos the device said it would send; fewer arrived means the report waits for photos."),
    )
    # How many photos have arrived: a counter kept by Photo.save/delete, so lists and exports read a column instead
    # of counting photos per row (a correlated subquery that pushed PostgreSQL's plans into JIT at 1 M reports).
    photos_received = models.PositiveSmallIntegerField(_("photos received"), default=0, editable=False)
    # Review flags: warnings for the supervisor, recomputed by surveys.flags.refresh_flags() on every save and submit.
    flag_area_overrun = models.BooleanField(_("area over-run"), default=False, editable=False)
    flag_polygon_mismatch = models.BooleanField(_("outline area mismatch"), default=False, editable=False)
    flag_gps_poor = models.BooleanField(_("poor GPS accuracy"), default=False, editable=False)
    flag_no_photo = models.BooleanField(_("no photo"), default=False, editable=False)
    flag_duplicate = models.BooleanField(_("likely duplicate"), default=False, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ReportQuerySet.as_manager()

    FLAG_FIELDS = _FLAGS

    class Meta:
        ordering = ["-activity_date", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        permissions = [
            ("review_report", _("Can approve, return and reopen reports")),
            ("export_report", _("Can see figures and export reports")),
        ]
        indexes = [
            # The review queue's order (surveys.admin.reports.QUEUE_ORDER, then admin's -pk), whole and per flag, so
            # that a page of the queue, filtered by a flag or not, is read from an index in order.
            models.Index(fields=["-status", "submitted_at", "-id"], name="report_queue_order"),
            *(models.Index(fields=["-status", "submitted_at", "-id"], condition=Q(**{flag: True}),
                           name=f"report_queue_{flag.removeprefix('flag_')[:12]}") for flag in _FLAGS),
            models.Index(fields=["-status", "submitted_at", "-id"], name="report_queue_any_flag",
                         condition=reduce(operator.or_, (Q(**{flag: True}) for flag in _FLAGS))),
            # The same order within an organisation (a supervisor's queue) and within a team (the team filter).
            models.Index(fields=["organisation", "-status", "submitted_at", "-id"], name="report_queue_org"),
            models.Index(fields=["team", "-status", "submitted_at", "-id"], name="report_queue_team"),
            # The API's lists: newest activity first, by keyset (surveys.api.pagination).
            models.Index(fields=["-activity_date", "-id"], name="report_activity_keyset"),
            models.Index(fields=["-updated_at", "-id"], name="report_updated_keyset"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(latitude__gte=-90, latitude__lte=90) | Q(latitude__isnull=True),
                                   name="report_latitude_range"),
            models.CheckConstraint(condition=Q(longitude__gte=-180, longitude__lte=180) | Q(longitude__isnull=True),
                                   name="report_longitude_range"),
            models.CheckConstraint(condition=Q(gps_accuracy_m__gte=0) | Q(gps_accuracy_m__isnull=True),
                                   name="report_gps_accuracy_not_negative"),
            models.CheckConstraint(condition=Q(gps_accuracy_m__lte=rules.GPS_ACCURACY_MAX_M)
                                   | Q(gps_accuracy_m__isnull=True), name="report_gps_accuracy_bounded"),
            models.CheckConstraint(condition=Q(photos_expected__lte=rules.PHOTOS_EXPECTED_MAX)
                                   | Q(photos_expected__isnull=True), name="report_photos_expected_bounded"),
            models.CheckConstraint(condition=Q(latitude__isnull=True, longitude__isnull=True)
                                   | Q(latitude__isnull=False, longitude__isnull=False),
                                   name="report_point_complete"),
        ]

    def __str__(self) -> str:
        return self.reference or str(self.uuid)

    def save(self, *args, **kwargs) -> None:
        if not self.kind:
            self.kind = self.KIND
        super().save(*args, **kwargs)
        if not self.reference:
            self.reference = f"{self.PREFIXES[self.kind]}-{self.created_at:%Y}-{self.pk:06d}"
            Report.objects.filter(pk=self.pk).update(reference=self.reference)

    def get_absolute_url(self) -> str:
        return reverse("report_detail", args=[self.pk])

    @property
    def RULE_TYPE(self) -> str | None:  # noqa: N802 - the rule set's report type is the report's own type
        return self.KIND  # None on the shared parent row: its type's fields are not on it

    def validation_errors(self) -> dict:
        """Rules that need the database (owner, grant), as {field: message}; each report type adds its own."""
        errors = {}
        if self.team_id and self.organisation_id and self.team.organisation_id != self.organisation_id:
            errors["team"] = _("This team belongs to another organisation.")
        if self.project_id and self.organisation_id and self.project.organisation_id != self.organisation_id:
            errors["project"] = _("This grant is not one of your organisation's.")
        if self.captured_at and self.captured_at > timezone.now() + timezone.timedelta(hours=1):
            errors["captured_at"] = _("The capture time is in the future; check the phone's clock.")
        return errors

    @property
    def specific(self) -> "Report":
        """The SurveyReport, ClearanceReport or EoreSession this row is."""
        if type(self) is not Report:
            return self
        return getattr(self, {"survey": "surveyreport", "clearance": "clearancereport", "eore": "eoresession"}[self.kind])

    @property
    def flags(self) -> list[str]:
        return [name.removeprefix("flag_") for name in self.FLAG_FIELDS if getattr(self, name)]

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def waiting_for_photos(self) -> bool:
        """Fewer photos have arrived than the device announced (the stored counter: no query)."""
        if not self.photos_expected:
            return False
        return self.photos_received < self.photos_expected


class SurveyReport(Report):
    """A non-technical or technical survey: creates a Site, or updates one, when approved."""

    KIND = Report.Kind.SURVEY

    survey_type = models.CharField(_("survey type"), max_length=20, choices=SurveyType.choices,
                                   default=SurveyType.NON_TECHNICAL)
    site = models.ForeignKey(Site, models.PROTECT, null=True, blank=True, related_name="surveys",
                             verbose_name=_("existing site"),
                             help_text=_("Leave empty to record a new site; it is created when the survey is approved."))
    site_name = models.CharField(_("site name"), max_length=200)
    site_type = models.CharField(_("site type"), max_length=20, choices=SiteType.choices)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    classification = models.CharField(_("classification"), max_length=10, choices=Classification.choices)
    evidence = models.CharField(_("evidence"), max_length=10, choices=Evidence.choices)
    contamination = models.JSONField(_("contamination types"), default=list, blank=True)
    estimated_area_m2 = models.PositiveIntegerField(_("estimated area (m²)"), help_text=_("Square metres"))
    blockage = models.CharField(_("blockage / land use"), max_length=20, choices=Blockage.choices,
                                default=Blockage.NONE)
    expected_beneficiaries = models.PositiveIntegerField(_("expected beneficiaries"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("survey report")
        verbose_name_plural = _("survey reports")
        constraints = [
            models.CheckConstraint(condition=Q(estimated_area_m2__gte=0), name="survey_area_not_negative"),
            models.CheckConstraint(condition=Q(estimated_area_m2__lte=rules.AREA_MAX_M2), name="survey_area_bounded"),
        ]

    @classmethod
    def approved_latest_first(cls, site) -> models.QuerySet:
        """The approved surveys of a site (a Site, its id, or an OuterRef), the site's latest survey first: by date of
        activity, then id. The one definition of "the latest survey" (the site's fields after a reopening, its
        expected beneficiaries)."""
        return cls.objects.filter(site=site, status=Report.Status.APPROVED).order_by("-activity_date", "-pk")

    def validation_errors(self) -> dict:
        errors = super().validation_errors()
        if not isinstance(self.contamination, list):  # its values are the rule set's to check
            errors["contamination"] = _("Choose contamination types from the list.")
        if self.site_id and self.organisation_id and self.site.organisation_id != self.organisation_id:
            errors["site"] = _("This site belongs to another organisation.")
        return errors


class ClearanceReport(Report):
    """Land release on one Site: a progress report, or the completion report that closes it."""

    KIND = Report.Kind.CLEARANCE

    site = models.ForeignKey(Site, models.PROTECT, related_name="clearances", verbose_name=_("site"))
    # `kind` is the report type on Report; progress or completion of the clearance is its `stage`.
    stage = models.CharField(_("report kind"), max_length=12, choices=ClearanceKind.choices,
                             default=ClearanceKind.PROGRESS)
    method = models.CharField(_("method"), max_length=12, choices=ClearanceMethod.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    cancelled_area_m2 = area_field(_("cancelled area (m²)"))
    reduced_area_m2 = area_field(_("reduced area (m²)"))
    cleared_area_m2 = area_field(_("cleared area (m²)"))
    depth_cm = models.PositiveSmallIntegerField(_("clearance depth (cm)"), default=0)
    handover_date = models.DateField(_("handover date"), null=True, blank=True)
    handed_over_to = models.CharField(_("handed over to"), max_length=200, blank=True,
                                      help_text=_("Who received the land from the team (name and role)."))
    handover_notes = models.TextField(_("handover notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("clearance report")
        verbose_name_plural = _("clearance reports")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="clearance_end_after_start"),
            models.CheckConstraint(
                condition=Q(cancelled_area_m2__gte=0, reduced_area_m2__gte=0, cleared_area_m2__gte=0, depth_cm__gte=0),
                name="clearance_figures_not_negative",
            ),
            # Upper bounds of the rule set: a site's sums of these (and the donors' figures) cannot overflow.
            models.CheckConstraint(
                condition=Q(cancelled_area_m2__lte=rules.AREA_MAX_M2, reduced_area_m2__lte=rules.AREA_MAX_M2,
                            cleared_area_m2__lte=rules.AREA_MAX_M2, depth_cm__lte=rules.DEPTH_MAX_CM),
                name="clearance_figures_bounded",
            ),
        ]

    def validation_errors(self) -> dict:
        errors = super().validation_errors()
        if self.site_id and self.organisation_id and self.site.organisation_id != self.organisation_id:
            errors["site"] = _("This site belongs to another organisation.")
        return errors

    @property
    def released_area_m2(self) -> int:
        return self.cancelled_area_m2 + self.reduced_area_m2 + self.cleared_area_m2


class ExplosiveItem(RuledModel):
    """One line of explosive items found during clearance: a category, how many, their total weight, what was done."""

    RULE_TYPE = "clearance"
    RULE_SCOPE = "item"

    report = models.ForeignKey(ClearanceReport, models.CASCADE, related_name="items", verbose_name=_("report"))
    category = models.CharField(_("category"), max_length=20, choices=EOCategory.choices)
    quantity = models.PositiveIntegerField(_("quantity"))
    weight_kg = models.DecimalField(_("total weight (kg)"), max_digits=10, decimal_places=2)
    disposal = models.CharField(_("disposal"), max_length=20, choices=Disposal.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("explosive item")
        verbose_name_plural = _("explosive items")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="item_quantity_positive"),
            models.CheckConstraint(condition=Q(weight_kg__gte=0), name="item_weight_not_negative"),
            models.CheckConstraint(condition=Q(quantity__lte=rules.ITEM_QUANTITY_MAX,
                                               weight_kg__lte=rules.ITEM_WEIGHT_MAX_KG), name="item_figures_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.get_category_display()}"


def _participants_sum():
    total = F(PARTICIPANT_FIELDS[0])
    for name in PARTICIPANT_FIELDS[1:]:
        total = total + F(name)
    return total


class EoreSession(Report):
    """An explosive ordnance risk education session and the people it reached."""

    KIND = Report.Kind.EORE

    place_type = models.CharField(_("place type"), max_length=20, choices=PlaceType.choices)
    delivery_method = models.CharField(_("delivery method"), max_length=20, choices=DeliveryMethod.choices)
    female_0_4 = models.PositiveIntegerField(_("female 0–4"), default=0)
    male_0_4 = models.PositiveIntegerField(_("male 0–4"), default=0)
    female_5_12 = models.PositiveIntegerField(_("female 5–12"), default=0)
    male_5_12 = models.PositiveIntegerField(_("male 5–12"), default=0)
    female_13_17 = models.PositiveIntegerField(_("female 13–17"), default=0)
    male_13_17 = models.PositiveIntegerField(_("male 13–17"), default=0)
    female_18_24 = models.PositiveIntegerField(_("female 18–24"), default=0)
    male_18_24 = models.PositiveIntegerField(_("male 18–24"), default=0)
    female_25_59 = models.PositiveIntegerField(_("female 25–59"), default=0)
    male_25_59 = models.PositiveIntegerField(_("male 25–59"), default=0)
    female_60_plus = models.PositiveIntegerField(_("female 60+"), default=0)
    male_60_plus = models.PositiveIntegerField(_("male 60+"), default=0)
    total_participants = models.PositiveIntegerField(_("total participants"), default=0)
    persons_with_disabilities = models.PositiveIntegerField(_("persons with disabilities"), default=0)
    first_time_attendees = models.PositiveIntegerField(_("first-time attendees"), default=0)
    posters_qty = models.PositiveIntegerField(_("posters handed out"), default=0)
    brochures_qty = models.PositiveIntegerField(_("brochures handed out"), default=0)
    other_materials = models.CharField(_("other materials"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risk-education session")
        verbose_name_plural = _("risk-education sessions")
        constraints = [
            models.CheckConstraint(condition=Q(total_participants=_participants_sum()), name="eore_total_is_sum"),
            models.CheckConstraint(condition=Q(persons_with_disabilities__lte=F("total_participants")),
                                   name="eore_disabilities_within_total"),
            models.CheckConstraint(condition=Q(first_time_attendees__lte=F("total_participants")),
                                   name="eore_first_time_within_total"),
            models.CheckConstraint(
                condition=Q(**{f"{name}__lte": rules.PEOPLE_MAX for name in PARTICIPANT_FIELDS},
                            posters_qty__lte=rules.MATERIALS_MAX, brochures_qty__lte=rules.MATERIALS_MAX),
                name="eore_counts_bounded",
            ),
        ]

    def validation_errors(self) -> dict:
        return super().validation_errors()

    @property
    def breakdown_total(self) -> int:
        return sum(getattr(self, name) or 0 for name in PARTICIPANT_FIELDS)


# Evidence and review ---------------------------------------------------------------------------------------------------


def _photo_path(photo: "Photo", filename: str) -> str:
    return f"photos/{photo.report_id}/{photo.id}{'_thumb' if 'thumb' in filename else ''}.jpg"


class Photo(models.Model):
    """A photo of a report, re-encoded on upload (surveys.photos). Its id is made on the device: a resend is a no-op."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    report = models.ForeignKey(Report, models.CASCADE, related_name="photos", verbose_name=_("report"))
    image = models.ImageField(_("image"), upload_to=_photo_path)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=_photo_path)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    width = models.PositiveIntegerField(_("width (px)"), default=0)
    height = models.PositiveIntegerField(_("height (px)"), default=0)
    bytes = models.PositiveIntegerField(_("size (bytes)"), default=0)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True, validators=[geo.validate_latitude])
    longitude = models.FloatField(_("longitude"), null=True, blank=True, validators=[geo.validate_longitude])
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        indexes = [models.Index(fields=["created_at", "id"], name="photo_order")]  # the photo list's order

    def __str__(self) -> str:
        return self.caption or str(self.id)

    def save(self, *args, **kwargs) -> None:
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:  # in the caller's transaction, with the insert: the counter never disagrees with the rows
            Report.objects.filter(pk=self.report_id).update(photos_received=F("photos_received") + 1)

    def get_absolute_url(self) -> str:
        return reverse("photo", args=[self.id])

    def delete(self, *args, **kwargs):
        report_id = self.report_id
        deleted = super().delete(*args, **kwargs)
        Report.objects.filter(pk=report_id, photos_received__gt=0).update(photos_received=F("photos_received") - 1)
        return deleted


class ReviewEvent(models.Model):
    """One move of a report's review state: written by surveys.workflow and nowhere else."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="review_events", verbose_name=_("report"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("when"), default=timezone.now)
    action = models.CharField(_("action"), max_length=10)
    from_status = models.CharField(_("from"), max_length=10, choices=Report.Status.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=Report.Status.choices)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["at", "id"], name="review_event_order")]  # the history list's order
        verbose_name = _("review event")
        verbose_name_plural = _("review events")

    def __str__(self) -> str:
        return f"{self.report} {self.from_status} → {self.to_status}"
