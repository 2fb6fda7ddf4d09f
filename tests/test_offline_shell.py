"""The installable app on the server side: the service worker script and its version, the manifest in each language,
the icons, the trimmed Bootstrap the shell caches, and the "waiting for photos" state the outbox relies on."""

import csv
import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from PIL import Image

from surveys import offline
from surveys.management.commands import trim_bootstrap
from surveys.models import Photo, Report
from tests import factories as f


@pytest.fixture(autouse=True)
def fresh_worker():
    offline.shell_version.cache_clear()
    offline._worker_script.cache_clear()
    yield
    offline.shell_version.cache_clear()
    offline._worker_script.cache_clear()


def worker_config(client) -> dict:
    script = client.get("/sw.js").content.decode()
    return json.loads(re.search(r"^var CONFIG = (.*);$", script, re.MULTILINE).group(1))


# The service worker -----------------------------------------------------------------------------------------------------


def test_the_worker_is_served_from_the_root_for_the_whole_site_and_always_revalidated(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert client.get("/en/sw.js").status_code == 404  # one worker, outside the language prefixes
    assert client.post("/sw.js").status_code == 405


def test_the_worker_is_the_same_bytes_until_a_deployment_changes_what_the_pages_are_made_of(client):
    first = client.get("/sw.js").content
    assert client.get("/sw.js").content == first
    assert f'"version": "{offline.shell_version()}"'.encode() in first


@pytest.mark.parametrize("changed", ["static/js/forms.js", "templates/base.html", "locale/ar/LC_MESSAGES/django.mo"])
def test_a_changed_static_file_template_or_translation_is_a_new_version(tmp_path, changed):
    roots = [tmp_path / name for name in ("static", "templates", "locale")]
    for path in ("static/js/forms.js", "templates/base.html", "locale/ar/LC_MESSAGES/django.mo"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("one")
    before = offline.compute_version(roots)
    (tmp_path / "locale/ar/LC_MESSAGES/django.po").write_text("the source of the translation does not run")
    assert offline.compute_version(roots) == before

    (tmp_path / changed).write_text("two")

    assert offline.compute_version(roots) != before


def test_in_production_the_static_manifest_stands_for_the_static_files(settings, tmp_path):
    (tmp_path / "staticfiles.json").write_text('{"paths": {"css/app.css": "css/app.0123abcd.css"}, "version": "1.1"}')
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}

    sources = offline._version_sources()

    assert tmp_path / "staticfiles.json" in sources
    assert not set(map(Path, settings.STATICFILES_DIRS)) & set(sources)
    assert Path(settings.BASE_DIR) / "templates" in sources


def test_the_worker_caches_pages_and_files_that_exist_for_a_field_worker(client, collector):
    config = worker_config(client)
    client.force_login(collector)

    assert config["pages"] == {
        "en": ["/en/", "/en/reports/new/survey/", "/en/reports/new/clearance/", "/en/reports/new/eore/"],
        "ar": ["/ar/", "/ar/reports/new/survey/", "/ar/reports/new/clearance/", "/ar/reports/new/eore/"],
    }
    for page in config["pages"]["en"] + config["pages"]["ar"]:
        assert client.get(page).status_code == 200, page
    assert config["styles"]["ar"] == ["/static/vendor/bootstrap-5.3.9/trimmed/bootstrap.rtl.min.css"]
    for url in config["static"] + config["styles"]["en"] + config["styles"]["ar"]:
        response = client.get(url)
        assert response.status_code == 200, url
        b"".join(response.streaming_content)
    assert config["api"] == "/api/" and client.get("/api/v1/me/").status_code == 200
    assert 'dir="rtl"' in config["offline"]["ar"] and '<a href="/ar/">' in config["offline"]["ar"]


# The manifest and the icons ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("ar", "rtl")])
def test_the_manifest_is_in_the_pages_language_and_direction(client, language, direction):
    response = client.get(f"/{language}/manifest.webmanifest")
    data = response.json()

    assert response["Content-Type"] == "application/manifest+json"
    assert (data["lang"], data["dir"], data["start_url"], data["scope"], data["id"]) == (
        language, direction, f"/{language}/", "/", "/")
    with translation.override(language):
        assert data["name"] == translation.gettext("Mine action field reports")
        assert data["short_name"] == translation.gettext("Field reports")
    assert data["display"] == "standalone"


def test_the_manifest_icons_are_pngs_of_their_declared_size(client):
    icons = client.get("/en/manifest.webmanifest").json()["icons"]

    assert {icon["purpose"] for icon in icons} == {"any", "maskable"}
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in icons}
    for icon in icons:
        response = client.get(icon["src"])
        image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
        assert (image.format, f"{image.width}x{image.height}") == ("PNG", icon["sizes"])


def test_signed_in_pages_link_the_manifest_and_show_the_outbox_to_their_user_only(client, collector):
    anonymous = client.get("/en/login/").content.decode()
    assert 'rel="manifest" href="/en/manifest.webmanifest"' in anonymous
    assert "data-outbox" not in anonymous and "data-user" not in anonymous

    client.force_login(collector)
    page = client.get("/ar/").content.decode()
    assert f'<body data-user="{collector.pk}">' in page
    assert 'data-api-photos="/api/v1/reports/REPORT/photos/"' in page
    assert 'rel="manifest" href="/ar/manifest.webmanifest"' in page
    assert "form action=\"/ar/logout/\" method=\"post\" data-signout" in page


