"""Request-level guards that must run before any view, form or parser touches the request."""

import time

from django.conf import settings
from django.http import HttpResponse, JsonResponse

# Before LocaleMiddleware has chosen a language: the message is given in both.
TOO_LARGE = ("This upload is too large (over {mb} MB). Take the photo again at a lower resolution."
             " / هذا الملف كبير جدًا (أكثر من {mb} ميغابايت). التقط الصورة مرة أخرى بدقة أقل.")


class RequestBodyLimitMiddleware:
    """Refuse a body larger than REQUEST_BODY_MAX_BYTES with 413, from its Content-Length, before reading it.

    Django itself reads no more than Content-Length bytes (and nothing without one), so checking the header is
    enough to stop a 100 MB upload before it is received; DATA_UPLOAD_MAX_MEMORY_SIZE and the photo checks only
    act once a body is being parsed. The server in front (nginx's client_max_body_size) should carry the same limit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads an unparsable length as an empty body
        limit = settings.REQUEST_BODY_MAX_BYTES
        if length > limit:
            message = TOO_LARGE.format(mb=limit // (1024 * 1024))
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class SessionIdleTimeoutMiddleware:
    """Renew the session (its expiry and cookie: SESSION_COOKIE_AGE from now) on activity, at most once every
    SESSION_RENEW_INTERVAL_S, so that it ends after SESSION_COOKIE_AGE without a request: an idle timeout for shared
    phones. Django's SESSION_SAVE_EVERY_REQUEST would do the same with a database write on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only an existing session that was not just ended (sign-out flushes it) is renewed.
        if session is not None and session.session_key and not session.is_empty():
            now = int(time.time())
            if now - session.get(RENEWED_AT, 0) >= settings.SESSION_RENEW_INTERVAL_S:
                session[RENEWED_AT] = now  # marks it modified: SessionMiddleware saves it and re-sends the cookie
        return response


RENEWED_AT = "_renewed_at"


def note_sign_in(sender, request, user, **kwargs) -> None:
    """Signing in saves a fresh session anyway: count it as the renewal, so the next request writes nothing.
    (The API's token endpoint has no session: nothing to note.)"""
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        session[RENEWED_AT] = int(time.time())
