"""Review flags: rules that only warn. They never stop a worker saving or submitting; a supervisor filters on them.

Two flags depend on other reports: "likely duplicate" (another report of the team for the same place and day) and
"area over-run" (the site's approved clearances). Whenever a report is saved or moves (submit, approve, return,
reopen), refresh_with_peers recomputes its flags and those of the reports whose flags depend on it, in the same
transaction, so A is flagged when its later duplicate B arrives, and an earlier clearance's over-run appears when
other clearances of its site are approved (and goes when one is reopened).
"""

import operator
from dataclasses import dataclass
from functools import reduce

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from surveys import access, geo
from surveys.models import ClearanceReport, Report, Site, SurveyReport


def reported_area_m2(report) -> int | None:
    """The area a report (or a site) states, to compare with its drawn outline."""
    if isinstance(report, Site):
        return report.estimated_area_m2
    return _reported_area_m2(report)


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


# Explanations: each raised flag in plain words, with its numbers, for the reviewer ------------------------------------
# Kept apart from the rules above (which only say yes or no, and run on every save): these run on the review page and
# on the bulk-approve confirmation, for the flags that are raised.


@dataclass(frozen=True)
class Explanation:
    flag: str  # the flag's name without "flag_", e.g. "polygon_mismatch"
    label: str  # the flag's name in the current language
    reason: str  # why, with the numbers: "Outline 1,840 m² vs reported 1,200 m²: +53 %"
    duplicates: tuple[Report, ...] = ()  # the reports this one likely duplicates


def _m2(value: float) -> str:
    return _("%(area)s m²") % {"area": formats.number_format(round(value), use_l10n=True, force_grouping=True)}


def _percent(part: float, whole: float) -> str:
    return formats.number_format(round(100 * part / whole), use_l10n=True, force_grouping=True)


def explain_area_overrun(report: Report) -> str:
    site = report.site
    released_before = sum(v or 0 for v in (
        ClearanceReport.objects.filter(site_id=report.site_id, status=Report.Status.APPROVED).exclude(pk=report.pk)
        .aggregate(c=Sum("cancelled_area_m2"), r=Sum("reduced_area_m2"), x=Sum("cleared_area_m2")).values()
    ))
    released = released_before + report.released_area_m2
    over = released - site.estimated_area_m2
    return _("Released on the site with this report %(released)s (this report %(this)s, approved before "
             "%(before)s) vs estimated %(estimated)s: %(over)s over (+%(percent)s %%)") % {
        "released": _m2(released), "this": _m2(report.released_area_m2), "before": _m2(released_before),
        "estimated": _m2(site.estimated_area_m2), "over": _m2(over),
        "percent": _percent(over, site.estimated_area_m2),
    }


def explain_polygon_mismatch(report: Report) -> str:
    reported = reported_area_m2(report)
    drawn = geo.polygon_area_m2(report.polygon)
    difference = drawn - reported
    sign = "+" if difference >= 0 else "−"
    return _("Outline %(drawn)s vs reported %(reported)s: %(sign)s%(percent)s %% (more than %(tolerance)s %% "
             "apart)") % {
        "drawn": _m2(drawn), "reported": _m2(reported), "sign": sign, "percent": _percent(abs(difference), reported),
        "tolerance": round(100 * settings.POLYGON_AREA_TOLERANCE),
    }


def explain_gps_poor(report: Report) -> str:
    return _("GPS accuracy ± %(accuracy)s m, worse than the %(threshold)s m threshold") % {
        "accuracy": formats.number_format(round(report.gps_accuracy_m), use_l10n=True, force_grouping=True),
        "threshold": settings.GPS_ACCURACY_WARN_M,
    }


def explain_no_photo(report: Report) -> str:
    if report.photos_expected:
        return ngettext("No photo has arrived yet; the team announced %(count)d.",
                        "No photo has arrived yet; the team announced %(count)d.",
                        report.photos_expected) % {"count": report.photos_expected}
    return _("No photo attached to the report.")


def explain_duplicate(report: Report) -> tuple[str, list[Report]]:
    others = list(_duplicate_candidates(report).order_by("pk").only("pk", "kind", "reference")[:5])
    return _("Same team, same place, same day of activity (%(date)s) as:") % {
        "date": formats.date_format(report.activity_date)}, others


def outline_summary(obj) -> str:
    """The drawn outline in words: its geodesic area beside the reported one ("" when nothing is drawn)."""
    if not getattr(obj, "polygon", None):
        return ""
    try:
        drawn = geo.polygon_area_m2(obj.polygon)
    except Exception:  # an invalid outline is a validation error elsewhere
        return _("Drawn on the map (its area cannot be computed)")
    reported = reported_area_m2(obj)
    values = {"drawn": formats.number_format(round(drawn), use_l10n=True, force_grouping=True)}
    if not reported:
        return _("Drawn on the map: %(drawn)s m²") % values
    values["reported"] = formats.number_format(reported, use_l10n=True, force_grouping=True)
    return _("Drawn on the map: %(drawn)s m² computed from the outline, %(reported)s m² reported") % values


def explain(report: Report) -> list[Explanation]:
    """Each raised flag of `report` (its specific type) with its reason and numbers, in the order of FLAG_FIELDS.

    A flag whose numbers no longer hold (the data changed since the flag was stored) still says what it is."""
    report = report.specific
    explainers = {
        "flag_area_overrun": explain_area_overrun,
        "flag_polygon_mismatch": explain_polygon_mismatch,
        "flag_gps_poor": explain_gps_poor,
        "flag_no_photo": explain_no_photo,
    }
    explained = []
    for name in Report.FLAG_FIELDS:
        if not getattr(report, name):
            continue
        label = str(Report._meta.get_field(name).verbose_name)
        links = []
        try:
            if name == "flag_duplicate":
                reason, links = explain_duplicate(report)
            else:
                reason = explainers[name](report)
        except Exception:  # stale flag (e.g. outline removed since): say so rather than fail the review page
            reason = _("The figures behind this flag have changed since it was raised; save the report to recheck.")
        explained.append(Explanation(name.removeprefix("flag_"), label, reason, tuple(links)))
    return explained


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
