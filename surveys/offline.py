"""The installable web app: its manifest, its service worker, and the version that ties the worker to a deployment.

How the phone keeps working without a network (the strategy; the code is templates/offline/sw.js, static/js/outbox.js
with static/js/outbox/, and static/js/drafts.js):

- **App shell.** The service worker, served from the site root (/sw.js, so its scope is the whole site), caches the
  shell: the CSS and JavaScript the field pages use (at install), and, once a signed-in page tells it the worker's
  language, the home page and the three "new report" forms in that language. The pick lists a form needs
  (administrative areas, grants, and the site picked with a few of the team's latest) are part of the form page
  itself, so a cached form is complete.
- **The sites a worker may pick are a copy on the phone** (IndexedDB "fieldapp-sites", static/js/outbox/sites.js),
  not options in every form; the form's site search finds any of them without a network. It syncs on each page load
  online and when the network comes back: the sites changed since the last sync, from /api/v1/sites/choices/ in
  pages of a few hundred by (updated_at, id), asked from the last row's updated_at less ten minutes (a save committed
  late is not skipped). What is no longer the worker's (a site moved to another team, the worker moved, a site
  deleted) never shows as a change: a site that stops being a choice has no row to send. So each sync also fetches
  the ids of every choice (/api/v1/sites/choices/ids/, a few KB for thousands of sites, and a 304 while unchanged)
  and drops the rest; that one rule holds whatever the reason, where tombstones would need every such reason
  recorded. Ids the copy lacks (sites that became the worker's without changing) make it fetch every page once more.
  Its own database, not a store in "fieldapp": that would need a version upgrade, which a tab still open on the old
  version blocks, holding back the outbox. One user's copy at a time; sign-out empties it.
- **Pages are network first**: online, a worker always gets the current form (and the cached copy is refreshed);
  only without a network does the cached copy answer. Besides the shell pages, only the team's latest reports are
  kept: the home page lists them (surveys.views._offline_pages: the last 30 reports' pages, the correction forms of
  the reports returned to the worker, their photos' thumbnails) and the worker keeps exactly that list in a cache of
  its own ("fieldapp-pages-reports-…"), so they can be read and corrected offline. Never admin or API answers; other
  pages answer a short "you are offline" page when there is no network.
- **The rule set travels with the forms**: each form page embeds its type's rules (surveys.rules.as_json), checked
  on the phone by static/js/rules.js; a cached form checks with the rules it was served with.
- **Static files are cache first**: in production their names carry a hash of their content (whitenoise's manifest
  storage), so a cached copy is never stale.
- **Versioning.** The worker script embeds a version: a hash of the static files, templates and translations this
  server runs, computed once per process. A deployment that changes any of them serves a byte-different /sw.js
  (answered with Cache-Control: no-cache, so the browser checks it on every visit); the new worker installs at once,
  caches the shell again under new cache names, and on activation re-fetches the pages the old caches held and deletes
  the old caches. No worker is left on forms that no longer match the server.
- **Reports are not cached pages but an outbox** (IndexedDB, on the phone): see static/js/outbox/sync.js for the
  sync order (report first, submitted, with photos_expected; then each photo; the server marks it waiting for photos
  until they are all in) and the retry rules. Corrections of returned reports go the same way (a PATCH naming the
  version corrected; a report changed since answers 409 and the edits stay on the phone as a draft).
- **Sign-out** deletes the cached pages (they show the worker's team's sites and reports) and the copy of the sites,
  but never the outbox: the reports waiting on the phone are sent when the same user signs in again, and are never
  shown to or sent by another.
"""

import hashlib
import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

# Static files every field page needs, whatever the language: cached when the service worker installs.
# The field pages' ES modules import one another: every module of that graph is here, or a form breaks offline.
SHELL_STATIC = [
    "css/app.css", "icons/icon-192.png", "js/page.js",
    "js/lib/helpers.js", "js/outbox.js", "js/outbox/store.js", "js/outbox/network.js", "js/outbox/sync.js",
    "js/outbox/display.js", "js/outbox/sites.js", "js/forms.js", "js/photos.js", "js/drafts.js", "js/rules.js", "js/form-rules.js",
]
# The stylesheet of each text direction: cached with the pages of a language.
SHELL_STYLES = {False: "vendor/bootstrap-5.3.9/trimmed/bootstrap.min.css",
                True: "vendor/bootstrap-5.3.9/trimmed/bootstrap.rtl.min.css"}
