"""Raw CSV exports: one row per record, streamed in chunks so memory stays flat whatever the number of rows.

The columns of each export are declared once, below (EXPORTS); their descriptions are the documentation shown on the
export page. The format:
- UTF-8, comma-separated, CRLF line ends, with a byte-order mark by default so Excel shows Arabic (bom=0 leaves it
  out);
- one header line of stable column names (never translated), then one line per record, in order of creation, then
  one last line `# end of export: N records`: a file without it is incomplete (the connection or the server's worker
  was cut; the download also ends without HTTP's closing chunk, which browsers and curl report as failed);
- dates ISO 8601 (2026-03-01), times ISO 8601 in UTC (2026-03-01T08:30:00+00:00), empty cells for missing values;
- choices as labels in the user's language (values=labels, the default) or as their codes (values=codes);
- a text cell that a spreadsheet would read as a formula (starting with =, +, -, @, tab or carriage return) gets a
  leading apostrophe ('). Numeric columns (counts, areas, weights, coordinates) are written as plain numbers and never
  prefixed: they come from numeric fields, not from anything a person typed, so a negative coordinate stays a number.

Who gets what is asked of the access module, per row: only approved reports the user may count
(access.reports_for_figures); the point of a report as access.location_for gives it (donor viewers get uncleared
sites rounded to about 1 km); staff names and photo links only for those access allows.
"""

import csv
import io
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC
from itertools import islice
from operator import itemgetter

from django import forms
from django.contrib import admin, messages
from django.db import connections, transaction
from django.db.models import Model, QuerySet
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from surveys import access
from surveys.indicators import DESTROYED_DISPOSALS, Filters, FiltersForm
from surveys.models import (
    AGE_BANDS,
    SEXES,
    Blockage,
    Classification,
    ClearanceKind,
    ClearanceMethod,
    ClearanceReport,
    DeliveryMethod,
    Disposal,
    EOCategory,
    EoreSession,
    Evidence,
    ExplosiveItem,
    PlaceType,
    Priority,
    Report,
    SiteType,
    SurveyReport,
    SurveyType,
)

CHUNK_SIZE = 2000
END_MARKER = "# end of export:"
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """Text as a spreadsheet will show it, never run it: a leading apostrophe before a formula's first character."""
    if value is None:
        return ""
    value = str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


