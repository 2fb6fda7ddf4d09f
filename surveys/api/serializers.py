"""Serializers of API v1. They translate input: what a report must meet is the shared rule set (surveys.rules),
which the models' clean() applies; RuledSerializerMixin runs it on the report as it would be saved, even when some
fields did not parse, so one answer carries every error (item lines' under `items`), with the rule set's messages.
Owner, site and grant choices and derived values come from the capture service (surveys.capture), as for the form."""

import copy
import json
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField, get_error_detail
from rest_framework.settings import api_settings

from surveys import access, capture, flags, geo, rules
from surveys.models import (
    PARTICIPANT_FIELDS,
    AdminArea,
    ClearanceReport,
    EOCategory,
    EoreSession,
    ExplosiveItem,
    Organisation,
    Photo,
    Project,
    Report,
    Role,
    Site,
    SurveyReport,
    Team,
)


class DescribedModelSerializer(serializers.ModelSerializer):
    """A model serializer whose every field has a description in the schema: its model help text, else its label."""

    def build_field(self, field_name, info, model_class, nested_depth):
        field_class, kwargs = super().build_field(field_name, info, model_class, nested_depth)
        if not kwargs.get("help_text"):
            label = kwargs.get("label") or field_name.replace("_", " ")
            kwargs["help_text"] = capfirst(label)
        return field_class, kwargs


