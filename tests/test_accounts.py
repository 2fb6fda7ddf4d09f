"""Every user changes their own password in the field app; an administrator sends a reset e-mail; the public reset
pages set a new password from the e-mailed link. English and Arabic, mobile-first pages."""

import re

import pytest
from django.core import mail

from surveys.models import User
from tests import factories as f

NEW = "a-new-long-passphrase-2027"


def reset_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


@pytest.mark.parametrize("persona", ["collector", "supervisor", "donor", "imofficer"])
def test_every_user_changes_their_password(client, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get("/en/account/").status_code == 200
    response = client.post("/en/account/password/", {
        "old_password": f.PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302 and response["Location"] == "/en/account/password/done/"
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert client.get("/en/account/password/done/").status_code == 200
    assert client.get("/en/").status_code == 200  # still signed in on this phone


def test_a_wrong_old_password_changes_nothing(client, collector):
    client.force_login(collector)
    page = client.post("/en/account/password/", {"old_password": "wrong", "new_password1": NEW,
                                                 "new_password2": NEW})
    assert page.status_code == 200 and b"is-invalid" in page.content
    collector.refresh_from_db()
    assert collector.check_password(f.PASSWORD)


def test_a_weak_new_password_is_refused_with_the_reason(client, collector):
    client.force_login(collector)
    page = client.post("/en/account/password/", {"old_password": f.PASSWORD, "new_password1": "12345678",
                                                 "new_password2": "12345678"})
    assert page.status_code == 200 and b"too common" in page.content
    collector.refresh_from_db()
    assert collector.check_password(f.PASSWORD)


def test_the_password_pages_speak_arabic_right_to_left(client, collector):
    client.force_login(collector)
    for url in ("/ar/account/", "/ar/account/password/"):
        page = client.get(url).content.decode()
        assert 'dir="rtl"' in page
        assert "كلمة المرور" in page
    client.logout()
    assert "كلمة المرور" in client.get("/ar/password-reset/").content.decode()


def test_signing_in_needs_no_account_page_and_the_account_page_needs_signing_in(client):
    assert client.get("/en/account/")["Location"].startswith("/en/login/")
    assert client.get("/en/account/password/")["Location"].startswith("/en/login/")


def test_the_public_reset_flow_sets_a_new_password(client, collector):
    collector.email = "collector@example.org"
    collector.save()
    assert b'href="/en/password-reset/"' in client.get("/en/login/").content
    response = client.post("/en/password-reset/", {"email": "collector@example.org"})
    assert response["Location"] == "/en/password-reset/sent/"
    assert [m.to for m in mail.outbox] == [["collector@example.org"]]
    link = reset_link(mail.outbox[0])
    form = client.get(link, follow=True)
    assert b"data-reset-confirm" in form.content
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == "/en/password-reset/done/"
    collector.refresh_from_db()
    assert collector.check_password(NEW)
    # The link works once.
    assert b"data-reset-invalid" in client.get(link, follow=True).content


def test_an_unknown_address_sends_nothing_and_says_the_same(client, collector):
    response = client.post("/en/password-reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/en/password-reset/sent/"
    assert mail.outbox == []


def test_an_administrator_sends_a_reset_email_from_admin(client, imofficer, collector, teammate):
    collector.email = "collector@example.org"
    collector.save()
    client.force_login(imofficer)
    response = client.post("/en/admin/surveys/user/", {
        "action": "send_password_reset", "_selected_action": [collector.pk, teammate.pk]}, follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("sent to 1 user" in m for m in messages)
    assert any("no e-mail address" in m for m in messages)  # the teammate has none
    assert [m.to for m in mail.outbox] == [["collector@example.org"]]
    assert "collector" in mail.outbox[0].body
    client.logout()
    link = reset_link(mail.outbox[0])
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert User.objects.get(pk=collector.pk).check_password(NEW)


def test_a_supervisor_cannot_send_reset_emails(client, supervisor, collector):
    collector.email = "collector@example.org"
    collector.save()
    client.force_login(supervisor)
    response = client.post("/en/admin/surveys/user/", {
        "action": "send_password_reset", "_selected_action": [collector.pk]})
    assert response.status_code == 403
    assert mail.outbox == []
