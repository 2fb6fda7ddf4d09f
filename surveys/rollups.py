"""Keeping the roll-ups of the approved figures (surveys.models.rollups) exact.

- `add(report)` / `remove(report)`: called by surveys.workflow inside the transaction of an approval / a reopening,
  with the report's row locked: each cell the report contributes to is incremented or decremented in place
  (`UPDATE … SET n = n + 1`), created when missing, deleted when its count falls to zero.
- `recompute()`: every cell, computed from the approved reports by the database (the definition the increments must
  agree with; the property test in tests/test_rollups.py checks they always do).
- The sites' own counters of approved reports and the people expected to benefit from their latest approved survey
  (Site.approved_*, Site.expected_beneficiaries) are kept the same way, with the site's activity cells.
- `rebuild()`: replaces the roll-ups by `recompute()` (`manage.py rebuild_rollups`): after a bulk load, or after an
  administrator changed a grant's donor or an area's parent (copied into the cells).
"""

from collections import defaultdict
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from surveys.models import (
    PARTICIPANT_FIELDS,
    AdminArea,
    ClearanceKind,
    ClearanceReport,
    ClearanceRollup,
    EoreRollup,
    EoreSession,
    ExplosiveItem,
    ItemRollup,
    Project,
    Report,
    Site,
    SiteActivity,
    SurveyReport,
    SurveyRollup,
)
from surveys.models.rollups import DIMENSIONS

ROLLUPS = [SurveyRollup, ClearanceRollup, ItemRollup, EoreRollup, SiteActivity]
# The extra dimensions of each roll-up (after the common ones) and its measures.
KEYS = {
    SurveyRollup: ["site_type"],
    ClearanceRollup: ["method", "stage"],
    ItemRollup: ["category", "disposal"],
    EoreRollup: [],
    SiteActivity: ["site_id"],
}
MEASURES = {
    SurveyRollup: ["reports", "estimated_area_m2", "expected_beneficiaries"],
    ClearanceRollup: ["reports", "cancelled_area_m2", "reduced_area_m2", "cleared_area_m2"],
    ItemRollup: ["lines", "quantity", "weight_kg"],
    EoreRollup: ["reports", *PARTICIPANT_FIELDS, "total_participants", "persons_with_disabilities",
                 "first_time_attendees"],
    SiteActivity: ["surveys", "clearances", "completions"],
}
# The counts of reports (or lines) in a cell: when they are all zero, nothing is left in it and it is deleted.
COUNTS = {model: MEASURES[model][:1] for model in ROLLUPS} | {SiteActivity: ["surveys", "clearances"]}

Cell = tuple  # the values of DIMENSIONS + KEYS[model]
Cells = dict[type, dict[Cell, dict[str, int | Decimal]]]


# Incremental: one report in or out -------------------------------------------------------------------------------------


def add(report: Report) -> None:
    """The report (its specific type) has entered the approved set: add its figures to their cells."""
    cells = contributions(report)
    _apply(cells, +1)
    _count_on_sites(cells, +1)
    _refresh_beneficiaries(report)


def remove(report: Report) -> None:
    """The report is leaving the approved set: take its figures out of their cells."""
    cells = contributions(report)
    _apply(cells, -1)
    _count_on_sites(cells, -1)
    _refresh_beneficiaries(report)


SITE_COUNTERS = {"surveys": "approved_surveys", "clearances": "approved_clearances",
                 "completions": "approved_completions"}


def _count_on_sites(cells: Cells, sign: int) -> None:
    """The site's own counters of approved reports (Site.approved_*), from the report's site-activity cells."""
    for cell, measures in cells.get(SiteActivity, {}).items():
        change = {SITE_COUNTERS[m]: F(SITE_COUNTERS[m]) + sign * v for m, v in measures.items() if v}
        if change:
            Site.objects.filter(pk=cell[-1]).update(**change)


