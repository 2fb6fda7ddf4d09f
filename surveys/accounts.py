"""Accounts: API tokens per device and password resets. Views, API endpoints and admin actions all call these."""

from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.http import HttpRequest

from surveys import access
from surveys.models import DeviceToken, User


def issue_token(user: User, device_name: str = "") -> tuple[DeviceToken, str]:
    """A new token for one device or script, expiring after REST_KNOX's TOKEN_TTL. The secret is returned only here."""
    return DeviceToken.objects.create(user=user, device_name=device_name.strip()[:100])


def revoke_token(actor: User, token_id: int) -> None:
    """Delete one of the actor's own tokens (404 when it is not theirs): the device holding it is signed out."""
    with transaction.atomic():
        access.get_token_for_user(actor, token_id).delete()


class _OneUserResetForm(PasswordResetForm):
    """Django's reset e-mail, sent to one chosen user rather than to every account sharing an address."""

    def __init__(self, user: User):
        super().__init__(data={"email": user.email})
        self._user = user

    def get_users(self, email):
        return [self._user]


def send_password_reset(user: User, request: HttpRequest) -> bool:
    """E-mail `user` a link to set a new password (the public reset pages). False when they have no address."""
    if not user.email or not user.is_active:
        return False
    form = _OneUserResetForm(user)
    form.is_valid()
    form.save(request=request, use_https=request.is_secure(),
              subject_template_name="registration/password_reset_subject.txt",
              email_template_name="registration/password_reset_email.txt")
    return True
