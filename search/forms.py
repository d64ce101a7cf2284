from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the portal"),
        max_length=200,
        required=False,
        error_messages={"max_length": _("Your search is too long: %(limit_value)d characters at most.")},
    )

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())
