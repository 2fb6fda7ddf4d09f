"""Settings, read from environment variables with safe defaults.

Nothing here is secret or machine specific: DEBUG is off unless DEBUG=1, SQLite under var/ is the default
database and DATABASE_URL (postgres://...) selects PostgreSQL.
"""

import os
from datetime import timedelta
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
    # Django's own thresholds (check security.W009): a short or repetitive key signs sessions, password-reset links
    # and CSRF tokens that can be forged. Refused at start-up rather than warned about in `check --deploy`.
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-"):
        raise ImproperlyConfigured(
            "SECRET_KEY is too weak: it needs at least 50 characters and 5 different ones, and not Django's "
            "'django-insecure-' development key. Generate one with "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
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
    "import_export",
    # The front door (issue 11): sign-in lockout, expiring per-device API tokens, the CSP header.
    "axes",
    "knox",
    "csp",
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
    # First: refuses an oversized body from its Content-Length before anything reads it.
    "surveys.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files answered here, before the page policies (see surveys.storage.static_headers).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "fieldapp.middleware.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "surveys.middleware.SessionIdleTimeoutMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as its documentation asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
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
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: this app's queries are short or streamed, and compiling a large export's plan delayed its
    # first rows by seconds (1.7 s with JIT, 0.2 s without, at a million reports; far more on a busy server).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
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
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out account is refused before its password is even checked (see "The front door").
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
# One date and number format per language on every page, admin included (fieldapp/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["fieldapp.formats"]

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


def static_document_policy(headers, path: str, url: str) -> None:
    """Static files are served by whitenoise before the page policies (CSP, Permissions-Policy), so scripts, stylesheets
    and images, to which no page policy applies, do not carry 700 bytes of those headers on each of a form page's
    files. A static document opened on its own (an HTML or SVG file of admin or the API docs) may run nothing."""
    if url.endswith((".html", ".htm", ".svg", ".xml")):
        headers["Content-Security-Policy"] = "default-src 'none'; sandbox"


WHITENOISE_ADD_HEADERS_FUNCTION = static_document_policy
STORAGES = {
    "default": PHOTO_BUCKET_STORAGE or PHOTO_DISK_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "surveys.storage.StaticFilesStorage"  # whitenoise's, with ES module imports hashed too
    },
}
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
# per user (per address before signing in); lists paginated by keyset (cursor), never longer than API_MAX_PAGE_SIZE.
API_MAX_PAGE_SIZE = envint("API_MAX_PAGE_SIZE", 200)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "knox.auth.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON with size and depth limits checked before parsing (a deeply nested body was a 500).
    "DEFAULT_PARSER_CLASSES": [
        "surveys.api.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # 400s also carry every validation error under "errors", keyed by path (items.0.quantity): see surveys.api.
    "EXCEPTION_HANDLER": "surveys.api.exceptions.exception_handler",
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

# OpenRosa (surveys.openrosa): the largest submission POST accepted (Collect splits larger ones). Wrong passwords
# count towards the sign-in lockout (django-axes, below) like every other password check.
OPENROSA_MAX_SUBMISSION_BYTES = envint("OPENROSA_MAX_SUBMISSION_BYTES", 10 * 1024 * 1024)

# Onboarding spreadsheets (surveys.onboarding): a file is imported whole or not at all.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# The front door (issue 11) ----------------------------------------------------------------------------------------
# Sign-in, sessions, API tokens, request bodies and the browser's security headers, all in one place.

# Sign-in lockout (django-axes): every path that checks a password (the field app's and admin's sign-in pages, the
# API token endpoint) goes through django.contrib.auth.authenticate(), which axes watches. Failures are counted per
# user name in the database, so every worker and every app server sees the same count. After AXES_FAILURE_LIMIT
# failures the account is refused, even with the right password, until AXES_COOLOFF_HOURS pass or an administrator
# unlocks it (admin: Axes > Access attempts > delete; or `manage.py axes_reset_username NAME`). Counting per user
# name, not per address, because a whole team's phones share one mobile operator's address.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_HOURS", 1) or None  # 0: locked until an administrator unlocks
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "surveys.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# axes warns when the address is not a lockout parameter; it is left out on purpose (above), and the API's token
# endpoint is also throttled per address (API_THROTTLE_ANON).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# API tokens (django-rest-knox, stored hashed): one per device or script, each with a name, expiring after
# API_TOKEN_TTL_DAYS; listed and revoked by their owner (/api/v1/auth/tokens/ and the Account page) and by
# administrators (admin). The phone's own app uses the session, not a token.
KNOX_TOKEN_MODEL = "surveys.DeviceToken"  # noqa: S105 (a model name, not a secret)
# knox's own migrations would create its (swapped-out) token table anyway, with a foreign key to users that Django's
# flush does not know about (it breaks TRUNCATE on PostgreSQL): without them, no such table is made.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=envint("API_TOKEN_TTL_DAYS", 30)),
    "TOKEN_LIMIT_PER_USER": None,
    "AUTO_REFRESH": False,
}

