"""What a person (or a script) is told when their account is locked after too many wrong passwords (django-axes)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_message() -> str:
    hours = settings.AXES_COOLOFF_TIME
    if hours:
        return _("This account is locked after too many wrong passwords. Try again in %(hours)s hour(s), or ask "
                 "your administrator to unlock it.") % {"hours": hours}
    return _("This account is locked after too many wrong passwords. Ask your administrator to unlock it.")


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: a page in the person's language, or JSON for the API; 429 either way."""
    if request.path.startswith("/api/"):
        return locked_api_response()
    if request.path.startswith("/openrosa/"):
        from surveys.openrosa.views import openrosa_response  # ODK Collect shows the message of OpenRosa's XML

        response = openrosa_response(lockout_message(), 429, "error")
        response["X-OpenRosa-Version"] = "1.0"
        return response
    return render(request, "registration/locked_out.html", {"message": lockout_message()}, status=429)


def locked_api_response() -> JsonResponse:
    return JsonResponse({"detail": lockout_message(), "code": "account_locked"}, status=429)