def _user(serializer: serializers.Serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


POLYGON_SCHEMA = {
    "type": "object",
    "nullable": True,
    "description": "GeoJSON Polygon (WGS84, longitude then latitude); any other type, a Feature included, is "
                   "refused. Each ring must be closed, must not cross itself or span more than 180° of longitude, and "
                   "holes must lie inside the outer ring.",
    "properties": {
        "type": {"type": "string", "enum": ["Polygon"]},
        "coordinates": {
            "type": "array",
            "items": {"type": "array", "items": {"type": "array", "items": {"type": "number"}, "minItems": 2}},
        },
    },
    "required": ["type", "coordinates"],
}


def follow_rules(fields: dict, report_type: str, scope: str = "report") -> None:
    """Leave the ruled fields' checks to the rule set (as surveys.forms.follow_rules does for the form): not required
    here (the rule set says what is), no bounds or lengths of their own, the rule set's message for a value that does
    not parse or a choice that is not one."""
    ruled = rules.fields(report_type, scope)
    for name, field in fields.items():
        if name not in ruled or field.read_only:
            continue
        field.required = False
        field.validators = []  # the model field's validators (bounds, not in the future...) are the rule set's now
        for attr in ("max_length", "min_length", "max_value", "min_value", "max_digits", "decimal_places"):
            if hasattr(field, attr):
                setattr(field, attr, None)
        if hasattr(field, "allow_blank"):
            field.allow_blank = True
        for rule in rules.rules_for(report_type, scope):
            if rule.field != name:
                continue
            if rule.kind in ("number", "date"):
                field.error_messages["invalid"] = str(rule.invalid_message)
            if rule.kind == "number":
                field.to_internal_value = _number_reader(field, rule)
            elif rule.kind == "choice":
                target = getattr(field, "child", field)
                target.error_messages["invalid_choice"] = str(rule.message)


def _number_reader(field: serializers.Field, rule: rules.Rule):
    """Numbers read by rules.parse_number, as the form and the phone read them (4.6e18 is a number, too large)."""

    def to_internal_value(data):
        try:
            value = rules.parse_number(data, integer=rule.params["integer"])
        except rules.Invalid:
            field.fail("invalid")
        if value is None:
            return None
        return float(value) if isinstance(field, serializers.FloatField) else value

    return to_internal_value


class RuledSerializerMixin:
    """Every error of a report (or item line) in one answer: fields that parse are checked by the rule set even when
    others did not parse, and both kinds of error come back together."""

    rule_type: str = ""
    rule_scope = "report"

    def to_internal_value(self, data):
        if isinstance(data, Mapping) and self.rule_type:
            data = _normalised(self.rule_type, data, self.rule_scope)
        if not isinstance(data, Mapping):
            return super().to_internal_value(data)
        attrs, errors = {}, {}
        for field in self._writable_fields:
            validate_method = getattr(self, "validate_" + field.field_name, None)
            try:
                validated = field.run_validation(field.get_value(data))
                if validate_method is not None:
                    validated = validate_method(validated)
            except serializers.ValidationError as exc:
                errors[field.field_name] = exc.detail
            except DjangoValidationError as exc:
                errors[field.field_name] = get_error_detail(exc)
            except SkipField:
                pass
            else:
                self.set_value(attrs, field.source_attrs, validated)
        for name, messages in self.rule_errors(attrs, set(errors)).items():
            errors.setdefault(name, [])
            if isinstance(errors[name], list):
                errors[name].extend(m for m in messages if m not in errors[name])
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def rule_errors(self, attrs: dict, failed: set[str]) -> dict[str, list[str]]:
        return {}


def _normalised(report_type: str, data: Mapping, scope: str) -> Mapping:
    """Latin digits in the numbers and dates sent (capture.normalise), keeping a multipart body's lists."""
    if isinstance(data, QueryDict):
        copy_ = data.copy()
        for key, value in capture.normalise(report_type, {k: data.get(k) for k in data}, scope).items():
            if isinstance(value, str) and value != data.get(key):
                copy_[key] = value
        return copy_
    return capture.normalise(report_type, dict(data), scope)


@extend_schema_field(POLYGON_SCHEMA)
class PolygonField(serializers.JSONField):
    """A GeoJSON outline. JSON of any shape parses; the model's polygon validator then checks it is a real outline."""

    default_error_messages = {"invalid": geo.OUTLINE_MESSAGE}

    def to_internal_value(self, data):
        if isinstance(data, str):  # a multipart body sends the outline as text: parse it within the JSON limits
            try:
                data = rules.safe_json_loads(data) if data.strip() else None
            except ValueError:
                self.fail("invalid")
        value = super().to_internal_value(data)
        # PostgreSQL's jsonb cannot hold a NUL character; refuse it here rather than fail on save.
        if "\\u0000" in json.dumps(value):
            self.fail("invalid")
        return value


class ExplosiveItemLineSerializer(RuledSerializerMixin, DescribedModelSerializer):
    """One line of explosive items, written inside its clearance report."""

    rule_type, rule_scope = "clearance", "item"

    class Meta:
        model = ExplosiveItem
        fields = ["id", "category", "quantity", "weight_kg", "disposal"]
        extra_kwargs = {
            "quantity": {"help_text": _("How many items of this category (at least 1).")},
            "weight_kg": {"help_text": _("Total weight of the line in kilograms, two decimals.")},
        }

    def get_fields(self):
        fields = super().get_fields()
        follow_rules(fields, self.rule_type, self.rule_scope)
        return fields

    def rule_errors(self, attrs: dict, failed: set[str]) -> dict[str, list[str]]:
        values = {name: attrs.get(name) for name in rules.fields(self.rule_type, self.rule_scope)}
        return {k: m for k, m in rules.check_item(self.rule_type, values).items() if k not in failed}


# Reports ---------------------------------------------------------------------------------------------------------------


def site_status(report: Report) -> str | None:
    """The status of the site a report describes (None when it has none yet): it decides whether donors see exact
    coordinates. The generic report list annotates it; typed reports carry their site."""
    if hasattr(report, "site_status"):
        return report.site_status
    site = getattr(report, "site", None)
    return site.status if site is not None else None


class ReportSerializer(RuledSerializerMixin, DescribedModelSerializer):
    """What every report shares. Typed serializers below add their own fields."""

    uuid = serializers.UUIDField(
        required=False,
        help_text=_("Made by the device that captured the report; the idempotency key. Send it: a resend of the same "
                    "report with the same UUID and content answers 200 with the stored report and creates nothing; "
                    "with different content it answers 409. Left out, the server makes one. It cannot be changed."),
    )
    captured_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                               help_text=_("Username of the person who captured the report."))
    polygon = PolygonField(required=False, allow_null=True, help_text=_("Outline of the area, GeoJSON Polygon."))
    photos_received = serializers.SerializerMethodField(help_text=_("How many photos of this report have arrived."))
    waiting_for_photos = serializers.BooleanField(
        read_only=True,
        help_text=_("True while fewer photos have arrived than photos_expected: the report is not complete yet."),
    )
    flags = serializers.ListField(
        child=serializers.CharField(), read_only=True,
        help_text=_("Review warnings: area_overrun, polygon_mismatch, gps_poor, no_photo, duplicate."),
    )
    submit = serializers.BooleanField(
        write_only=True, required=False,
        help_text=_("Send true to submit the report for review once it is stored (the phone's Submit button). On a "
                    "resend it submits the stored report if it is still a draft; a submitted report stays as it is."),
    )

    COMMON_FIELDS = [
        "id", "uuid", "reference", "kind", "status", "organisation", "team", "project", "captured_by",
        "activity_date", "captured_at", "admin_area", "place_name", "latitude", "longitude", "gps_accuracy_m",
        "polygon", "notes", "photos_expected", "photos_received", "waiting_for_photos", "flags", "submitted_at",
        "created_at", "updated_at", "submit",
    ]
    COMMON_EXTRA_KWARGS = {
        "organisation": {"read_only": True, "help_text": _("Organisation of the team (set from the team).")},
        "team": {"read_only": True, "help_text": _("Team that captured the report (the capturer's team).")},
        "project": {"help_text": _("Grant (project) the work is funded by: one of your organisation's "
                                   "(see /api/v1/me/).")},
        "activity_date": {"help_text": _("Day the work was done (ISO 8601 date); not in the future.")},
        "captured_at": {"help_text": _("When the report was captured on the device (ISO 8601 with time zone).")},
        "admin_area": {"help_text": _("Administrative area (id from /api/v1/admin-areas/), the lowest level known.")},
        "latitude": {"help_text": _("WGS84 latitude in decimal degrees. Send both latitude and longitude, or "
                                    "neither. Donor viewers get it rounded to 0.01° until the site is closed.")},
        "longitude": {"help_text": _("WGS84 longitude in decimal degrees. Donor viewers get it rounded to 0.01° "
                                     "until the site is closed.")},
        "gps_accuracy_m": {"help_text": _("Accuracy of the GPS point in metres, as the device reported it.")},
        "photos_expected": {"help_text": _(
            "How many photos the device will send for this report (each with POST "
            "/api/v1/reports/{id}/photos/). Until that many have arrived the report is waiting for photos.")},
        "status": {"help_text": _("Review state: draft, submitted, approved or returned. Changed only by actions.")},
        "reference": {"help_text": _("Short human reference, e.g. SUR-2026-000123, given by the server.")},
        "kind": {"help_text": _("Report type: survey, clearance or eore.")},
    }

    class Meta:
        model = Report
        fields: list[str] = []  # set by subclasses; see ReportSummarySerializer for the generic list
        read_only_fields = ["kind", "status", "submitted_at"]

    @property
    def rule_type(self) -> str:
        return getattr(self.Meta.model, "KIND", None) or ""

    def get_fields(self):
        fields = super().get_fields()
        user = _user(self)
        report = self.instance if isinstance(self.instance, Report) else None
        if "project" in fields and not fields["project"].read_only:
            fields["project"].queryset = capture.project_choices(user, report)
        if "site" in fields and not fields["site"].read_only:
            # The capture service's choices, as on the form: not another team's site.
            fields["site"].queryset = capture.site_choices(user, report)
        for name, message in capture.CHOICE_MESSAGES.items():
            if name in fields and not fields[name].read_only:
                fields[name].error_messages["does_not_exist"] = str(message)
        if self.rule_type:
            follow_rules(fields, self.rule_type)
        return fields

    @extend_schema_field(OpenApiTypes.INT)
    def get_photos_received(self, report: Report) -> int:
        received = getattr(report, "photos_received", None)
        return report.photos.count() if received is None else received

    def validate_uuid(self, value):
        if self.instance is not None and value != self.instance.uuid:
            raise serializers.ValidationError(_("The UUID of a report cannot be changed."))
        return value

    def rule_errors(self, attrs: dict, failed: set[str]) -> dict[str, list[str]]:
        """Run the model's own validation (the rule set through clean(), the fields the rules leave to the model,
        constraints) on the report as it would be saved, leaving out the fields that did not parse.

        Uniqueness of the UUID is not checked here: a UUID already stored is a resend, which the view answers."""
        candidate = self._candidate(attrs)
        try:
            candidate.full_clean(exclude=["uuid", *failed])
        except DjangoValidationError as exc:
            errors = serializers.as_serializer_error(exc)
            if "__all__" in errors:
                errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop("__all__")
            return errors
        return {}

    def _candidate(self, attrs: dict) -> Report:
        """An unsaved copy of the report with the sent values applied (the stored one is left untouched)."""
        model = self.Meta.model
        if self.instance is not None:
            candidate = copy.copy(self.instance)
        else:
            candidate = capture.assign_owner(model(kind=model.KIND), _user(self))
        for name, value in attrs.items():
            if name not in self.nested_fields and name != "submit":
                setattr(candidate, name, value)
        self.complete(candidate, attrs)
        return candidate

    nested_fields: tuple[str, ...] = ()

    def complete(self, candidate: Report, attrs: dict) -> None:
        """Fill values derived from others before validation (capture.derive_defaults)."""
        capture.derive_defaults(candidate)

    def to_representation(self, instance: Report) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not access.sees_exact_location(_user(self), site_status(instance)):
            data["latitude"] = access.coarse(data.get("latitude"))
            data["longitude"] = access.coarse(data.get("longitude"))
            data["polygon"] = None
        return data

    @transaction.atomic
    def create(self, validated_data: dict) -> Report:
        user = _user(self)
        nested = {name: validated_data.pop(name) for name in self.nested_fields if name in validated_data}
        validated_data.pop("submit", None)
        report = capture.assign_owner(self.Meta.model(**validated_data), user)
        self.complete(report, validated_data)
        report._history_user = user
        report.save()
        self.save_nested(report, nested)
        flags.refresh_with_peers(report)
        return report

    @transaction.atomic
    def update(self, instance: Report, validated_data: dict) -> Report:
        nested = {name: validated_data.pop(name) for name in self.nested_fields if name in validated_data}
        validated_data.pop("submit", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        self.complete(instance, validated_data)
        instance._history_user = _user(self)
        instance.save()
        self.save_nested(instance, nested)
        flags.refresh_with_peers(instance)
        return instance

    def save_nested(self, report: Report, nested: dict) -> None:
        """Store nested lines (a hook for the clearance serializer)."""


class ReportSummarySerializer(ReportSerializer):
    """A report of any type, as the generic list shows it (read only; the typed endpoints have every field)."""

    class Meta(ReportSerializer.Meta):
        fields = [f for f in ReportSerializer.COMMON_FIELDS if f != "submit"]
        read_only_fields = fields
        extra_kwargs = ReportSerializer.COMMON_EXTRA_KWARGS


class SurveyReportSerializer(ReportSerializer):
    contamination = serializers.ListField(
        child=serializers.ChoiceField(choices=EOCategory.choices), required=False, max_length=len(EOCategory.values),
        help_text=_("Explosive ordnance categories found or suspected."),
    )

    class Meta(ReportSerializer.Meta):
        model = SurveyReport
        fields = [*ReportSerializer.COMMON_FIELDS, "survey_type", "site", "site_name", "site_type", "priority",
                  "classification", "evidence", "contamination", "estimated_area_m2", "blockage",
                  "expected_beneficiaries"]
        extra_kwargs = {
            **ReportSerializer.COMMON_EXTRA_KWARGS,
            "site": {"help_text": _("An existing site (id from /api/v1/sites/) this survey updates; leave empty to "
                                    "record a new site, created when the survey is approved.")},
            "estimated_area_m2": {"help_text": _("Estimated hazardous area in square metres.")},
            "expected_beneficiaries": {"help_text": _("People expected to benefit once the land is released.")},
        }


class ClearanceReportSerializer(ReportSerializer):
    items = ExplosiveItemLineSerializer(
        many=True, required=False, max_length=rules.ITEMS_MAX,
        help_text=_("Explosive items found, one line per category and disposal. When sent, the lines replace all "
                    "stored ones; when left out (PATCH), the stored lines stay."),
    )
    nested_fields = ("items",)

    class Meta(ReportSerializer.Meta):
        model = ClearanceReport
        fields = [*ReportSerializer.COMMON_FIELDS, "site", "stage", "method", "start_date", "end_date",
                  "cancelled_area_m2", "reduced_area_m2", "cleared_area_m2", "depth_cm", "handover_date",
                  "handed_over_to", "handover_notes", "items"]
        extra_kwargs = {
            **ReportSerializer.COMMON_EXTRA_KWARGS,
            "site": {"help_text": _("The site worked on (id from /api/v1/sites/).")},
            "stage": {"help_text": _("progress, or completion: the report that closes the site (needs the handover "
                                     "date and who received the land).")},
            "cancelled_area_m2": {"help_text": _("Area cancelled by non-technical survey, in square metres.")},
            "reduced_area_m2": {"help_text": _("Area reduced by technical survey, in square metres.")},
            "cleared_area_m2": {"help_text": _("Area cleared, in square metres.")},
            "depth_cm": {"help_text": _("Clearance depth in centimetres.")},
        }

    def save_nested(self, report: ClearanceReport, nested: dict) -> None:
        if "items" not in nested:
            return
        report.items.all().delete()
        for line in nested["items"]:  # one by one, so each line has its history row (bulk_create writes none)
            item = ExplosiveItem(report=report, **line)
            item._history_user = _user(self)
            item.save()


class EoreSessionSerializer(ReportSerializer):
    class Meta(ReportSerializer.Meta):
        model = EoreSession
        fields = [*ReportSerializer.COMMON_FIELDS, "place_type", "delivery_method", *PARTICIPANT_FIELDS,
                  "total_participants", "persons_with_disabilities", "first_time_attendees", "posters_qty",
                  "brochures_qty", "other_materials"]
        extra_kwargs = {
            **ReportSerializer.COMMON_EXTRA_KWARGS,
            **{name: {"help_text": _("People reached: %(sex)s aged %(band)s.") % {
                "sex": name.split("_", 1)[0], "band": name.split("_", 1)[1].replace("_plus", "+").replace("_", "–")}}
               for name in PARTICIPANT_FIELDS},
            "total_participants": {"required": False, "help_text": _(
                "Everyone reached. Left out, it is the sum of the twelve sex × age counts; sent, it must equal it.")},
            "persons_with_disabilities": {"help_text": _("Persons with disabilities among them (not more than "
                                                         "the total).")},
            "first_time_attendees": {"help_text": _("First-time attendees among them (not more than the total).")},
        }

    def complete(self, candidate: EoreSession, attrs: dict) -> None:
        if "total_participants" not in attrs:
            candidate.total_participants = None  # left out: derived from the grid (capture.derive_defaults)
        super().complete(candidate, attrs)
        if "total_participants" not in attrs and candidate.total_participants is not None:
            attrs["total_participants"] = candidate.total_participants


def differing_fields(serializer: ReportSerializer, stored: Report) -> list[str]:
    """The fields whose sent value differs from the stored report's: what makes a resend a conflict.

    "Same content" means: every writable field present in the validated request equals the stored value once both
    are put in the API's own representation (dates in ISO 8601, decimals with their places, related records by id,
    the EORE total derived when left out). Fields the request leaves out are not compared, server-set fields
    (reference, status, flags, timestamps) never are, and explosive item lines are compared as a set (their order
    does not matter)."""
    differing = []
    for name, sent in serializer.validated_data.items():
        field = serializer.fields[name]
        if field.write_only:
            continue
        if _canonical(field, sent) != _canonical(field, field.get_attribute(stored)):
            differing.append(name)
    return differing


def _canonical(field: serializers.Field, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(field, serializers.ListSerializer):
        rows = [_canonical(field.child, row) for row in (value.all() if hasattr(value, "all") else value)]
        return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True, default=str))
    if isinstance(field, serializers.Serializer):
        return {
            name: _canonical(child, value.get(name) if isinstance(value, Mapping) else child.get_attribute(value))
            for name, child in field.fields.items() if not child.read_only
        }
    return field.to_representation(value)


