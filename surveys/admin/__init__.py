"""Django admin: the supervisors' review desk (reports, sites) and the administrators' lookups.

Admin asks surveys.access for every queryset and permission and calls surveys.workflow for every review move.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from surveys.admin import accounts, lookups, openrosa, reports, sites  # noqa: F401  (registers the model admins)

admin.site.site_header = _("Field reports: review desk")
admin.site.site_title = _("Field reports")
admin.site.index_title = _("Review queue and records")
