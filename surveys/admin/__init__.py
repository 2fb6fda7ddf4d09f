"""Django admin: the supervisors' review desk (reports, sites) and the administrators' lookups.

Admin asks surveys.access for every queryset and permission and calls surveys.workflow for every review move.
"""

from surveys.admin import lookups, reports, sites  # noqa: F401  (registers the model admins)
