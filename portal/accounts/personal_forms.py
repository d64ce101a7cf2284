"""Forms of the personal space: saving and sorting Atlas maps, albums, e-mailing a kept export."""

from dsfr.forms import DsfrBaseForm

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from portal.core.forms import DsfrFormMixin

from .personal import Album, SavedMap

TITLE_ERRORS = {
    "required": _("Give a title."),
    "max_length": _("The title may have at most %(limit_value)d characters."),
}


def bounded(label, low, high, error, field_class=forms.FloatField):
    return field_class(
        required=False,
        min_value=low,
        max_value=high,
        widget=forms.HiddenInput,
        label=label,
        error_messages={"invalid": error, "min_value": error, "max_value": error},
    )


class SaveMapForm(DsfrBaseForm):
    title = forms.CharField(label=_("Title of the map"), max_length=200, error_messages=TITLE_ERRORS)
    query = forms.CharField(
        required=False, max_length=2000, widget=forms.HiddenInput, label=_("Search filters")
    )
    lat = bounded(_("Latitude"), -90, 90, _("The latitude must be a number between -90 and 90."))
    lng = bounded(_("Longitude"), -180, 180, _("The longitude must be a number between -180 and 180."))
    zoom = bounded(
        _("Zoom"), 1, 18, _("The zoom must be a whole number between 1 and 18."), forms.IntegerField
    )

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_query(self):
        # Re-encoded: what is stored can only ever be a query string of the search, never a whole address.
        query = QueryDict(self.cleaned_data["query"].strip().lstrip("?"), mutable=True)
        query.pop("page", None)
        return query.urlencode()

    def clean(self):
        data = super().clean()
        if not self.errors and (data.get("lat") is None) != (data.get("lng") is None):
            raise forms.ValidationError(
                _("Give both the latitude and the longitude of the centre, or neither.")
            )
        return data


class SavedMapForm(DsfrFormMixin, forms.ModelForm):
    """Rename a saved map, or move it into one of its owner's albums (or out of any)."""

    class Meta:
        model = SavedMap
        fields = ["title", "album"]
        labels = {"title": _("Title of the map"), "album": _("Album")}
        error_messages = {"title": TITLE_ERRORS}

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["album"].queryset = Album.objects.filter(owner=owner)
        self.fields["album"].empty_label = _("No album")
        self.fields["album"].error_messages["invalid_choice"] = _("Choose one of your albums.")


class AlbumForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = Album
        fields = ["title"]
        labels = {"title": _("Title of the album")}
        error_messages = {"title": TITLE_ERRORS}


class SendExportForm(DsfrBaseForm):
    recipient = forms.EmailField(
        label=_("E-mail address of the recipient"),
        max_length=254,
        error_messages={
            "required": _("Give the e-mail address of the recipient."),
            "invalid": _("Enter a valid e-mail address, such as name@example.org."),
        },
    )
    message = forms.CharField(
        label=_("Short message (optional)"),
        help_text=_("500 characters at most. It is sent as plain text, with your name."),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _(
                "The message may have at most %(limit_value)d characters (it has %(show_value)d)."
            )
        },
    )

    def clean_message(self):
        return self.cleaned_data["message"].strip()
