"""Sessions on shared phones end after SESSION_IDLE_TIMEOUT_S without a request; every request renews them."""

import time

from django.conf import settings as django_settings

from tests import factories as f


def sign_in(client):
    assert client.post("/en/login/", {"username": "collector", "password": f.PASSWORD}).status_code == 302


def test_the_default_idle_timeout_is_hours_not_weeks():
    assert 3600 <= django_settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert django_settings.SESSION_SAVE_EVERY_REQUEST


def test_each_request_renews_the_session(client, collector):
    sign_in(client)
    response = client.get("/en/")
    assert response.status_code == 200
    assert int(response.cookies["sessionid"]["max-age"]) == django_settings.SESSION_COOKIE_AGE
    assert client.session.get_expiry_age() == django_settings.SESSION_COOKIE_AGE


def test_an_idle_session_ends_and_an_active_one_does_not(client, collector, settings):
    settings.SESSION_COOKIE_AGE = 2
    sign_in(client)
    for _ in range(3):  # busy for about 3 s, longer than the timeout: never idle for 2 s
        time.sleep(1)
        assert client.get("/en/").status_code == 200
    time.sleep(2.5)  # idle longer than the timeout
    response = client.get("/en/")
    assert response.status_code == 302 and response["Location"].startswith("/en/login/")
    api = client.get("/api/v1/me/")
    assert api.status_code in (401, 403)
