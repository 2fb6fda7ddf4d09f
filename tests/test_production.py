"""Running like a deployment: `make serve` (bin/serve: gunicorn, DEBUG off), compressed pages, check --deploy, and the
load balancer's health check."""

import gzip
import json
import os
import re
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import Request, urlopen

import pytest

from fieldapp import health

ROOT = Path(__file__).resolve().parent.parent
# What only a TLS proxy in front can settle: HSTS and the redirect to HTTPS. Everything else check --deploy asks for
# is set by default with DEBUG off.
NEEDS_TLS = {"security.W004", "security.W008"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _clean_env(**extra) -> dict:
    """The environment of a fresh shell: none of the suite's settings, no database, cache or bucket configured."""
    skip = {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_COOKIES", "DATABASE_URL", "REDIS_URL",
            "DEBUG", "VAR_DIR", "MEDIA_ROOT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in skip and not k.startswith("AWS_")}
    return {**env, **extra}


def _get(url: str, **headers):
    with urlopen(Request(url, headers=headers), timeout=10) as response:  # noqa: S310 (our own local server)
        return response.status, dict(response.headers), response.read()


def test_make_serve_serves_the_app_with_gunicorn_debug_off_and_compressed_pages(tmp_path, page):
    port = _free_port()
    var = tmp_path / "var"
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([str(ROOT / "bin" / "serve")], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                              env=_clean_env(PORT=str(port), VAR_DIR=str(var), VENV_BIN=str(Path(sys.executable).parent),
                                             WEB_CONCURRENCY="2", GUNICORN_THREADS="2"))
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                status, _headers, body = _get(base + "/healthz")
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "serve.log").read_text()
                time.sleep(0.5)
        else:
            pytest.fail("make serve did not answer in 120 s:\n" + (tmp_path / "serve.log").read_text())
        assert status == 200 and json.loads(body)["checks"] == {"database": "ok", "cache": "ok", "storage": "ok"}

        status, headers, body = _get(base + "/en/login/", **{"Accept-Encoding": "gzip"})
        assert headers["Server"].startswith("gunicorn")
        assert headers["Content-Encoding"] == "gzip"
        html = gzip.decompress(body)
        assert b'name="csrfmiddlewaretoken"' in html and len(body) < len(html)
        css = re.search(rb'href="(/static/[^"]+\.css)"', html).group(1).decode()
        assert re.search(r"\.[0-9a-f]{12}\.css$", css)  # collected, hashed names: whitenoise serves them for a year
        status, headers, _body = _get(base + css, **{"Accept-Encoding": "gzip"})
        assert headers["Content-Encoding"] == "gzip" and "immutable" in headers["Cache-Control"]

        try:
            _get(base + "/no-such-page/")
        except Exception as error:  # urllib raises on 404
            assert error.code == 404 and b"Traceback" not in error.read() and b"URLconf" not in error.read()

        # The field form in Chromium, with the collected scripts (minified, hashed, imports rewritten): every module
        # loads and runs (the rules checker is ready, the site copy synced), and nothing throws.
        demo = subprocess.run([sys.executable, "manage.py", "seed_demo"], cwd=ROOT, capture_output=True, text=True,
                              timeout=300, env=_clean_env(DEBUG="1", VAR_DIR=str(var)))
        assert demo.returncode == 0, demo.stderr
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base + "/en/login/?next=/en/reports/new/survey/")
        page.fill("input[name=username]", "collector")
        page.fill("input[name=password]", "demo-pass-2026")
        page.locator("form:has(input[name=password]) button").click()
        page.wait_for_selector("form[data-rules-version]", state="attached")
        page.wait_for_selector("html[data-sites-synced]", state="attached")
        assert errors == []
        scripts = page.eval_on_selector_all("script[src]", "nodes => nodes.map(n => n.src)")
        assert scripts and all(re.search(r"\.[0-9a-f]{12}\.js$", src) for src in scripts)

        key = var / "secret_key"
        assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_text().strip()) >= 50
    finally:
        server.terminate()
        server.wait(30)
        log.close()
    output = (tmp_path / "serve.log").read_text()
    assert "Booting worker" in output and '"GET /healthz HTTP/1.1" 200' in output  # access log on standard output


def test_check_deploy_leaves_only_what_needs_a_tls_proxy():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, capture_output=True, text=True,
        env=_clean_env(DEBUG="0", SECRET_KEY="x9!Qm2#vL7@pR4$tK8^wZ1&nB6*cY3(hJ5)dF0-gS" * 2,
                       ALLOWED_HOSTS="reports.example.org"))
    assert result.returncode == 0, result.stderr
    found = set(re.findall(r"\(([a-z_]+\.[EW]\d+)\)", result.stderr + result.stdout))
    assert found <= NEEDS_TLS, found - NEEDS_TLS


def test_a_form_page_is_sent_gzip_compressed(client, collector):
    client.force_login(collector)
    response = client.get("/en/reports/new/survey/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    page = gzip.decompress(response.content)
    assert b"csrfmiddlewaretoken" in page
    assert len(response.content) < len(page) / 3
    assert "Accept-Encoding" in response["Vary"]


def test_gzip_has_the_breach_mitigation_of_random_lengths(client, db):
    """Django ≥ 4.2 pads the gzip header with a random-length file name: the same page differs in length."""
    lengths = {len(client.get("/en/login/", HTTP_ACCEPT_ENCODING="gzip").content) for _ in range(8)}
    assert len(lengths) > 1


def test_photos_are_not_gzipped(client, collector):
    from surveys import photos
    from tests import factories as f
    from tests import images

    photo, _ = photos.add_photo(f.survey(collector), images.upload(images.small_jpeg()), collector)
    client.force_login(collector)
    response = client.get(f"/en/photos/{photo.pk}/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and not response.has_header("Content-Encoding")


# Health check --------------------------------------------------------------------------------------------------------


@pytest.fixture
def storage_ready(media_root):
    media_root.mkdir(parents=True, exist_ok=True)


def test_healthz_says_ok_without_signing_in(client, db, storage_ready):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "storage": "ok"}}
    assert "no-store" in response["Cache-Control"]


def test_healthz_names_a_photo_storage_it_cannot_reach(client, db, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "gone")}}}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "failing", "checks": {"database": "ok", "cache": "ok", "storage": "failing"}}
    assert str(tmp_path) not in response.content.decode()  # nothing about the machine


def test_healthz_names_a_cache_it_cannot_reach(client, db, settings, storage_ready):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{closed}/0",
                                   "OPTIONS": {"socket_connect_timeout": 1}}}
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["checks"]["cache"] == "failing"
    assert "redis" not in response.content.decode() and str(closed) not in response.content.decode()


def test_healthz_names_a_failing_database(client, db, monkeypatch, storage_ready):
    def refuse():
        raise OSError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "failing", "cache": "ok", "storage": "ok"}