# The column spec -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One CSV column: its header, what it means, the queryset lookups it reads and how it is written.

    kind: text, number, date, datetime, choice, choices (a list of codes), yesno, destroyed, waiting (for photos),
    area_name, governorate, latitude, longitude, precision, photos. audience: None (everyone who exports), "staff" (access.sees_staff_names)
    or "photos" (access.can_view_photos, and only when photo links are asked for).
    """

    name: str
    lookups: tuple[str, ...]
    description: Promise
    kind: str = "text"
    choices: type | None = None
    audience: str | None = None


def col(name: str, lookups: str | tuple[str, ...], description: Promise, kind: str = "text", **kw) -> Column:
    return Column(name, (lookups,) if isinstance(lookups, str) else lookups, description, kind, **kw)


def _area_lookups(prefix: str = "") -> tuple[str, ...]:
    """English and Arabic names of the area, its parent and its grandparent."""
    return tuple(f"{prefix}admin_area__{up}name_{lang}" for up in ("", "parent__", "parent__parent__")
                 for lang in ("en", "ar"))


def _common(site_status: tuple[str, ...]) -> list[Column]:
    point = ("latitude", "longitude", *site_status)
    return [
        col("reference", "reference", _("The report's reference, e.g. SUR-2026-000123.")),
        col("uuid", "uuid", _("The report's identifier made on the phone that captured it.")),
        col("report_type", "kind", _("Survey, clearance or risk education."), "choice", choices=Report.Kind),
        col("organisation", "organisation__name", _("Organisation whose team did the work.")),
        col("team", "team__name", _("Team that did the work.")),
        col("project_code", "project__code", _("Code of the project (grant) that funded the work.")),
        col("project_name", "project__name", _("Name of the project (grant).")),
        col("donor", "project__donor__name", _("Donor of the grant.")),
        col("captured_by", "captured_by__username", _("User name of who captured the report (not in donors' files)."),
            audience="staff"),
        col("activity_date", "activity_date", _("Date of the activity."), "date"),
        col("captured_at", "captured_at", _("When the report was captured on the phone (UTC)."), "datetime"),
        col("governorate", _area_lookups(), _("Governorate (admin level 1)."), "governorate"),
        col("admin_area", ("admin_area__name_en", "admin_area__name_ar"),
            _("The most precise administrative area recorded (governorate, district or sub-district)."), "area_name"),
        col("admin_area_pcode", "admin_area__pcode", _("OCHA P-code of that area, where known.")),
        col("place_name", "place_name", _("Place name as the team wrote it.")),
        col("latitude", point, _("WGS84 latitude, decimal degrees. Rounded to 0.01° (about 1 km) for donor viewers "
                                 "unless the report's site is closed (risk-education sessions have no site: always "
                                 "rounded for them); see location_precision."), "latitude"),
        col("longitude", point, _("WGS84 longitude, decimal degrees, rounded like latitude."), "longitude"),
        col("location_precision", point, _("exact, or rounded (to about 1 km)."), "precision"),
        col("gps_accuracy_m", "gps_accuracy_m", _("Accuracy of the phone's GPS fix, metres."), "number"),
        col("notes", "notes", _("The team's notes.")),
        col("photos_expected", "photos_expected", _("How many photos the phone said it would send with the report."),
            "number"),
        col("photos_received", "photos_received", _("How many of the report's photos have arrived."), "number"),
        col("waiting_for_photos", ("photos_expected", "photos_received"),
            _("Yes while fewer photos have arrived than the phone announced: the report is not complete yet."),
            "waiting"),
    ]


PHOTOS = col("photo_urls", "pk", _("Links to the report's photos, separated by spaces; each opens only for users "
                                   "allowed to see the report (supervisors and administrators, when asked for)."),
             "photos", audience="photos")
SITE = [
    col("site_reference", "site__reference", _("Reference of the site (hazard area), e.g. SITE-2026-000042.")),
    col("site_name", "site__name", _("Name of the site.")),
    col("site_type", "site__site_type", _("Type of site: school, health facility, bridge, …"), "choice",
        choices=SiteType),
]
PARTICIPANTS = [
    col(f"{sex}_{band}", f"{sex}_{band}", format_lazy(_("Participants: {sex}, aged {band}."), sex=sex_label,
                                                      band=band_label), "number")
    for band, band_label in AGE_BANDS for sex, sex_label in SEXES
]


@dataclass(frozen=True)
class Export:
    slug: str
    title: Promise
    model: type[Model]
    columns: list[Column]

    def records(self, user, filters: Filters) -> QuerySet:
        """The records this user may export, narrowed by the filters, in a stable order."""
        if self.model is ExplosiveItem:
            reports = filters.apply(access.reports_for_figures(user, ClearanceReport.objects.all()))
            return ExplosiveItem.objects.filter(report_id__in=reports.values("pk")).order_by("report_id", "pk")
        reports = self.model.objects.with_photos_received()
        return filters.apply(access.reports_for_figures(user, reports)).order_by("pk")


EXPORTS: dict[str, Export] = {e.slug: e for e in [
    Export("surveys", _("Survey reports"), SurveyReport, [
        *_common(("site__status",)),
        col("survey_type", "survey_type", _("Non-technical or technical survey."), "choice", choices=SurveyType),
        col("site_reference", "site__reference", _("Reference of the site the survey created or updated.")),
        col("site_name", "site_name", _("Name of the site, as surveyed.")),
        col("site_type", "site_type", _("Type of site: school, health facility, bridge, …"), "choice",
            choices=SiteType),
        col("priority", "priority", _("High, medium or low."), "choice", choices=Priority),
        col("classification", "classification", _("SHA, CHA or EOD spot task."), "choice", choices=Classification),
        col("evidence", "evidence", _("Direct or indirect evidence."), "choice", choices=Evidence),
        col("contamination", "contamination", _("Explosive ordnance categories found or suspected; codes separated "
                                                "by spaces, or labels separated by semicolons."), "choices",
            choices=EOCategory),
        col("estimated_area_m2", "estimated_area_m2", _("Estimated hazardous area, m²."), "number"),
        col("blockage", "blockage", _("What the hazard blocks (land use)."), "choice", choices=Blockage),
        col("expected_beneficiaries", "expected_beneficiaries", _("People expected to benefit from clearance."),
            "number"),
        PHOTOS,
    ]),
    Export("clearances", _("Clearance reports"), ClearanceReport, [
        *_common(("site__status",)),
        *SITE,
        col("stage", "stage", _("Progress or completion (a completion report closes the site)."), "choice",
            choices=ClearanceKind),
        col("method", "method", _("Manual, mechanical or mine detection dog."), "choice", choices=ClearanceMethod),
        col("start_date", "start_date", _("First day of the work reported."), "date"),
        col("end_date", "end_date", _("Last day of the work reported."), "date"),
        col("cancelled_area_m2", "cancelled_area_m2", _("Area cancelled (non-technical survey), m²."), "number"),
        col("reduced_area_m2", "reduced_area_m2", _("Area reduced (technical survey), m²."), "number"),
        col("cleared_area_m2", "cleared_area_m2", _("Area cleared, m²."), "number"),
        col("depth_cm", "depth_cm", _("Clearance depth, cm."), "number"),
        col("handover_date", "handover_date", _("Date the land was handed over to the community."), "date"),
        col("handed_over_to", "handed_over_to", _("Who received the land (name and role).")),
        col("handover_notes", "handover_notes", _("Notes on the handover.")),
        PHOTOS,
    ]),
    Export("eore", _("Risk-education sessions"), EoreSession, [
        *_common(()),
        col("place_type", "place_type", _("School, community centre, camp, household or other."), "choice",
            choices=PlaceType),
        col("delivery_method", "delivery_method", _("How the session was delivered."), "choice",
            choices=DeliveryMethod),
        *PARTICIPANTS,
        col("total_participants", "total_participants", _("All participants (the sum of the columns above)."),
            "number"),
        col("persons_with_disabilities", "persons_with_disabilities", _("Participants with disabilities."), "number"),
        col("first_time_attendees", "first_time_attendees", _("Participants attending for the first time."),
            "number"),
        col("posters_qty", "posters_qty", _("Posters handed out."), "number"),
        col("brochures_qty", "brochures_qty", _("Brochures handed out."), "number"),
        col("other_materials", "other_materials", _("Other materials handed out.")),
        PHOTOS,
    ]),
    Export("items", _("Explosive items"), ExplosiveItem, [
        col("report_reference", "report__reference", _("Reference of the clearance report the items were found in.")),
        col("report_uuid", "report__uuid", _("Identifier of that report.")),
        col("activity_date", "report__activity_date", _("Date of that report's activity."), "date"),
        col("organisation", "report__organisation__name", _("Organisation whose team found the items.")),
        col("project_code", "report__project__code", _("Code of the project (grant).")),
        col("donor", "report__project__donor__name", _("Donor of the grant.")),
        col("governorate", _area_lookups("report__"), _("Governorate (admin level 1)."), "governorate"),
        col("site_reference", "report__site__reference", _("Reference of the site.")),
        col("category", "category", _("Explosive ordnance category."), "choice", choices=EOCategory),
        col("quantity", "quantity", _("How many items."), "number"),
        col("weight_kg", "weight_kg", _("Their total weight, kg."), "number"),
        col("disposal", "disposal", _("What was done with them."), "choice", choices=Disposal),
        col("destroyed", "disposal", _("Whether they count as destroyed in the figures (destroyed in situ, or moved "
                                       "and destroyed)."), "destroyed"),
    ]),
    Export("reports", _("All reports (shared columns)"), Report, [*_common(
        ("surveyreport__site__status", "clearancereport__site__status")), PHOTOS]),
]}


# Writing ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    labels: bool = True  # choice labels in the user's language; False: their codes
    bom: bool = True
    photos: bool = False  # photo links, for those allowed to see photos


class Plan:
    """One export for one user: the columns they get, the lookups to read, and a function per cell.

    Labels, language and URLs are resolved here, once, so writing a row is only dictionary look-ups.
    """

    def __init__(self, export: Export, user, options: Options, request=None):
        self.user = user
        self.labels = options.labels
        self.arabic = (get_language() or "").startswith("ar")
        allowed = {
            None: True,
            "staff": access.sees_staff_names(user),
            "photos": options.photos and access.can_view_photos(user) and request is not None,
        }
        self.columns = [c for c in export.columns if allowed[c.audience]]
        self.header = [c.name for c in self.columns]
        self.lookups = list(dict.fromkeys(lookup for c in self.columns for lookup in c.lookups))
        self.photo_urls: dict = {}
        self._photo_index = None
        if allowed["photos"]:
            marker = uuid.UUID(int=0)
            template = request.build_absolute_uri(reverse("photo", args=[marker]))
            self._photo_url = lambda pk: template.replace(str(marker), str(pk))
        self._last_row = self._last_point = None
        self._locate = access.location_rule(user)
        self.cells = [self._cell(c) for c in self.columns]

    def row(self, values: tuple) -> list:
        return [cell(values) for cell in self.cells]

    def prepare(self, chunk: list[tuple]) -> None:
        """Before writing a chunk: the photo links of its reports, in one query."""
        if self._photo_index is None:
            return
        ids = [values[self._photo_index] for values in chunk]
        self.photo_urls = {}
        photos = access.visible_photos(self.user).filter(report_id__in=ids).order_by("created_at", "pk")
        for report_id, pk in photos.values_list("report_id", "pk"):
            self.photo_urls.setdefault(report_id, []).append(self._photo_url(pk))

    def _point(self, values: tuple, at: list[int]):
        # latitude, longitude and precision are three cells of one decision: make it once per row.
        if values is not self._last_row:
            status = next((values[i] for i in at[2:] if values[i]), None)
            self._last_row = values
            self._last_point = self._locate(status, values[at[0]], values[at[1]])
        return self._last_point

    def _cell(self, column: Column) -> Callable[[tuple], object]:
        at = [self.lookups.index(lookup) for lookup in column.lookups]
        i = at[0]
        kind = column.kind
        if kind == "text":
            return lambda v: neutralise(v[i])
        if kind == "number":
            return itemgetter(i)
        if kind == "date":
            return lambda v: v[i].isoformat() if v[i] else ""
        if kind == "datetime":
            return lambda v: v[i].astimezone(UTC).isoformat(timespec="seconds") if v[i] else ""
        if kind in ("choice", "choices"):
            names = {value: str(label) for value, label in column.choices.choices} if self.labels else {}
            if kind == "choices":
                sep = "; " if self.labels else " "
                return lambda v: sep.join(names.get(code, code) for code in v[i] or [])
            return lambda v: names.get(v[i], v[i]) or ""
        if kind in ("yesno", "destroyed", "waiting"):
            yes, no = (str(_("Yes")), str(_("No"))) if self.labels else ("true", "false")
            if kind == "destroyed":
                return lambda v: yes if v[i] in DESTROYED_DISPOSALS else no
            if kind == "waiting":  # photos expected, photos received
                return lambda v: yes if (v[i] or 0) > v[at[1]] else no
            return lambda v: "" if v[i] is None else (yes if v[i] else no)
        if kind == "area_name":
            return lambda v: neutralise((self.arabic and v[at[1]]) or v[at[0]])
        if kind == "governorate":
            # The topmost area recorded above (or at) the report's area: grandparent, parent or itself.
            pairs = [(at[4], at[5]), (at[2], at[3]), (at[0], at[1])]
            return lambda v: neutralise(next(((self.arabic and v[ar]) or v[en] for en, ar in pairs if v[en]), ""))
        if kind in ("latitude", "longitude"):
            j = 0 if kind == "latitude" else 1
            return lambda v: self._point(v, at)[j]
        if kind == "precision":
            exact, rounded = (str(_("exact")), str(_("rounded to about 1 km"))) if self.labels else ("exact", "rounded")
            return lambda v: "" if v[at[0]] is None else (exact if self._point(v, at)[2] else rounded)
        if kind == "photos":
            self._photo_index = i
            return lambda v: " ".join(self.photo_urls.get(v[i], ()))
        raise ValueError(f"Unknown column kind: {kind}")


def _drain(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate(0)
    return data


def rows(plan: Plan, records: QuerySet) -> Iterator[list[list]]:
    """The export's rows (cells as written), chunk by chunk: the queryset is read CHUNK_SIZE rows at a time (a
    server-side cursor on PostgreSQL). Other file formats reuse it."""
    # On PostgreSQL, inside a transaction: outside one, Django declares the cursor WITH HOLD, which makes PostgreSQL
    # compute every row before the first is sent (20 s for a million). SQLite needs none (and its transactions here
    # take the write lock).
    postgres = connections[records.db].vendor == "postgresql"
    with transaction.atomic(using=records.db) if postgres else nullcontext():
        values = records.values_list(*plan.lookups).iterator(chunk_size=CHUNK_SIZE)
        while chunk := list(islice(values, CHUNK_SIZE)):
            plan.prepare(chunk)
            yield list(map(plan.row, chunk))


def trailer(count: int) -> str:
    """The last line of every export: a file without it was cut short (a dropped connection, a killed worker)."""
    return f"{END_MARKER} {count} records"


def stream(plan: Plan, records: QuerySet, bom: bool = True) -> Iterator[bytes]:
    """The CSV, chunk by chunk, ending with the trailer line that says the file is complete and how many records it
    holds (see trailer())."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if bom:
        buffer.write(BOM)
    writer.writerow(plan.header)
    yield _drain(buffer)
    count = 0
    for chunk in rows(plan, records):
        writer.writerows(chunk)
        count += len(chunk)
        yield _drain(buffer)
    buffer.write(trailer(count) + "\r\n")
    yield _drain(buffer)


