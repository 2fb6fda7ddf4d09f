"""The API's error answers: DRF's, plus every validation error under "errors" keyed by path (see surveys.api)."""

from collections.abc import Mapping

from rest_framework import status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if (
        response is not None and response.status_code == status.HTTP_400_BAD_REQUEST
        and isinstance(response.data, Mapping) and "errors" not in response.data and "detail" not in response.data
    ):
        response.data["errors"] = flatten(response.data)
    return response


def flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested errors as {path: [messages]}: `items.0.quantity` for an item line, `__all__` for report-wide."""
    found: dict[str, list[str]] = {}
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            name = "__all__" if key == api_settings.NON_FIELD_ERRORS_KEY else str(key)
            _merge(found, flatten(value, f"{prefix}{name}."))
    elif isinstance(detail, list) and detail and all(isinstance(x, Mapping | list) for x in detail):
        for index, value in enumerate(detail):
            _merge(found, flatten(value, f"{prefix}{index}."))
    elif isinstance(detail, list):
        if detail:
            found[prefix.rstrip(".") or "__all__"] = [str(x) for x in detail]
    else:
        found[prefix.rstrip(".") or "__all__"] = [str(detail)]
    return found


def _merge(into: dict, more: dict) -> None:
    for key, value in more.items():
        into.setdefault(key, []).extend(value)
