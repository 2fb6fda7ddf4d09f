"""/healthz: is this app server fit to take requests? For a load balancer, so no sign-in and nothing sensitive.

Each part the app needs is tried for real: the database answers a query, the shared cache stores and returns a value,
and the photo storage (disk folder or bucket) can be listed. 200 with every part "ok", or 503 naming the failing
part; the reason is logged here, never sent (an error text can hold a host name or a key id).
"""

import logging
import uuid

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

log = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not return 1")


def _cache() -> None:
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not return what was stored")
    finally:
        cache.delete(key)


def _storage() -> None:
    # Listing the top folder reaches the store with the app's credentials: a missing folder or bucket, a refused key or
    # an unreachable endpoint all fail here. It reads one short listing, cheap enough for a check every few seconds.
    default_storage.listdir("")


CHECKS = {"database": _database, "cache": _cache, "storage": _storage}


@never_cache
@require_GET
def healthz(request) -> JsonResponse:
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            log.exception("health check: %s is failing", name)
            results[name] = "failing"
        else:
            results[name] = "ok"
    healthy = all(result == "ok" for result in results.values())
    return JsonResponse({"status": "ok" if healthy else "failing", "checks": results}, status=200 if healthy else 503)
