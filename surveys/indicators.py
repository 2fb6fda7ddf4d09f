"""The indicators report: the figures donors ask for, over approved reports only, computed by the database.

`compute(user, filters)` returns an `Indicators` value that the page, its CSV and the API all render. It runs a fixed
number of aggregate queries (sites, land, explosive items, risk education) over the roll-ups of the approved figures
(surveys.models.rollups, kept exact by surveys.workflow), never over the reports themselves, and only integer and
decimal arithmetic, so SQLite and PostgreSQL give the same numbers.

Definitions (also stated on the page):
- sites surveyed / worked on / closed are distinct Sites with, in the period, an approved survey / an approved
  clearance report (progress or completion) / an approved completion report; counted by the Site's type;
- land released is the sum of the approved clearance reports of the period; remaining is today's remaining area
  (estimated less released, never below zero) of the Sites in the selection that are not closed;
- explosive items "destroyed" are those destroyed in situ or moved and destroyed (DESTROYED_DISPOSALS). Items
  rendered safe or handed over (e.g. to the police) were removed but not destroyed by the team: they are counted
  separately and not in the destroyed totals;
- land released by method is the same sum split by each report's clearance method (manual, mechanical, mine detection
  dog), with the cleared part on its own: cancellation and reduction are survey outcomes, not a method's work;
- land-release beneficiaries are the people expected to benefit (the latest approved survey's estimate) on the
  distinct Sites closed and handed over in the period: a Site counts once, when its land is fully released;
- the monthly trend is, per month of activity, the m² released, the explosive items destroyed and the people reached,
  every month from the first to the last with something in it (months between with nothing are zeros).
- every figure is over reports whose date of activity is in the period.
"""

from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, Model, Q, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from surveys import access
from surveys.models import (
    AGE_BANDS,
    PARTICIPANT_FIELDS,
    AdminArea,
    ClearanceMethod,
    ClearanceRollup,
    Disposal,
    Donor,
    EOCategory,
    EoreRollup,
    ItemRollup,
    Organisation,
    Project,
    SiteActivity,
    SiteStatus,
    SiteType,
)

DESTROYED_DISPOSALS = (Disposal.IN_SITU, Disposal.MOVED)
DESTROYED_LABELS = [Disposal(value).label for value in DESTROYED_DISPOSALS]
KG_PER_TONNE = Decimal(1000)


