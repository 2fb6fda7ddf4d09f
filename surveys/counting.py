"""Counts that cost nothing at a million rows: exact while small, the query planner's estimate beyond.

A list page needs "about how many" to draw its pager; counting a million visible rows exactly (PostgreSQL reads them
all) is what made the review queue slow. On PostgreSQL the planner's estimate of the row count is read with EXPLAIN
(no rows are read); when it is under EXACT_BELOW the exact count is taken, which is then cheap. SQLite always counts.
"""

import json

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

EXACT_BELOW = 10_000


def planner_estimate(queryset: QuerySet) -> int:
    """PostgreSQL's estimate of how many rows the queryset returns (EXPLAIN, nothing executed)."""
    try:
        sql, params = queryset.order_by().query.sql_with_params()
    except EmptyResultSet:  # e.g. pk__in=[]: Django knows there is nothing without asking
        return 0
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def cheap_count(queryset: QuerySet) -> tuple[int, bool]:
    """(count, exact): the exact count when it is small or the database is not PostgreSQL, else the estimate."""
    if connections[queryset.db].vendor == "postgresql":
        estimate = planner_estimate(queryset)
        if estimate >= EXACT_BELOW:
            return estimate, False
    return queryset.count(), True


class EstimatedCountPaginator(Paginator):
    """Django's paginator with cheap_count(): the admin's page links need no full count of a large list."""

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            return cheap_count(self.object_list)[0]
        return super().count
