"""The Bourse-projets' member forms: an authority's interest in a project, an e-mail alert. The views
(member_views.py) and the project page's interest form (templatetags/bourse_tags.py) use them."""

from dsfr.forms import DsfrBaseForm

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from atlas.filters import LocalNameChoiceField
from atlas.models import Authority, Country, Theme
from portal.accounts.scope import scope_for
from portal.core.forms import DsfrFormMixin

from . import matching as bourse
from .models import BourseAlert

MAX_ALERTS = 20


class InterestForm(DsfrFormMixin, forms.Form):
    """DsfrFormMixin rather than DsfrBaseForm: __init__ may hide the authority's field once it is made."""

    authority = forms.ModelChoiceField(
        label=gettext_lazy("French authority"), queryset=Authority.objects.none(), empty_label=None
    )
    message = forms.CharField(
        label=gettext_lazy("Message to the embassy"),
        help_text=gettext_lazy("Who you are, why this project interests you, what you could bring."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, user, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        field = self.fields["authority"]
        field.queryset = Authority.objects.filter(pk__in=scope_for(user).authority_ids).order_by("name")
        self.only = None
        if len(scope_for(user).authority_ids) == 1:
            # One authority: no choice to make, so no select (and a post without the field means that one).
            self.only = field.queryset.first()
            field.widget = forms.HiddenInput()
            field.initial = self.only.pk if self.only else None
            field.required = False

    def clean_authority(self):
        return self.cleaned_data.get("authority") or self.only

    def clean(self):
        data = super().clean()
        authority = data.get("authority")
        if authority and bourse.already_interested(self.project, authority):
            raise ValidationError(bourse.duplicate_message(authority))
        return data


class ContactForm(DsfrBaseForm):
    """A visitor's interest in a project, without an account (contact.py sends it). Labels and errors in
    the page's language; the country list in that language's order."""

    name = forms.CharField(label=gettext_lazy("Your name"), max_length=150)
    organisation = forms.CharField(
        label=gettext_lazy("Your organisation"),
        help_text=gettext_lazy("For example: the municipality, region or association you work for."),
        max_length=200,
    )
    country = LocalNameChoiceField(
        label=gettext_lazy("Your country"),
        queryset=Country.objects.only("code", "name", "slug"),
        to_field_name="slug",
        empty_label=gettext_lazy("Choose a country"),
        null_label=None,
    )
    email = forms.EmailField(label=gettext_lazy("Your e-mail address"), max_length=254)
    message = forms.CharField(
        label=gettext_lazy("Your message to the embassy"),
        help_text=gettext_lazy("Who you are, why this project interests you, what you could bring."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    consent = forms.BooleanField(
        label=gettext_lazy(
            "I agree that the French embassy and the Délégation keep these details to answer me and put me "
            "in touch with the project's partners."
        ),
    )

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if not message:
            raise ValidationError(_("Please write a message to the embassy."))
        return message


class AlertForm(DsfrBaseForm):
    title = forms.CharField(label=gettext_lazy("Name of the alert"), max_length=120)
    country = LocalNameChoiceField(
        label=gettext_lazy("Country"),
        queryset=Country.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("Any country"),
        null_label=None,
    )
    theme = LocalNameChoiceField(
        label=gettext_lazy("Theme"),
        queryset=Theme.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("Any theme"),
        null_label=None,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        if BourseAlert.objects.filter(user=self.user).count() >= MAX_ALERTS:
            raise ValidationError(
                _("You already have %(count)d alerts: delete one first.") % {"count": MAX_ALERTS}
            )
        return super().clean()

    def query_string(self):
        query = QueryDict(mutable=True)
        for name in ("country", "theme"):
            if self.cleaned_data.get(name):
                query[name] = self.cleaned_data[name].slug
        return query.urlencode()