def latest_beneficiaries() -> Coalesce:
    """For a site (OuterRef "pk"): the expected beneficiaries of its latest approved survey, or 0: the definition
    Site.expected_beneficiaries follows."""
    latest = SurveyReport.approved_latest_first(OuterRef("pk")).values("expected_beneficiaries")[:1]
    return Coalesce(Subquery(latest, output_field=IntegerField()), Value(0))


def _refresh_beneficiaries(report: Report) -> None:
    """A survey entered or left the approved set: its site's latest approved survey may have changed."""
    if isinstance(report, SurveyReport) and report.site_id:
        Site.objects.filter(pk=report.site_id).update(expected_beneficiaries=latest_beneficiaries())


def site_counters() -> dict[int, dict[str, int]]:
    """Site.approved_* and Site.expected_beneficiaries recomputed from the approved reports (for checks):
    {site id: {counter: n}}, zeros left out."""
    counted: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (*_dims, site_id), measures in recompute().get(SiteActivity, {}).items():
        for name, value in measures.items():
            counted[site_id][SITE_COUNTERS[name]] += value
    surveyed = Site.objects.filter(pk__in=list(counted)).annotate(_people=latest_beneficiaries())
    for pk, people in surveyed.filter(_people__gt=0).values_list("pk", "_people"):
        counted[pk]["expected_beneficiaries"] = people
    return {pk: dict(c) for pk, c in counted.items() if any(c.values())}


def stored_site_counters() -> dict[int, dict[str, int]]:
    names = [*SITE_COUNTERS.values(), "expected_beneficiaries"]
    return {
        row[0]: {n: v for n, v in zip(names, row[1:], strict=True) if v}
        for row in Site.objects.exclude(approved_surveys=0, approved_clearances=0, approved_completions=0,
                                        expected_beneficiaries=0)
        .values_list("pk", *names)
    }


def _common(report: Report) -> tuple:
    donor_id = 0
    if report.project_id:
        donor_id = Project.objects.filter(pk=report.project_id).values_list("donor_id", flat=True).get()
    governorate_id = 0
    if report.admin_area_id:
        grandparent, parent = AdminArea.objects.filter(pk=report.admin_area_id).values_list(
            "parent__parent_id", "parent_id").get()
        governorate_id = grandparent or parent or report.admin_area_id
    return (report.activity_date, report.organisation_id, report.team_id, report.project_id or 0, donor_id,
            report.admin_area_id or 0, governorate_id)


def contributions(report: Report) -> Cells:
    """What one report adds to each roll-up: {model: {cell: {measure: value}}}."""
    dims = _common(report)
    cells: Cells = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    if isinstance(report, SurveyReport):
        row = cells[SurveyRollup][(*dims, report.site_type)]
        row["reports"] += 1
        row["estimated_area_m2"] += report.estimated_area_m2
        row["expected_beneficiaries"] += report.expected_beneficiaries
        if report.site_id:
            cells[SiteActivity][(*dims, report.site_id)]["surveys"] += 1
    elif isinstance(report, ClearanceReport):
        row = cells[ClearanceRollup][(*dims, report.method, report.stage)]
        row["reports"] += 1
        for name in ("cancelled_area_m2", "reduced_area_m2", "cleared_area_m2"):
            row[name] += getattr(report, name)
        site = cells[SiteActivity][(*dims, report.site_id)]
        site["clearances"] += 1
        site["completions"] += int(report.stage == ClearanceKind.COMPLETION)
        for category, disposal, quantity, weight_kg in report.items.values_list(
                "category", "disposal", "quantity", "weight_kg"):
            item = cells[ItemRollup][(*dims, category, disposal)]
            item["lines"] += 1
            item["quantity"] += quantity
            item["weight_kg"] += weight_kg
    elif isinstance(report, EoreSession):
        row = cells[EoreRollup][dims]
        row["reports"] += 1
        for name in MEASURES[EoreRollup][1:]:
            row[name] += getattr(report, name)
    else:
        raise TypeError(f"Not a specific report type: {type(report).__name__}")
    return cells


