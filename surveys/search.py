"""Search in the review desk's lists, shaped so that an index answers it at a million reports.

- A reference (SUR-2026-…, CLR-…, EOR-…, or its number) is looked up by prefix: `reference LIKE 'SUR-2026-0001%'`,
  which PostgreSQL serves from a pattern-ops B-tree index (migration 0006).
- Any other term is looked up in the names and places people type: the report's place name, a survey's site name,
  and the name of the site of a survey or clearance report. Each table is searched on its own (a UNION of ids), so
  that PostgreSQL can use each column's trigram index (pg_trgm, migration 0006) rather than scan a join; SQLite,
  which has no trigram index, runs the same query as plain LIKE scans (fine at its scale).
- A common term (a town's name, more than FEW reports) is instead checked row by row as the list is read in its own
  order (an index): the report's own row and its site's, joined by primary key, until a page is full. The ids of every
  match would cost more than the page.
"""

import operator
import re
from functools import reduce

from django.db.models import Q, QuerySet

from surveys.models import ClearanceReport, EoreSession, Report, Site, SurveyReport

FEW = 2000
REFERENCE = re.compile(r"^(SUR|CLR|EOR|SITE)-[0-9-]*$", re.IGNORECASE)
# The names and places of a report, from each report model: the same columns the UNION below searches table by table.
NAMES = {
    Report: ["place_name", "surveyreport__site_name", "surveyreport__site__name", "clearancereport__site__name"],
    SurveyReport: ["place_name", "site_name", "site__name"],
    ClearanceReport: ["place_name", "site__name"],
    EoreSession: ["place_name"],
}


def reports(queryset: QuerySet, term: str) -> QuerySet:
    """The reports of `queryset` that `term` finds."""
    term = term.strip()
    if not term:
        return queryset
    if REFERENCE.match(term):
        return queryset.filter(reference__startswith=term.upper())
    sites = Site.objects.filter(name__icontains=term).order_by().values("pk")
    named = (
        SurveyReport.objects.filter(site_name__icontains=term).order_by().values("pk")
        .union(SurveyReport.objects.filter(site__in=sites).order_by().values("pk"), all=True)
        .union(ClearanceReport.objects.filter(site__in=sites).order_by().values("pk"), all=True)
    )
    placed = Report.objects.filter(place_name__icontains=term).order_by().values("pk")
    # A rare term: its few reports, found through each column's index, then ordered (a short sort). A common one
    # (a town's name): reading the list in its own order and keeping the rows that match finds a page at once.
    few = list(placed.union(named, all=True).values_list("pk", flat=True)[:FEW + 1])
    if len(few) <= FEW:
        return queryset.filter(pk__in=few)
    return queryset.filter(reduce(operator.or_, (Q(**{f"{name}__icontains": term}) for name in NAMES[queryset.model])))


def sites(queryset: QuerySet, term: str) -> QuerySet:
    """The sites of `queryset` whose reference starts with `term` or whose name contains it (trigram-indexed on
    PostgreSQL)."""
    term = term.strip()
    if not term:
        return queryset
    if REFERENCE.match(term):
        return queryset.filter(reference__startswith=term.upper())
    return queryset.filter(name__icontains=term)
