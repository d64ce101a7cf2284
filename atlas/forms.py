from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from portal.accounts.scope import scope_for

from . import scope_rules
from .models import Cooperation, PartnerAuthority


class DuplicatePartnerGuardMixin:
    """Warns when a partner with a similar name exists in the same country, and offers it instead.

    Partner names are typed by many hands; the warning stops the save until the person either picks the
    existing partner or confirms that theirs is a different one.
    """

    confirm_field = "confirm_new_partner"

    def check_similar_partner(self, name, country, exclude=None):
        if not name or not country or self.cleaned_data.get(self.confirm_field):
            return
        similar = list(PartnerAuthority.similar_to(name, country.pk, exclude=exclude)[:5])
        if similar:
            self.add_error(
                "name",
                format_html(
                    "{} {}",
                    _("A partner with a similar name already exists in this country:"),
                    format_html_join(", ", "« {} »", ((p.name,) for p in similar)),
                ),
            )
            self.add_error(
                self.confirm_field, _("Use the existing partner, or tick this box if yours is another one.")
            )
            self.similar_partners = similar


class ScopedAdminForm(WagtailAdminModelForm):
    """Limits the records a form may point to (authority, partner, cooperation, country) to the user's scope,
    so a forged choice is refused by validation like any other invalid value; then refuses a record whose
    choices, together, would leave the scope (see Scope.admits)."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.scope = None
        if for_user is None:
            return
        self.scope = scope = scope_for(for_user)
        limits = {
            # Contacts belong to the user's own authority; a cooperation may name any the scope ties.
            "authority": (
                scope_rules.authorities_for_ties
                if self._meta.model is Cooperation
                else scope_rules.authorities
            ),
            "partner": scope_rules.partners_for_new_ties,
            "cooperation": lambda scope: scope.editable(Cooperation),
            "country": scope_rules.countries_for_partners,
        }
        for name, queryset in limits.items():
            if name in self.fields and hasattr(self.fields[name], "queryset"):
                self.fields[name].queryset = queryset(scope)

    def _post_clean(self):
        super()._post_clean()  # the instance now carries the submitted values
        if self.scope is not None and not self.errors and not self.scope.admits(self.instance):
            self.add_error(None, _("This record would fall outside what your organisation answers for."))


class PartnerAuthorityAdminForm(DuplicatePartnerGuardMixin, ScopedAdminForm):
    confirm_new_partner = forms.BooleanField(
        label=_("This is a different partner from the similar ones"), required=False
    )

    def clean(self):
        cleaned = super().clean()
        self.check_similar_partner(cleaned.get("name"), cleaned.get("country"), exclude=self.instance.pk)
        return cleaned
