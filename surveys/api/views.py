"""API v1 endpoints. Thin: every queryset comes from the access module, every write is validated by a serializer (which
runs the model's own rules) and every status change goes through surveys.workflow."""

import hashlib
import uuid
from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from surveys import access, capture, views, workflow
from surveys.api import filters
from surveys.api import serializers as s
from surveys.api.pagination import SyncPagination
from surveys.api.permissions import HasRole
from surveys.models import (
    AdminArea,
    ClearanceReport,
    EoreSession,
    ExplosiveItem,
    Photo,
    Report,
    SurveyReport,
)
from surveys.photos import add_photo

_MAX_ID = 2**63 - 1


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("This request conflicts with the record's current state.")
    default_code = "conflict"


REPORT_KEY = OpenApiParameter(
    "id", OpenApiTypes.STR, OpenApiParameter.PATH,
    description="The report's numeric id, or the device UUID it was created with.",
)
ERRORS_400 = OpenApiResponse(OpenApiTypes.OBJECT, description="Validation failed: an object of field name → list of "
                             "messages (non_field_errors for rules across fields). Nothing was stored.")
CONFLICT_409 = OpenApiResponse(
    inline_serializer("Conflict", {
        "detail": serializers.CharField(help_text="What conflicts, in words for the user."),
        "fields": serializers.ListField(child=serializers.CharField(), required=False,
                                        help_text="On a resend: the fields whose content differs from the stored."),
        "url": serializers.CharField(required=False, help_text="On a resend: the stored report's URL."),
    }),
    description="A report with this UUID exists with different content, or the report's state does not allow this.",
)


def report_condition(key: str) -> Q | None:
    """The lookup for a report named in a URL by its numeric id or its device UUID (None: it names nothing)."""
    if key.isascii() and key.isdigit():
        number = int(key)
        return Q(pk=number) if number <= _MAX_ID else None
    try:
        return Q(uuid=uuid.UUID(key))
    except ValueError:
        return None


class ApiViewMixin:
    permission_classes = [IsAuthenticated, HasRole]


class ReportLookupMixin(ApiViewMixin):
    lookup_url_kwarg = "id"
    lookup_value_regex = "[^/]+"

    def get_object(self):
        condition = report_condition(self.kwargs["id"])
        if condition is None:
            raise Http404
        report = get_object_or_404(self.get_queryset(), condition)
        self.check_object_permissions(self.request, report)
        return report