# Filters ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """Which approved reports count: activity date from/to (inclusive), and any of grant, donor, organisation and
    governorate (the governorate itself and its districts and sub-districts)."""

    date_from: date | None = None
    date_to: date | None = None
    project: Project | None = None
    donor: Donor | None = None
    organisation: Organisation | None = None
    governorate: AdminArea | None = None

    def apply(self, reports: QuerySet) -> QuerySet:
        """Narrow a queryset of reports (Report or one of its types) to these filters."""
        if self.date_from:
            reports = reports.filter(activity_date__gte=self.date_from)
        if self.date_to:
            reports = reports.filter(activity_date__lte=self.date_to)
        if self.project:
            reports = reports.filter(project_id=self.project.pk)
        if self.donor:
            reports = reports.filter(project__donor_id=self.donor.pk)
        if self.organisation:
            reports = reports.filter(organisation_id=self.organisation.pk)
        if self.governorate:
            g = self.governorate.pk
            within = AdminArea.objects.filter(Q(pk=g) | Q(parent_id=g) | Q(parent__parent_id=g)).values("pk")
            reports = reports.filter(admin_area_id__in=within)
        return reports

    def apply_to_cells(self, cells: QuerySet) -> QuerySet:
        """Narrow a queryset of roll-up cells (surveys.models.rollups) to these filters: the same choice as apply()."""
        if self.date_from:
            cells = cells.filter(day__gte=self.date_from)
        if self.date_to:
            cells = cells.filter(day__lte=self.date_to)
        if self.project:
            cells = cells.filter(project_id=self.project.pk)
        if self.donor:
            cells = cells.filter(donor_id=self.donor.pk)
        if self.organisation:
            cells = cells.filter(organisation_id=self.organisation.pk)
        if self.governorate:
            cells = cells.filter(governorate_id=self.governorate.pk)
        return cells

    def describe(self) -> list[tuple[str, Promise, str]]:
        """(key, label, value) of each filter that is set, for headings and CSV files."""
        shown = [
            ("date_from", _("From"), self.date_from.isoformat() if self.date_from else ""),
            ("date_to", _("To"), self.date_to.isoformat() if self.date_to else ""),
            ("project", _("Project (grant)"), str(self.project or "")),
            ("donor", _("Donor"), str(self.donor or "")),
            ("organisation", _("Organisation"), str(self.organisation or "")),
            ("governorate", _("Governorate"), str(self.governorate or "")),
        ]
        return [row for row in shown if row[2]]


class FiltersForm(forms.Form):
    """The filters as a form, with choices limited to what the user may see (used by the pages; usable by the API)."""

    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    project = forms.ModelChoiceField(Project.objects.none(), label=_("Project (grant)"), required=False,
                                     empty_label=_("All"))
    donor = forms.ModelChoiceField(Donor.objects.none(), label=_("Donor"), required=False, empty_label=_("All"))
    organisation = forms.ModelChoiceField(Organisation.objects.none(), label=_("Organisation"), required=False,
                                          empty_label=_("All"))
    governorate = forms.ModelChoiceField(AdminArea.objects.none(), label=_("Governorate"), required=False,
                                         empty_label=_("All"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = access.figure_projects(user)
        self.fields["donor"].queryset = access.figure_donors(user)
        self.fields["organisation"].queryset = access.figure_organisations(user)
        self.fields["governorate"].queryset = access.figure_governorates(user)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data

    @property
    def filters(self) -> Filters:
        return Filters(**{f.name: self.cleaned_data.get(f.name) for f in fields(Filters)})


# Figures ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteRow:
    site_type: str
    label: Promise
    surveyed: int
    worked_on: int
    closed: int
    not_closed: int  # of the sites in this row, those not closed today
    remaining_m2: int  # today, on those not closed


@dataclass(frozen=True)
class LandRelease:
    clearance_reports: int
    cancelled_m2: int
    reduced_m2: int
    cleared_m2: int
    total_m2: int
    remaining_m2: int


@dataclass(frozen=True)
class ItemRow:
    category: str
    label: Promise
    quantity: int
    weight_kg: Decimal
    tonnes: Decimal


@dataclass(frozen=True)
class PeopleRow:
    key: str
    label: Promise
    female: int
    male: int
    total: int


@dataclass(frozen=True)
class RiskEducation:
    sessions: int
    participants: int
    by_age: list[PeopleRow]  # the six age bands recorded
    rollups: list[PeopleRow]  # children under 18 (girls, boys), adults 18+ (women, men), 18–24, under 25
    unmas_bands: list[PeopleRow]  # UNMAS Syria form bands: 5–12, 13–17, 18+ (and 0–4, which they leave out)
    girls: int
    boys: int
    women: int
    men: int
    persons_with_disabilities: int
    first_time_attendees: int


@dataclass(frozen=True)
class MethodRow:
    method: str
    label: Promise
    clearance_reports: int
    cleared_m2: int
    released_m2: int  # cancelled + reduced + cleared by the reports of this method


@dataclass(frozen=True)
class MonthRow:
    month: date  # the first day of the month
    released_m2: int
    items_destroyed: int
    people_reached: int


@dataclass(frozen=True)
class Indicators:
    filters: Filters
    sites: list[SiteRow]
    sites_total: SiteRow
    land: LandRelease
    items: list[ItemRow]  # destroyed, by category
    items_total: ItemRow
    items_not_destroyed: int  # rendered safe or handed over: found, removed, not counted as destroyed
    risk_education: RiskEducation
    # Added by issue 10 (charts): separate keys, so the figures above keep their shape.
    land_by_method: list[MethodRow]
    land_beneficiaries: int  # people expected to benefit on the sites closed and handed over in the period
    trend: list[MonthRow]

    def as_dict(self) -> dict:
        """Plain data (str labels, ids for filter objects) for JSON."""
        return _plain(self)

    def rows(self):
        """(section, key, label, value, unit) lines: the indicators as one flat table, for CSV."""
        for key, label, value in self.filters.describe():
            yield "filter", key, label, value, ""
        for row in [*self.sites, self.sites_total]:
            for measure, measure_label in SITE_MEASURES:
                yield ("sites", f"sites.{row.site_type}.{measure}", f"{row.label}: {measure_label}",
                       getattr(row, measure), _("m²") if measure == "remaining_m2" else _("sites"))
        for measure, measure_label in LAND_MEASURES:
            unit = _("reports") if measure == "clearance_reports" else _("m²")
            yield "land", f"land.{measure}", measure_label, getattr(self.land, measure), unit
        for row in [*self.items, self.items_total]:
            yield "explosive_items", f"items.{row.category}.quantity", row.label, row.quantity, _("items")
            yield "explosive_items", f"items.{row.category}.weight_kg", row.label, row.weight_kg, _("kg")
            yield "explosive_items", f"items.{row.category}.tonnes", row.label, row.tonnes, _("tonnes")
        yield ("explosive_items", "items.not_destroyed.quantity", _("Rendered safe or handed over (not destroyed)"),
               self.items_not_destroyed, _("items"))
        eore = self.risk_education
        yield "risk_education", "eore.sessions", _("Sessions"), eore.sessions, _("sessions")
        yield "risk_education", "eore.participants", _("Participants"), eore.participants, _("people")
        for group, people in (("age", eore.by_age), ("rollup", eore.rollups), ("unmas", eore.unmas_bands)):
            for row in people:
                for sex, sex_label in (("female", _("female")), ("male", _("male")), ("total", _("total"))):
                    yield ("risk_education", f"eore.{group}.{row.key}.{sex}", f"{row.label}: {sex_label}",
                           getattr(row, sex), _("people"))
        for key, label in (("girls", _("Girls")), ("boys", _("Boys")), ("women", _("Women")), ("men", _("Men")),
                           ("persons_with_disabilities", _("Persons with disabilities")),
                           ("first_time_attendees", _("First-time attendees"))):
            yield "risk_education", f"eore.{key}", label, getattr(eore, key), _("people")
        yield from self.new_rows()

    def new_rows(self):
        """The CSV lines of the figures added by issue 10: by method, land-release beneficiaries, monthly trend."""
        for row in self.land_by_method:
            yield "land_by_method", f"land.method.{row.method}.clearance_reports", row.label, row.clearance_reports, \
                _("reports")
            yield "land_by_method", f"land.method.{row.method}.cleared_m2", row.label, row.cleared_m2, _("m²")
            yield "land_by_method", f"land.method.{row.method}.released_m2", row.label, row.released_m2, _("m²")
        yield ("land", "land.beneficiaries", _("People expected to benefit on the sites closed and handed over"),
               self.land_beneficiaries, _("people"))
        for row in self.trend:
            month = row.month.strftime("%Y-%m")
            yield "trend", f"trend.{month}.released_m2", _("Land released"), row.released_m2, _("m²")
            yield "trend", f"trend.{month}.items_destroyed", _("Explosive items destroyed"), row.items_destroyed, \
                _("items")
            yield "trend", f"trend.{month}.people_reached", _("People reached"), row.people_reached, _("people")


SITE_MEASURES = [
    ("surveyed", _("surveyed")),
    ("worked_on", _("worked on")),
    ("closed", _("closed and handed over")),
    ("not_closed", _("not closed today")),
    ("remaining_m2", _("remaining area")),
]
LAND_MEASURES = [
    ("clearance_reports", _("Clearance reports")),
    ("cancelled_m2", _("Cancelled (non-technical survey)")),
    ("reduced_m2", _("Reduced (technical survey)")),
    ("cleared_m2", _("Cleared")),
    ("total_m2", _("Total released")),
    ("remaining_m2", _("Remaining on sites not closed")),
]


def compute(user, filters: Filters) -> Indicators:
    """The indicators over the approved reports that `user` may count (access.rollups_for_figures) and `filters`.

    Read from the roll-ups of the approved figures (surveys.models.rollups), which surveys.workflow keeps equal to a
    recomputation from the reports: the cost follows the number of cells (days × teams × grants × areas), not the
    number of reports."""

    def cells(model) -> QuerySet:
        return filters.apply_to_cells(access.rollups_for_figures(user, model.objects.all()))

    all_time = _all_time_sites(user, filters)
    by_type = _counted_on_sites(all_time) if all_time is not None else _counted_in_cells(cells(SiteActivity))
    sites, sites_total = _rows(by_type)
    items, items_total, not_destroyed = _items(cells(ItemRollup))
    by_month_and_method = clearance_by_month(cells(ClearanceRollup))
    return Indicators(
        filters=filters,
        sites=sites,
        sites_total=sites_total,
        land=_land(cells(ClearanceRollup), remaining_m2=sites_total.remaining_m2),
        items=items,
        items_total=items_total,
        items_not_destroyed=not_destroyed,
        risk_education=_risk_education(cells(EoreRollup)),
        land_by_method=land_by_method(by_month_and_method),
        land_beneficiaries=sum(row["land_beneficiaries"] or 0 for row in by_type.values()),
        trend=monthly_trend(by_month_and_method, cells(ItemRollup), cells(EoreRollup)),
    )


def _all_time_sites(user, filters: Filters) -> QuerySet | None:
    """The sites to count from their own counters (Site.approved_*), when no filter needs the reports' dates, grants
    or areas: then one scan of the sites answers instead of distinct counts over their activity cells."""
    if filters.date_from or filters.date_to or filters.project or filters.donor or filters.governorate:
        return None
    sites = access.sites_for_figures(user)
    if sites is not None and filters.organisation:
        sites = sites.filter(organisation_id=filters.organisation.pk)
    return sites


# Per site type: sites surveyed, worked on and closed (each once, however many cells it has) in the activity cells of
# the period and filters; of those, the ones not closed today and their remaining area; and the people expected to
# benefit on the sites closed (Site.expected_beneficiaries). One pass: the cells grouped by site (an ORM query, with
# the user's and the filters' conditions), joined to the sites.
SITES_IN_CELLS = """
SELECT s.site_type,
       COUNT(*) FILTER (WHERE a.surveys_n > 0) AS surveyed,
       COUNT(*) FILTER (WHERE a.clearances_n > 0) AS worked_on,
       COUNT(*) FILTER (WHERE a.completions_n > 0) AS closed,
       COUNT(*) FILTER (WHERE s.status <> %s) AS not_closed,
       SUM(CASE WHEN s.status <> %s AND s.estimated_area_m2 > s.cancelled_area_m2 + s.reduced_area_m2 + s.cleared_area_m2
                THEN s.estimated_area_m2 - (s.cancelled_area_m2 + s.reduced_area_m2 + s.cleared_area_m2) ELSE 0 END)
           AS remaining_m2,
       SUM(CASE WHEN a.completions_n > 0 THEN s.expected_beneficiaries ELSE 0 END) AS land_beneficiaries