def csv_response(content: Iterable[bytes], name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate().isoformat()}.csv"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def export_response(export: Export, user, records: QuerySet, options: Options, request=None) -> StreamingHttpResponse:
    plan = Plan(export, user, options, request)
    return csv_response(stream(plan, records, options.bom), export.slug)


def table_csv(rows: Iterable[Iterable], bom: bool = True) -> Iterator[bytes]:
    """A small table (the indicators) in the same format: text neutralised, numbers as they are."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if bom:
        buffer.write(BOM)
    for row in rows:
        writer.writerow([neutralise(v) if isinstance(v, str | Promise) else v for v in row])
    yield _drain(buffer)


# The form and the admin action -----------------------------------------------------------------------------------------


class ExportForm(FiltersForm):
    # Not required: a link without them gets the defaults (labels, byte-order mark, no photo links).
    values = forms.ChoiceField(label=_("Choices as"), required=False, widget=forms.RadioSelect, initial="labels",
                               choices=[("labels", _("labels in my language")), ("codes", _("codes"))])
    bom = forms.ChoiceField(label=_("Byte-order mark (for Excel)"), required=False, widget=forms.RadioSelect,
                            initial="1", choices=[("1", _("yes")), ("0", _("no"))])
    photos = forms.ChoiceField(label=_("Photo links"), required=False, widget=forms.RadioSelect, initial="0",
                               choices=[("0", _("no")), ("1", _("yes"))])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if not access.can_view_photos(user):
            del self.fields["photos"]

    @property
    def options(self) -> Options:
        data = self.cleaned_data
        return Options(labels=data.get("values") != "codes", bom=data.get("bom") != "0",
                       photos=data.get("photos") == "1")


def export_for(queryset: QuerySet) -> Export:
    """The export that fits a selection: its report type's, or the shared columns for mixed types."""
    by_model = {e.model: e for e in EXPORTS.values()}
    if queryset.model is Report:
        kinds = set(queryset.order_by().values_list("kind", flat=True).distinct())
        if len(kinds) == 1:
            return by_model[{Report.Kind.SURVEY: SurveyReport, Report.Kind.CLEARANCE: ClearanceReport,
                             Report.Kind.EORE: EoreSession}[kinds.pop()]]
    return by_model[queryset.model]


