from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _create_cache_table(using: str = "default", **kwargs) -> None:
    """The shared cache's table (settings.CACHES, the default without REDIS_URL) comes with every `migrate`, so no
    deployment can forget it and meet its first throttled request with a missing table. Idempotent; nothing to do when
    the cache is Redis or in memory."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Field reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from surveys.middleware import note_sign_in

        user_logged_in.connect(note_sign_in, dispatch_uid="surveys.note_sign_in")
        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="surveys.create_cache_table")