# Reports of every type -------------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="List reports of every type",
                       description="Reports you may see, newest activity first, with what they share (the typed "
                                   "endpoints give every field). Filter with waiting_for_photos=true for reports whose "
                                   "photos have not all arrived."),
    retrieve=extend_schema(summary="One report of any type", parameters=[REPORT_KEY]),
)
class ReportViewSet(ReportLookupMixin, viewsets.ReadOnlyModelViewSet):
    """Reports of every type, and their photos."""

    serializer_class = s.ReportSummarySerializer
    filterset_class = filters.AnyReportFilter

    def get_queryset(self):
        return (
            access.visible_reports(self.request.user).with_photos_received()
            .annotate(site_status=Coalesce("surveyreport__site__status", "clearancereport__site__status"))
            .select_related("captured_by")
        )

    @extend_schema(
        methods=["GET"], summary="List a report's photos", parameters=[REPORT_KEY],
        responses=s.PhotoSerializer(many=True),
        description="Photos of the report, oldest first. Donor viewers see no photos (403).",
    )
    @extend_schema(
        methods=["POST"], summary="Upload one photo of a report", parameters=[REPORT_KEY],
        request={"multipart/form-data": s.PhotoUploadSerializer},
        responses={201: s.PhotoSerializer, 200: OpenApiResponse(s.PhotoSerializer, description="A resend: the photo "
                   "with this id was already stored for this report; nothing changed."),
                   400: ERRORS_400, 409: CONFLICT_409},
        description=(
            "Send photos one at a time, each with its own UUID (`id`) made on the device. A new photo answers 201; "
            "the same id sent again answers 200 with the stored photo and stores nothing (so a retry after a lost "
            "answer is safe). Photos are accepted while the report is a draft or returned and, after it was submitted, "
            "until as many as its photos_expected have arrived. The file is checked, re-encoded as JPEG and its "
            "metadata dropped; a refused file answers 400 with the reason under `image`."
        ),
    )
    @action(detail=True, methods=["get", "post"], url_path="photos", pagination_class=None)
    def photos(self, request, id=None):
        report = self.get_object()
        if not access.can_view_photos(request.user):
            raise PermissionDenied(_("Donor viewers do not see photos."))
        if request.method == "GET":
            found = access.visible_photos(request.user).filter(report=report)
            return Response(s.PhotoSerializer(found, many=True).data)
        return self._upload_photo(report, request)

    def _upload_photo(self, report: Report, request) -> Response:
        user = request.user
        upload = s.PhotoUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        stored = Photo.objects.filter(pk=data["id"]).first() if data.get("id") else None
        if stored is not None:  # a resend: checked before the report's state, which its first sending may have moved
            if stored.report_id != report.pk:
                raise Conflict(_("This photo was already sent for another report."))
            return Response(s.PhotoSerializer(stored).data, status=status.HTTP_200_OK)
        if not access.can_add_photo(user, report):
            if report.captured_by_id == user.pk:
                raise Conflict(_("%(ref)s is %(status)s and is not waiting for photos: it takes no new photo.")
                               % {"ref": report.reference, "status": report.get_status_display().lower()})
            raise PermissionDenied(_("Only the person who captured this report can add its photos."))
        try:
            photo, created = add_photo(
                report, data["image"], user, photo_id=data.get("id"), caption=data["caption"],
                taken_at=data["taken_at"], latitude=data["latitude"], longitude=data["longitude"],
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"image": exc.messages}) from None
        return Response(s.PhotoSerializer(photo).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class TypedReportViewSet(ReportLookupMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                         viewsets.ReadOnlyModelViewSet):
    """List, read, create, change and submit reports of one type. Subclasses set model and serializer_class."""

    model: type[Report]
    filterset_class = filters.ReportFilter
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    related: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()

    def get_queryset(self):
        return (
            access.visible_reports(self.request.user, self.model.objects.all()).with_photos_received()
            .select_related("captured_by", *self.related).prefetch_related(*self.prefetch)
        )

    def _stored(self, report_id: int) -> Report:
        return self.get_queryset().get(pk=report_id)

    def _url(self, report: Report) -> str:
        return reverse(f"api:{self.basename}-detail", args=[report.pk])

    def create(self, request, *args, **kwargs):
        if not access.can_create_report(request.user):
            raise PermissionDenied(_("Only field collectors who belong to a team capture reports."))
        serializer = self.get_serializer(data=request.data)
        stored_id = _id_of_stored_uuid(serializer.initial_data)
        if stored_id is not None:
            return self._resend(serializer, stored_id)
        serializer.is_valid(raise_exception=True)
        try:
            with transaction.atomic():
                report = serializer.save()
                if serializer.validated_data.get("submit"):
                    self._submit(report)
        except IntegrityError:
            # The same report arrived twice at once and the other request stored it first: answer as a resend.
            stored_id = _id_of_stored_uuid(serializer.initial_data)
            if stored_id is None:
                raise
            return self._resend(self.get_serializer(data=request.data), stored_id)
        report = self._stored(report.pk)
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED,
                        headers={"Location": self._url(report)})

    def _resend(self, serializer, stored_id: int) -> Response:
        """A report whose UUID is stored already: the same content answers the stored report, other content 409."""
        report = self.get_queryset().filter(pk=stored_id).first()
        if report is None:  # another type of report, or one this user may not see
            raise Conflict(_("This UUID is already used by another report."))
        serializer.is_valid(raise_exception=True)
        differing = s.differing_fields(serializer, report)
        if differing:
            return Response({
                "detail": _("%(ref)s was already received with this UUID, with different content (%(fields)s). "
                            "To change a draft or returned report, send PUT or PATCH to its URL.")
                % {"ref": report.reference, "fields": ", ".join(differing)},
                "fields": differing,
                "url": self._url(report),
            }, status=status.HTTP_409_CONFLICT)
        if serializer.validated_data.get("submit") and report.status == Report.Status.DRAFT:
            self._check_can_edit(report)
            self._submit(report)
            report = self._stored(report.pk)
        return Response(self.get_serializer(report).data, status=status.HTTP_200_OK)

    def _check_can_edit(self, report: Report) -> None:
        if access.can_edit_report(self.request.user, report):
            return
        if report.is_editable:
            raise PermissionDenied(_("Only the person who captured this report can change it."))
        raise Conflict(
            _("%(ref)s is %(status)s: only drafts and reports returned for correction can be changed.")
            % {"ref": report.reference, "status": report.get_status_display().lower()}
        )

    def _submit(self, report: Report) -> Report:
        """Submit through the workflow: a report not complete is a 400, one in another state a 409."""
        try:
            return workflow.submit(report, self.request.user)
        except workflow.TransitionError as exc:
            now = Report.objects.filter(pk=report.pk).values_list("status", flat=True).first()
            if now in (Report.Status.DRAFT, Report.Status.RETURNED):
                raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [str(exc)]}) from None
            raise Conflict(str(exc)) from None

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        report = self.get_object()
        version = _sent_version(request.data)
        if version is not None and version != report.updated_at:
            if self._same_as_stored(report, request.data):
                # A resend whose first answer was lost: the first one saved (and maybe submitted) exactly this.
                return Response(self.get_serializer(report).data)
            raise Conflict(self._overtaken(report))
        self._check_can_edit(report)
        serializer = self.get_serializer(report, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            # Lock the row: a report submitted meanwhile must not change under the reviewer's eyes.
            locked = Report.objects.select_for_update().get(pk=report.pk)
            if locked.status != report.status:
                raise Conflict(_("%(ref)s changed state while you were editing it; reload it.")
                               % {"ref": report.reference})
            if version is not None and version != locked.updated_at:
                raise Conflict(self._overtaken(report))
            report = serializer.save()
            if serializer.validated_data.get("submit"):
                self._submit(report)
        return Response(self.get_serializer(self._stored(report.pk)).data)

    def _same_as_stored(self, report: Report, data) -> bool:
        if report.captured_by_id != self.request.user.pk:
            return False
        serializer = self.get_serializer(report, data=data, partial=True)
        if not serializer.is_valid():
            return False
        if serializer.validated_data.get("submit") and report.status != Report.Status.SUBMITTED:
            return False
        return not s.differing_fields(serializer, report)

    @staticmethod
    def _overtaken(report: Report) -> str:
        return (_("%(ref)s was changed on the server after the version you corrected (by a supervisor, or from "
                  "another device); nothing was saved.") % {"ref": report.reference})

    @extend_schema(
        summary="Submit the report for review", request=None, parameters=[REPORT_KEY],
        responses={200: OpenApiResponse(description="The report, now submitted (or already submitted by you: a "
                                                    "resend changes nothing)."),
                   400: ERRORS_400, 403: OpenApiResponse(description="Not your report."), 409: CONFLICT_409},
        description="Draft or returned → submitted, through the review workflow (the report is validated again). "
                    "A report that is not complete answers 400 with the reasons; one already approved answers 409.",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, id=None):
        report = self.get_object()
        if report.status == Report.Status.SUBMITTED and report.captured_by_id == request.user.pk:
            return Response(self.get_serializer(report).data)
        self._check_can_edit(report)
        self._submit(report)
        return Response(self.get_serializer(self._stored(report.pk)).data)


def _sent_version(data):
    """The `version` a change was made from (the report's updated_at as the client read it, ISO 8601), or None when
    the client sent none (then the change applies to whatever is stored, as before). Unreadable: 400."""
    sent = data.get("version") if hasattr(data, "get") else None
    if sent in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(str(sent))
    except ValueError:
        raise serializers.ValidationError({"version": [_("Send the report's updated_at as it was read.")]}) from None
    return parsed if parsed.tzinfo else timezone.make_aware(parsed)


def _id_of_stored_uuid(data) -> int | None:
    """The id of the report already stored with the UUID in a request body, if any (of any type, anyone's)."""
    if not isinstance(data, Mapping):
        return None
    try:
        value = uuid.UUID(str(data.get("uuid")))
    except (ValueError, TypeError, AttributeError):
        return None
    return Report.objects.filter(uuid=value).values_list("pk", flat=True).first()


VERSION_NOTE = (
    "Send \"version\": the report's updated_at as you read it, to change only that version: if the report changed "
    "since (a supervisor reopened or edited it), the answer is 409 and nothing is saved. A resend of a change that was "
    "saved (its answer lost) answers 200 with the stored report."
)


def _typed_schema(noun: str, plural: str):
    create_description = (
        f"Create a {noun} as a draft (or submit it at once with \"submit\": true). Idempotent by `uuid`: the "
        "device makes the UUID and sends it; sending the same report again (a retry after a lost answer) answers "
        "200 with the stored report and creates nothing; the same UUID with different content answers 409 with "
        "the differing fields. \"Same content\" means every field you send equals the stored value once both are "
        "normalised as this API shows them (fields you leave out, and server-set fields, are not compared; "
        "explosive item lines are compared as a set). Offline client: POST the report with its uuid and "
        "photos_expected (and submit: true), then POST each photo to /api/v1/reports/{uuid}/photos/ with the "
        "photo's own id; on any failure resend the same things. Validation errors answer 400 with field-level "
        "messages and store nothing."
    )
    return extend_schema_view(
        list=extend_schema(summary=f"List {plural}", description=f"{plural.capitalize()} you may see, newest "
                           "activity first, paginated (limit/offset)."),
        retrieve=extend_schema(summary=f"One {noun}", parameters=[REPORT_KEY]),
        create=extend_schema(summary=f"Create a {noun}", description=create_description,
                             responses={201: None, 200: OpenApiResponse(description="A resend: the stored report, "
                                                                                    "unchanged."),
                                        400: ERRORS_400, 403: OpenApiResponse(description="You do not capture "
                                                                                          "reports."),
                                        409: CONFLICT_409}),
        update=extend_schema(summary=f"Replace a {noun}", parameters=[REPORT_KEY],
                             description="Only your own draft or returned report (409 otherwise). Send "
                                         "\"submit\": true to submit it in the same request. " + VERSION_NOTE,
                             responses={200: None, 400: ERRORS_400, 409: CONFLICT_409}),
        partial_update=extend_schema(summary=f"Change some fields of a {noun}", parameters=[REPORT_KEY],
                                     description="Only your own draft or returned report (409 otherwise). "
                                                 + VERSION_NOTE,
                                     responses={200: None, 400: ERRORS_400, 409: CONFLICT_409}),
    )


@_typed_schema("survey report", "survey reports")
class SurveyReportViewSet(TypedReportViewSet):
    """Non-technical and technical survey reports."""

    model = SurveyReport
    serializer_class = s.SurveyReportSerializer
    related = ("site",)


@_typed_schema("clearance report", "clearance reports")
class ClearanceReportViewSet(TypedReportViewSet):
    """Clearance (land release) reports with their explosive item lines."""

    model = ClearanceReport
    serializer_class = s.ClearanceReportSerializer
    related = ("site",)
    prefetch = ("items",)


@_typed_schema("risk-education session", "risk-education sessions")
class EoreSessionViewSet(TypedReportViewSet):
    """Explosive ordnance risk education sessions and the people they reached."""

    model = EoreSession
    serializer_class = s.EoreSessionSerializer


# Photos ----------------------------------------------------------------------------------------------------------------


PHOTO_ID = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The photo's UUID.")


@extend_schema_view(retrieve=extend_schema(summary="One photo's details", parameters=[PHOTO_ID]))
class PhotoViewSet(ApiViewMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Photos, to those who may see their report. Upload and list them under /api/v1/reports/{id}/photos/."""

    serializer_class = s.PhotoSerializer
    lookup_value_regex = "[0-9a-fA-F-]{32,36}"

    def get_queryset(self):
        return access.visible_photos(self.request.user)

    @extend_schema(
        summary="Download a photo", operation_id="photos_file",
        parameters=[PHOTO_ID, OpenApiParameter("size", OpenApiTypes.STR, enum=["full", "thumbnail"],
                                     description="full (default, long edge up to 1600 px) or thumbnail (320 px).")],
        responses={(200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY, description="The JPEG file.")},
    )
    @action(detail=True, url_path="file")
    def file(self, request, pk=None):
        photo = self.get_object()
        # The page view serves it: one place decides how a photo file leaves the server.
        return views.photo(request._request, pk=photo.pk, thumbnail=request.query_params.get("size") == "thumbnail")


# Sites, lookups, explosive items, the user -----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="List sites",
                       description="Sites (hazard areas) you may see. The phone's pick list asks for its team's: "
                                   "?team={your team id from /api/v1/me/}."),
    retrieve=extend_schema(summary="One site"),
)
class SiteViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Sites: the master records that approved reports update."""

    serializer_class = s.SiteSerializer
    filterset_class = filters.SiteFilter

    def get_queryset(self):
        return access.visible_sites(self.request.user)

    @extend_schema(
        summary="Sites you may put on a report, for the phone's copy",
        description="Exactly the sites the report forms and report endpoints accept from you, oldest change first, "
                    "a few hundred a page. The phone keeps them for its site search, also offline: the first time it "
                    "walks every page; afterwards it asks only updated_since its last row's updated_at (less a "
                    "margin, for changes committed late). Sites that are no longer yours do not come here: compare "
                    "with choices/ids/.",
        responses=s.SiteChoiceSerializer(many=True),
    )
    @action(detail=False, url_path="choices", serializer_class=s.SiteChoiceSerializer,
            filterset_class=filters.SiteChoiceFilter, pagination_class=SyncPagination)
    def choices(self, request):
        fields = [name for name in s.SiteChoiceSerializer.Meta.fields if name != "label"]
        sites = self.filter_queryset(capture.site_choices(request.user)).only(*fields)
        page = self.paginate_queryset(sites)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="The ids of the sites you may put on a report",
        description="Every id of choices/, in one list, for the phone to drop from its copy the sites that are no "
                    "longer yours (moved to another team, your team changed, deleted) and to notice ones it lacks. "
                    "Answered with an ETag: an unchanged list is a 304 with no body.",
        responses=s.SiteChoiceIdsSerializer,
    )
    @action(detail=False, url_path="choices/ids", url_name="choice-ids", serializer_class=s.SiteChoiceIdsSerializer,
            filterset_class=None, pagination_class=None)
    def choice_ids(self, request):
        ids = list(capture.site_choices(request.user).order_by("pk").values_list("pk", flat=True))
        etag = quote_etag(hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:32])
        response = Response({"ids": ids}, headers={"ETag": etag, "Cache-Control": "private, no-cache"})
        return get_conditional_response(request, etag=etag, response=response)


