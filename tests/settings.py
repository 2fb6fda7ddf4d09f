"""Settings for the suite: the project's own settings, read with test-only secrets and DEBUG off, like production."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789-abcdefghij")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright tests drive a live_server from a sync test

from fieldapp.settings import *  # noqa: E402, F403

# No collectstatic manifest in tests: serve static files from the source folders.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Users are made by the dozen in tests: a fast hash (never used outside the suite).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The cache: the project's default (a database table) costs queries that tests counting queries would see, and a
# test without database access could not clear it. So the suite keeps it in memory, except when REDIS_URL is set
# (CI's PostgreSQL run), where every test uses the real shared Redis cache. tests/test_shared_state.py tests the
# database cache and Redis across processes themselves.
if not REDIS_URL:  # noqa: F405
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
