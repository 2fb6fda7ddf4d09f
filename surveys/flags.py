"""Review flags: rules that only warn. They never stop a worker saving or submitting; a supervisor filters on them.

Two flags depend on other reports: "likely duplicate" (another report of the team for the same place and day) and
"area over-run" (the site's approved clearances). Whenever a report is saved or moves (submit, approve, return,
reopen), refresh_with_peers recomputes its flags and those of the reports whose flags depend on it, in the same
transaction, so A is flagged when its later duplicate B arrives, and an earlier clearance's over-run appears when
other clearances of its site are approved (and goes when one is reopened).
"""

import operator
from functools import reduce

from django.conf import settings
from django.db.models import Count, Q, Sum

from surveys import access, geo
from surveys.models import ClearanceReport, Report, SurveyReport


def _reported_area_m2(report: Report) -> int | None:
    if isinstance(report, SurveyReport):
        return report.estimated_area_m2
    if isinstance(report, ClearanceReport):
        return report.released_area_m2
    return None


def area_overrun(report: Report) -> bool:
    """Cleared + reduced + cancelled for the site, with this report, exceeds the site's estimated area."""
    if not isinstance(report, ClearanceReport) or not report.site_id or not report.site.estimated_area_m2:
        return False
    others = (
        ClearanceReport.objects.filter(site_id=report.site_id, status=Report.Status.APPROVED)
        .exclude(pk=report.pk)
        .aggregate(c=Sum("cancelled_area_m2"), r=Sum("reduced_area_m2"), x=Sum("cleared_area_m2"))
    )
    released = sum(v or 0 for v in others.values()) + report.released_area_m2
    return released > report.site.estimated_area_m2


def polygon_mismatch(report: Report) -> bool:
    """The drawn outline's geodesic area differs from the reported area by more than the tolerance (20 %)."""
    reported = _reported_area_m2(report)
    if not report.polygon or not reported:
        return False
    try:
        drawn = geo.polygon_area_m2(report.polygon)
    except Exception:  # an invalid outline is a validation error elsewhere, not a flag
        return False
    return abs(drawn - reported) / reported > settings.POLYGON_AREA_TOLERANCE


def gps_poor(report: Report) -> bool:
    return report.gps_accuracy_m is not None and report.gps_accuracy_m > settings.GPS_ACCURACY_WARN_M


def no_photo(report: Report) -> bool:
    return report.pk is None or not report.photos.exists()


def _duplicate_candidates(report: Report):
    """Other reports of the same type by the same team for the same site (or site name, or place) on the same day."""
    qs = type(report).objects.filter(team_id=report.team_id, activity_date=report.activity_date).exclude(pk=report.pk)
    if isinstance(report, ClearanceReport):
        return qs.filter(site_id=report.site_id)
    if isinstance(report, SurveyReport):
        return qs.filter(site_id=report.site_id) if report.site_id else qs.filter(site_name__iexact=report.site_name)
    return qs.filter(place_name__iexact=report.place_name)


def likely_duplicate(report: Report) -> bool:
    """Another report of the same type by the same team for the same site (or site name) on the same day."""
    if report.pk is None and not report.team_id:
        return False
    return _duplicate_candidates(report).exists()


RULES = {
    "flag_area_overrun": area_overrun,
    "flag_polygon_mismatch": polygon_mismatch,
    "flag_gps_poor": gps_poor,
    "flag_no_photo": no_photo,
    "flag_duplicate": likely_duplicate,
}


def refresh_flags(report: Report, save: bool = True) -> list[str]:
    """Recompute every flag of a saved report (its specific type); returns the names of the flags that changed."""
    report = report.specific
    changed = []
    for field, rule in RULES.items():
        value = rule(report)
        if getattr(report, field) != value:
            setattr(report, field, value)
            changed.append(field)
    if save and changed:
        Report.objects.filter(pk=report.pk).update(**{f: getattr(report, f) for f in changed})
    return changed


def duplicate_peers(report: Report) -> list[Report]:
    """The reports whose "likely duplicate" flag may change with this one: its duplicate candidates now, and the
    team's reports of its type flagged as duplicates (one may just have lost its twin)."""
    report = report.specific
    if not report.team_id:
        return []
    model = type(report)
    candidates = Q(pk__in=_duplicate_candidates(report).values("pk")) | Q(team_id=report.team_id, flag_duplicate=True)
    return list(model.objects.filter(candidates).exclude(pk=report.pk).order_by("pk"))


def refresh_with_peers(report: Report) -> list[str]:
    """Recompute the flags of a saved report, then the flags of other reports that depend on it: "likely duplicate"
    of its duplicate peers, "area over-run" of every clearance of its site. Returns the report's changed flags."""
    changed = refresh_flags(report)
    for peer in duplicate_peers(report):
        value = likely_duplicate(peer)
        if peer.flag_duplicate != value:
            Report.objects.filter(pk=peer.pk).update(flag_duplicate=value)
    site_id = getattr(report.specific, "site_id", None)
    if isinstance(report.specific, ClearanceReport) and site_id:
        refresh_site(site_id)
    return changed


def refresh_site(site_id: int) -> None:
    """Recompute "area over-run" of every clearance of a site (its estimate or its approved figures changed), in a
    fixed number of queries whatever the number of reports: the same rule as area_overrun(), from one sum."""
    from surveys.models import Site

    estimated = Site.objects.filter(pk=site_id).values_list("estimated_area_m2", flat=True).first()
    clearances = list(ClearanceReport.objects.filter(site_id=site_id).values(
        "pk", "status", "cancelled_area_m2", "reduced_area_m2", "cleared_area_m2", "flag_area_overrun"))

    def released(row) -> int:
        return row["cancelled_area_m2"] + row["reduced_area_m2"] + row["cleared_area_m2"]

    approved = sum(released(row) for row in clearances if row["status"] == Report.Status.APPROVED)
    flips: dict[bool, list[int]] = {True: [], False: []}
    for row in clearances:
        others = approved - (released(row) if row["status"] == Report.Status.APPROVED else 0)
        value = bool(estimated) and others + released(row) > estimated
        if value != row["flag_area_overrun"]:
            flips[value].append(row["pk"])
    for value, ids in flips.items():
        if ids:
            Report.objects.filter(pk__in=ids).update(flag_area_overrun=value)


# The review queue ------------------------------------------------------------------------------------------------------


def any_flag_q() -> Q:
    """Reports with at least one flag raised."""
    return reduce(operator.or_, (Q(**{name: True}) for name in Report.FLAG_FIELDS))


def queue_overview(user) -> dict:
    """What waits for review among the reports the user may see, in two queries whatever the queue's length.

    submitted: {kind: count} of submitted reports; flagged: submitted reports with a flag; returned: reports sent back
    to their team and not resubmitted yet; oldest: the submitted report waiting longest (or None).
    """
    reports = access.visible_reports(user)
    waiting = Q(status=Report.Status.SUBMITTED)
    figures = reports.aggregate(
        **{kind: Count("pk", filter=waiting & Q(kind=kind)) for kind in Report.Kind.values},
        flagged=Count("pk", filter=waiting & any_flag_q()),
        returned=Count("pk", filter=Q(status=Report.Status.RETURNED)),
    )
    oldest = reports.filter(waiting).order_by("submitted_at", "pk").only("pk", "kind", "reference", "submitted_at").first()
    return {
        "submitted": {kind: figures[kind] for kind in Report.Kind.values},
        "submitted_total": sum(figures[kind] for kind in Report.Kind.values),
        "flagged": figures["flagged"],
        "returned": figures["returned"],
        "oldest": oldest,
    }
