"""Settings, read from environment variables with safe defaults.

Nothing here is secret or machine specific: DEBUG is off unless DEBUG=1, SQLite under var/ is the default
database and DATABASE_URL (postgres://...) selects PostgreSQL.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str = "0") -> bool:
    """Strict boolean: only 1/true/0/false (any case); anything else is a configuration error."""
    value = os.getenv(name, default).strip().lower()
    if value in ("1", "true"):
        return True
    if value in ("0", "false", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be 1/true or 0/false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.getenv(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG")
SECRET_KEY = os.getenv("SECRET_KEY", "")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS")
if DEBUG:
    SECRET_KEY = SECRET_KEY or "insecure-development-key-do-not-use-in-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
else:
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY to a long random value (or DEBUG=1 for local development)."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS is not set. Set ALLOWED_HOSTS to the comma-separated host names this site answers to."
        )
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

VAR_DIR = Path(os.getenv("VAR_DIR", BASE_DIR / "var"))

INSTALLED_APPS = [
    "surveys",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
]

# Middleware order (issue 11): whitenoise answers static files itself (pre-compressed by collectstatic) before the
# rest runs; every other response then passes through GZipMiddleware on its way out.
#
# Compressing HTML and BREACH: BREACH recovers a secret from a compressed page's length when an attacker can make the
# page reflect guesses next to it. Two mitigations make it impractical here: Django ≥ 4.2's GZipMiddleware adds
# 0–100 random bytes to the gzip header's file name on every response (`max_random_bytes`, "Heal The BREACH"), so
# lengths do not line up across requests, and CSRF tokens are masked with a fresh random value in every response, so
# the secret itself never repeats. Pages are 5–6 times smaller gzipped, which a collector on 3G feels.
# fieldapp.middleware.GZipMiddleware is Django's, skipping photos (JPEG gains nothing from gzip, only CPU is spent).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "fieldapp.middleware.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "fieldapp.urls"
WSGI_APPLICATION = "fieldapp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A field team's phones and the review desk write at the same time: wait for the lock instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if not os.getenv("DATABASE_URL"):
        VAR_DIR.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "surveys.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.getenv("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Photos of hazards and of children: stored outside static/, never served by URL, only through the access-checked
# photo view.
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", VAR_DIR / "media"))
# --- Photo storage (issue 11) ---
# Local disk (MEDIA_ROOT) is the embedded default. AWS_STORAGE_BUCKET_NAME selects any S3-compatible object store
# through django-storages (AWS S3, MinIO, SeaweedFS, Ceph...): AWS_S3_ENDPOINT_URL for a store that is not AWS,
# AWS_S3_REGION_NAME, and the keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or any other source boto3 reads:
# an instance role...). The bucket stays private: objects are written with no ACL (the bucket's own, private), and the
# app never hands out their URLs. The access-checked photo view (surveys.views.photo) reads each photo from the store
# and streams it, so the access check stays authoritative on every request; a presigned URL would be valid for anyone
# holding it until it expires. file_overwrite off: two uploads of one photo racing each other get distinct names, so
# the loser deleting its copy cannot delete the winner's (surveys.photos.add_photo).
PHOTO_BUCKET_STORAGE = None
if os.getenv("AWS_STORAGE_BUCKET_NAME"):
    PHOTO_BUCKET_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.getenv("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": os.getenv("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.getenv("AWS_S3_REGION_NAME") or None,
            "addressing_style": os.getenv("AWS_S3_ADDRESSING_STYLE") or None,  # "path" for some self-hosted stores
            "location": os.getenv("AWS_LOCATION", ""),  # a key prefix, to share a bucket
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 300,
        },
    }
PHOTO_DISK_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"base_url": None}}
STORAGES = {
    "default": PHOTO_BUCKET_STORAGE or PHOTO_DISK_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 14 * 24 * 3600)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", "0" if DEBUG else "1")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
if envbool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The load balancer's health check (/healthz) answers over plain HTTP too.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Shared state (issue 11) ---
# Every process and every server must see the same counters (API throttles), sessions and locks: the cache is shared,
# never per process. By default it is a table in the database (created by `manage.py createcachetable`, which every
# `migrate` runs: surveys/apps.py); REDIS_URL (redis://host:6379/0) selects Redis, the
# better choice for several app servers: no database write per throttled request. With Redis, sessions are read from
# the cache and written through to the database (cached_db), so a Redis restart signs nobody out.
REDIS_URL = os.getenv("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": os.getenv("CACHE_KEY_PREFIX", "fieldapp")}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "fieldapp_cache",
                          "KEY_PREFIX": os.getenv("CACHE_KEY_PREFIX", "fieldapp")}}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Map tiles for the optional map on forms and review pages. Empty: the map draws the point and polygon on a plain
# background, with no tile requests at all (nothing the app serves loads from the internet unless configured).
MAP_TILE_URL = os.getenv("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.getenv("MAP_TILE_ATTRIBUTION", "")

# Review flags: GPS accuracy worse than this many metres is flagged; a drawn polygon whose geodesic area differs from
# the reported area by more than this fraction is flagged.
GPS_ACCURACY_WARN_M = envint("GPS_ACCURACY_WARN_M", 50)
POLYGON_AREA_TOLERANCE = 0.20

# The API: session (the web app, with its CSRF token) and token authentication (scripts, other systems); throttled
# per user (per address before signing in); lists paginated by limit/offset, never longer than API_MAX_PAGE_SIZE.
API_MAX_PAGE_SIZE = envint("API_MAX_PAGE_SIZE", 200)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "surveys.api.pagination.Pagination",
    "PAGE_SIZE": envint("API_PAGE_SIZE", 50),
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ],
    # A phone catching up after days offline sends each report and each photo as one request: allow bursts of that.
    "DEFAULT_THROTTLE_RATES": {
        "user": os.getenv("API_THROTTLE_USER", "2000/hour"),
        "anon": os.getenv("API_THROTTLE_ANON", "100/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Mine action field reports API",
    "DESCRIPTION": "Survey, clearance and risk-education reports of demining field teams.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Separate request and response components: read-only fields (reference, status, flags...) are not asked for.
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ReportStatusEnum": "surveys.models.reports.Report.Status",
        "SiteStatusEnum": "surveys.models.choices.SiteStatus",
        "EOCategoryEnum": "surveys.models.choices.EOCategory",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Logging (issue 11) ---
# To standard output, one line per record: the process manager or container runtime collects and rotates it.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
}
