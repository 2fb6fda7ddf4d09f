"""Settings refuse to start unsafely: checked in a fresh interpreter, as a server would start."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k7#Qw9!zR2@mT5$vX8^bN1&cL4*pF6(hJ3)dS0-gY7+eU2=aW9"  # 51 characters, many different ones


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
    result = start(SECRET_KEY=GOOD_KEY)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_debug_is_off_unless_asked_for():
    assert start(SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="example.org").stdout.strip() == "False"
    assert start(DEBUG="1").stdout.strip() == "True"


def test_it_refuses_a_yes_ish_debug_value():
    result = start(DEBUG="yes", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "DEBUG must be 1/true or 0/false" in result.stderr


def test_it_refuses_a_short_secret_key_when_debug_is_off():
    result = start(SECRET_KEY="abcde", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_it_refuses_a_long_but_repetitive_secret_key():
    result = start(SECRET_KEY="abcd" * 20, ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_a_key_at_the_thresholds_starts_and_one_below_does_not():
    assert start(SECRET_KEY="abcde" * 10, ALLOWED_HOSTS="example.org").stdout.strip() == "False"  # the thresholds
    assert start(SECRET_KEY=GOOD_KEY[:49], ALLOWED_HOSTS="example.org").returncode != 0
    assert start(SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="example.org").stdout.strip() == "False"


def test_it_refuses_djangos_generated_insecure_key():
    result = start(SECRET_KEY="django-insecure-" + GOOD_KEY, ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr
