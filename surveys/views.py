"""Pages of the field app. Views are thin: ask the access module, validate, call one service, respond."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.forms.utils import ErrorDict
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from surveys import access, capture, charts, flags, rules, search, workflow
from surveys.forms import (
    REPORT_FORMS,
    SITES_FOUND,
    ItemFormSet,
    PendingPhotoForm,
    PhotoListForm,
    PhotoSlotFormSet,
    site_facts,
)
from surveys.models import AGE_BANDS, EOCategory, Report, ReviewEvent

REPORTS_PER_PAGE = 20


# How many of the team's latest reports the service worker keeps for reading offline (their pages and the thumbnails of
# their photos), and at most how many thumbnails in all.
OFFLINE_REPORTS = 30
OFFLINE_THUMBNAILS = 150


@login_required
def home(request):
    """The three "new report" buttons, the reports returned to this worker for correction (first, with the
    supervisor's comment), and "My reports": the worker's and their team's reports, newest first. Also the list of
    pages the service worker keeps for offline use: the latest reports' pages, the correction forms, their photos."""
    user = request.user
    reports = access.visible_reports(user).select_related("team", "captured_by").order_by("-created_at", "-pk")
    page = Paginator(reports, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    last_return = ReviewEvent.objects.filter(report=OuterRef("pk"), to_status=Report.Status.RETURNED).order_by("-at")
    to_correct = list(
        access.reports_to_correct(user).select_related("captured_by")
        .annotate(return_comment=Subquery(last_return.values("comment")[:1]),
                  returned_at=Subquery(last_return.values("at")[:1]))
        .order_by("-returned_at", "-pk")
    )
    return render(request, "surveys/home.html", {
        "page": page, "can_create": access.can_create_report(user), "to_correct": to_correct,
        "can_see_figures": access.can_see_figures(user), "can_review": access.can_review(user),
        "offline_pages": _offline_pages(user, reports, to_correct),
    })


def _offline_pages(user, reports, to_correct: list[Report]) -> dict:
    """What the service worker keeps so that the team's latest reports can be read, and returned ones corrected,
    without a network (static/js/outbox.js hands it over; templates/offline/sw.js keeps only the latest list)."""
    recent = list(reports.values_list("pk", flat=True)[:OFFLINE_REPORTS])
    pages = [reverse("report_detail", args=[pk]) for pk in recent]
    for report in to_correct:
        pages += [reverse("report_edit", args=[report.pk]), reverse("report_detail", args=[report.pk])]
    images = []
    if access.can_view_photos(user):
        ids = [r.pk for r in to_correct] + recent
        photos = access.visible_photos(user).filter(report_id__in=ids).order_by("-report_id", "pk")
        images = [reverse("photo_thumbnail", args=[pk]) for pk in photos.values_list("pk", flat=True)[:OFFLINE_THUMBNAILS]]
    return {"pages": list(dict.fromkeys(pages)), "images": images}


# What the read-only report page lists, by report type, after the fields every report shares.
DETAIL_FIELDS = {
    "survey": ["survey_type", "site", "site_name", "site_type", "priority", "classification", "evidence",
               "estimated_area_m2", "blockage", "expected_beneficiaries"],
    "clearance": ["site", "stage", "method", "start_date", "end_date", "cleared_area_m2", "reduced_area_m2",
                  "cancelled_area_m2", "depth_cm", "handover_date", "handed_over_to", "handover_notes"],
    "eore": ["place_type", "delivery_method", "total_participants", "persons_with_disabilities",
             "first_time_attendees", "posters_qty", "brochures_qty", "other_materials"],
}
COMMON_DETAIL_FIELDS = ["activity_date", "team", "captured_by", "project", "admin_area", "place_name"]


def _facts(report: Report) -> list[tuple[str, object]]:
    facts = []
    for name in COMMON_DETAIL_FIELDS + DETAIL_FIELDS[report.kind]:
        field = report._meta.get_field(name)
        value = getattr(report, f"get_{name}_display")() if field.choices else getattr(report, name)
        facts.append((field.verbose_name, value))
    return facts


@login_required
def report_detail(request, pk: int):
    report = access.get_report_for_user(request.user, pk)
    events = list(report.review_events.select_related("actor"))
    returned = next((e for e in reversed(events) if e.to_status == Report.Status.RETURNED), None)
    participants = []
    if report.kind == Report.Kind.EORE:
        participants = [(label, getattr(report, f"female_{band}"), getattr(report, f"male_{band}"))
                        for band, label in AGE_BANDS]
    exact_location = access.sees_report_location(request.user, report)
    return render(request, "surveys/report_detail.html", {
        "report": report,
        "outline": _outline(report) if exact_location and report.polygon else None,
        "facts": _facts(report),
        "events": events,
        "returned": returned if report.status == Report.Status.RETURNED else None,
        "photos": report.photos.all() if access.can_view_photos(request.user) else [],
        "items": report.items.all() if report.kind == Report.Kind.CLEARANCE else [],
        "participants": participants,
        "contamination": [EOCategory(c).label for c in getattr(report, "contamination", None) or []
                          if c in EOCategory.values],
        "exact_location": exact_location,
        "can_edit": access.can_edit_report(request.user, report),
    })


def _outline(report: Report) -> dict:
    """The outline as a small map (inline SVG) and in words: its computed area beside the reported one."""
    summary = flags.outline_summary(report)
    point = None if report.latitude is None else (report.latitude, report.longitude)
    try:
        drawing = charts.outline(report.polygon, point, title=_("Outline drawn on the map"), description=summary)
    except (KeyError, IndexError, TypeError, ValueError):  # a malformed outline: say what is known, draw nothing
        drawing = ""
    return {"svg": drawing, "summary": summary}


@require_GET
def rules_json(request):
    """The shared rule set for the phone's checker, messages in the page's language (rules.as_json). Not secret: served
    without sign-in, so the service worker can keep it for offline use even when the session has expired."""
    response = JsonResponse(rules.as_json(), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=300"
    response["Vary"] = "Accept-Language, Cookie"
    return response


@login_required
def report_new(request, kind: str):
    if kind not in REPORT_FORMS:
        raise Http404("No such report type.")
    if not access.can_create_report(request.user):
        raise PermissionDenied
    report = None
    if request.method == "POST":
        resent = _resent(request, kind)
        if resent is not None and not isinstance(resent, Report):
            return resent
        report = resent
    return _report_form(request, kind, report)


def _resent(request, kind: str):
    """The same form posted again (a retry on a bad connection, the back button, or two posts at once): its device
    UUID finds the report the first post made (capture.stored_resend). Still editable: this post edits it (the
    report is returned); already submitted: nothing changes (a redirect is returned). None: a new report."""
    existing = capture.stored_resend(request.POST.get("uuid", ""), request.user)
    if existing is None:
        return None
    if not access.can_edit_report(request.user, existing) or existing.kind != kind:
        messages.info(request, _("%(ref)s was already sent; nothing was changed.") % {"ref": existing.reference})
        return redirect(existing)
    return existing


@login_required
def report_edit(request, pk: int):
    report = access.get_report_for_user(request.user, pk, "edit")
    return _report_form(request, report.kind, report)


def _report_form(request, kind: str, report: Report | None):
    """Show, validate and save a report form: its fields, item lines (clearance), and photos."""
    user = request.user
    form_class = REPORT_FORMS[kind]
    post = request.POST if request.method == "POST" else None
    form = form_class(post, instance=report, user=user)
    items = ItemFormSet(post, instance=report, prefix="items") if kind == "clearance" else None
    form_uuid = report.uuid if report else _posted_uuid(form) or form.initial["uuid"]
    slots = PhotoSlotFormSet(post, request.FILES if post else None, prefix="newphoto")
    photo_errors = []
    if post is not None and "find_site" in post:
        # The site search without JavaScript: the same form again, everything typed kept, the matches listed.
        photo_errors = _hold_slot_photos(request, slots, form_uuid)
        _quiet(form, items)
        slots = PhotoSlotFormSet(prefix="newphoto")
        photo_list = PhotoListForm(post, photos=capture.photos_on_form(user, report, form_uuid))
        photo_list.is_valid()
        post = None  # answered as a form being filled in, not as a refused one
    elif post is not None:
        photo_errors = _hold_slot_photos(request, slots, form_uuid)
        photo_list = PhotoListForm(post, photos=capture.photos_on_form(user, report, form_uuid))
        if photo_list.is_valid():
            capture.update_pending(photo_list)
        valid = all([form.is_valid(), items is None or items.is_valid(), photo_list.is_valid(), not photo_errors])
        if not valid and report is None and "uuid" in form.errors:
            # Another post of this very form stored the report since this request began: answer as a resend.
            resent = _resent(request, kind)
            if resent is not None:
                return resent if not isinstance(resent, Report) else _report_form(request, kind, resent)
        if valid:
            saved, problems = capture.save_report(form, items, photo_list, user, submit="submit" in post)
            for problem in problems:
                messages.error(request, problem)
            if saved.status == Report.Status.SUBMITTED:
                messages.success(request, _("%(ref)s was submitted for review.") % {"ref": saved.reference})
            else:
                messages.success(request, _("%(ref)s was saved as a draft.") % {"ref": saved.reference})
            return redirect(saved)
        slots = PhotoSlotFormSet(prefix="newphoto")  # the accepted ones are now listed with the form's photos
        photo_list = PhotoListForm(post, photos=photo_list.photos)
    else:
        photo_list = PhotoListForm(photos=capture.photos_on_form(user, report, form_uuid))
    return render(request, "surveys/report_form.html", {
        "form": form, "items": items, "kind": kind, "report": report, "slots": slots, "photo_list": photo_list,
        "photo_errors": photo_errors, "form_uuid": form_uuid, "returned": _returned_event(report),
        "gps_warn_m": settings.GPS_ACCURACY_WARN_M, "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }, status=400 if post is not None else 200)


def _quiet(form, items) -> None:
    """A bound form shown back without validation messages (nothing was sent for saving yet)."""
    form._errors = ErrorDict()
    if items is not None:
        items._errors, items._non_form_errors = [], items.error_class()
        for item in items.forms:
            item._errors = ErrorDict()


@require_GET
@login_required
def site_search(request):
    """The sites the user may put on a report (capture.site_choices) whose name or reference matches ?q=, for the forms' site search."""
    term = request.GET.get("q", "").strip()[:100]
    found = search.sites(capture.site_choices(request.user), term).order_by("name")[:SITES_FOUND]
    return JsonResponse({"q": term, "sites": [
        {"id": site.pk, "label": str(site), **{k.removeprefix("data-"): v for k, v in site_facts(site).items()}}
        for site in found
    ]})


def _posted_uuid(form):
    field = form.fields["uuid"]
    try:
        return field.clean(form.data.get("uuid"))
    except ValidationError:
        return None


def _hold_slot_photos(request, slots, form_uuid) -> list[str]:
    """Photos sent with the form itself (no JavaScript): each kept for the report, or refused with its file name."""
    if not slots.is_valid():
        return [*slots.non_form_errors(), *(m for errors in slots.errors for ms in errors.values() for m in ms)]
    errors = []
    for slot in slots.cleaned_data:
        upload = slot.get("image")
        if not upload:
            continue
        if not access.can_hold_photo(request.user, form_uuid):
            raise PermissionDenied
        try:
            capture.hold_photo(request.user, form_uuid, upload, caption=slot.get("caption", ""))
        except ValidationError as exc:
            errors.append(f"{upload.name}: {' '.join(exc.messages)}")
    return errors


def _returned_event(report: Report | None) -> ReviewEvent | None:
    if report is None or report.status != Report.Status.RETURNED:
        return None
    return report.review_events.filter(to_status=Report.Status.RETURNED).select_related("actor").last()


@require_POST
@login_required
def report_submit(request, pk: int):
    report = access.get_report_for_user(request.user, pk, "edit")
    try:
        workflow.submit(report, request.user)
    except workflow.TransitionError as exc:
        messages.error(request, str(exc))
        return redirect("report_edit", pk=report.pk)
    messages.success(request, _("%(ref)s was submitted for review.") % {"ref": report.reference})
    return redirect(report)


# Photos ----------------------------------------------------------------------------------------------------------------


@require_POST
@login_required
def pending_photo_upload(request):
    """A photo the page's script downscaled, sent as soon as it was chosen; it waits for its report to be saved."""
    form = PendingPhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        return JsonResponse({"error": " ".join(errors)}, status=400)
    data = form.cleaned_data
    if not access.can_hold_photo(request.user, data["form_uuid"]):
        raise PermissionDenied
    try:
        pending = capture.hold_photo(
            request.user, data["form_uuid"], data["image"], photo_id=data["photo_id"], caption=data["caption"],
            taken_at=data["taken_at"], latitude=data["latitude"], longitude=data["longitude"],
        )
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=400)
    return JsonResponse({"id": str(pending.pk), "thumbnail": reverse("pending_photo", args=[pending.pk])}, status=201)


@require_GET
@login_required
def pending_photo(request, pk):
    """The thumbnail of a photo waiting for its report: only for the person who chose it."""
    found = access.get_pending_photo_for_user(request.user, pk)
    return _image_response(found.thumbnail)


@require_GET
@login_required
def photo(request, pk, thumbnail: bool = False):
    """Photos are never served from a public URL: only here, to those allowed to see the report."""
    found = access.get_photo_for_user(request.user, pk)
    return _image_response(found.thumbnail if thumbnail else found.image)


def _image_response(field) -> FileResponse:
    response = FileResponse(field.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response