def selected_for_export(modeladmin, request, queryset: QuerySet) -> tuple[Export, QuerySet] | None:
    """The export that fits an admin selection, and the selected reports the user may export (as the export page
    would give them); None, with a message, for a user who may not export."""
    user = request.user
    if not access.can_see_figures(user):
        modeladmin.message_user(request, _("You are not allowed to export reports."), messages.ERROR)
        return None
    export = export_for(queryset)
    records = export.records(user, Filters()).filter(pk__in=queryset.values("pk"))
    left_out = queryset.count() - records.count()
    if left_out:
        modeladmin.message_user(request, ngettext(
            "%(count)d selected report was left out: only approved reports are exported.",
            "%(count)d selected reports were left out: only approved reports are exported.",
            left_out) % {"count": left_out}, messages.WARNING)
    return export, records


def export_action(respond: Callable, name: str, description: Promise) -> Callable:
    """An admin action exporting the selected reports as the export page would (only those the user may export, same
    columns), in the format `respond(export, user, records, options, request)` writes: CSV here, XLSX and GeoJSON in
    exports_xlsx and exports_geo.

    Shown only where the model admin's has_export_permission says so (access.can_see_figures)."""

    @admin.action(description=description, permissions=["export"])
    def action(modeladmin, request, queryset):
        selected = selected_for_export(modeladmin, request, queryset)
        if selected is None:
            return None
        export, records = selected
        return respond(export, request.user, records, Options(photos=access.can_view_photos(request.user)), request)

    action.__name__ = action.__qualname__ = name
    return action


export_selected_csv = export_action(export_response, "export_selected_csv", _("Export selected reports as CSV"))