# Photos ----------------------------------------------------------------------------------------------------------------


class PhotoSerializer(DescribedModelSerializer):
    file_url = serializers.SerializerMethodField(help_text=_("API URL of the photo file (JPEG, access-checked)."))
    thumbnail_url = serializers.SerializerMethodField(help_text=_("API URL of the thumbnail (JPEG, 320 px)."))

    class Meta:
        model = Photo
        fields = ["id", "report", "caption", "width", "height", "bytes", "taken_at", "latitude", "longitude",
                  "created_at", "file_url", "thumbnail_url"]
        read_only_fields = fields
        extra_kwargs = {"id": {"help_text": _("The photo's UUID, made on the device: its idempotency key.")}}

    @extend_schema_field(OpenApiTypes.URI)
    def get_file_url(self, photo: Photo) -> str:
        return reverse("api:photo-file", args=[photo.pk])

    @extend_schema_field(OpenApiTypes.URI)
    def get_thumbnail_url(self, photo: Photo) -> str:
        return reverse("api:photo-file", args=[photo.pk]) + "?size=thumbnail"


class PhotoUploadSerializer(serializers.Serializer):
    id = serializers.UUIDField(
        required=False,
        help_text=_("The photo's own UUID, made on the device. Send it: the same photo sent again is stored once "
                    "(the first upload wins; a resend answers 200 with the stored photo)."),
    )
    image = serializers.FileField(
        help_text=_("The photo: JPEG, PNG or WebP, at most 15 MB. It is re-encoded as JPEG without its metadata."),
    )
    caption = serializers.CharField(max_length=300, required=False, allow_blank=True, default="",
                                    help_text=_("What the photo shows."))
    taken_at = serializers.DateTimeField(required=False, allow_null=True, default=None,
                                         help_text=_("When the photo was taken; if left out, read from its EXIF."))
    latitude = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True, default=None,
                                      help_text=_("Where it was taken (WGS84); if left out, read from its EXIF."))
    longitude = serializers.FloatField(min_value=-180, max_value=180, required=False, allow_null=True, default=None,
                                       help_text=_("Where it was taken (WGS84); if left out, read from its EXIF."))


