from dsfr.forms import DsfrBaseForm

from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(DsfrBaseForm):
    q = forms.CharField(
        label=_("Search the portal"),
        max_length=200,
        required=False,
        widget=forms.SearchInput,
        # DSFR's search bar (the input and its button together), which dsfr's field templates lack.
        template_name="search/includes/search_bar.html",
        error_messages={"max_length": _("Your search is too long: %(limit_value)d characters at most.")},
    )

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())
