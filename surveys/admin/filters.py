"""Changelist filters shared by the report and site admins."""

from django.contrib import admin
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from surveys import access, flags
from surveys.models import AdminArea, Report


class FlagFilter(admin.SimpleListFilter):
    title = _("flags")
    parameter_name = "flag"

    def lookups(self, request, model_admin):
        return [("any", _("Any flag")), ("none", _("No flag"))] + [
            (name.removeprefix("flag_"), capfirst(Report._meta.get_field(name).verbose_name))
            for name in Report.FLAG_FIELDS
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "any":
            return queryset.filter(flags.any_flag_q())
        if value == "none":
            return queryset.exclude(flags.any_flag_q())
        if value and f"flag_{value}" in Report.FLAG_FIELDS:
            return queryset.filter(**{f"flag_{value}": True})
        return queryset


class PhotosFilter(admin.SimpleListFilter):
    """Reports whose device announced more photos than have arrived yet (sent from a phone, photos still coming)."""

    title = _("photos")
    parameter_name = "photos"

    def lookups(self, request, model_admin):
        return [("waiting", _("Waiting for photos")), ("complete", _("All photos in"))]

    def queryset(self, request, queryset):
        if self.value() in ("waiting", "complete"):
            return queryset.waiting_for_photos(self.value() == "waiting")
        return queryset


class IdFilter(admin.SimpleListFilter):
    """A filter whose value is a record's id: none chosen lists everything, anything but digits lists nothing."""

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return self.filter_by(queryset, int(value))

    def filter_by(self, queryset, pk: int):
        raise NotImplementedError


class GovernorateFilter(IdFilter):
    """Records whose administrative area is the governorate or lies within it (district or sub-district)."""

    title = _("governorate")
    parameter_name = "governorate"

    def lookups(self, request, model_admin):
        return [(str(area.pk), str(area)) for area in AdminArea.objects.filter(level=AdminArea.Level.GOVERNORATE)]

    def filter_by(self, queryset, pk: int):
        return queryset.filter(Q(admin_area_id=pk) | Q(admin_area__parent_id=pk) | Q(admin_area__parent__parent_id=pk))


class LookupFilter(IdFilter):
    """A filter by organisation, team or grant whose choices come from that small table, narrowed by the access module:
    unlike RelatedOnlyFieldListFilter it never scans the reports to find which values occur. Keeps admin's parameter
    name (e.g. team__id__exact), so links made for the old filter still work."""

    field = ""
    choices_for = None  # staticmethod (user) -> QuerySet of the table

    def lookups(self, request, model_admin):
        return [(str(obj.pk), str(obj)) for obj in self.choices_for(request.user)]

    def filter_by(self, queryset, pk: int):
        return queryset.filter(**{f"{self.field}_id": pk})


class OrganisationFilter(LookupFilter):
    title = _("organisation")
    parameter_name = "organisation__id__exact"
    field = "organisation"
    choices_for = staticmethod(access.review_organisations)


class TeamFilter(LookupFilter):
    title = _("team")
    parameter_name = "team__id__exact"
    field = "team"
    choices_for = staticmethod(access.review_teams)


class ProjectFilter(LookupFilter):
    title = _("project (grant)")
    parameter_name = "project__id__exact"
    field = "project"
    choices_for = staticmethod(access.review_projects)