# Sites, lookups, explosive items, the user -----------------------------------------------------------------------------


class SiteSerializer(DescribedModelSerializer):
    contamination = serializers.ListField(child=serializers.CharField(), read_only=True,
                                          help_text=_("Explosive ordnance categories found or suspected."))
    polygon = PolygonField(read_only=True, help_text=_("Outline of the area (GeoJSON Polygon)."))
    remaining_area_m2 = serializers.IntegerField(
        read_only=True, help_text=_("Estimated area less the released area (cancelled + reduced + cleared), m²."))

    class Meta:
        model = Site
        fields = ["id", "reference", "name", "organisation", "team", "admin_area", "place_name", "latitude",
                  "longitude", "polygon", "site_type", "priority", "classification", "evidence", "contamination",
                  "estimated_area_m2", "status", "cancelled_area_m2", "reduced_area_m2", "cleared_area_m2",
                  "remaining_area_m2", "handed_over_on", "updated_at"]
        read_only_fields = fields
        extra_kwargs = {
            "latitude": {"help_text": _("WGS84 latitude; donor viewers get it rounded to 0.01° until the site is "
                                        "closed.")},
            "longitude": {"help_text": _("WGS84 longitude; donor viewers get it rounded to 0.01° until the site is "
                                         "closed.")},
            "status": {"help_text": _("open; worked on (from its first approved clearance); closed (completion "
                                      "approved).")},
        }

    def to_representation(self, site: Site) -> dict[str, Any]:
        data = super().to_representation(site)
        if not access.sees_exact_location(_user(self), site.status):
            data["latitude"] = access.coarse(site.latitude)
            data["longitude"] = access.coarse(site.longitude)
            data["polygon"] = None
        return data


