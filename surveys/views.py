"""Pages of the field app. Views are thin: ask the access module, validate, call one service, respond."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from surveys import access


@login_required
def home(request):
    reports = (
        access.visible_reports(request.user)
        .select_related("team", "captured_by")
        .order_by("-updated_at")[:20]
    )
    return render(request, "surveys/home.html", {"reports": reports})


@login_required
def report_detail(request, pk: int):
    report = access.get_report_for_user(request.user, pk)
    return render(request, "surveys/report_detail.html", {
        "report": report,
        "events": report.review_events.select_related("actor"),
        "photos": report.photos.all() if access.can_view_photos(request.user) else [],
        "can_edit": access.can_edit_report(request.user, report),
    })


@require_GET
@login_required
def photo(request, pk, thumbnail: bool = False):
    """Photos are never served from a public URL: only here, to those allowed to see the report."""
    found = access.get_photo_for_user(request.user, pk)
    field = found.thumbnail if thumbnail else found.image
    response = FileResponse(field.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
