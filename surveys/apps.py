from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Field reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from surveys.middleware import note_sign_in

        user_logged_in.connect(note_sign_in, dispatch_uid="surveys.note_sign_in")
