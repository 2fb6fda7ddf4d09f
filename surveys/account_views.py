"""The person's own account in the field app: password change and reset (Django's views), and their API tokens."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from surveys import access, accounts


@login_required
def account(request):
    return render(request, "registration/account.html", {"tokens": access.tokens_of(request.user)})


@login_required
@require_POST
def token_revoke(request, pk: int):
    accounts.revoke_token(request.user, pk)
    messages.success(request, _("The token was revoked: that device can no longer use the API."))
    return redirect("account")


RESET_EMAIL = {"email_template_name": "registration/password_reset_email.txt",
               "subject_template_name": "registration/password_reset_subject.txt"}

urlpatterns = [
    path("account/", account, name="account"),
    path("account/tokens/<int:pk>/revoke/", token_revoke, name="token_revoke"),
    path("account/password/", auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("password_change_done")),
         name="password_change"),
    path("account/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password-reset/", auth_views.PasswordResetView.as_view(**RESET_EMAIL), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password-reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
