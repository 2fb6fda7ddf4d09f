"""Sites (hazard areas): their land-release status, derived from approved reports, and the reports about them."""

from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.contrib.admin.utils import unquote
from django.db import models
from django.utils.translation import gettext_lazy

from surveys import access
from surveys.admin import common
from surveys.admin.filters import GovernorateFilter
from surveys.forms import SafeJSONField
from surveys.models import AdminArea, ClearanceReport, Site, SurveyReport

# Derived from approved reports by Site.refresh_from_reports(): never typed in.
DERIVED = ["reference", "status", "cancelled_area_m2", "reduced_area_m2", "cleared_area_m2", "remaining",
           "handed_over_on"]


class SiteReportInline(common.ReadOnly, admin.TabularInline):
    """The site's reports, read-only, each linking to its review page."""

    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return access.visible_reports(request.user, super().get_queryset(request)).select_related("team")

    @admin.display(description=gettext_lazy("status"))
    def status_badge(self, obj):
        return common.status_badge(obj)


class ClearanceInline(SiteReportInline):
    model = ClearanceReport
    fk_name = "site"
    fields = ["reference", "stage", "activity_date", "team", "status_badge", "cancelled_area_m2", "reduced_area_m2",
              "cleared_area_m2"]
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("clearance reports")


class SurveyInline(SiteReportInline):
    model = SurveyReport
    fk_name = "site"
    fields = ["reference", "survey_type", "activity_date", "team", "status_badge", "classification",
              "estimated_area_m2"]
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("survey reports")


@admin.register(Site)
class SiteAdmin(common.AdministratorsManage, admin.ModelAdmin):
    """Sites are created and updated by approved surveys; administrators correct them, others look."""

    list_display = ["reference", "name", "site_type", "status", "estimated_area_m2", "cancelled_area_m2",
                    "reduced_area_m2", "cleared_area_m2", "remaining", "governorate", "organisation"]
    list_display_links = ["reference", "name"]
    list_filter = ["site_type", "status", GovernorateFilter, "classification", "priority",
                   ("organisation", RelatedOnlyFieldListFilter)]
    list_select_related = ["organisation", "admin_area__parent__parent"]
    search_fields = ["reference", "name", "place_name"]
    autocomplete_fields = ["admin_area"]
    formfield_overrides = {models.JSONField: {"form_class": SafeJSONField}}  # JSON within size and depth limits
    readonly_fields = DERIVED
    inlines = [ClearanceInline, SurveyInline]
    change_form_template = "admin/surveys/site_change_form.html"
    fieldsets = [
        (None, {"fields": ["reference", "name", "organisation", "team", "site_type", "priority", "classification",
                           "evidence", "contamination"]}),
        (gettext_lazy("Land release (from approved reports)"), {"fields": [
            "status", "estimated_area_m2", "cancelled_area_m2", "reduced_area_m2", "cleared_area_m2", "remaining",
            "handed_over_on",
        ]}),
        (gettext_lazy("Location"), {"fields": ["admin_area", "place_name", ("latitude", "longitude"), "polygon"]}),
    ]

    class Media:
        css = {"all": ["css/admin_review.css"]}

    def get_queryset(self, request):
        return access.visible_sites(request.user, super().get_queryset(request))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        site = self.get_object(request, unquote(object_id))
        if site is not None:
            extra_context = {**(extra_context or {}), "site_map": common.map_data(site)}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=gettext_lazy("remaining area (m²)"))
    def remaining(self, obj):
        return obj.remaining_area_m2

    @admin.display(description=gettext_lazy("governorate"))
    def governorate(self, obj):
        area = obj.admin_area
        while area is not None and area.level > AdminArea.Level.GOVERNORATE:
            area = area.parent
        return area or "—"
