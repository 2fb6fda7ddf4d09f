"""Counts that cost nothing at a million rows: exact while small, the query planner's estimate beyond.

A list page needs "about how many" to draw its pager; counting a million visible rows exactly (PostgreSQL reads them
all) is what made the review queue slow. On PostgreSQL the planner's estimate of the row count is read with EXPLAIN
(no rows are read). Above ESTIMATE_ABOVE the estimate is the answer; below it the exact count is tried, within
COUNT_TIMEOUT_MS (a few matches of a search over names may still need a scan to be counted), and the estimate stands
only if that runs out. The margin is wide because an estimate can be far off: statistics taken when a table held
other rows (a small list was once estimated at 13,000). SQLite always counts.
"""

import json

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import OperationalError, connections, transaction
from django.db.models import QuerySet
from django.utils.functional import cached_property

ESTIMATE_ABOVE = 100_000
COUNT_TIMEOUT_MS = 50


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
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return queryset.count(), True
    estimate = planner_estimate(queryset)
    if estimate > ESTIMATE_ABOVE:
        return estimate, False
    try:
        with transaction.atomic(using=queryset.db), connection.cursor() as cursor:
            # Local to the transaction: set back below, or undone with the savepoint when the count is cancelled.
            cursor.execute("SELECT current_setting('statement_timeout'), set_config('statement_timeout', %s, true)",
                           [str(COUNT_TIMEOUT_MS)])
            before = cursor.fetchone()[0]
            count = queryset.count()
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [before])
        return count, True
    except OperationalError:  # psycopg's QueryCanceled: the count would have taken too long
        return estimate, False



class EstimatedCountPaginator(Paginator):
    """Django's paginator with cheap_count(): the admin's page links need no full count of a large list."""

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            return cheap_count(self.object_list)[0]
        return super().count
