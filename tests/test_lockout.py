"""Sign-in lockout (django-axes): 51 wrong passwords lock the account on every sign-in path, the right password is then
refused, the count is shared (database) across paths and processes, and an administrator unlocks it."""

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from surveys.lockout import lockout_message
from tests import factories as f

WRONG = "not-the-password"


def field_login(client, username, password):
    return client.post("/en/login/", {"username": username, "password": password})


def admin_login(client, username, password):
    return client.post("/en/admin/login/", {"username": username, "password": password, "next": "/en/admin/"})


def token_login(client, username, password):
    return APIClient().post("/api/v1/auth/token/", {"username": username, "password": password}, format="json")


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


PATHS = {"field app": field_login, "admin": admin_login, "API token": token_login}


@pytest.mark.parametrize("sign_in", PATHS.values(), ids=PATHS.keys())
def test_51_wrong_passwords_lock_the_account_then_the_right_one_is_refused(client, supervisor, sign_in):
    for _ in range(51):
        assert sign_in(client, "supervisor", WRONG).status_code in (200, 400, 429)
    assert not signed_in(client)

    refused = sign_in(client, "supervisor", f.PASSWORD)

    assert refused.status_code == 429
    assert not signed_in(client)
    if sign_in is token_login:
        assert refused.json()["code"] == "account_locked"
        assert "token" not in refused.json()
        assert supervisor.auth_token_set.count() == 0
    else:
        assert b"data-locked-out" in refused.content
        assert lockout_message() in refused.content.decode()
    assert AccessAttempt.objects.get(username="supervisor").failures_since_start >= 10


@pytest.mark.parametrize("sign_in", PATHS.values(), ids=PATHS.keys())
def test_a_few_wrong_passwords_do_not_lock_and_a_success_resets_the_count(client, supervisor, sign_in, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "supervisor", WRONG)
    assert sign_in(client, "supervisor", f.PASSWORD).status_code in (200, 201, 302)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "supervisor", WRONG)
    assert sign_in(client, "supervisor", f.PASSWORD).status_code in (200, 201, 302)


def test_the_count_is_shared_by_every_path_and_kept_in_the_database(client, supervisor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        token_login(client, "supervisor", WRONG)
    # Another worker or server reads the same rows: the field app's sign-in page is locked too.
    assert AccessAttempt.objects.filter(username="supervisor").exists()
    assert field_login(client, "supervisor", f.PASSWORD).status_code == 429
    assert admin_login(client, "supervisor", f.PASSWORD).status_code == 429


def test_the_lockout_page_speaks_arabic(client, supervisor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/ar/login/", {"username": "supervisor", "password": WRONG})
    page = client.post("/ar/login/", {"username": "supervisor", "password": f.PASSWORD})
    assert page.status_code == 429
    with translation.override("ar"):
        message = lockout_message()
    with translation.override("en"):
        assert message != lockout_message()  # really translated
    assert message in page.content.decode()


def test_other_accounts_are_not_locked(client, supervisor, collector, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        field_login(client, "supervisor", WRONG)
    assert field_login(client, "collector", f.PASSWORD).status_code == 302


def test_an_administrator_unlocks_with_the_management_command(client, supervisor, settings):
    for _ in range(51):
        field_login(client, "supervisor", WRONG)
    call_command("axes_reset_username", "supervisor")
    assert field_login(client, "supervisor", f.PASSWORD).status_code == 302
    assert signed_in(client)


def test_an_administrator_unlocks_in_admin(client, supervisor, imofficer, settings):
    for _ in range(51):
        token_login(client, "supervisor", WRONG)
    attempt = AccessAttempt.objects.get(username="supervisor")
    admin = APIClient()
    admin.force_login(imofficer)  # an information management officer, not a superuser
    listing = admin.get("/en/admin/axes/accessattempt/")
    assert listing.status_code == 200 and b"supervisor" in listing.content
    assert admin.post(f"/en/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not AccessAttempt.objects.filter(username="supervisor").exists()
    assert token_login(client, "supervisor", f.PASSWORD).status_code == 201


def test_a_supervisor_cannot_unlock_accounts_in_admin(client, supervisor, collector):
    for _ in range(11):
        field_login(client, "collector", WRONG)
    admin = APIClient()
    admin.force_login(supervisor)
    assert admin.get("/en/admin/axes/accessattempt/").status_code == 403


def test_the_current_password_asked_to_change_it_counts_towards_the_lockout(client, collector):
    """A phone left signed in: guessing its owner's password on the change-password page locks the account too."""
    client.force_login(collector)
    guess = {"old_password": WRONG, "new_password1": "a-new-long-passphrase-2027",
             "new_password2": "a-new-long-passphrase-2027"}
    for _ in range(51):
        assert client.post("/en/account/password/", guess).status_code in (200, 429)
    right = {**guess, "old_password": f.PASSWORD}
    refused = client.post("/en/account/password/", right)
    assert refused.status_code == 429 and b"data-locked-out" in refused.content
    collector.refresh_from_db()
    assert collector.check_password(f.PASSWORD)
    assert field_login(Client(), "collector", f.PASSWORD).status_code == 429
