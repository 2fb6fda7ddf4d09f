"""Who is sending: HTTP Basic against the app's own accounts (over TLS in production: settings redirect to HTTPS),
with the API's throttles and the sign-in lockout every password check shares (django-axes, see settings).

Collect first asks without credentials, gets 401 with `WWW-Authenticate`, then asks again with them: that first 401
is the protocol, not a failure. A wrong password goes through django.contrib.auth.authenticate(), so axes counts it
with the wrong passwords typed anywhere else; a locked account is refused (429) even with the right password.
"""

from axes.handlers.proxy import AxesProxyHandler
from rest_framework import exceptions
from rest_framework.authentication import BasicAuthentication

REALM = "fieldapp"


class LockedOut(exceptions.Throttled):
    pass


class OpenRosaBasicAuthentication(BasicAuthentication):
    www_authenticate_realm = REALM

    def authenticate_credentials(self, userid, password, request=None):
        # axes reads and marks Django's own request (its middleware answers a locked one: surveys.lockout).
        django_request = getattr(request, "_request", request)
        if not AxesProxyHandler.is_allowed(django_request, {"username": userid}):
            raise LockedOut
        try:
            return super().authenticate_credentials(userid, password, django_request)
        except exceptions.AuthenticationFailed:
            if getattr(django_request, "axes_locked_out", False):
                raise LockedOut from None
            raise
