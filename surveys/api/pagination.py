"""Pages of API lists: ?limit=&offset=, the default size and the largest size allowed both set in settings."""

from django.conf import settings
from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    """limit/offset pages. A limit above settings.API_MAX_PAGE_SIZE is cut to it, so no request lists everything."""

    @property
    def max_limit(self) -> int:
        return settings.API_MAX_PAGE_SIZE

    def get_paginated_response_schema(self, schema: dict) -> dict:
        described = super().get_paginated_response_schema(schema)
        notes = {
            "count": "How many records match, on every page.",
            "next": "URL of the next page; null on the last.",
            "previous": "URL of the previous page; null on the first.",
            "results": "The records of this page.",
        }
        for name, note in notes.items():
            described["properties"][name]["description"] = note
        return described
