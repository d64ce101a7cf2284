"""The form members write an experience with, outside the admin, and its photos.

A draft needs only a title; what a submission for moderation needs on top is checked on the saved draft
(tourism.contributions.missing_for_submission). The lists of French authorities and Atlas projects depend on
the chosen country: the "refresh" button (clicked by the script when the country changes) shows them again
without saving anything.
"""

from contextlib import suppress
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.db.models import Q
from django.forms.utils import ErrorDict
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from wagtail.images import get_image_model

from atlas.models import Authority, Country, Project
from portal.accounts.models import Membership, Organisation
from portal.core.forms import DsfrFileInput, DsfrFormMixin
from portal.core.widgets import FastSelect

from .models import ExperiencePhoto, TourismTheme
from .photos import COLLECTION_NAME, check_photo, max_bytes
from .richtext import clean_rich_text, text_for_editing

# How many French authorities, and projects, the lists offer for one country (beside those already linked
# and those of the member's organisations); each list is ordered by name.
CHOICES_LIMIT = 60
ACCEPTED_TYPES = "image/jpeg,image/png,image/webp"
BODY_MAX_LENGTH = 50_000
SIX_PLACES = Decimal("0.000001")
# What an empty list of checkboxes says instead, in its legend's hint.
EMPTY_LISTS = {
    "themes": _("No theme is available yet."),
    "authorities": _("Choose a country to see the French authorities cooperating with it."),
    "projects": _("No Atlas project matches the chosen country and authorities."),
}


def photos_per_experience():
    return getattr(settings, "TOURISM_PHOTOS_PER_EXPERIENCE", 12)


class CoordinateField(forms.DecimalField):
    """A latitude or longitude, typed with a point or a comma, kept to six decimal places (11 cm)."""

    def __init__(self, limit, **kwargs):
        super().__init__(
            required=False,
            min_value=-limit,
            max_value=limit,
            max_digits=9,
            decimal_places=6,
            widget=forms.TextInput(
                attrs={"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"}
            ),
            **kwargs,
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".").replace(" ", "")
        value = super().to_python(value)
        if value is not None and abs(value) < 1000:
            with suppress(InvalidOperation):
                value = value.quantize(SIX_PLACES)
        return value


class QuietMixin:
    def quiet(self):
        """Shows the submitted values without their errors (the lists were refreshed, nothing was saved)."""
        self.full_clean()
        self._errors = ErrorDict(renderer=self.renderer)


class ProjectChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.cooperation.authority.name} – {obj.cooperation.partner.name})"


def member_organisations(user):
    return Organisation.objects.filter(
        memberships__user=user, memberships__status=Membership.Status.APPROVED
    ).order_by("name")


