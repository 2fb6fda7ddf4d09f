"""What a report form hands the phone's rule checker (static/js/form-rules.js): the rule set of its type, embedded in
the page so that a form cached by the service worker checks offline with the rules it was served with, and the
outline-area tolerance of the review flag."""

import json

from django import template
from django.conf import settings
from django.utils.html import json_script

from surveys import rules

register = template.Library()

# The reported area the drawn outline is compared with, by report type: the fields summed by
# surveys.flags._reported_area_m2 (a survey's estimate; a clearance's released area).
AREA_FIELDS = {"survey": ["estimated_area_m2"], "clearance": ["cancelled_area_m2", "reduced_area_m2", "cleared_area_m2"]}


@register.simple_tag
def report_rules(kind: str):
    """The rule set of this report type, in the active language, as <script type="application/json" id="report-rules">."""
    return json_script(rules.as_json(kind), "report-rules")


@register.simple_tag
def outline_check(kind: str) -> str:
    """The data attributes of the map block for the live outline area: tolerance and the reported area's fields."""
    return json.dumps({"tolerance": settings.POLYGON_AREA_TOLERANCE, "fields": AREA_FIELDS.get(kind, [])})