# The trimmed Bootstrap -----------------------------------------------------------------------------------------------------


def test_the_trimmed_bootstrap_the_pages_load_is_up_to_date():
    """Fails after a Bootstrap class was added to a template: run `make css` (manage.py trim_bootstrap)."""
    static = Path(settings.BASE_DIR) / "static"
    for name, content in trim_bootstrap.build().items():
        assert (static / name).read_text(encoding="utf-8") == content, f"{name} is out of date: run make css"


def test_trimming_keeps_the_rules_of_used_classes_and_drops_the_others():
    css = ('@charset "UTF-8";:root,[data-bs-theme=light]{--a:1}[data-bs-theme=dark]{--a:2}body{margin:0}'
           '.btn{color:red}.btn:not(.disabled):hover,.card .btn{color:blue}.modal{display:none}'
           '@media (min-width:576px){.col-6{flex:0}.modal{top:0}}'
           '.alert-danger{color:red}.spinner{animation:spin 1s}@keyframes spin{to{transform:rotate(1turn)}}'
           '@keyframes unused{to{opacity:0}}.icon{background:url("data:image/svg+xml,%3csvg a=\'{b}\'%3e")}')

    out = trim_bootstrap.purge(css, {"btn", "col-6", "icon"}, ("alert-",))

    assert out.startswith('@charset "UTF-8";/*')
    for kept in (":root,[data-bs-theme=light]{--a:1}", "body{margin:0}", ".btn{color:red}",
                 ".btn:not(.disabled):hover{color:blue}", "@media (min-width:576px){.col-6{flex:0}}",
                 ".alert-danger{color:red}", ".icon{background:url(\"data:image/svg+xml,%3csvg a='{b}'%3e\")}"):
        assert kept in out
    for dropped in ("bs-theme=dark", ".card", ".modal", "spinner", "@keyframes"):
        assert dropped not in out


def test_the_trimmed_bootstrap_is_a_fraction_of_the_full_one():
    folder = Path(settings.BASE_DIR) / "static" / trim_bootstrap.VENDOR
    for source, target in trim_bootstrap.SOURCES.items():
        assert (folder / target).stat().st_size < (folder / source).stat().st_size / 4


# Waiting for photos -----------------------------------------------------------------------------------------------------


def _add_photos(report, count):
    for _ in range(count):
        Photo.objects.create(report=report, uploaded_by=report.captured_by, image="x.jpg", thumbnail="x_thumb.jpg")


def test_a_report_waits_for_photos_until_as_many_as_announced_have_arrived(collector):
    announced = f.survey(collector, photos_expected=3)
    silent = f.survey(collector)
    _add_photos(announced, 2)

    assert announced.waiting_for_photos and not silent.waiting_for_photos
    assert [r.pk for r in Report.objects.waiting_for_photos()] == [announced.pk]

    _add_photos(announced, 1)
    announced.refresh_from_db()
    assert not announced.waiting_for_photos
    assert not Report.objects.waiting_for_photos().exists()
    assert {r.pk for r in Report.objects.waiting_for_photos(False)} == {announced.pk, silent.pk}


def test_the_waiting_state_of_a_list_costs_one_query_whatever_its_length(collector):
    for expected in (1, 2, 0, 4, 2):
        _add_photos(f.survey(collector, photos_expected=expected), 1)

    with CaptureQueriesContext(connection) as queries:
        states = [report.waiting_for_photos for report in Report.objects.with_photos_received()]

    assert sorted(states) == [False, False, True, True, True]
    assert len(queries.captured_queries) == 1


def test_the_review_queue_says_which_reports_wait_for_photos_and_filters_them(client, collector, supervisor):
    waiting = f.set_status(f.survey(collector, photos_expected=3), Report.Status.SUBMITTED)
    complete = f.set_status(f.survey(collector, photos_expected=1), Report.Status.SUBMITTED)
    _add_photos(waiting, 1)
    _add_photos(complete, 1)
    client.force_login(supervisor)

    page = client.get("/en/admin/surveys/report/").content.decode()
    assert page.count("waiting for photos") == 1
    assert "1 / 3" in page

    only_waiting = client.get("/en/admin/surveys/report/", {"photos": "waiting"}).content.decode()
    assert waiting.reference in only_waiting and complete.reference not in only_waiting
    only_complete = client.get("/en/admin/surveys/report/", {"photos": "complete"}).content.decode()
    assert complete.reference in only_complete and waiting.reference not in only_complete


def test_the_exports_say_whether_a_report_still_waits_for_photos(client, collector, supervisor):
    waiting = f.set_status(f.survey(collector, photos_expected=2), Report.Status.APPROVED)
    _add_photos(waiting, 1)
    f.set_status(f.survey(collector), Report.Status.APPROVED)
    client.force_login(supervisor)

    response = client.get("/en/figures/exports/surveys.csv", {"values": "codes"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text.rstrip("\r\n").rpartition("\r\n")[0])))

    assert sorted((r["photos_expected"], r["photos_received"], r["waiting_for_photos"]) for r in rows) == [
        ("", "0", "false"), ("2", "1", "true")]