class ExperienceForm(QuietMixin, DsfrFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    summary = forms.CharField(
        label=pgettext_lazy("experience", "Summary"),
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences, shown in lists and on the map (600 characters at most)."),
    )
    body = forms.CharField(
        label=_("The experience"),
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "What was done, with whom and for whom. Leave a blank line between paragraphs. You may also "
            "write HTML: subheadings (h2, h3), bold, italics, lists and links are kept, anything else is "
            "removed."
        ),
    )
    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.all(),
        required=False,
        empty_label=_("Choose a country"),
        widget=FastSelect,
    )
    place_name = forms.CharField(
        label=_("Place"), required=False, max_length=150, help_text=_("A town, a village or a region.")
    )
    latitude = CoordinateField(90, label=_("Latitude"), help_text=_("For example 12.4812"))
    longitude = CoordinateField(180, label=_("Longitude"), help_text=_("For example -16.5463"))
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=TourismTheme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisation = forms.ModelChoiceField(
        label=_("Contributing organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("None: I write in my own name"),
    )
    authorities = forms.ModelMultipleChoiceField(
        label=_("French authorities involved"),
        queryset=Authority.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    projects = ProjectChoiceField(
        label=_("Related Atlas projects"),
        queryset=Project.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    results = forms.CharField(
        label=_("Results"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What changed, for the people who live there and for the visitors."),
    )
    lessons = forms.CharField(
        label=_("Lessons learned"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you would advise an authority starting a similar project."),
    )

    def __init__(self, data=None, *, user, page=None, **kwargs):
        self.user = user
        self.page = page
        if page is not None and data is None:
            kwargs.setdefault("initial", initial_from(page))
        super().__init__(data, **kwargs)
        self.previous_country = page.country if page is not None else None
        self.chosen_country = self._chosen_country()

        organisations = list(member_organisations(user))
        if organisations:
            self.fields["organisation"].queryset = member_organisations(user)
        else:
            del self.fields["organisation"]

        linked_authorities = [link.authority_id for link in page.authority_links.all()] if page else []
        linked_projects = [link.project_id for link in page.project_links.all()] if page else []
        authority_ids = set(linked_authorities)
        authority_ids.update(org.authority_id for org in organisations if org.authority_id)
        country_authorities = []
        if self.chosen_country is not None:
            country_authorities = list(
                Authority.objects.filter(cooperations__partner__country=self.chosen_country)
                .order_by("name", "pk")
                .values_list("pk", flat=True)
                .distinct()[:CHOICES_LIMIT]
            )
        authority_ids.update(country_authorities)
        self.fields["authorities"].queryset = Authority.objects.filter(pk__in=authority_ids).order_by("name")

        project_ids = set(linked_projects)
        if self.chosen_country is not None and authority_ids:
            project_ids.update(
                Project.objects.filter(
                    cooperation__partner__country=self.chosen_country,
                    cooperation__authority__in=authority_ids,
                )
                .order_by("title", "pk")
                .values_list("pk", flat=True)[:CHOICES_LIMIT]
            )
        self.fields["projects"].queryset = (
            Project.objects.filter(pk__in=project_ids)
            .select_related("cooperation__authority", "cooperation__partner")
            .order_by("title")
        )
        for name, text in EMPTY_LISTS.items():
            # No query for the lists of ids found empty above (Django answers `pk__in=[]` by itself).
            if not self.fields[name].choices:
                self.fields[name].help_text = text

    def _chosen_country(self):
        if self.is_bound:
            value = self.data.get(self.add_prefix("country"))
            if not value:
                return None
            try:
                return Country.objects.filter(pk=int(value)).first()
            except (TypeError, ValueError):
                return self.previous_country
        return self.previous_country

    def clean_body(self):
        return clean_rich_text(self.cleaned_data.get("body", ""))

    def clean(self):
        data = super().clean()
        latitude, longitude = data.get("latitude"), data.get("longitude")
        halves = (latitude is None) != (longitude is None)
        if halves and not self.has_error("latitude") and not self.has_error("longitude"):
            self.add_error(
                "latitude" if latitude is None else "longitude",
                _("Give both the latitude and the longitude, or leave both empty."),
            )
        country = data.get("country")
        previous = self.previous_country
        # The point was the centre of the country chosen before: it follows the new country.
        if (
            latitude is not None
            and longitude is not None
            and country != previous
            and previous is not None
            and previous.latitude is not None
            and same_point((latitude, longitude), (previous.latitude, previous.longitude))
        ):
            data["latitude"] = data["longitude"] = None
        return data


def same_point(a, b):
    return all(abs(float(x) - float(y)) < 1e-5 for x, y in zip(a, b, strict=True))


def initial_from(page):
    page.sync_coordinates()
    return {
        "title": page.title,
        "summary": page.summary,
        "body": text_for_editing(page.body),
        "country": page.country_id,
        "place_name": page.place_name,
        "latitude": page.latitude,
        "longitude": page.longitude,
        "themes": [theme.pk for theme in page.themes.all()],
        "organisation": page.organisation_id,
        "authorities": [link.authority_id for link in page.authority_links.all()],
        "projects": [link.project_id for link in page.project_links.all()],
        "results": page.results,
        "lessons": page.lessons,
    }


# Photos -----------------------------------------------------------------------------------------------------


class PhotoForm(QuietMixin, DsfrFormMixin, forms.Form):
    """One photo: a new file, or one already stored (its image, hidden), with its texts."""

    image = forms.ModelChoiceField(queryset=None, required=False, widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=DsfrFileInput(attrs={"accept": ACCEPTED_TYPES}),
    )
    alt_text = forms.CharField(
        label=_("Text alternative"),
        max_length=250,
        required=False,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    credit = forms.CharField(
        label=_("Credit"), max_length=150, required=False, help_text=_("Who took the photo.")
    )
    caption = forms.CharField(label=_("Caption"), max_length=250, required=False)
    remove = forms.BooleanField(label=_("Remove this photo"), required=False)

    def __init__(self, *args, images=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].queryset = images
        self.fields["file"].help_text = _("JPEG, PNG or WebP, %(size)s at most.") % {
            "size": filesizeformat(max_bytes())
        }
        self.current_image = None

    @property
    def removed(self):
        return bool(self.is_bound and self.cleaned_data.get("remove"))

    def clean(self):
        data = super().clean()
        if data.get("remove"):
            return data
        upload = data.get("file")
        if upload and data.get("image"):
            upload = data["file"] = None  # a stored photo is kept; its file is not replaced
        if upload:
            try:
                check_photo(upload)
            except forms.ValidationError as error:
                self.add_error("file", error)
                upload = None
        has_photo = bool(upload or data.get("image"))
        written = any(data.get(name) for name in ("alt_text", "credit", "caption"))
        if not has_photo and not written and not self.has_error("file"):
            return data
        if not has_photo and not self.has_error("file"):
            self.add_error("file", _("Choose the photo these texts go with."))
        if not data.get("alt_text") and not self.has_error("alt_text"):
            self.add_error("alt_text", _("Say what the photo shows, for people who cannot see it."))
        if not data.get("credit") and not self.has_error("credit"):
            self.add_error("credit", _("Give the photo’s credit: who took it."))
        if self.has_error("file") and self.files.get(self.add_prefix("file")):
            self.add_error("file", _("The photo was not kept: choose it again, or choose another one."))
        return data

    @property
    def new_upload(self):
        """The checked file to store, if any (it is valid even when a text of the photo is missing)."""
        if not self.is_bound or self.removed:
            return None
        data = self.cleaned_data
        if data.get("image") or self.has_error("file"):
            return None
        return data.get("file")


class BasePhotoFormSet(forms.BaseFormSet):
    def __init__(self, data=None, files=None, *, page=None, user, **kwargs):
        self.page = page
        self.user = user
        self.existing = list(page.photos.all()) if page is not None else []
        if data is None:
            kwargs.setdefault(
                "initial",
                [
                    {
                        "image": photo.image_id,
                        "alt_text": photo.alt_text,
                        "credit": photo.credit,
                        "caption": photo.caption,
                    }
                    for photo in self.existing
                ],
            )
        self.max_num = photos_per_experience()
        self.absolute_max = self.max_num + 20
        # The photos a form may show: those of the experience, and those the member uploaded here.
        self.images = get_image_model().objects.filter(
            Q(pk__in=[photo.image_id for photo in self.existing])
            | Q(uploaded_by_user=user, collection__name=COLLECTION_NAME, collection__depth=2)
        )
        super().__init__(data, files, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "images": self.images}

    def quiet(self):
        for form in self.forms:
            form.quiet()
        self._errors = [form.errors for form in self.forms]
        self._non_form_errors = self.error_class(renderer=self.renderer)

    def clean(self):
        kept = [
            form
            for form in self.forms
            if form.is_valid()
            and not form.cleaned_data.get("remove")
            and (form.cleaned_data.get("image") or form.cleaned_data.get("file"))
        ]
        if len(kept) > self.max_num:
            raise forms.ValidationError(
                ngettext(
                    "An experience may have at most %(count)d photo.",
                    "An experience may have at most %(count)d photos.",
                    self.max_num,
                )
                % {"count": self.max_num}
            )

    def attach_images(self):
        """Gives each form the image it shows (one query), for the thumbnails."""
        values = {}
        for form in self.forms:
            value = str(form["image"].value() or "")
            if value.isdigit():
                values[form] = value
        by_pk = {str(pk): image for pk, image in self.images.in_bulk(set(values.values())).items()}
        for form in self.forms:
            form.current_image = by_pk.get(values.get(form))

    def photos(self):
        """The photos of the experience after this form: its valid photos in order; a photo that was already
        there stays as it was when its form has an error, and unless its form removes it."""
        existing = {photo.image_id: photo for photo in self.existing}
        photos, seen = [], set()
        for form in self.forms:
            if not form.is_bound:
                continue
            data = getattr(form, "cleaned_data", {})
            image = data.get("image")
            if image is None or image.pk in seen:
                continue
            if data.get("remove"):
                seen.add(image.pk)
                continue
            if form.errors:
                if image.pk in existing:
                    photos.append(existing[image.pk])
                    seen.add(image.pk)
                continue
            seen.add(image.pk)
            photos.append(
                ExperiencePhoto(
                    image=image,
                    alt_text=data.get("alt_text", ""),
                    credit=data.get("credit", ""),
                    caption=data.get("caption", ""),
                )
            )
        # A photo no form mentions (a form older than the draft) is not lost.
        photos.extend(photo for image_pk, photo in existing.items() if image_pk not in seen)
        photos = photos[: self.max_num]
        return [
            ExperiencePhoto(
                image_id=photo.image_id,
                alt_text=photo.alt_text,
                credit=photo.credit,
                caption=photo.caption,
                sort_order=position,
            )
            for position, photo in enumerate(photos)
        ]


PhotoFormSet = forms.formset_factory(
    PhotoForm, formset=BasePhotoFormSet, extra=3, max_num=12, absolute_max=40, validate_max=False
)
