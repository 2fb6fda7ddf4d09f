"""The review queue overview at the top of admin's index page, for those who review."""

from django import template
from django.urls import reverse

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
