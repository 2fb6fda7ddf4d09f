"""The review desk: the queue of every report, one admin per report type (its change page is the review page), and
read-only photos and review events.

Rows come from access.visible_reports; permissions from the access module; every status change from
surveys.workflow, one report at a time. Submitted and approved reports are read-only here.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import F
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from surveys import access, capture, flags, search, workflow
from surveys.admin import common, history
from surveys.admin.filters import (
    FlagFilter,
    GovernorateFilter,
    OrganisationFilter,
    PhotosFilter,
    ProjectFilter,
    TeamFilter,
)
from surveys.admin.review import REVIEW_MOVES, ReviewCommentForm, move_each
from surveys.counting import EstimatedCountPaginator
from surveys.exports import export_selected_csv
from surveys.exports_geo import export_selected_geojson
from surveys.exports_xlsx import export_selected_xlsx
from surveys.forms import SafeJSONField
from surveys.models import (
    ClearanceReport,
    EoreSession,
    ExplosiveItem,
    Photo,
    Report,
    ReviewEvent,
    SurveyReport,
)

S = Report.Status
# The queue first (oldest submitted at the top), then what is back with the teams, drafts, and what is done. The
# status codes sort that way in reverse (submitted > returned > draft > approved), so the order is a plain column
# order that the index report_queue_order (and one partial index per review flag) returns as stored: PostgreSQL reads
# the first 50 entries instead of sorting every visible row.
QUEUE_ORDER = [F("status").desc(), F("submitted_at").asc(nulls_last=True)]
assert sorted(S.values, reverse=True) == [S.SUBMITTED, S.RETURNED, S.DRAFT, S.APPROVED]
MAX_LISTED = 50


# Actions: each report through the workflow, with its own outcome. Issue 5 adds the CSV export to ReportAdminMixin.


@admin.action(description=gettext_lazy("Approve selected reports"), permissions=["review"])
def approve_selected(modeladmin, request, queryset):
    return modeladmin.move_selected(request, queryset, "approve")


@admin.action(description=gettext_lazy("Return selected reports for correction"), permissions=["review"])
def return_selected(modeladmin, request, queryset):
    return modeladmin.move_selected(request, queryset, "return")


@admin.action(description=gettext_lazy("Reopen selected approved reports"), permissions=["review"])
def reopen_selected(modeladmin, request, queryset):
    return modeladmin.move_selected(request, queryset, "reopen")


class ReportAdminMixin(common.PlainWords):
    # Outline and contamination typed as JSON: parsed within size and depth limits.
    formfield_overrides = {models.JSONField: {"form_class": SafeJSONField}}
    """What every report admin shares: whose rows, who may do what, the columns, the filters and the review moves."""

    actions = [approve_selected, return_selected, reopen_selected, export_selected_csv, export_selected_xlsx,
               export_selected_geojson]
    list_filter = ["status", FlagFilter, PhotosFilter, OrganisationFilter, TeamFilter, ProjectFilter, GovernorateFilter]
    # Drawn by templates/admin/surveys/change_list.html without reading the rows (review_admin.cheap_date_hierarchy).
    date_hierarchy = "activity_date"
    ordering = QUEUE_ORDER
    list_per_page = 50
    show_full_result_count = False  # "50 of 1,000,000" would count every visible row on each page
    paginator = EstimatedCountPaginator
    change_form_template = "admin/surveys/report_change_form.html"
    autocomplete_fields = ["admin_area"]

    class Media:
        css = {"all": ["css/admin_review.css"]}

    def get_queryset(self, request):
        return access.visible_reports(request.user, super().get_queryset(request))

    def get_search_results(self, request, queryset, search_term):
        # References by prefix, names and places through their own indexes (surveys.search); never a scan of joins.
        return search.reports(queryset, search_term), False

    # Permissions: the model permissions of the user's group, narrowed by the access module.

    def has_add_permission(self, request, obj=None):
        return False  # reports are captured on the teams' devices, each with its device UUID

    def has_delete_permission(self, request, obj=None):
        return False  # nothing a team entered is lost: a report is returned or reopened, never deleted

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or access.can_edit_report(request.user, obj)

    def has_review_permission(self, request):
        return access.can_review(request.user) and request.user.has_perm("surveys.review_report")

    def has_export_permission(self, request):
        return access.can_see_figures(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = ["reference", "status", "submitted_at", "uuid"]
        if not access.can_reassign_reports(request.user):
            fields += ["organisation", "team", "captured_by", "captured_at"]
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        user = request.user
        # The capture service's choices, as on the form and the API: a collector cannot put another team's site on a
        # report here either. The report being changed keeps its own site and grant.
        report = getattr(request, "_report_being_changed", None)
        if db_field.name == "project":
            kwargs["queryset"] = capture.project_choices(user, report)
        elif db_field.name == "site":
            kwargs["queryset"] = capture.site_choices(user, report)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        request._report_being_changed = obj
        return super().get_form(request, obj, change, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        flags.refresh_with_peers(form.instance)

    # Columns

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_badge(self, obj):
        return common.status_badge(obj)

    @admin.display(description=gettext_lazy("flags"))
    def flag_badges(self, obj):
        return common.flag_badges(obj, compact=True)

    @admin.display(description=gettext_lazy("photos"), ordering="photos_received")
    def photos(self, obj):
        # A phone sends the report first, then its photos one by one: until all it announced have arrived, say so.
        if obj.waiting_for_photos:
            return format_html('<span>{} / {} <span class="review-flag review-flag-photos">'
                               '<span aria-hidden="true">…</span><span class="visually-hidden">{}</span></span></span>',
                               obj.photos_received, obj.photos_expected, _("waiting for photos"))
        return obj.photos_received

    @admin.display(description=gettext_lazy("waiting for"), ordering="submitted_at")
    def queue_age(self, obj):
        if obj.status != S.SUBMITTED or obj.submitted_at is None:
            return "—"
        return format_html('<span class="review-nowrap">{}</span>', timesince(obj.submitted_at, depth=1))

    # The review page

    def get_urls(self):
        return [
            path("<path:object_id>/review/", self.admin_site.admin_view(self.review_view),
                 name=f"{self.opts.app_label}_{self.opts.model_name}_review"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        form = extra_context.pop("review_form", None)
        report = self.get_object(request, unquote(object_id))
        if report is not None and self.has_view_permission(request, report):
            extra_context["review"] = self.review_context(request, report, form)
        return super().change_view(request, object_id, form_url, extra_context)

    def review_context(self, request, report: Report, form: ReviewCommentForm | None = None) -> dict:
        user = request.user
        events = list(report.review_events.select_related("actor"))
        for event in events:
            move = workflow.TRANSITIONS.get(event.action)
            event.action_label = move.label if move else event.action
        baseline = history.baseline_submission(report, events)
        may_review = self.has_review_permission(request) and access.can_review_report(user, report)
        moves = [m for m in REVIEW_MOVES if report.status in workflow.TRANSITIONS[m].sources] if may_review else []
        next_report = None
        if may_review:
            next_report = (
                access.visible_reports(user).filter(status=S.SUBMITTED).exclude(pk=report.pk)
                .order_by("submitted_at", "pk").only("pk", "kind", "reference").first()
            )
        return {
            "report": report,
            "status_badge": common.status_badge(report),
            "flag_badges": common.flag_badges(report),
            "explanations": flags.explain(report),
            "outline": flags.outline_summary(report),
            "form": form,
            "events": events,
            "baseline": baseline,
            "changes": history.changes_since(report, baseline) if baseline else [],
            "moves": moves,
            "url": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_review", args=[report.pk]),
            "photos": list(report.photos.all()) if access.can_view_photos(user) else [],
            "map": common.map_data(report),
            "next_report": next_report,
            "next_url": common.review_url(next_report) if next_report else "",
        }

    def review_view(self, request, object_id):
        """A move made with the buttons of the review page."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        report = self.get_object(request, unquote(object_id))
        if report is None:
            raise Http404(_("No such report."))
        if not self.has_review_permission(request):
            raise PermissionDenied
        action = request.POST.get("move")
        if action not in REVIEW_MOVES:
            self.message_user(request, _("Choose approve, return or reopen."), messages.ERROR)
            return redirect(common.review_url(report))
        form = ReviewCommentForm(request.POST, action=action)
        if form.is_valid():
            try:
                workflow.transition(report, action, request.user, form.cleaned_data["comment"])
            except workflow.TransitionError as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(request, _("%(ref)s %(done)s.") % {
                    "ref": report.reference, "done": workflow.TRANSITIONS[action].done}, messages.SUCCESS)
                return redirect(common.review_url(report))
        # Refused: the review page again, as it was (photos, map, history), with the comment kept in its box and the
        # reason beside it. Shown as a GET so that admin does not read the review form as its own change form.
        request.method = "GET"
        return self.change_view(request, object_id, extra_context={"review_form": form})

    def move_selected(self, request, queryset, action: str):
        """A bulk action: an intermediate page first (the comment when the move needs one; for approval, the list of
        flagged reports with their reasons), then each report moved in turn."""
        confirmed = "confirm" in request.POST
        form = ReviewCommentForm(request.POST if confirmed else None, action=action)
        if (action == "approve" and not confirmed) or (workflow.TRANSITIONS[action].needs_comment
                                                       and not form.is_valid()):
            return self.render_review_form(request, queryset, action, form)
        comment = form.cleaned_data["comment"] if form.is_bound and form.is_valid() else ""
        outcome = move_each(queryset.order_by(*QUEUE_ORDER[1:], "pk"), action, request.user, comment)
        self.message_user(request, outcome.summary(), outcome.level)
        return None

    def render_review_form(self, request, reports, action: str, form):
        """The intermediate page of a bulk move: the reports, the flagged ones explained before an approval, and the
        comment (required to return or reopen)."""
        reports = list(reports)
        move = workflow.TRANSITIONS[action]
        titles = {
            "approve": _("Approve reports"),
            "return": _("Return reports for correction"),
            "reopen": _("Reopen approved reports"),
        }
        flagged = []
        if action == "approve":
            flagged = [r for r in reports if any(getattr(r, name) for name in Report.FLAG_FIELDS)]
        context = {
            **self.admin_site.each_context(request),
            "title": titles[action],
            # At most MAX_LISTED flagged reports are explained (a few queries each); the rest are counted.
            "flagged": [(report, flags.explain(report)) for report in flagged[:MAX_LISTED]],
            "flagged_count": len(flagged),
            "opts": self.opts,
            "action": action,
            "action_name": f"{action}_selected",
            "move_label": move.label,
            "reports": reports[:MAX_LISTED],
            "more": max(len(reports) - MAX_LISTED, 0),
            "selected": [r.pk for r in reports],
            "form": form,
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/surveys/review_action.html", context)


# The queue: every report type in one list.


@admin.register(Report)
class ReviewQueueAdmin(ReportAdminMixin, admin.ModelAdmin):
    list_display = ["review_link", "kind", "site_or_place", "team", "activity_date", "status_badge", "flag_badges",
                    "photos", "queue_age"]
    list_display_links = None
    list_filter = ["kind", *ReportAdminMixin.list_filter]
    # The site's name or the place comes with the page's rows (joined for those 50 only, never for the count).
    list_select_related = ["team", "surveyreport", "clearancereport__site"]
    search_fields = ["reference", "surveyreport__site_name", "clearancereport__site__name", "place_name"]

    def has_change_permission(self, request, obj=None):
        return False  # reports are reviewed and edited on their own type's page

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = self.get_object(request, unquote(object_id))
        if report is None:
            return super().change_view(request, object_id, form_url, extra_context)
        return redirect(common.review_url(report))

    @admin.display(description=gettext_lazy("reference"), ordering="reference")
    def review_link(self, obj):
        return format_html('<a href="{}">{}</a>', common.review_url(obj), obj.reference)

    @admin.display(description=gettext_lazy("site or place"))  # not sortable: no index could serve that order
    def site_or_place(self, obj):
        clearance, survey = getattr(obj, "clearancereport", None), getattr(obj, "surveyreport", None)
        return (clearance and clearance.site.name) or (survey and survey.site_name) or obj.place_name


# One admin per report type.

REPORT_FIELDSET = (gettext_lazy("Report"), {"fields": [
    ("reference", "status"), "submitted_at", "organisation", "team", "project", "captured_by", "activity_date",
    "captured_at", "uuid",
]})
LOCATION_FIELDSET = (gettext_lazy("Location"), {"fields": [
    "admin_area", "place_name", ("latitude", "longitude"), "gps_accuracy_m", "polygon",
]})
NOTES_FIELDSET = (gettext_lazy("Notes"), {"fields": ["notes", "photos_expected"]})
REPORT_COLUMNS_AFTER_SITE = ["team", "activity_date", "status_badge", "flag_badges", "photos", "queue_age"]


@admin.register(SurveyReport)
class SurveyReportAdmin(ReportAdminMixin, admin.ModelAdmin):
    list_display = ["reference", "survey_type", "site_name", *REPORT_COLUMNS_AFTER_SITE]
    list_select_related = ["team"]
    list_filter = [*ReportAdminMixin.list_filter, "survey_type", "site_type"]
    search_fields = ["reference", "site_name", "site__name", "place_name"]
    fieldsets = [
        REPORT_FIELDSET,
        (gettext_lazy("Survey"), {"fields": [
            "survey_type", "site", "site_name", "site_type", "priority", "classification", "evidence",
            "contamination", "estimated_area_m2", "blockage", "expected_beneficiaries",
        ]}),
        LOCATION_FIELDSET,
        NOTES_FIELDSET,
    ]


class ExplosiveItemInline(admin.TabularInline):
    model = ExplosiveItem
    extra = 0
    fields = ["category", "quantity", "weight_kg", "disposal"]

    def has_add_permission(self, request, obj=None):
        return obj is not None and super().has_add_permission(request, obj) and access.can_edit_report(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return obj is not None and super().has_change_permission(request, obj) and access.can_edit_report(
            request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


@admin.register(ClearanceReport)
class ClearanceReportAdmin(ReportAdminMixin, admin.ModelAdmin):
    list_display = ["reference", "stage", "site", *REPORT_COLUMNS_AFTER_SITE]
    list_select_related = ["team", "site"]
    list_filter = [*ReportAdminMixin.list_filter, "stage", "method"]
    search_fields = ["reference", "site__name", "place_name"]
    autocomplete_fields = ["admin_area", "site"]
    inlines = [ExplosiveItemInline]
    fieldsets = [
        REPORT_FIELDSET,
        (gettext_lazy("Land release"), {"fields": [
            "site", "stage", "method", ("start_date", "end_date"), "cancelled_area_m2", "reduced_area_m2",
            "cleared_area_m2", "depth_cm",
        ]}),
        (gettext_lazy("Handover"), {"fields": ["handover_date", "handed_over_to", "handover_notes"]}),
        LOCATION_FIELDSET,
        NOTES_FIELDSET,
    ]


@admin.register(EoreSession)
class EoreSessionAdmin(ReportAdminMixin, admin.ModelAdmin):
    list_display = ["reference", "delivery_method", "place_name", "team", "activity_date", "total_participants",
                    "status_badge", "flag_badges", "photos", "queue_age"]
    list_select_related = ["team"]
    list_filter = [*ReportAdminMixin.list_filter, "place_type", "delivery_method"]
    search_fields = ["reference", "place_name"]
    fieldsets = [
        REPORT_FIELDSET,
        (gettext_lazy("Session"), {"fields": ["place_type", "delivery_method"]}),
        (gettext_lazy("People reached"), {"fields": [
            ("female_0_4", "male_0_4"), ("female_5_12", "male_5_12"), ("female_13_17", "male_13_17"),
            ("female_18_24", "male_18_24"), ("female_25_59", "male_25_59"), ("female_60_plus", "male_60_plus"),
            "total_participants", "persons_with_disabilities", "first_time_attendees",
        ]}),
        (gettext_lazy("Materials"), {"fields": ["posters_qty", "brochures_qty", "other_materials"]}),
        LOCATION_FIELDSET,
        NOTES_FIELDSET,
    ]


# Evidence and audit: read-only.


class ReadOnlyAdmin(common.ReadOnly, admin.ModelAdmin):
    show_full_result_count = False
    paginator = EstimatedCountPaginator


@admin.register(Photo)
class PhotoAdmin(ReadOnlyAdmin):
    """Photos arrive through surveys.photos; here they are only looked at, always through the access-checked view."""

    list_display = ["preview", "report", "caption", "taken_at", "uploaded_by", "created_at"]
    list_select_related = ["report", "uploaded_by"]
    search_fields = ["report__reference", "caption"]
    date_hierarchy = "created_at"
    fields = ["preview", "report", "caption", "width", "height", "bytes", "taken_at", "latitude", "longitude",
              "uploaded_by", "created_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return access.visible_photos(request.user, super().get_queryset(request))

    @admin.display(description=gettext_lazy("photo"))
    def preview(self, obj):
        return format_html('<a href="{}" target="_blank" rel="noopener"><img src="{}" alt="{}" class="review-thumb" '
                           'loading="lazy"></a>', reverse("photo", args=[obj.pk]),
                           reverse("photo_thumbnail", args=[obj.pk]), obj.caption)

    class Media:
        css = {"all": ["css/admin_review.css"]}


@admin.register(ReviewEvent)
class ReviewEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "report", "action", "from_status", "to_status", "actor", "comment"]
    list_select_related = ["report", "actor"]
    list_filter = ["action", "to_status"]
    search_fields = ["report__reference", "comment", "actor__username"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        return access.visible_review_events(request.user, super().get_queryset(request))
