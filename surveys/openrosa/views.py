"""The OpenRosa 1.0 endpoints ODK Collect and KoboCollect talk to: the server URL a team types is the site's address
followed by /openrosa.

- GET  formList                       the forms this user may fill, with versions, hashes and manifest URLs
- GET  forms/<form id>/form.xml       one XForm (generated from the rule set: surveys.openrosa.xforms)
- GET  forms/<form id>/manifest       its media files (the user's pick lists) with their hashes
- GET  forms/<form id>/media/<name>   one media file
- HEAD submission                     the pre-flight: 204 with the largest body accepted
- POST submission                     multipart/form-data: xml_submission_file and the photos it names

Every answer carries X-OpenRosa-Version and Date; errors are OpenRosa XML with a message for the field worker.
Authentication, throttling and lockout: surveys.openrosa.auth, with the API's throttle classes.
"""

from xml.sax.saxutils import escape

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions
from rest_framework.parsers import MultiPartParser
from rest_framework.views import APIView

from surveys import access
from surveys.lockout import lockout_message
from surveys.openrosa import media, submissions, xforms
from surveys.openrosa.auth import LockedOut, OpenRosaBasicAuthentication

XML = "text/xml; charset=utf-8"
RESPONSE_NS = "http://openrosa.org/http/response"


def openrosa_response(message: str, status: int = 201, nature: str = "") -> HttpResponse:
    nature_attr = f' nature="{nature}"' if nature else ""
    body = (f'<OpenRosaResponse xmlns="{RESPONSE_NS}"><message{nature_attr}>{escape(message)}</message>'
            f"</OpenRosaResponse>")
    return HttpResponse(body, status=status, content_type=XML)


class OpenRosaView(APIView):
    """Basic authentication against the app's accounts, the API's throttles, OpenRosa headers and XML errors."""

    authentication_classes = [OpenRosaBasicAuthentication]
    permission_classes = [permissions.IsAuthenticated]
    schema = None  # OpenRosa, not the REST API: not in its OpenAPI schema

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["X-OpenRosa-Version"] = "1.0"
        response["Date"] = http_date()
        return response

    def handle_exception(self, exc):
        response = super().handle_exception(exc)  # keeps WWW-Authenticate and Retry-After
        messages = {
            exceptions.NotAuthenticated: _("Sign in with your username and password."),
            exceptions.AuthenticationFailed: _("Wrong username or password, or the account is not active."),
            LockedOut: lockout_message(),
            exceptions.Throttled: _("Too many requests: wait a few minutes, then try again."),
            exceptions.PermissionDenied: _("Your account may not do this."),
            exceptions.NotFound: _("Not found. Get the blank forms again."),
        }
        message = next((text for cls, text in messages.items() if isinstance(exc, cls)),
                       _("The request could not be handled."))
        if isinstance(exc, Http404):
            message = messages[exceptions.NotFound]
        answer = openrosa_response(message, response.status_code, "error")
        for header in ("WWW-Authenticate", "Retry-After"):
            if header in response:
                answer[header] = response[header]
        return answer


def _forms_for(user) -> list[str]:
    """The report types this user may capture (all three when they may capture at all)."""
    return list(xforms.FORM_IDS) if access.can_create_report(user) else []


def _kind(user, form_id: str) -> str:
    kind = xforms.KINDS.get(form_id)
    if kind is None or kind not in _forms_for(user):
        raise Http404
    return kind


class FormList(OpenRosaView):
    def get(self, request):
        entries = []
        for kind in _forms_for(request.user):
            form_id = xforms.FORM_IDS[kind]
            xml, version = xforms.xform(kind)
            download = request.build_absolute_uri(reverse("openrosa:form_xml", args=[form_id]))
            manifest = request.build_absolute_uri(reverse("openrosa:manifest", args=[form_id]))
            entries.append(
                f"<xform><formID>{form_id}</formID><name>{escape(xforms.title(kind))}</name><version>{version}</version>"
                f"<hash>{xforms.md5(xml)}</hash><downloadUrl>{escape(download)}</downloadUrl>"
                f"<manifestUrl>{escape(manifest)}</manifestUrl></xform>"
            )
        body = f'<xforms xmlns="http://openrosa.org/xforms/xformsList">{"".join(entries)}</xforms>'
        return HttpResponse(body, content_type=XML)


class FormXml(OpenRosaView):
    def get(self, request, form_id: str):
        xml, _version = xforms.xform(_kind(request.user, form_id))
        return HttpResponse(xml, content_type=XML)


class Manifest(OpenRosaView):
    def get(self, request, form_id: str):
        _kind(request.user, form_id)
        files = []
        for name in sorted(xforms.MEDIA):
            url = request.build_absolute_uri(reverse("openrosa:media", args=[form_id, name]))
            content = media.media_file(request.user, name)
            files.append(f"<mediaFile><filename>{name}</filename><hash>{xforms.md5(content)}</hash>"
                         f"<downloadUrl>{escape(url)}</downloadUrl></mediaFile>")
        body = f'<manifest xmlns="http://openrosa.org/xforms/xformsManifest">{"".join(files)}</manifest>'
        return HttpResponse(body, content_type=XML)


class MediaFile(OpenRosaView):
    def get(self, request, form_id: str, name: str):
        _kind(request.user, form_id)
        if name not in xforms.MEDIA:
            raise Http404
        response = HttpResponse(media.media_file(request.user, name), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class Submission(OpenRosaView):
    parser_classes = [MultiPartParser]

    def _accept_length(self, response: HttpResponse) -> HttpResponse:
        response["X-OpenRosa-Accept-Content-Length"] = str(settings.OPENROSA_MAX_SUBMISSION_BYTES)
        return response

    def head(self, request):
        response = HttpResponse(status=204)
        response["Location"] = request.build_absolute_uri(reverse("openrosa:submission"))
        return self._accept_length(response)

    def post(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.OPENROSA_MAX_SUBMISSION_BYTES:
            # Checked before the body is read: Collect splits its submission below the size we announced.
            return self._accept_length(openrosa_response(_("This submission is too large."), 413, "error"))
        try:
            upload = request.FILES.get("xml_submission_file")
            if upload is None:
                raise submissions.Refused(_("The form is missing from the submission. Send it again."))
            instance = submissions.parse(upload.read(submissions.MAX_XML_BYTES + 1))
            files = {name: request.FILES[name] for name in request.FILES if name != "xml_submission_file"}
            outcome = submissions.receive(request.user, instance, files)
        except submissions.Refused as refused:
            return self._accept_length(openrosa_response(refused.message, refused.status, "error"))
        return self._accept_length(openrosa_response(_message(outcome), 201, "submit_success"))


def _message(outcome: submissions.Outcome) -> str:
    report = outcome.report
    waiting = report.photos_expected and report.photos.count() < report.photos_expected
    if outcome.created:
        text = _("Received %(ref)s. It is now with your supervisor.")
    elif outcome.updated:
        text = _("Your correction of %(ref)s was received. It is back with your supervisor.")
    elif outcome.photos_added:
        text = _("More photos received for %(ref)s.")
    else:
        text = _("%(ref)s was already received; nothing new was stored.")
    text = text % {"ref": report.reference}
    if waiting:
        text += " " + _("Still waiting for %(n)d of its photos.") % {"n": report.photos_expected - report.photos.count()}
    return text