# Sessions on shared phones: SESSION_IDLE_TIMEOUT_S without a request signs the person out, so a phone handed to the
# next person after a shift does not stay signed in for days. Activity renews the session, at most once every
# SESSION_RENEW_INTERVAL_S (surveys.middleware.SessionIdleTimeoutMiddleware: one write a minute, not one a request).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("SESSION_IDLE_TIMEOUT_S", 4 * 3600)
SESSION_RENEW_INTERVAL_S = envint("SESSION_RENEW_INTERVAL_S", 60)

# Password reset e-mails (and any other mail): the console by default, SMTP from the environment in production.
EMAIL_BACKEND = os.getenv("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.getenv("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "webmaster@localhost")
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT_S", 3 * 24 * 3600)

# Request bodies: REQUEST_BODY_MAX_BYTES is refused with 413 from the Content-Length header, before the body is read
# (surveys.middleware). It must be at least the largest photo (15 MB, surveys.photos) plus the form around it. Set
# the same limit in front of the app: nginx `client_max_body_size 16m;` (gunicorn has no body limit of its own).
REQUEST_BODY_MAX_BYTES = envint("REQUEST_BODY_MAX_BYTES", 16 * 1024 * 1024)
# An XLSX file is sent only once it is whole (a zip's directory comes last), so a large one would keep the browser, and a
# proxy's read timeout (nginx: 60 s), waiting with nothing received: above this many records, CSV (streamed) is offered.
XLSX_MAX_ROWS = envint("XLSX_MAX_ROWS", 50_000)
# A body read whole (a JSON report, even with a long outline, is a few KB) or the form fields beside a photo: 5 MB.
# Uploaded files over FILE_UPLOAD_MAX_MEMORY_SIZE spill from memory to a temporary file.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Content-Security-Policy (django-csp 4): no inline script, no inline event handler, nothing from another origin.
# JSON data blocks (<script type="application/json">) are data, not scripts, and need nothing. Styles: 'self' only;
# scripts (Leaflet, Bootstrap, Swagger UI) set element.style through the CSSOM, which style-src does not govern.
# Images: data: for Leaflet's and Swagger UI's small icons, blob: for the previews of photos taken on the phone.
# A tile server's origin is allowed for images when MAP_TILE_URL is set ({s} sub-domains become a wildcard).
_TILE_ORIGIN = "/".join(MAP_TILE_URL.split("/")[:3]).replace("{s}", "*") if MAP_TILE_URL.startswith("http") else None
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *([_TILE_ORIGIN] if _TILE_ORIGIN else [])],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "manifest-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# The phone's location (GPS point of a report) and camera for this site only; every other powerful feature off.
PERMISSIONS_POLICY = {
    "geolocation": ["self"],
    "camera": ["self"],
    "microphone": [],
    "payment": [],
    "usb": [],
    "serial": [],
    "bluetooth": [],
    "hid": [],
    "midi": [],
    "display-capture": [],
    "browsing-topics": [],
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
