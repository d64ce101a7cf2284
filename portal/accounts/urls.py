from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from . import views
from .forms import LoginForm, MailerPasswordResetForm, PortalPasswordChangeForm, PortalSetPasswordForm

app_name = "accounts"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("inscription/", views.signup, name="signup"),
    path("activer/<str:token>/", views.activate, name="activate"),
    path(
        "connexion/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(next_page="/"), name="logout"),
    path(
        "mot-de-passe/",
        auth_views.PasswordChangeView.as_view(
            form_class=PortalPasswordChangeForm,
            template_name="accounts/form_page.html",
            success_url=reverse_lazy("accounts:password_change_done"),
            extra_context={"title_key": "password_change"},
        ),
        name="password_change",
    ),
    path(
        "mot-de-passe/change/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/message_page.html", extra_context={"title_key": "password_changed"}
        ),
        name="password_change_done",
    ),
    path(
        "mot-de-passe/oublie/",
        auth_views.PasswordResetView.as_view(
            form_class=MailerPasswordResetForm,
            template_name="accounts/form_page.html",
            email_template_name="accounts/emails/password_reset.txt",
            subject_template_name="accounts/emails/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
            extra_context={"title_key": "password_reset"},
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/message_page.html", extra_context={"title_key": "password_reset_sent"}
        ),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=PortalSetPasswordForm,
            template_name="accounts/form_page.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
            extra_context={"title_key": "password_reset_confirm"},
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/fait/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/message_page.html", extra_context={"title_key": "password_reset_complete"}
        ),
        name="password_reset_complete",
    ),
    path("organisations/rejoindre/", views.join, name="join"),
    path("demandes/<int:pk>/", views.decide, name="decide"),
    path("espace/", include("portal.accounts.personal_urls")),
]