ICON_SIZES = [192, 512]
# Where the API is mounted (fieldapp/urls.py): its requests bypass the service worker.
API_PREFIX = "/api/"


@cache
def shell_version() -> str:
    """A short hash of what the pages are made of, computed once per process: a deployment that changes a static file,
    a template or a translation gets a new one, so browsers install a new service worker and cache the shell again."""
    return compute_version(_version_sources())


def _version_sources() -> list[Path]:
    roots = [Path(d) for d in settings.STATICFILES_DIRS]
    roots += [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    roots += [Path(d) for d in settings.LOCALE_PATHS]
    manifest = _static_manifest()
    if manifest is not None:
        roots = [r for r in roots if r not in map(Path, settings.STATICFILES_DIRS)] + [manifest]
    return roots


def _static_manifest() -> Path | None:
    """In production the collected files' manifest names each file by the hash of its content: hashing it is hashing
    them all, without reading them."""
    name = getattr(staticfiles_storage, "manifest_name", None)
    location = getattr(staticfiles_storage, "location", None)
    if not name or not location:
        return None
    path = Path(location) / name
    return path if path.is_file() else None


def compute_version(sources: list[Path]) -> str:
    digest = hashlib.sha256()
    for root in sources:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if path.suffix in (".po", ".pyc"):  # the compiled .mo is what runs
                continue
            digest.update(str(path.relative_to(root.parent)).encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _shell_pages(language: str) -> list[str]:
    with translation.override(language):
        return [reverse("home")] + [reverse("report_new", args=[kind]) for kind in ("survey", "clearance", "eore")]


def _offline_page(language: str) -> str:
    with translation.override(language):
        return render_to_string("offline/offline_page.html", {
            "LANGUAGE_CODE": language, "LANGUAGE_BIDI": translation.get_language_bidi(),
            "home": reverse("home"),
        })


@cache
def _worker_script() -> bytes:
    languages = [code for code, _name in settings.LANGUAGES]
    config = {
        "version": shell_version(),
        "static": [static(name) for name in SHELL_STATIC],
        "staticPrefix": settings.STATIC_URL,  # with the script prefix, like static()
        "api": API_PREFIX,
        "pages": {code: _shell_pages(code) for code in languages},
        "styles": {code: [static(SHELL_STYLES[translation.get_language_info(code)["bidi"]])] for code in languages},
        "offline": {code: _offline_page(code) for code in languages},
    }
    text = render_to_string("offline/sw.js", {"config": json.dumps(config, ensure_ascii=False, sort_keys=True)})
    return text.encode()


@require_GET
def service_worker(request):
    """The service worker script, from the site root so that it may control every page. Always revalidated: a new
    deployment reaches phones on their next visit."""
    response = HttpResponse(_worker_script(), content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    """The web app manifest in the page's language: installs the app on the phone's home screen."""
    language = get_language()
    icons = [{"src": static(f"icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png",
              "purpose": "any"} for size in ICON_SIZES]
    icons.append({"src": static("icons/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png",
                  "purpose": "maskable"})
    data = {
        "id": "/",
        "name": _("Mine action field reports"),
        "short_name": _("Field reports"),
        "description": _("Survey, clearance and risk-education reports, with or without a network."),
        "lang": language,
        "dir": "rtl" if get_language_bidi() else "ltr",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#1f3b57",
        "icons": icons,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


def shell_files() -> list[str]:
    """Paths (relative to the static folders) of every static file the shell caches, for checks and benchmarks."""
    return [*SHELL_STATIC, *SHELL_STYLES.values()]


def find_static(name: str) -> Path | None:
    found = finders.find(name)
    return Path(found) if found else None