FROM ({cells}) a JOIN surveys_site s ON s.id = a.site_id
GROUP BY s.site_type
"""


def _counted_in_cells(activity: QuerySet) -> dict:
    return _counted(
        activity.order_by().values("site_id")
        .annotate(surveys_n=Sum("surveys"), clearances_n=Sum("clearances"), completions_n=Sum("completions"))
    )


def _counted_on_sites(sites: QuerySet) -> dict:
    return _counted(
        sites.filter(Q(approved_surveys__gt=0) | Q(approved_clearances__gt=0)).order_by()
        .values(site_id=F("pk"), surveys_n=F("approved_surveys"), clearances_n=F("approved_clearances"),
                completions_n=F("approved_completions"))
    )


def _counted(per_site: QuerySet) -> dict:
    """SITES_IN_CELLS over `per_site` (site_id and its counts surveys_n, clearances_n, completions_n): {site type: {measure: n}}."""
    try:
        sql, params = per_site.query.sql_with_params()
    except EmptyResultSet:  # a filter that nothing can match (e.g. a user who may count no grant)
        return {}
    with connections[per_site.db].cursor() as cursor:
        # The SQL is this module's own; every value is a parameter.
        cursor.execute(SITES_IN_CELLS.format(cells=sql), [SiteStatus.CLOSED, SiteStatus.CLOSED, *params])
        names = [column[0] for column in cursor.description]
        return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def _rows(by_type: dict) -> tuple[list[SiteRow], SiteRow]:
    measures = [name for name, _label in SITE_MEASURES]
    rows = [
        SiteRow(value, label, **{m: by_type.get(value, {}).get(m) or 0 for m in measures})
        for value, label in SiteType.choices
    ]
    total = SiteRow("all", _("All sites"), **{m: sum(getattr(r, m) for r in rows) for m in measures})
    return rows, total


def _land(cells: QuerySet, remaining_m2: int) -> LandRelease:
    sums = cells.aggregate(
        clearance_reports=Sum("reports"),
        cancelled_m2=Sum("cancelled_area_m2"),
        reduced_m2=Sum("reduced_area_m2"),
        cleared_m2=Sum("cleared_area_m2"),
    )
    sums = {k: v or 0 for k, v in sums.items()}
    total = sums["cancelled_m2"] + sums["reduced_m2"] + sums["cleared_m2"]
    return LandRelease(**sums, total_m2=total, remaining_m2=remaining_m2)


def _tonnes(kg: Decimal) -> Decimal:
    return (kg / KG_PER_TONNE).quantize(Decimal("0.001"))


def _items(cells: QuerySet) -> tuple[list[ItemRow], ItemRow, int]:
    destroyed = Q(disposal__in=DESTROYED_DISPOSALS)
    counted = (
        cells
        .values("category")
        .annotate(
            destroyed_quantity=Sum("quantity", filter=destroyed),
            destroyed_kg=Sum("weight_kg", filter=destroyed),
            not_destroyed=Sum("quantity", filter=~destroyed),
        )
        .order_by("category")
    )
    by_category = {row["category"]: row for row in counted}
    rows = []
    for value, label in EOCategory.choices:
        found = by_category.get(value, {})
        kg = Decimal(found.get("destroyed_kg") or 0).quantize(Decimal("0.01"))
        rows.append(ItemRow(value, label, found.get("destroyed_quantity") or 0, kg, _tonnes(kg)))
    kg = sum((r.weight_kg for r in rows), Decimal("0.00"))
    total = ItemRow("all", _("All explosive items"), sum(r.quantity for r in rows), kg, _tonnes(kg))
    not_destroyed = sum(row.get("not_destroyed") or 0 for row in by_category.values())
    return rows, total, not_destroyed


def _risk_education(cells: QuerySet) -> RiskEducation:
    sums = cells.aggregate(
        sessions=Sum("reports"),
        persons_with_disabilities=Sum("persons_with_disabilities"),
        first_time_attendees=Sum("first_time_attendees"),
        **{name: Sum(name) for name in PARTICIPANT_FIELDS},
    )
    n = {k: v or 0 for k, v in sums.items()}

    def people(key: str, label: Promise, bands: list[str]) -> PeopleRow:
        female = sum(n[f"female_{b}"] for b in bands)
        male = sum(n[f"male_{b}"] for b in bands)
        return PeopleRow(key, label, female, male, female + male)

    children = people("under_18", _("Children under 18 (girls, boys)"), ["0_4", "5_12", "13_17"])
    adults = people("18_plus", _("Adults 18 and over (women, men)"), ["18_24", "25_59", "60_plus"])
    all_ages = people("all", _("All ages"), [band for band, _label in AGE_BANDS])
    return RiskEducation(
        sessions=n["sessions"],
        participants=all_ages.total,
        by_age=[*(people(band, label, [band]) for band, label in AGE_BANDS), all_ages],
        rollups=[
            children,
            adults,
            people("18_24", _("Young adults 18–24"), ["18_24"]),
            people("under_25", _("Children and young adults under 25"), ["0_4", "5_12", "13_17", "18_24"]),
        ],
        unmas_bands=[
            people("0_4", _("Under 5 (not in the UNMAS bands)"), ["0_4"]),
            people("5_12", _("5–12"), ["5_12"]),
            people("13_17", _("13–17"), ["13_17"]),
            people("18_plus", _("18+"), ["18_24", "25_59", "60_plus"]),
        ],
        girls=children.female,
        boys=children.male,
        women=adults.female,
        men=adults.male,
        persons_with_disabilities=n["persons_with_disabilities"],
        first_time_attendees=n["first_time_attendees"],
    )


def clearance_by_month(cells: QuerySet) -> list[dict]:
    """One grouped query of the clearance roll-ups for land by method and the monthly trend: per month and clearance
    method, the approved clearance reports and their m²."""
    return list(
        cells.values("month", "method")
        .annotate(
            clearance_reports=Sum("reports"),
            cleared_m2=Sum("cleared_area_m2"),
            released_m2=Sum(F("cancelled_area_m2") + F("reduced_area_m2") + F("cleared_area_m2")),
        )
        .order_by()
    )


def land_by_method(by_month: list[dict]) -> list[MethodRow]:
    """Land released by clearance method, one row per method (zeros included), from clearance_by_month()."""
    sums: dict[str, dict[str, int]] = {}
    for row in by_month:
        total = sums.setdefault(row["method"], {"clearance_reports": 0, "cleared_m2": 0, "released_m2": 0})
        for key in total:
            total[key] += row[key] or 0
    return [
        MethodRow(value, label, **sums.get(value, {"clearance_reports": 0, "cleared_m2": 0, "released_m2": 0}))
        for value, label in ClearanceMethod.choices
    ]


def monthly_trend(by_month: list[dict], items: QuerySet, sessions: QuerySet) -> list[MonthRow]:
    """Per month of activity: m² released (from clearance_by_month()), explosive items destroyed and people reached
    (one grouped query of their roll-ups each); every month from the first to the last with something in it."""
    land: dict[date, int] = {}
    for row in by_month:
        month = _month_start(row["month"])
        land[month] = land.get(month, 0) + (row["released_m2"] or 0)
    destroyed = {
        _month_start(row["month"]): row["n"] or 0
        for row in items.filter(disposal__in=DESTROYED_DISPOSALS).values("month").annotate(n=Sum("quantity"))
        .order_by()
    }
    people = {
        _month_start(row["month"]): row["n"] or 0
        for row in sessions.values("month").annotate(n=Sum("total_participants")).order_by()
    }
    months = sorted({*land, *people, *destroyed})
    if not months:
        return []
    rows, month = [], months[0]
    while month <= months[-1]:
        rows.append(MonthRow(month, land.get(month, 0), destroyed.get(month, 0), people.get(month, 0)))
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return rows


def _month_start(value) -> date:
    # TruncMonth of a DateField gives a date; on some back ends a datetime: keep the calendar month either way.
    return date(value.year, value.month, 1)


def _plain(value):
    if is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, Model):
        return {"id": value.pk, "name": str(value)}
    return value
