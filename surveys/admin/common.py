"""Small pieces the admin pages share: permission mixins, badges, review links and the data of the review map."""

from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy

from surveys import access, flags
from surveys.models import EOCategory, Report


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


class PlainWords:
    """Read-only, a page says things in words: choice lists as their labels, the outline as its areas (the map beside
    it draws it), never stored values such as ["ied", "uxo"] or GeoJSON coordinates."""

    SHOWN_AS = {"contamination": "contamination_labels", "polygon": "outline"}

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and self.has_change_permission(request, obj):
            return fieldsets
        return [(title, {**options, "fields": [self.SHOWN_AS.get(f, f) if isinstance(f, str) else f
                                               for f in options["fields"]]})
                for title, options in fieldsets]

    @admin.display(description=gettext_lazy("contamination types"))
    def contamination_labels(self, obj):
        return choice_labels(getattr(obj, "contamination", None)) or "—"

    @admin.display(description=gettext_lazy("outline"))
    def outline(self, obj):
        return flags.outline_summary(obj) or "—"


# The admin of each report type, by Report.kind.
SPECIFIC_MODEL = {Report.Kind.SURVEY: "surveyreport", Report.Kind.CLEARANCE: "clearancereport",
                  Report.Kind.EORE: "eoresession"}


def review_url(report: Report) -> str:
    """The review page (the change page of the report's own type)."""
    return reverse(f"admin:surveys_{SPECIFIC_MODEL[report.kind]}_change", args=[report.pk])


def status_badge(report: Report) -> str:
    return format_html('<span class="review-status review-status-{}">{}</span>', report.status,
                       report.get_status_display())


# A sign per flag, for the queue's narrow column; the flag's name stays in the text for screen readers and on hover.
# Signs from common fonts (DejaVu, Noto), not emoji, which cheap Linux and Windows desktops may lack.
FLAG_SIGNS = {"flag_area_overrun": "⇔", "flag_polygon_mismatch": "⬠", "flag_gps_poor": "◎", "flag_no_photo": "⊘",
              "flag_duplicate": "❐"}


def flag_badges(report: Report, compact: bool = False) -> str:
    """The raised flags as badges; compact: a sign each (the queue), its name hidden but read out and on hover."""
    raised = [(name.removeprefix("flag_"), Report._meta.get_field(name).verbose_name, FLAG_SIGNS[name])
              for name in Report.FLAG_FIELDS if getattr(report, name)]
    if compact:
        return format_html_join(
            " ", '<span class="review-flag review-flag-{}" title="{}"><span aria-hidden="true">{}</span>'
                 '<span class="visually-hidden">{}</span></span>',
            ((flag, label, sign, label) for flag, label, sign in raised),
        )
    return format_html_join(" ", '<span class="review-flag review-flag-{}">{}</span>',
                            ((flag, label) for flag, label, _sign in raised))


def choice_labels(values, choices=EOCategory) -> str:
    """A stored list of choice values in words: ["ied", "uxo"] → "Improvised explosive device, Unexploded ordnance"."""
    labels = dict(choices.choices)
    return ", ".join(str(labels.get(value, value)) for value in values or [])


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
