"""Accounts in admin: everyone's API tokens (administrators list and revoke them), and the password-reset action.

Sign-in lockouts are django-axes' own admin ("Access attempts": delete a row to unlock that account).
"""

import contextlib

from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.utils.translation import gettext_lazy, ngettext
from knox.models import AuthToken
from rest_framework.authtoken.models import TokenProxy

from surveys import access, accounts
from surveys.models import DeviceToken

# knox's own token model is replaced by DeviceToken; DRF's tokens no longer sign in (kept only for the migration
# history): neither should appear in admin.
for _model in (AuthToken, TokenProxy):
    with contextlib.suppress(NotRegistered):
        admin.site.unregister(_model)


@admin.register(DeviceToken)
class DeviceTokenAdmin(admin.ModelAdmin):
    """Tokens are made by their owner (API or the Devices page); here they are listed and revoked (deleted)."""

    list_display = ["user", "device_name", "starts_with", "created", "expiry"]
    list_filter = ["user__organisation"]
    list_select_related = ["user"]
    search_fields = ["user__username", "device_name", "token_key"]
    fields = ["user", "device_name", "starts_with", "created", "expiry"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("starts with"))
    def starts_with(self, obj: DeviceToken) -> str:
        return obj.token_key[:8]

    def has_module_permission(self, request):
        return access.can_manage_lookups(request.user)

    def has_view_permission(self, request, obj=None):
        return access.can_manage_lookups(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return access.can_manage_lookups(request.user)


@admin.action(description=gettext_lazy("Send a password reset e-mail"), permissions=["change"])
def send_password_reset(modeladmin, request, queryset):
    sent = [user for user in queryset if accounts.send_password_reset(user, request)]
    if sent:
        modeladmin.message_user(request, ngettext(
            "A password reset e-mail was sent to %(count)d user.",
            "A password reset e-mail was sent to %(count)d users.", len(sent)) % {"count": len(sent)},
            messages.SUCCESS)
    skipped = queryset.count() - len(sent)
    if skipped:
        modeladmin.message_user(request, ngettext(
            "%(count)d user has no e-mail address or is inactive: nothing was sent to them.",
            "%(count)d users have no e-mail address or are inactive: nothing was sent to them.", skipped)
            % {"count": skipped}, messages.WARNING)
