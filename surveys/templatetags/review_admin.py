"""The review queue overview at the top of admin's index page, for those who review; the changelists' date drill-down."""

import calendar
from datetime import date

from django import template
from django.urls import reverse
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext

from surveys import access, flags
from surveys.admin.common import SPECIFIC_MODEL, review_url
from surveys.models import Report

register = template.Library()


@register.inclusion_tag("admin/index_queue_overview.html", takes_context=True)
def review_queue_overview(context) -> dict:
    user = context["request"].user
    if not access.can_review(user):
        return {"show": False}
    overview = flags.queue_overview(user)
    queue = reverse("admin:surveys_report_changelist")
    return {
        "show": True,
        "by_kind": [
            (label, overview["submitted"][kind],
             reverse(f"admin:surveys_{SPECIFIC_MODEL[kind]}_changelist") + "?status__exact=submitted")
            for kind, label in Report.Kind.choices
        ],
        "total": overview["submitted_total"],
        "queue_url": f"{queue}?status__exact=submitted",
        "flagged": overview["flagged"],
        "flagged_url": f"{queue}?status__exact=submitted&flag=any",
        "returned": overview["returned"],
        "returned_url": f"{queue}?status__exact=returned",
        "oldest": overview["oldest"],
        "oldest_url": review_url(overview["oldest"]) if overview["oldest"] else "",
    }


@register.inclusion_tag("admin/date_hierarchy.html")
def cheap_date_hierarchy(cl) -> dict:
    """Admin's date drill-down without its scans: Django lists the years, months and days that occur by reading every
    visible row (SELECT DISTINCT over a million reports); here the years run from the first to the last date (two
    index look-ups over the rows the user may see, whatever the filters), and a year's months and a month's
    days are the calendar's. The links filter as Django's do."""
    field = cl.date_hierarchy
    params = {part: cl.params.get(f"{field}__{part}") for part in ("year", "month", "day")}

    def link(filters: dict) -> str:
        return cl.get_query_string({f"{field}__{k}": v for k, v in filters.items()}, [f"{field}__"])

    try:
        year, month, day = (int(params[p]) if params[p] else None for p in ("year", "month", "day"))
        if year and month and day:
            chosen = date(year, month, day)
            return {"show": True,
                    "back": {"link": link({"year": year, "month": month}),
                             "title": capfirst(formats.date_format(chosen, "YEAR_MONTH_FORMAT"))},
                    "choices": [{"title": capfirst(formats.date_format(chosen, "MONTH_DAY_FORMAT"))}]}
        if year and month:
            days = calendar.monthrange(year, month)[1]
            return {"show": True, "back": {"link": link({"year": year}), "title": str(year)},
                    "choices": [{"link": link({"year": year, "month": month, "day": d}),
                                 "title": capfirst(formats.date_format(date(year, month, d), "MONTH_DAY_FORMAT"))}
                                for d in range(1, days + 1)]}
        if year:
            return {"show": True, "back": {"link": link({}), "title": gettext("All dates")},
                    "choices": [{"link": link({"year": year, "month": m}),
                                 "title": capfirst(formats.date_format(date(year, m, 1), "YEAR_MONTH_FORMAT"))}
                                for m in range(1, 13)]}
    except ValueError:
        return {"show": False}
    dates = cl.root_queryset.values_list(field, flat=True)  # what the user may see, before any filter
    first = dates.order_by(field).first()
    last = dates.order_by(f"-{field}").first()
    if first is None:
        return {"show": False}
    return {"show": True, "back": None,
            "choices": [{"link": link({"year": y}), "title": str(y)} for y in range(first.year, last.year + 1)]}