def _apply(cells: Cells, sign: int) -> None:
    for model, by_cell in cells.items():
        names = [*DIMENSIONS, *KEYS[model]]
        empty = dict.fromkeys(COUNTS[model], 0)
        for cell, measures in by_cell.items():
            key = dict(zip(names, cell, strict=True))
            change = {name: F(name) + sign * value for name, value in measures.items() if value}
            if model.objects.filter(**key).update(**change):
                if sign < 0:
                    model.objects.filter(**key, **empty).delete()
                continue
            if sign < 0:
                # A report leaving cells that do not hold it: the roll-ups were not built (rebuild_rollups).
                raise RuntimeError(f"{model.__name__} has no cell {key}: run manage.py rebuild_rollups")
            try:
                with transaction.atomic():  # a savepoint: another approval may create the same cell meanwhile
                    model.objects.create(**key, month=key["day"].replace(day=1), **measures)
            except IntegrityError:
                model.objects.filter(**key).update(**change)


# From scratch ----------------------------------------------------------------------------------------------------------


def _dimensions(prefix: str = "") -> dict:
    """The common dimensions as expressions over a report queryset (or, with a prefix, over a related report)."""
    return {
        "day": F(f"{prefix}activity_date"),
        "organisation_id": F(f"{prefix}organisation_id"),
        "team_id": F(f"{prefix}team_id"),
        "project_id": Coalesce(f"{prefix}project_id", Value(0), output_field=IntegerField()),
        "donor_id": Coalesce(f"{prefix}project__donor_id", Value(0), output_field=IntegerField()),
        "admin_area_id": Coalesce(f"{prefix}admin_area_id", Value(0), output_field=IntegerField()),
        "governorate_id": Coalesce(f"{prefix}admin_area__parent__parent_id", f"{prefix}admin_area__parent_id",
                                   f"{prefix}admin_area_id", Value(0), output_field=IntegerField()),
    }


def _sources() -> list[tuple[type, QuerySet, list[str]]]:
    """For each roll-up, the grouped queries that compute its cells from the approved reports: (model, queryset, the
    measures it gives). Columns are aliased "_<dimension>" (never clashing with a field name) and by measure. Site
    activity has two sources (surveys, clearance reports) whose cells merge."""
    approved = Q(status=Report.Status.APPROVED)

    def grouped(queryset, keys: dict, measures: dict) -> QuerySet:
        return queryset.order_by().values(**{f"_{name}": e for name, e in keys.items()}).annotate(**measures)

    dims = _dimensions()
    surveys = SurveyReport.objects.filter(approved)
    clearances = ClearanceReport.objects.filter(approved)
    items = ExplosiveItem.objects.filter(report__status=Report.Status.APPROVED)
    return [
        (SurveyRollup, grouped(surveys, {**dims, "site_type": F("site_type")}, {
            "reports": Count("pk"), "estimated_area_m2": Sum("estimated_area_m2"),
            "expected_beneficiaries": Sum("expected_beneficiaries"),
        }), ["reports", "estimated_area_m2", "expected_beneficiaries"]),
        (SiteActivity, grouped(surveys.filter(site__isnull=False), {**dims, "site_id": F("site_id")},
                               {"surveys": Count("pk")}), ["surveys"]),
        (SiteActivity, grouped(clearances, {**dims, "site_id": F("site_id")}, {
            "clearances": Count("pk"), "completions": Count("pk", filter=Q(stage=ClearanceKind.COMPLETION)),
        }), ["clearances", "completions"]),
        (ClearanceRollup, grouped(clearances, {**dims, "method": F("method"), "stage": F("stage")}, {
            "reports": Count("pk"), "cancelled_area_m2": Sum("cancelled_area_m2"),
            "reduced_area_m2": Sum("reduced_area_m2"), "cleared_area_m2": Sum("cleared_area_m2"),
        }), ["reports", "cancelled_area_m2", "reduced_area_m2", "cleared_area_m2"]),
        (ItemRollup, grouped(items, {**_dimensions("report__"), "category": F("category"), "disposal": F("disposal")}, {
            "lines": Count("pk"), "quantity": Sum("quantity"), "weight_kg": Sum("weight_kg"),
        }), ["lines", "quantity", "weight_kg"]),
        (EoreRollup, grouped(EoreSession.objects.filter(approved), dims, {
            "reports": Count("pk"), **{name: Sum(name) for name in MEASURES[EoreRollup][1:]},
        }), MEASURES[EoreRollup]),
    ]


