from dsfr.forms import DsfrBaseForm

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from portal.core.forms import DsfrFormMixin
from portal.core.mail import recipient_language, send_mail_template

from .models import Organisation


class LoginForm(DsfrFormMixin, AuthenticationForm):
    """Django's login form, with the length of the login name checked. Django only announces it (the
    input's maxlength), so a longer name reached authenticate() and the record of failed logins, whose
    column is shorter: a 500 on PostgreSQL. A too-long name is now a form error, and no login attempt."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class MailerPasswordResetForm(DsfrFormMixin, PasswordResetForm):
    """Django's password reset form, its e-mail sent by the portal's mailer: in the account's language
    (not the visitor's), through the task queue, so that a slow mail server never slows the page."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        prefix = email_template_name.removesuffix(".txt")
        if subject_template_name != f"{prefix}_subject.txt":
            raise ValueError(f"{subject_template_name} is not the subject of {email_template_name}")
        send_mail_template(prefix, context, to_email, language=recipient_language(context["user"]))


class PortalPasswordChangeForm(DsfrFormMixin, PasswordChangeForm):
    """Django's form, rendered as every form of the portal."""


class PortalSetPasswordForm(DsfrFormMixin, SetPasswordForm):
    """Django's form (a new password from the e-mailed link), rendered as every form of the portal."""


class SignUpForm(DsfrBaseForm):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    # The address becomes the login name: no longer than a login name may be.
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=get_user_model()._meta.get_field("username").max_length,
        help_text=_("We send a link to this address to confirm it."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters, not too common, not only digits."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self):
        # No error for an address that already has an account: the form would tell anybody who has one.
        # services.sign_up e-mails the owner instead. Login names are the addresses, so there is no separate
        # "login name taken" error either.
        return self.cleaned_data["email"].lower()

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            user = get_user_model()(
                username=cleaned.get("email", ""),
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class JoinForm(DsfrBaseForm):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.all())
    message = forms.CharField(
        label=_("Message to the approver"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your function, for example, so that the manager recognises you."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
