"""Every response carries a strict Content-Security-Policy and a Permissions-Policy; no template holds an inline script
or an inline event handler (the browser tests then run every page under the policy: test_csp_browser.py)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def policy(response) -> dict[str, list[str]]:
    directives = [part.strip().split() for part in response["Content-Security-Policy"].split(";") if part.strip()]
    return {d[0]: d[1:] for d in directives}


@pytest.mark.parametrize("url", ["/en/login/", "/ar/login/", "/api/v1/me/", "/api/docs/", "/en/admin/login/",
                                 "/sw.js", "/en/no-such-page/"])
def test_every_response_carries_the_policies(client, db, url):
    response = client.get(url)
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    permissions = response["Permissions-Policy"]
    assert "geolocation=(self)" in permissions and "camera=(self)" in permissions
    assert "microphone=()" in permissions


def test_static_scripts_go_without_the_page_policies_and_static_documents_may_run_nothing(client, db):
    script = client.get("/static/js/forms.js")
    assert "Content-Security-Policy" not in script and "Permissions-Policy" not in script
    assert script["X-Content-Type-Options"] == "nosniff"
    svg = client.get("/static/admin/img/icon-yes.svg")
    assert policy(svg) == {"default-src": ["'none'"], "sandbox": []}


def test_a_tile_server_is_allowed_for_images_only_when_configured(client, db):
    assert policy(client.get("/en/login/"))["img-src"] == ["'self'", "data:", "blob:"]
    code = "import django; django.setup(); from django.conf import settings; " \
           "print(' '.join(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, env={
        **env, "DJANGO_SETTINGS_MODULE": "fieldapp.settings", "DEBUG": "1",
        "MAP_TILE_URL": "https://{s}.tile.example.org/{z}/{x}/{y}.png"})
    assert result.stdout.split() == ["'self'", "data:", "blob:", "https://*.tile.example.org"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, JS_URL):
            offenders += [f"{path.relative_to(ROOT)}: {m.group(0)[:80]}" for m in pattern.finditer(text)]
    assert offenders == []
