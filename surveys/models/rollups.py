"""Roll-ups of the approved figures: sums by day and by the dimensions the figures filter on, so that the indicators
read a few thousand rows whatever the number of reports.

surveys.rollups keeps them exact: surveys.workflow adds a report's figures when it is approved and takes them away when
it is reopened, in the same transaction (the only two moves by which figures enter or leave the approved set), and
`manage.py rebuild_rollups` recomputes them from the reports.

Every roll-up row is one cell: its dimensions are plain integer ids (0 for "none") and codes, so that a cell is one
unique key on SQLite and PostgreSQL alike (NULLs are never equal in a unique constraint); `donor_id` and
`governorate_id` are copied from the grant and from the area's ancestors so that the figures' filters need no join.
A cell whose count falls to zero is deleted.
"""

from django.db import models

from surveys.models.sites import Site

DIMENSIONS = ["day", "organisation_id", "team_id", "project_id", "donor_id", "admin_area_id", "governorate_id"]


class RollupBase(models.Model):
    day = models.DateField()  # the reports' date of activity
    month = models.DateField()  # the first day of that month, for monthly trends
    organisation_id = models.PositiveIntegerField()
    team_id = models.PositiveIntegerField()
    project_id = models.PositiveIntegerField()  # 0: no grant
    donor_id = models.PositiveIntegerField()  # 0: no grant
    admin_area_id = models.PositiveIntegerField()  # 0: no area recorded
    governorate_id = models.PositiveIntegerField()  # the area's governorate (itself, parent or grandparent); 0: none

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.day} org {self.organisation_id} team {self.team_id}"


def _key(name: str, *extra: str) -> list:
    return [
        models.UniqueConstraint(fields=[*DIMENSIONS, *extra], name=f"{name}_cell"),
        models.Index(fields=["organisation_id", "day"], name=f"{name}_org_day"),
        models.Index(fields=["project_id", "day"], name=f"{name}_project_day"),
    ]


class SurveyRollup(RollupBase):
    """Approved surveys: how many, estimated area and expected beneficiaries, by site type."""

    site_type = models.CharField(max_length=20)
    reports = models.PositiveIntegerField(default=0)
    estimated_area_m2 = models.BigIntegerField(default=0)
    expected_beneficiaries = models.BigIntegerField(default=0)

    class Meta:
        constraints = _key("rollup_survey", "site_type")[:1]
        indexes = _key("rollup_survey")[1:]


class ClearanceRollup(RollupBase):
    """Approved clearance reports: how many, and m² cancelled, reduced and cleared, by method and stage."""

    method = models.CharField(max_length=12)
    stage = models.CharField(max_length=12)
    reports = models.PositiveIntegerField(default=0)
    cancelled_area_m2 = models.BigIntegerField(default=0)
    reduced_area_m2 = models.BigIntegerField(default=0)
    cleared_area_m2 = models.BigIntegerField(default=0)

    class Meta:
        constraints = _key("rollup_clearance", "method", "stage")[:1]
        indexes = _key("rollup_clearance")[1:]


class ItemRollup(RollupBase):
    """Explosive items of approved clearance reports, by category and disposal."""

    category = models.CharField(max_length=20)
    disposal = models.CharField(max_length=20)
    lines = models.PositiveIntegerField(default=0)
    quantity = models.BigIntegerField(default=0)
    weight_kg = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    class Meta:
        constraints = _key("rollup_item", "category", "disposal")[:1]
        indexes = _key("rollup_item")[1:]


class EoreRollup(RollupBase):
    """Approved risk-education sessions and the people they reached, by sex and age band."""

    reports = models.PositiveIntegerField(default=0)
    female_0_4 = models.BigIntegerField(default=0)
    male_0_4 = models.BigIntegerField(default=0)
    female_5_12 = models.BigIntegerField(default=0)
    male_5_12 = models.BigIntegerField(default=0)
    female_13_17 = models.BigIntegerField(default=0)
    male_13_17 = models.BigIntegerField(default=0)
    female_18_24 = models.BigIntegerField(default=0)
    male_18_24 = models.BigIntegerField(default=0)
    female_25_59 = models.BigIntegerField(default=0)
    male_25_59 = models.BigIntegerField(default=0)
    female_60_plus = models.BigIntegerField(default=0)
    male_60_plus = models.BigIntegerField(default=0)
    total_participants = models.BigIntegerField(default=0)
    persons_with_disabilities = models.BigIntegerField(default=0)
    first_time_attendees = models.BigIntegerField(default=0)

    class Meta:
        constraints = _key("rollup_eore")[:1]
        indexes = _key("rollup_eore")[1:]


class SiteActivity(RollupBase):
    """Which sites had approved surveys, clearance reports and completion reports on a day: the distinct sites counted
    as surveyed, worked on and closed (a count of sites cannot be summed over cells, so the site is a dimension)."""

    site = models.ForeignKey(Site, models.CASCADE, related_name="+", db_index=False)
    surveys = models.PositiveIntegerField(default=0)
    clearances = models.PositiveIntegerField(default=0)
    completions = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = _key("rollup_site", "site")[:1]
        indexes = [*_key("rollup_site")[1:], models.Index(fields=["site", "day"], name="rollup_site_site_day")]
