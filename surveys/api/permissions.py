"""DRF permission classes: thin wrappers that ask the access module."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from surveys import access


class HasRole(BasePermission):
    """A signed-in user with a role (field collector, supervisor, donor viewer or administrator)."""

    message = _("Your account has no role yet: ask an administrator to give you one.")

    def has_permission(self, request, view) -> bool:
        return access.role(request.user) is not None
