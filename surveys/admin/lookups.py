"""Lookups and people, managed by administrators (information management officers); others may only look."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportMixin
from import_export.results import RowResult

from surveys import access, onboarding
from surveys.admin.accounts import send_password_reset
from surveys.admin.common import AdministratorsManage
from surveys.models import AdminArea, Donor, Organisation, Project, Team, User


class Onboarding(ImportExportMixin):
    """Import and export by spreadsheet (surveys.onboarding): administrators only, whole files or nothing."""

    import_formats = onboarding.FORMATS
    export_formats = onboarding.FORMATS

    def has_import_permission(self, request):
        return access.can_manage_lookups(request.user)

    def has_export_permission(self, request):
        return access.can_manage_lookups(request.user)

    def get_import_data_kwargs(self, **kwargs):
        # The confirmed import re-reads the file: if anything changed since the preview, no row is written either.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}


class LookupAdmin(Onboarding, AdministratorsManage, admin.ModelAdmin):
    pass


@admin.register(Organisation)
class OrganisationAdmin(LookupAdmin):
    resource_classes = [onboarding.OrganisationResource]
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Team)
class TeamAdmin(LookupAdmin):
    resource_classes = [onboarding.TeamResource]
    list_display = ["name", "code", "organisation"]
    list_filter = ["organisation"]
    list_select_related = ["organisation"]
    search_fields = ["name", "code"]


@admin.register(Donor)
class DonorAdmin(LookupAdmin):
    resource_classes = [onboarding.DonorResource]
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Project)
class ProjectAdmin(LookupAdmin):
    resource_classes = [onboarding.ProjectResource]
    list_display = ["code", "name", "donor", "organisation", "start_date", "end_date"]
    list_filter = ["donor", "organisation"]
    list_select_related = ["donor", "organisation"]
    search_fields = ["code", "name"]


@admin.register(AdminArea)
class AdminAreaAdmin(LookupAdmin):
    resource_classes = [onboarding.AdminAreaResource]
    list_display = ["name_en", "name_ar", "level", "pcode", "parent"]
    list_filter = ["level"]
    list_select_related = ["parent"]
    search_fields = ["name_en", "name_ar", "pcode"]
    autocomplete_fields = ["parent"]


@admin.register(User)
class FieldUserAdmin(Onboarding, AdministratorsManage, UserAdmin):
    """Users with their organisation, team and grants; their role is their group. Only administrators see them."""

    resource_classes = [onboarding.UserResource]

    fieldsets = [
        *UserAdmin.fieldsets,
        (gettext_lazy("Organisation"), {"fields": ["organisation", "team", "projects"]}),
    ]
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        (gettext_lazy("Organisation and role"), {"fields": ["organisation", "team", "groups"]}),
    ]
    list_display = ["username", "first_name", "last_name", "organisation", "team", "roles", "is_active"]
    list_filter = ["groups", "organisation", "is_active", "is_staff"]
    list_select_related = ["organisation", "team"]
    filter_horizontal = ["groups", "user_permissions", "projects"]
    actions = [send_password_reset, "welcome_sheet"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def has_module_permission(self, request):
        return access.can_manage_lookups(request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and access.can_manage_lookups(request.user)

    @admin.display(description=gettext_lazy("role"))
    def roles(self, obj):
        names = {group.name for group in obj.groups.all()}
        return ", ".join(str(role.label) for role, name in access.GROUP_NAMES.items() if name in names)

    def process_result(self, result, request):
        """After a confirmed import, the welcome sheet of the users it created: each one's password-set link."""
        response = super().process_result(result, request)
        new = [row.object_id for row in result.rows if row.import_type == RowResult.IMPORT_TYPE_NEW]
        if not new:
            return response
        return self._welcome_sheet(request, User.objects.filter(pk__in=new))

    @admin.action(description=gettext_lazy("Print password-set links for the selected users"))
    def welcome_sheet(self, request, queryset):
        return self._welcome_sheet(request, queryset)

    def _welcome_sheet(self, request, users):
        users = users.select_related("organisation", "team").order_by("team__name", "username")
        # A link is only for someone who has not chosen a password yet: it would otherwise let the reader reset it.
        rows = [(u, onboarding.password_set_link(request, u) if not u.has_usable_password() else None) for u in users]
        context = {**self.admin_site.each_context(request), "title": gettext_lazy("Welcome sheet"), "rows": rows,
                   "opts": self.model._meta}
        return TemplateResponse(request, "admin/surveys/user/welcome_sheet.html", context)