class SiteChoiceSerializer(DescribedModelSerializer):
    """A site the user may put on a report, as the phone keeps it for its site search: what a pick shows and fills in
    on a form (surveys.forms.site_facts), and when it last changed (the sync's cursor)."""

    label = serializers.CharField(source="__str__", read_only=True,
                                  help_text=_("The site as pick lists show it: its reference and name."))

    class Meta:
        model = Site
        fields = ["id", "reference", "label", "name", "site_type", "priority", "classification", "evidence",
                  "estimated_area_m2", "updated_at"]
        read_only_fields = fields


class SiteChoiceIdsSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), help_text=_(
        "The id of every site you may put on a report now: a copy holding any other has to drop it."))


class AdminAreaSerializer(DescribedModelSerializer):
    class Meta:
        model = AdminArea
        fields = ["id", "pcode", "level", "name_en", "name_ar", "parent"]
        read_only_fields = fields
        extra_kwargs = {"level": {"help_text": _("1 governorate, 2 district, 3 sub-district.")}}


class ExplosiveItemSerializer(DescribedModelSerializer):
    report_reference = serializers.CharField(source="report.reference", read_only=True,
                                             help_text=_("Reference of the clearance report."))

    class Meta:
        model = ExplosiveItem
        fields = ["id", "report", "report_reference", "category", "quantity", "weight_kg", "disposal"]
        read_only_fields = fields


class _OrganisationBrief(DescribedModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "code"]


class _TeamBrief(DescribedModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name", "code"]


class _ProjectBrief(DescribedModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "code", "name"]


class MeSerializer(serializers.Serializer):
    """The signed-in user, built by the view from the access module (a dict, not a model)."""

    id = serializers.IntegerField(help_text=_("The user's id."))
    username = serializers.CharField(help_text=_("The user's sign-in name."))
    full_name = serializers.CharField(help_text=_("First and last name."))
    role = serializers.ChoiceField(choices=Role.choices, allow_null=True,
                                   help_text=_("What the user may do; null for a user without a role."))
    organisation = _OrganisationBrief(allow_null=True, help_text=_("The user's organisation."))
    team = _TeamBrief(allow_null=True, help_text=_("The user's team: reports they capture belong to it."))
    projects = _ProjectBrief(many=True, help_text=_("Grants: for capturers, those they may put on a report; for "
                                                    "donor viewers, those whose figures they see."))
    can_create_reports = serializers.BooleanField(help_text=_("Whether the user captures reports."))
    can_review = serializers.BooleanField(help_text=_("Whether the user reviews reports."))
    can_view_photos = serializers.BooleanField(help_text=_("Whether the user may see photos."))
