"""Lookups and people, managed by administrators (information management officers); others may only look."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy

from surveys import access
from surveys.admin.accounts import send_password_reset
from surveys.admin.common import AdministratorsManage
from surveys.models import AdminArea, Donor, Organisation, Project, Team, User


class LookupAdmin(AdministratorsManage, admin.ModelAdmin):
    pass


@admin.register(Organisation)
class OrganisationAdmin(LookupAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Team)
class TeamAdmin(LookupAdmin):
    list_display = ["name", "code", "organisation"]
    list_filter = ["organisation"]
    list_select_related = ["organisation"]
    search_fields = ["name", "code"]


@admin.register(Donor)
class DonorAdmin(LookupAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Project)
class ProjectAdmin(LookupAdmin):
    list_display = ["code", "name", "donor", "organisation", "start_date", "end_date"]
    list_filter = ["donor", "organisation"]
    list_select_related = ["donor", "organisation"]
    search_fields = ["code", "name"]


@admin.register(AdminArea)
class AdminAreaAdmin(LookupAdmin):
    list_display = ["name_en", "name_ar", "level", "pcode", "parent"]
    list_filter = ["level"]
    list_select_related = ["parent"]
    search_fields = ["name_en", "name_ar", "pcode"]
    autocomplete_fields = ["parent"]


@admin.register(User)
class FieldUserAdmin(AdministratorsManage, UserAdmin):
    """Users with their organisation, team and grants; their role is their group. Only administrators see them."""

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
    actions = [send_password_reset]

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
