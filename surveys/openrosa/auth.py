"""Who is sending: HTTP Basic against the app's own accounts (over TLS in production: settings redirect to HTTPS),
with the API's throttling and a lockout after repeated wrong passwords.

Collect first asks without credentials, gets 401 with `WWW-Authenticate`, then asks again with them: that first 401
is the protocol, not a failure. A wrong password is counted per username and per address; past OPENROSA_MAX_FAILURES
within OPENROSA_LOCKOUT_S both are refused (429) until the period ends, even with the right password, so a phone
cannot be used to guess a password.
"""

from django.conf import settings
from django.core.cache import cache
from rest_framework import exceptions
from rest_framework.authentication import BasicAuthentication

REALM = "fieldapp"


def _keys(request, username: str) -> list[str]:
    address = request.META.get("REMOTE_ADDR", "")
    return [f"openrosa-fail:user:{username.lower()}", f"openrosa-fail:addr:{address}"]


def locked_out(request, username: str) -> bool:
    return any((cache.get(key) or 0) >= settings.OPENROSA_MAX_FAILURES for key in _keys(request, username))


def _count_failure(request, username: str) -> None:
    for key in _keys(request, username):
        cache.add(key, 0, settings.OPENROSA_LOCKOUT_S)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, settings.OPENROSA_LOCKOUT_S)


class LockedOut(exceptions.Throttled):
    default_detail = "Too many wrong passwords. Wait a few minutes, then try again."


class OpenRosaBasicAuthentication(BasicAuthentication):
    www_authenticate_realm = REALM

    def authenticate_credentials(self, userid, password, request=None):
        if locked_out(request, userid):
            raise LockedOut(wait=settings.OPENROSA_LOCKOUT_S)
        try:
            return super().authenticate_credentials(userid, password, request)
        except exceptions.AuthenticationFailed:
            _count_failure(request, userid)
            raise
