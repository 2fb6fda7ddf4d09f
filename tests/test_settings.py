"""Settings refuse to start unsafely: checked in a fresh interpreter, as a server would start."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start(**env):
    clean = {k: v for k, v in os.environ.items()
             if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_SETTINGS_MODULE")}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"],
        cwd=ROOT, env={**clean, "DJANGO_SETTINGS_MODULE": "fieldapp.settings", **env},
        capture_output=True, text=True, timeout=60,
    )


def test_it_refuses_to_start_without_secret_key_when_debug_is_off():
    result = start(ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_it_refuses_to_start_without_allowed_hosts_when_debug_is_off():
    result = start(SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_debug_is_off_unless_asked_for():
    assert start(SECRET_KEY="x" * 50, ALLOWED_HOSTS="example.org").stdout.strip() == "False"
    assert start(DEBUG="1").stdout.strip() == "True"


def test_it_refuses_a_yes_ish_debug_value():
    result = start(DEBUG="yes", SECRET_KEY="x" * 50, ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "DEBUG must be 1/true or 0/false" in result.stderr
