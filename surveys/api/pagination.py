"""Pages of API lists by keyset (cursor): `?limit=` rows after the row a `?cursor=` points at.

A page is read from an index in the list's order and costs the same at the first row or the millionth, where an
offset makes the database read and drop every row before it. The order is the list's model order made total with
the id (reports: newest activity first; sites: by name; items: by id), or, with `?order=updated`, oldest change first,
which is what the phone's sync wants: it keeps the last `next` link and resumes there. Every order has an index
(migration 0006). `next` and `previous` are links with an opaque cursor; `count` is exact while small and the
planner's estimate on PostgreSQL when counting would take too long (surveys.counting), flagged by `count_is_estimate`.
"""

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from surveys.counting import cheap_count

UPDATED = ("updated_at", "id")


def keyset_for(model, order: str | None) -> tuple[str, ...]:
    """The list's order as field names ("-" for descending), ending with the id so that it is total."""
    if order == "updated" and any(f.name == "updated_at" for f in model._meta.get_fields()):
        return UPDATED
    fields = [name.replace("pk", "id") for name in model._meta.ordering or ["id"]]
    if fields[-1].lstrip("-") != "id":
        fields.append("-id" if fields[0].startswith("-") else "id")
    return tuple(fields)


class Pagination(BasePagination):
    """Keyset pages. A limit above settings.API_MAX_PAGE_SIZE is cut to it, so no request lists everything."""

    cursor_query_param = "cursor"
    limit_query_param = "limit"
    order_query_param = "order"
    # None: the settings' REST_FRAMEWORK["PAGE_SIZE"] and API_MAX_PAGE_SIZE; the order when ?order= is left out.
    page_size: int | None = None
    max_page_size: int | None = None
    default_order: str | None = None

    def paginate_queryset(self, queryset: QuerySet, request, view=None) -> list:
        self.request = request
        self.limit = self._limit(request)
        order = request.query_params.get(self.order_query_param) or self.default_order
        if order not in (None, "updated"):
            raise ValidationError({self.order_query_param: [_("Use order=updated, or leave it out.")]})
        self.keyset = keyset_for(queryset.model, order)
        self.model = queryset.model
        self.count, self.count_exact = cheap_count(queryset.order_by())
        values, backwards = self._cursor(request)
        keys = self._flip(self.keyset) if backwards else self.keyset
        page = queryset.order_by(*keys)
        if values is not None:
            page = page.filter(self._after(keys, values))
        rows = list(page[: self.limit + 1])
        more = len(rows) > self.limit
        rows = rows[: self.limit]
        if backwards:
            rows.reverse()
        self.next_values = self._values(rows[-1]) if rows and (more or backwards) else None
        self.previous_values = self._values(rows[0]) if rows and values is not None and (more or not backwards) else None
        return rows

    def get_paginated_response(self, data) -> Response:
        return Response({
            "count": self.count,
            "count_is_estimate": not self.count_exact,
            "next": self._link(self.next_values, backwards=False),
            "previous": self._link(self.previous_values, backwards=True),
            "results": data,
        })

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {"type": "integer", "description": "How many records match: exact, or an estimate on "
                                                            "PostgreSQL when counting would take too long (see "
                                                            "count_is_estimate)."},
                "count_is_estimate": {"type": "boolean", "description": "true when count is an estimate."},
                "next": {"type": "string", "nullable": True, "format": "uri",
                         "description": "URL of the next page; null on the last."},
                "previous": {"type": "string", "nullable": True, "format": "uri",
                             "description": "URL of the previous page; null on the first."},
                "results": {**schema, "description": "The records of this page."},
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = [
            {"name": self.cursor_query_param, "in": "query", "required": False, "schema": {"type": "string"},
             "description": "Where the page starts: take it from the next or previous link, never build it."},
            {"name": self.limit_query_param, "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1},
             "description": f"Records per page (default {self.page_size or settings.REST_FRAMEWORK['PAGE_SIZE']}, "
                            f"at most {self.max_page_size or settings.API_MAX_PAGE_SIZE})."},
        ]
        if self.default_order is None:
            parameters.append(
                {"name": self.order_query_param, "in": "query", "required": False,
                 "schema": {"type": "string", "enum": ["updated"]},
                 "description": "updated: oldest change first (for syncing with updated_since); default: the list's "
                                "own order."})
        return parameters

    # Helpers

    def _limit(self, request) -> int:
        raw = request.query_params.get(self.limit_query_param)
        if raw in (None, ""):
            return self.page_size or settings.REST_FRAMEWORK["PAGE_SIZE"]
        try:
            limit = int(raw)
        except ValueError:
            limit = 0
        if limit < 1:
            raise ValidationError({self.limit_query_param: [_("Give a whole number of at least 1.")]})
        return min(limit, self.max_page_size or settings.API_MAX_PAGE_SIZE)

    def _cursor(self, request) -> tuple[list | None, bool]:
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:
            return None, False
        try:
            data = json.loads(base64.urlsafe_b64decode(raw.encode("ascii") + b"=" * (-len(raw) % 4)))
            names = [name.lstrip("-") for name in self.keyset]
            if data.get("k") != list(names) or len(data["v"]) != len(names):
                raise ValueError("cursor of another order")
            values = [self.model._meta.get_field(name).to_python(v) for name, v in zip(names, data["v"], strict=True)]
            if any(v is None for v in values):
                raise ValueError("empty value")
            return values, bool(data.get("b"))
        except (ValueError, TypeError, KeyError, AttributeError, UnicodeError, binascii.Error,
                DjangoValidationError):
            raise ValidationError({self.cursor_query_param: [_("This cursor is not valid: follow the next or "
                                                               "previous link of a list.")]}) from None

    @staticmethod
    def _flip(keys: Sequence[str]) -> tuple[str, ...]:
        return tuple(name[1:] if name.startswith("-") else f"-{name}" for name in keys)

    @staticmethod
    def _after(keys: Sequence[str], values: list) -> Q:
        """Rows after `values` in the order `keys`: lexicographic, plus a bound on the first key so that the index
        scan starts at the cursor instead of filtering from the top."""
        condition = Q()
        equal = Q()
        for name, value in zip(keys, values, strict=True):
            field = name.lstrip("-")
            op = "lt" if name.startswith("-") else "gt"
            condition |= equal & Q(**{f"{field}__{op}": value})
            equal &= Q(**{field: value})
        first = keys[0].lstrip("-")
        bound = Q(**{f"{first}__{'lte' if keys[0].startswith('-') else 'gte'}": values[0]})
        return bound & condition

    def _values(self, row) -> list:
        return [getattr(row, name.lstrip("-")) for name in self.keyset]

    def _link(self, values: list | None, backwards: bool) -> str | None:
        if values is None:
            return None
        url = self.request.build_absolute_uri()
        payload = {"k": [name.lstrip("-") for name in self.keyset], "v": values, "b": int(backwards)}
        encoded = base64.urlsafe_b64encode(json.dumps(payload, default=_plain).encode()).decode().rstrip("=")
        url = replace_query_param(url, self.limit_query_param, self.limit)
        url = remove_query_param(url, "offset")
        return replace_query_param(url, self.cursor_query_param, encoded)


class SyncPagination(Pagination):
    """Pages of a list a phone keeps a copy of (the sites it may pick): always oldest change first, and a few hundred
    rows a page, so that a team with thousands of sites fetches them in a few requests, then only what changed."""

    page_size = 500
    max_page_size = 500
    default_order = "updated"


def _plain(value) -> str:
    # Full precision: DjangoJSONEncoder cuts microseconds, and a cursor must point exactly at its row.
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} in a cursor")