def recompute() -> Cells:
    """Every roll-up cell, from the approved reports (zero measures left out)."""
    cells: Cells = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for model, queryset, measures in _sources():
        names = [*DIMENSIONS, *KEYS[model]]
        for row in queryset:
            target = cells[model][tuple(row[f"_{name}"] for name in names)]
            for name in measures:
                if row[name]:
                    target[name] += row[name]
    return cells


def stored() -> Cells:
    """The roll-ups as they are in the database, in the shape recompute() gives (zero measures left out)."""
    cells: Cells = {}
    for model in ROLLUPS:
        names = [*DIMENSIONS, *KEYS[model]]
        cells[model] = {
            tuple(row[:len(names)]): {m: v for m, v in zip(MEASURES[model], row[len(names):], strict=True) if v}
            for row in model.objects.values_list(*names, *MEASURES[model])
        }
    return cells


def rebuild() -> dict[str, int]:
    """Replace every roll-up by a recomputation from the reports, inside the database (INSERT … SELECT of the
    queries recompute() reads, so a million reports never pass through Python). Returns the cells of each."""
    with transaction.atomic(), connection.cursor() as cursor:
        for model in ROLLUPS:
            model.objects.all().delete()
        for model, queryset, measures in _sources():
            sql, params = queryset.query.sql_with_params()
            table = connection.ops.quote_name(model._meta.db_table)
            names = [*DIMENSIONS, *KEYS[model]]
            columns = [model._meta.get_field(n.removesuffix("_id") if n == "site_id" else n).column for n in names]
            q = connection.ops.quote_name
            # The month is the day's first: computed here in SQL the same way on both databases.
            month = ("DATE_TRUNC('month', s._day)::date" if connection.vendor == "postgresql"
                     else "DATE(s._day, 'start of month')")
            values = [f"s.{q(m)}" if m in measures else "0" for m in MEASURES[model]]
            select = ", ".join([*(f"s.{q('_' + n)}" for n in names), month, *values])
            into = ", ".join(q(c) for c in [*columns, "month", *MEASURES[model]])
            upsert = ""
            if model is SiteActivity:  # the second source adds its counts to the cells the first made
                update = ", ".join(f"{q(m)} = EXCLUDED.{q(m)}" for m in measures)
                upsert = f" ON CONFLICT ({', '.join(q(c) for c in columns)}) DO UPDATE SET {update}"
            # Names are the models' own (quoted), values are parameters: nothing here comes from a user.
            cursor.execute(f"INSERT INTO {table} ({into}) SELECT {select} FROM ({sql}) s WHERE true{upsert}",  # noqa: S608
                           params)
        # The sites' counters, from the site-activity cells just written.
        cursor.execute(
            "UPDATE surveys_site SET approved_surveys = 0, approved_clearances = 0, approved_completions = 0 "
            "WHERE approved_surveys > 0 OR approved_clearances > 0 OR approved_completions > 0")
        cursor.execute(
            "UPDATE surveys_site SET approved_surveys = a.surveys, approved_clearances = a.clearances, "
            "approved_completions = a.completions FROM (SELECT site_id, SUM(surveys) AS surveys, "
            "SUM(clearances) AS clearances, SUM(completions) AS completions FROM surveys_siteactivity "
            "GROUP BY site_id) AS a WHERE surveys_site.id = a.site_id")
        Site.objects.exclude(expected_beneficiaries=0).update(expected_beneficiaries=0)
        Site.objects.filter(approved_surveys__gt=0).update(expected_beneficiaries=latest_beneficiaries())
    return {model.__name__: model.objects.count() for model in ROLLUPS}
