"""API tokens, one per device or script: stored hashed (django-rest-knox), named, expiring, revocable."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken, AuthTokenManager
from knox.settings import CONSTANTS


class DeviceTokenQuerySet(models.QuerySet):
    def live(self) -> "DeviceTokenQuerySet":
        """Tokens that still sign in (knox deletes an expired one when it is next presented)."""
        return self.filter(models.Q(expiry__isnull=True) | models.Q(expiry__gt=timezone.now()))


class DeviceToken(AbstractAuthToken):
    """knox's token with a short id to list and revoke it by, and the name of the device or script that holds it.

    The token itself is shown once, when made; only its SHA-512 digest and its first characters are stored.
    """

    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True)
    device_name = models.CharField(_("device"), max_length=100, blank=True,
                                   help_text=_("The phone, tablet or script that holds this token."))

    # knox's manager (its create() makes the secret and stores the digest) with the queryset above.
    objects = AuthTokenManager.from_queryset(DeviceTokenQuerySet)()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} · {self.device_name or self.token_key[:8]}"

    @property
    def is_expired(self) -> bool:
        return self.expiry is not None and self.expiry <= timezone.now()