@extend_schema_view(list=extend_schema(
    summary="List administrative areas",
    description="Every governorate, district and sub-district, in one unpaginated list the phone keeps offline.",
))
class AdminAreaViewSet(ApiViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Administrative areas (a lookup: the same for every user)."""

    serializer_class = s.AdminAreaSerializer
    queryset = AdminArea.objects.all()
    pagination_class = None


@extend_schema_view(
    list=extend_schema(summary="List explosive item lines",
                       description="Lines of explosive items of the clearance reports you may see; filter by report."),
    retrieve=extend_schema(summary="One explosive item line"),
)
class ExplosiveItemViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Explosive items found during clearance (written inside their clearance report)."""

    serializer_class = s.ExplosiveItemSerializer
    filterset_class = filters.ExplosiveItemFilter

    def get_queryset(self):
        reports = access.visible_reports(self.request.user, ClearanceReport.objects.all())
        return ExplosiveItem.objects.filter(report__in=reports.values("pk")).select_related("report")


class MeView(APIView):
    """The signed-in user: role, team, organisation and grants (the offline client reads it once online)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Who am I", responses=s.MeSerializer)
    def get(self, request):
        user = request.user
        can_create = access.can_create_report(user)
        projects = access.selectable_projects(user) if can_create else user.projects.all()
        return Response(s.MeSerializer({
            "id": user.pk, "username": user.username, "full_name": user.get_full_name(),
            "role": access.role(user), "organisation": user.organisation, "team": user.team,
            "projects": projects, "can_create_reports": can_create, "can_review": access.can_review(user),
            "can_view_photos": access.can_view_photos(user),
        }).data)
