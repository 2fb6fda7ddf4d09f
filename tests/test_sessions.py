"""Sessions on shared phones end after SESSION_IDLE_TIMEOUT_S without a request; activity renews them (at most once
every SESSION_RENEW_INTERVAL_S, to spare a database write per request)."""

import time

from django.conf import settings as django_settings

from tests import factories as f


def sign_in(client):
    assert client.post("/en/login/", {"username": "collector", "password": f.PASSWORD}).status_code == 302


def test_the_default_idle_timeout_is_hours_not_weeks():
    assert 3600 <= django_settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert django_settings.SESSION_RENEW_INTERVAL_S <= 300


def test_activity_renews_the_session_at_most_once_an_interval(client, collector, settings):
    sign_in(client)
    settings.SESSION_RENEW_INTERVAL_S = 3600
    assert "sessionid" not in client.get("/en/").cookies  # renewed at sign-in a moment ago: no write
    settings.SESSION_RENEW_INTERVAL_S = 0
    response = client.get("/en/")
    assert int(response.cookies["sessionid"]["max-age"]) == django_settings.SESSION_COOKIE_AGE


def test_an_idle_session_ends_and_an_active_one_does_not(client, collector, settings):
    settings.SESSION_COOKIE_AGE = 2
    settings.SESSION_RENEW_INTERVAL_S = 0
    sign_in(client)
    for _ in range(3):  # busy for about 3 s, longer than the timeout: never idle for 2 s
        time.sleep(1)
        assert client.get("/en/").status_code == 200
    time.sleep(2.5)  # idle longer than the timeout
    response = client.get("/en/")
    assert response.status_code == 302 and response["Location"].startswith("/en/login/")
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_signing_out_is_not_undone_by_the_renewal(client, collector, settings):
    settings.SESSION_RENEW_INTERVAL_S = 0
    sign_in(client)
    client.post("/en/logout/")
    assert client.get("/en/")["Location"].startswith("/en/login/")
