"""The person's own account in the field app: password change and reset (Django's views), and their API tokens."""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import user_login_failed
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from surveys import access, accounts
from surveys.lockout import lockout_response


@login_required
def account(request):
    return render(request, "registration/account.html", {"tokens": access.tokens_of(request.user)})


@login_required
@require_POST
def token_revoke(request, pk: int):
    accounts.revoke_token(request.user, pk)
    messages.success(request, _("The token was revoked: that device can no longer use the API."))
    return redirect("account")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view, but the current password it asks for is a password check like signing in: a wrong one counts
    towards the lockout (django-axes), and a locked account cannot use it. Otherwise a phone left signed in would let
    anyone guess its owner's password here without limit."""

    success_url = reverse_lazy("password_change_done")

    def _credentials(self) -> dict:
        return {"username": self.request.user.get_username()}

    def post(self, request, *args, **kwargs):
        if not AxesProxyHandler.is_allowed(request, self._credentials()):
            return lockout_response(request)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            # axes counts it; at the limit it marks the request, and its middleware answers with the lockout page.
            user_login_failed.send(sender=__name__, credentials=self._credentials(), request=self.request)
        return super().form_invalid(form)


RESET_EMAIL = {"email_template_name": "registration/password_reset_email.txt",
               "subject_template_name": "registration/password_reset_subject.txt"}

urlpatterns = [
    path("account/", account, name="account"),
    path("account/tokens/<int:pk>/revoke/", token_revoke, name="token_revoke"),
    path("account/password/", PasswordChangeView.as_view(), name="password_change"),
    path("account/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password-reset/", auth_views.PasswordResetView.as_view(**RESET_EMAIL), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password-reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
