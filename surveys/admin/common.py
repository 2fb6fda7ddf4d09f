"""Small pieces the admin pages share: permission mixins, badges, review links and the data of the review map."""

from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from surveys import access
from surveys.models import Report


class ReadOnly:
    """An admin or inline that only shows: records written elsewhere (workflow, photos) or derived."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AdministratorsManage:
    """Viewing follows the group's model permissions; adding, changing and deleting are for administrators."""

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) and access.can_manage_lookups(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and access.can_manage_lookups(request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and access.can_manage_lookups(request.user)


# The admin of each report type, by Report.kind.
SPECIFIC_MODEL = {Report.Kind.SURVEY: "surveyreport", Report.Kind.CLEARANCE: "clearancereport",
                  Report.Kind.EORE: "eoresession"}


def review_url(report: Report) -> str:
    """The review page (the change page of the report's own type)."""
    return reverse(f"admin:surveys_{SPECIFIC_MODEL[report.kind]}_change", args=[report.pk])


def status_badge(report: Report) -> str:
    return format_html('<span class="review-status review-status-{}">{}</span>', report.status,
                       report.get_status_display())


def flag_badges(report: Report) -> str:
    return format_html_join(
        " ", '<span class="review-flag review-flag-{}">{}</span>',
        ((name.removeprefix("flag_"), Report._meta.get_field(name).verbose_name)
         for name in Report.FLAG_FIELDS if getattr(report, name)),
    )


def map_data(obj) -> dict | None:
    """What the review map draws: the point (with its GPS accuracy) and the outline. None when there is neither."""
    if obj.latitude is None and not obj.polygon:
        return None
    return {
        "point": None if obj.latitude is None else [obj.latitude, obj.longitude],
        "accuracy_m": getattr(obj, "gps_accuracy_m", None),
        "polygon": obj.polygon or None,
        # Empty: no tile requests at all; the map draws on a plain background.
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
    }
