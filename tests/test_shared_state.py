"""State shared by every worker and server: the cache (a database table by default, Redis with REDIS_URL) holds the
API throttle counts, so a second process sees what the first counted. Tested across real processes: a `manage.py
shell` in its own process counts requests, then this process finds the same count."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

ROOT = Path(__file__).resolve().parent.parent
ADDRESS = "203.0.113.7"


class FiveAnHour(AnonRateThrottle):
    rate = "5/hour"


def token_request() -> Request:
    return Request(RequestFactory().post("/api/v1/auth/token/", REMOTE_ADDR=ADDRESS))


# What another worker does: count three token requests from ADDRESS with the project's own cache settings.
OTHER_WORKER = f"""
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle
class FiveAnHour(AnonRateThrottle):
    rate = "5/hour"
request = Request(RequestFactory().post("/api/v1/auth/token/", REMOTE_ADDR="{ADDRESS}"))
print(sum(FiveAnHour().allow_request(request, None) for _ in range(3)))
"""


def _project_env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return {**env, "DJANGO_SETTINGS_MODULE": "fieldapp.settings", "DEBUG": "1", "VAR_DIR": str(tmp_path), **extra}


def other_worker(tmp_path, **env) -> int:
    result = subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", OTHER_WORKER], cwd=ROOT,
                            env=_project_env(tmp_path, **env), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """REDIS_URL when set (CI starts Redis), else a redis-server of our own on a free port, else skip."""
    if os.getenv("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    if not shutil.which("redis-server"):
        pytest.skip("needs Redis: set REDIS_URL or install redis-server (apt-get install redis-server)")
    port = _free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(tmp_path_factory.mktemp("redis"))],
                              stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(10)


def test_throttle_counts_in_redis_are_shared_by_two_processes(redis_url, settings, tmp_path):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url,
                                   "KEY_PREFIX": "fieldapp"}}  # what fieldapp.settings makes of REDIS_URL
    caches["default"].delete(FiveAnHour().get_cache_key(token_request(), None))
    assert other_worker(tmp_path, REDIS_URL=redis_url) == 3
    # This process is another worker: two more are allowed, then the address is refused.
    assert [FiveAnHour().allow_request(token_request(), None) for _ in range(3)] == [True, True, False]
    assert other_worker(tmp_path, REDIS_URL=redis_url) == 0
    caches["default"].clear()


def test_two_redis_clients_see_one_count(redis_url):
    """Two cache clients with their own connections (two gunicorn workers) share the throttle history."""
    from django.core.cache.backends.redis import RedisCache

    first, second = (RedisCache(redis_url, {"KEY_PREFIX": "two-clients"}) for _ in range(2))
    first.clear()
    throttles = []
    for client in (first, second, first, second, first, second):
        throttle = FiveAnHour()
        throttle.cache = client
        throttles.append(throttle.allow_request(token_request(), None))
    assert throttles == [True] * 5 + [False]
    first.clear()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_throttle_counts_in_the_database_cache_are_shared_by_two_processes(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("another process cannot see the SQLite test database: run on PostgreSQL (DATABASE_URL)")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                                   "LOCATION": "fieldapp_cache", "KEY_PREFIX": "fieldapp"}}
    call_command("createcachetable")
    caches["default"].clear()
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    assert other_worker(tmp_path, DATABASE_URL=url) == 3
    assert [FiveAnHour().allow_request(token_request(), None) for _ in range(3)] == [True, True, False]
    caches["default"].clear()


def test_migrate_creates_the_cache_table_and_the_token_endpoint_counts_in_it(db, settings, monkeypatch, client):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                                   "LOCATION": "fieldapp_cache_migrated"}}
    assert "fieldapp_cache_migrated" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)  # what every deployment runs: no separate step to forget
    assert "fieldapp_cache_migrated" in connection.introspection.table_names()
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"user": "2000/hour", "anon": "2/minute"})
    codes = [client.post("/api/v1/auth/token/", {"username": "x", "password": "y"}).status_code for _ in range(3)]
    assert codes == [400, 400, 429]
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM fieldapp_cache_migrated")
        assert cursor.fetchone()[0] >= 1  # the count lives in the shared table, not in this process


@pytest.mark.parametrize("env, backend, sessions", [
    ({}, "django.core.cache.backends.db.DatabaseCache", "django.contrib.sessions.backends.db"),
    ({"REDIS_URL": "redis://cache.internal:6379/1"}, "django.core.cache.backends.redis.RedisCache",
     "django.contrib.sessions.backends.cached_db"),
])
def test_the_cache_is_the_database_table_unless_redis_url_is_set(env, backend, sessions, tmp_path):
    script = ("from django.conf import settings; import json; "
              "print(json.dumps([settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE]))")
    result = subprocess.run([sys.executable, "-c", "import django; django.setup(); " + script], cwd=ROOT,
                            env=_project_env(tmp_path, **env), capture_output=True, text=True)
    assert json.loads(result.stdout) == [backend, sessions], result.stderr
