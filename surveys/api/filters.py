"""Query-string filters of the API lists (django-filter). A value that does not parse answers 400 with the reason."""

from datetime import UTC

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField

from surveys.models import Disposal, EOCategory, ExplosiveItem, Report, Site, SiteStatus, SiteType

_MAX_ID = 2**63 - 1


class IdFilter(filters.Filter):
    """A record id: a whole number (a decimal or an out-of-range number is a 400, not an empty list)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", _MAX_ID)
        super().__init__(*args, **kwargs)


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 moment, turned into UTC: PostgreSQL refuses unusual offsets such as -20:25 that ISO allows."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(UTC)
        except OverflowError:  # e.g. 9999-12-31T23:00-05:00 is past the last representable moment in UTC
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class SinceFilter(filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_name", "updated_at")
        kwargs.setdefault("lookup_expr", "gte")
        super().__init__(*args, **kwargs)


class ReportFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(
        choices=Report.Status.choices, distinct=False,  # one row per report anyway: no DISTINCT over a million
        help_text=_("Review state; repeat the parameter for several (status=draft&status=returned)."),
    )
    team = IdFilter(field_name="team_id", help_text=_("Team id."))
    project = IdFilter(field_name="project_id", help_text=_("Grant (project) id."))
    activity_date_from = filters.DateFilter(field_name="activity_date", lookup_expr="gte",
                                            help_text=_("Date of activity on or after this day (YYYY-MM-DD)."))
    activity_date_to = filters.DateFilter(field_name="activity_date", lookup_expr="lte",
                                          help_text=_("Date of activity on or before this day (YYYY-MM-DD)."))
    updated_since = SinceFilter(help_text=_("Changed at or after this moment (ISO 8601 date and time, with its "
                                            "time zone)."))
    waiting_for_photos = filters.BooleanFilter(
        method="filter_waiting_for_photos",
        help_text=_("true: only reports still waiting for photos their device announced; false: only complete ones."),
    )

    class Meta:
        model = Report
        fields: list[str] = []

    def filter_waiting_for_photos(self, queryset, name, value):
        return queryset.waiting_for_photos(value)


class AnyReportFilter(ReportFilter):
    kind = filters.ChoiceFilter(choices=Report.Kind.choices, help_text=_("Report type."))


class SiteFilter(filters.FilterSet):
    team = IdFilter(field_name="team_id", help_text=_("Team id: the phone's pick list asks for its own team's sites."))
    admin_area = IdFilter(field_name="admin_area_id", help_text=_("Administrative area id."))
    status = filters.MultipleChoiceFilter(choices=SiteStatus.choices, distinct=False,
                                          help_text=_("Site status; repeat the parameter for several."))
    site_type = filters.ChoiceFilter(choices=SiteType.choices, help_text=_("Site type."))
    updated_since = SinceFilter(help_text=_("Changed at or after this moment (ISO 8601)."))

    class Meta:
        model = Site
        fields: list[str] = []


class SiteChoiceFilter(filters.FilterSet):
    updated_since = SinceFilter(help_text=_("Changed at or after this moment (ISO 8601): what changed since the "
                                            "copy's last sync."))

    class Meta:
        model = Site
        fields: list[str] = []


class ExplosiveItemFilter(filters.FilterSet):
    report = IdFilter(field_name="report_id", help_text=_("Clearance report id."))
    category = filters.ChoiceFilter(choices=EOCategory.choices, help_text=_("Explosive ordnance category."))
    disposal = filters.ChoiceFilter(choices=Disposal.choices, help_text=_("What was done with the items."))

    class Meta:
        model = ExplosiveItem
        fields: list[str] = []
