"""Login, logout, password change and password reset in the user's language (django.contrib.auth views)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.translation import gettext as _

from content.ratelimit import minute_budget_spent

from ..auth import client_ip
from ..forms import LocalizedPasswordResetForm, LoginForm


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by e-mail: a few requests a minute per address and per client, whoever asks."""

    template_name = "accounts/password_reset.html"
    form_class = LocalizedPasswordResetForm
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        limit = settings.PASSWORD_RESET_RATE_LIMIT
        # both budgets are counted on every request, so an address's existence changes nothing
        by_address = minute_budget_spent(f"accounts:reset:email:{email}", limit=limit)
        by_client = minute_budget_spent(f"accounts:reset:ip:{client_ip(self.request)}", limit=limit * 3)
        if by_address or by_client:
            form.add_error(None, _("Too many requests for a reset link; try again in a minute."))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("password-reset/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
