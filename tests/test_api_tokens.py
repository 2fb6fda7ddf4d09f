"""API tokens per device (django-rest-knox): made with a password, stored hashed, expiring, listed and revoked by their
owner (API and the Account page) and by administrators (admin)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from surveys import accounts
from surveys.models import DeviceToken
from tests import factories as f


def new_token(username="collector", device="Tablet 3"):
    response = APIClient().post("/api/v1/auth/token/", {"username": username, "password": f.PASSWORD,
                                                        "device": device}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def with_token(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_device_gets_a_named_expiring_token_that_signs_in(collector, settings):
    body = new_token()
    stored = DeviceToken.objects.get(pk=body["id"])
    assert (stored.user, stored.device_name, body["device"]) == (collector, "Tablet 3", "Tablet 3")
    ttl = settings.REST_KNOX["TOKEN_TTL"]
    assert abs(stored.expiry - (timezone.now() + ttl)) < timedelta(minutes=1)
    assert with_token(body["token"]).get("/api/v1/me/").json()["username"] == "collector"
    # Stored hashed: the secret itself is nowhere in the table.
    assert not DeviceToken.objects.filter(digest=body["token"]).exists()
    assert body["token"] not in {t.token_key for t in DeviceToken.objects.all()}


def test_each_device_gets_its_own_token(collector):
    first, second = new_token(device="Phone A"), new_token(device="Phone B")
    assert first["token"] != second["token"]
    assert collector.auth_token_set.count() == 2


def test_a_wrong_password_gets_no_token(collector):
    response = APIClient().post("/api/v1/auth/token/", {"username": "collector", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert DeviceToken.objects.count() == 0


def test_an_expired_token_no_longer_signs_in(collector):
    body = new_token()
    DeviceToken.objects.filter(pk=body["id"]).update(expiry=timezone.now() - timedelta(seconds=1))
    assert with_token(body["token"]).get("/api/v1/me/").status_code in (401, 403)
    assert not DeviceToken.objects.filter(pk=body["id"]).exists()  # knox deletes it when presented


def test_the_owner_lists_their_tokens_only(collector, teammate):
    mine = new_token(device="Phone A")
    new_token("teammate", device="Teammate's phone")
    accounts.issue_token(collector, "Old")[0].__class__.objects.filter(device_name="Old").update(
        expiry=timezone.now() - timedelta(days=1))
    listing = with_token(mine["token"]).get("/api/v1/auth/tokens/").json()
    assert [(t["id"], t["device"], t["current"]) for t in listing] == [(mine["id"], "Phone A", True)]
    assert listing[0]["starts_with"] == mine["token"][:8]
    assert "token" not in listing[0] and "digest" not in listing[0]


def test_the_owner_revokes_a_token_and_the_device_is_signed_out_at_once(collector):
    lost, kept = new_token(device="Lost phone"), new_token(device="Desk")
    desk = with_token(kept["token"])
    assert desk.delete(f"/api/v1/auth/tokens/{lost['id']}/").status_code == 204
    assert with_token(lost["token"]).get("/api/v1/me/").status_code in (401, 403)
    assert desk.get("/api/v1/me/").status_code == 200


def test_a_session_user_revokes_a_token_through_the_api(api, collector):
    body = new_token()
    assert api(collector).delete(f"/api/v1/auth/tokens/{body['id']}/").status_code == 204
    assert not DeviceToken.objects.exists()


def test_nobody_revokes_another_persons_token(api, collector, teammate, imofficer):
    body = new_token()
    assert api(teammate).delete(f"/api/v1/auth/tokens/{body['id']}/").status_code == 404
    assert api(imofficer).delete(f"/api/v1/auth/tokens/{body['id']}/").status_code == 404  # admin is the place
    assert api(None).get("/api/v1/auth/tokens/").status_code in (401, 403)
    assert with_token(body["token"]).get("/api/v1/me/").status_code == 200


def test_the_account_page_lists_and_revokes_tokens(client, collector, teammate):
    mine = new_token(device="Tablet 3")
    theirs = new_token("teammate", device="Teammate tablet")
    client.force_login(collector)
    page = client.get("/en/account/")
    assert f'data-token="{mine["id"]}"'.encode() in page.content
    assert f'data-token="{theirs["id"]}"'.encode() not in page.content
    assert b"Tablet 3" in page.content
    assert client.post(f"/en/account/tokens/{theirs['id']}/revoke/").status_code == 404
    assert client.post(f"/en/account/tokens/{mine['id']}/revoke/").status_code == 302
    assert with_token(mine["token"]).get("/api/v1/me/").status_code in (401, 403)
    assert with_token(theirs["token"]).get("/api/v1/me/").status_code == 200
    assert client.get(f"/en/account/tokens/{theirs['id']}/revoke/").status_code == 405


def test_an_administrator_lists_and_revokes_anyones_token_in_admin(client, collector, imofficer):
    body = new_token(device="Stolen tablet")
    client.force_login(imofficer)
    listing = client.get("/en/admin/surveys/devicetoken/")
    assert listing.status_code == 200 and b"Stolen tablet" in listing.content
    assert client.post(f"/en/admin/surveys/devicetoken/{body['id']}/delete/", {"post": "yes"}).status_code == 302
    assert with_token(body["token"]).get("/api/v1/me/").status_code in (401, 403)


@pytest.mark.parametrize("persona", ["supervisor", "collector"])
def test_only_administrators_see_tokens_in_admin(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/en/admin/surveys/devicetoken/").status_code == 403


def test_the_token_endpoint_and_lists_are_in_the_schema(api, collector):
    schema = api(collector).get("/api/schema/?format=json").json()
    assert "/api/v1/auth/tokens/" in schema["paths"]
    assert "delete" in schema["paths"]["/api/v1/auth/tokens/{id}/"]
    assert "429" in schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]
