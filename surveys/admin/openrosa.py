"""Instances received from ODK Collect / KoboCollect, as they came: read-only, for administrators (audit, support)."""

from django.contrib import admin

from surveys import access
from surveys.admin.common import ReadOnly
from surveys.models import OpenRosaInstance


@admin.register(OpenRosaInstance)
class OpenRosaInstanceAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["instance_id", "report", "submitted_by", "form_version", "received_at"]
    list_select_related = ["report", "submitted_by"]
    search_fields = ["instance_id", "report__reference", "submitted_by__username"]
    date_hierarchy = "received_at"

    def has_module_permission(self, request):
        return access.can_manage_lookups(request.user)

    def has_view_permission(self, request, obj=None):
        return access.can_manage_lookups(request.user)
