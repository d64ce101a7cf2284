"""Atlas records: French authorities, their foreign partners, the cooperations tying them, their projects."""

import gettext
import re
import unicodedata
from functools import cache, lru_cache

import pycountry

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst, slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wagtail.models import LockableMixin, RevisionMixin
from wagtail.search import index

from portal.core.collation import FRENCH, french_key
from portal.core.territories import DEPARTEMENT_CHOICES, REGION_CHOICES

from ..geography import CONTINENTS

POINT_RE = re.compile(r"POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)", re.IGNORECASE)


def name_key(name):
    """A key that ignores case, accents, punctuation and spacing: "Saint-Louis" == "saint louis"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", ascii_name.lower()).strip()


class LocatedModel(models.Model):
    """A point on the map. `location` is what the admin's Leaflet widget edits ("SRID=4326;POINT(lng lat)");
    latitude and longitude are kept beside it as numbers so that map data is read without parsing."""

    location = models.CharField(_("location"), max_length=80, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True, editable=False)
    longitude = models.FloatField(_("longitude"), null=True, blank=True, editable=False)

    #: Records that the maps show must have a point: a form without one is refused (see clean).
    location_required = False

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.sync_coordinates()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        match = POINT_RE.search(self.location or "")
        if self.location and not match:
            raise ValidationError(
                {"location": _("This location cannot be read: click the map to place the point again.")}
            )
        if match:
            longitude, latitude = float(match.group(1)), float(match.group(2))
            if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
                raise ValidationError(
                    {"location": _("Latitude runs from -90 to 90 and longitude from -180 to 180.")}
                )
        elif self.location_required and (self.latitude is None or self.longitude is None):
            raise ValidationError(
                {
                    "location": _(
                        "Place it on the map: click its location, or type its latitude and longitude."
                    )
                }
            )

    def sync_coordinates(self):
        match = POINT_RE.search(self.location or "")
        if match:
            self.longitude, self.latitude = float(match.group(1)), float(match.group(2))
        elif self.latitude is not None and self.longitude is not None:
            self.location = point(self.latitude, self.longitude)
        else:
            self.latitude = self.longitude = None


def point(latitude, longitude):
    return f"SRID=4326;POINT({longitude} {latitude})"


# Names in the visitor's language ------------------------------------------------------------------------
# Records keep their French name (the portal's language, its search and its open data); a visitor reading
# another language of settings.LANGUAGES sees a country's name from pycountry's translations and a theme's
# from its translated fields, French when no translation exists.


def active_language():
    """The active language's code ("en", "pt-br"), the site's when none is active."""
    return (get_language() or settings.LANGUAGE_CODE).lower()


def is_default_language(language):
    return language.split("-")[0] == settings.LANGUAGE_CODE.split("-")[0]


@cache
def country_catalogue(language):
    """pycountry's iso3166-1 gettext catalogue for a language ("pt-br" tries pt_BR then pt), or None: read
    once per language and process."""
    base, _sep, region = language.partition("-")
    candidates = [f"{base}_{region.upper()}", base] if region else [base]
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=candidates)
    except OSError:
        return None


@lru_cache(maxsize=8192)
def country_name(code, language):
    """The name of the ISO 3166 country `code` in `language`, or None when pycountry knows no such country
    or has no catalogue for the language. English is pycountry's own (common) name."""
    country = pycountry.countries.get(alpha_2=code) if code else None
    if country is None:
        return None
    english = getattr(country, "common_name", None) or country.name
    if language.split("-")[0] == "en":
        return english
    catalogue = country_catalogue(language)
    return catalogue.gettext(english) if catalogue else None


def local_country_name(code, french_name, language=None):
    """What a visitor reading `language` (the active one by default) calls the country: its stored French
    name in French, else pycountry's translation, else the French name."""
    language = language or active_language()
    if is_default_language(language):
        return french_name
    return country_name(code, language) or french_name


def local_sort_key(text):
    """The order of names in any language: French collation's key (accents and case second), which is
    also a reader's order for the other Latin-script languages of the portal."""
    return french_key(text)


class Country(models.Model):
    """An ISO 3166 country; loaded by a data migration and rarely edited."""

    code = models.CharField(_("ISO code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100, db_collation=FRENCH)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    continent = models.CharField(_("continent"), max_length=2, choices=sorted(CONTINENTS.items()))
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    oda_eligible = models.BooleanField(_("ODA-eligible (OECD DAC list)"), default=False)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]

    def __str__(self):
        return self.local_name

    @property
    def local_name(self):
        """The country's name in the active language (its French name in French)."""
        return local_country_name(self.code, self.name)


class TranslationsWidget(forms.Widget):
    """One text input per language of settings.LANGUAGES other than the site's, read when rendered: adding
    a language to the settings adds its input, with no code change."""

    def languages(self):
        return [(code, label) for code, label in settings.LANGUAGES if not is_default_language(code)]

    def render(self, name, value, attrs=None, renderer=None):
        value = value if isinstance(value, dict) else {}
        base_id = (attrs or {}).get("id") or f"id_{name}"
        return format_html(
            '<div class="translations-widget">{}</div>',
            format_html_join(
                "",
                '<p><label for="{0}_{1}">{2}</label><br>'
                '<input type="text" name="{3}_{1}" id="{0}_{1}" value="{4}" maxlength="{5}" lang="{1}"></p>',
                (
                    (base_id, code, label, name, value.get(code, ""), TranslationsField.MAX_LENGTH)
                    for code, label in self.languages()
                ),
            ),
        )

    def value_from_datadict(self, data, files, name):
        return {code: data.get(f"{name}_{code}", "") for code, _label in self.languages()}

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}_{code}" in data for code, _label in self.languages())

    def id_for_label(self, id_):
        languages = self.languages()
        return f"{id_}_{languages[0][0]}" if id_ and languages else id_


class TranslationsFormField(forms.Field):
    widget = TranslationsWidget

    def to_python(self, value):
        if not isinstance(value, dict):
            return {}
        return {code: " ".join(str(text).split()) for code, text in value.items() if str(text).strip()}

    def validate(self, value):
        super().validate(value)
        for code, text in value.items():
            if len(text) > TranslationsField.MAX_LENGTH:
                raise forms.ValidationError(
                    _("The name in %(language)s cannot be longer than %(max)d characters.")
                    % {"language": code, "max": TranslationsField.MAX_LENGTH}
                )

    def has_changed(self, initial, data):
        return (initial or {}) != self.to_python(data)


class TranslationsField(models.JSONField):
    """A record's name in the other languages of the portal, {language code: name}; the French name stays
    in its own column (sorting, search, unique constraint). The admin shows one input per language."""

    MAX_LENGTH = 100

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        # Not JSONField's form field: the admin edits plain names, never JSON.
        return TranslationsFormField(
            label=capfirst(self.verbose_name), required=False, help_text=self.help_text
        )


def translated(french, translations, language=None):
    """A name in `language` (the active one by default) from its translations, French as the fallback."""
    language = language or active_language()
    if is_default_language(language) or not translations:
        return french
    return translations.get(language) or translations.get(language.split("-")[0]) or french


# The same, evaluated when shown: for names kept in a cache shared by every language.
translated_lazy = lazy(translated, str)


class Theme(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True, db_collation=FRENCH)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    translations = TranslationsField(
        _("name in other languages"),
        help_text=_("Shown to visitors reading the portal in that language; the French name otherwise."),
    )

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]

    def __str__(self):
        return self.local_name

    def save(self, *args, **kwargs):
        self.slug = self.slug or slugify(self.name)
        super().save(*args, **kwargs)

    @property
    def local_name(self):
        """The theme's name in the active language (its French name in French or when not translated)."""
        return translated(self.name, self.translations)


class Network(index.Indexed, models.Model):
    """An association or network of local authorities working internationally."""

    name = models.CharField(_("name"), max_length=200, unique=True, db_collation=FRENCH)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)

    search_fields = [index.SearchField("name"), index.SearchField("acronym"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class Authority(LockableMixin, RevisionMixin, LocatedModel, index.Indexed, models.Model):
    """A French local authority (collectivité territoriale)."""

    class Kind(models.TextChoices):
        REGION = "region", _("région")
        DEPARTEMENT = "departement", _("département")
        COMMUNE = "commune", _("commune")
        EPCI = "epci", _("intercommunality (EPCI)")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200, db_collation=FRENCH)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    code = models.CharField(_("INSEE or SIREN code"), max_length=14, blank=True, db_index=True)
    region = models.CharField(_("région"), max_length=3, choices=REGION_CHOICES, db_index=True)
    departement = models.CharField(
        _("département"), max_length=3, choices=DEPARTEMENT_CHOICES, blank=True, db_index=True
    )
    website = models.URLField(_("website"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    location_required = True
    networks = models.ManyToManyField(
        Network, verbose_name=_("networks"), blank=True, related_name="authorities"
    )

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("code"),
        index.FilterField("kind"),
        index.FilterField("region"),
        index.FilterField("departement"),
    ]

    class Meta:
        verbose_name = _("French local authority")
        verbose_name_plural = _("French local authorities")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Authority, f"{self.name} {self.departement or self.region}")
        super().save(*args, **kwargs)

    def part_confirmations(self):
        """Each of the five parts with when it was last confirmed (None if never), in the parts' order: one
        confirmed part does not vouch for the others."""
        last = dict(
            self.confirmations.order_by()
            .values("part")
            .annotate(last=models.Max("confirmed_at"))
            .values_list("part", "last")
        )
        return [(label, last.get(part)) for part, label in PartConfirmation.Part.choices]


def unique_slug(model, text):
    base = slugify(text)[:200] or "fiche"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class PartnerAuthority(LocatedModel, index.Indexed, models.Model):
    """A foreign local authority (collectivité partenaire)."""

    class Level(models.TextChoices):
        REGION = "region", _("region, province or state")
        INTERMEDIATE = "intermediate", _("intermediate level (district, county)")
        MUNICIPALITY = "municipality", _("municipality")
        GROUPING = "grouping", _("grouping of municipalities")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200, db_collation=FRENCH)
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="partners"
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default=Level.MUNICIPALITY)
    location_required = True

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("country_id"),
        index.RelatedFields("country", [index.SearchField("name")]),
    ]

    class Meta:
        verbose_name = _("partner authority")
        verbose_name_plural = _("partner authorities")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.country})" if self.country_id else self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)

    def similar(self):
        """Partners of the same country whose name matches once case, accents and punctuation are ignored."""
        return PartnerAuthority.similar_to(self.name, self.country_id, exclude=self.pk)

    @staticmethod
    def similar_to(name, country_id, exclude=None):
        key = name_key(name)
        if not key or not country_id:
            return PartnerAuthority.objects.none()
        # Same key, or one name contained in the other ("Ouaga" / "Ouagadougou" are left to people).
        return (
            PartnerAuthority.objects.filter(country_id=country_id)
            .filter(Q(name_key=key) | Q(name_key__startswith=f"{key} ") | Q(name_key__endswith=f" {key}"))
            .exclude(pk=exclude)
        )


class Cooperation(LockableMixin, RevisionMixin, models.Model):
    """The tie between one French authority and one foreign partner."""

    class Kind(models.TextChoices):
        COOPERATION = "cooperation", _("decentralised cooperation")
        EXTERNAL_ACTION = "external_action", _("other external action")

    authority = models.ForeignKey(
        Authority, verbose_name=_("French authority"), on_delete=models.CASCADE, related_name="cooperations"
    )
    partner = models.ForeignKey(
        PartnerAuthority,
        verbose_name=_("partner authority"),
        on_delete=models.PROTECT,
        related_name="cooperations",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.COOPERATION)
    is_twinning = models.BooleanField(_("twinning"), default=False)
    since_year = models.PositiveSmallIntegerField(_("since"), null=True, blank=True)

    class Meta:
        verbose_name = _("cooperation")
        verbose_name_plural = _("cooperations")
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "partner", "kind"], name="unique_cooperation_per_kind"
            ),
        ]

    def __str__(self):
        return f"{self.authority} – {self.partner}"

    def convert_to_cooperation(self):
        """An external action turns out to be a decentralised cooperation: it keeps its projects."""
        self.kind = self.Kind.COOPERATION
        self.save(update_fields=["kind"])


class Project(LockableMixin, RevisionMixin, index.Indexed, models.Model):
    """A project sheet (fiche-projet) of a cooperation."""

    class Status(models.TextChoices):
        ONGOING = "ongoing", _("ongoing")
        DORMANT = "dormant", _("dormant")
        FINISHED = "finished", _("finished")

    class Framework(models.TextChoices):
        NONE = "", _("none")
        OUDIN_SANTINI = "oudin_santini", _("Oudin-Santini law (1 percent water and sanitation)")
        WASTE = "waste", _("1 percent waste")
        ENERGY = "energy", _("1 percent energy")
        TRANSPORT = "transport", _("1 percent transport")
        MEAE_CALL = "meae_call", _("Ministry call for projects")
        AFD_FICOL = "afd_ficol", _("AFD FICOL facility")
        EUROPEAN_UNION = "eu", _("European Union")
        OTHER = "other", _("other")

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("cooperation"), on_delete=models.CASCADE, related_name="projects"
    )
    title = models.CharField(_("title"), max_length=255, db_collation=FRENCH)
    summary = models.TextField(_("summary"), max_length=600)
    description = models.TextField(_("description"), blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), related_name="projects")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ONGOING)
    start_year = models.PositiveSmallIntegerField(_("start year"))
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    budget = models.DecimalField(_("budget (euros)"), max_digits=12, decimal_places=0, null=True, blank=True)
    funding_framework = models.CharField(
        _("funding framework"), max_length=16, choices=Framework.choices, blank=True, default=Framework.NONE
    )

    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("status"),
        index.FilterField("cooperation_id"),
    ]

    class Meta:
        verbose_name = _("project sheet")
        verbose_name_plural = _("project sheets")
        ordering = ["-start_year", "title"]
        indexes = [
            models.Index(fields=["status", "start_year"]),
            # The search's default order: the first page of every project is read from this index.
            models.Index(F("start_year").desc(), "title", name="project_recent_first"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.status == self.Status.FINISHED and not self.end_year:
            errors["end_year"] = _("A finished project needs its end year.")
        if self.end_year and self.start_year and self.end_year < self.start_year:
            errors["end_year"] = _("The end year cannot come before the start year.")
        if errors:
            raise ValidationError(errors)


class Contact(models.Model):
    """An elected official or staff member in charge of international relations."""

    class Kind(models.TextChoices):
        ELECTED = "elected", _("elected official")
        STAFF = "staff", _("staff")

    authority = models.ForeignKey(
        Authority, verbose_name=_("French authority"), on_delete=models.CASCADE, related_name="contacts"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    kind = models.CharField(_("elected or staff"), max_length=8, choices=Kind.choices)

    class Meta:
        verbose_name = _("official or staff member")
        verbose_name_plural = _("officials and staff")
        ordering = ["kind", "last_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class PartConfirmation(models.Model):
    """ "I have checked this part": who confirmed one of the five parts of an authority, and when."""

    class Part(models.TextChoices):
        CONTACTS = "contacts", _("officials and staff")
        NETWORKS = "networks", _("networks and associations")
        AID = "aid", _("development aid")
        COOPERATIONS = "cooperations", _("cooperations by country")
        EXTERNAL_ACTIONS = "external_actions", _("external actions")

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="confirmations")
    part = models.CharField(_("part"), max_length=20, choices=Part.choices)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("confirmation")
        verbose_name_plural = _("confirmations")
        ordering = ["-confirmed_at"]

    def __str__(self):
        return f"{self.authority} – {self.get_part_display()} – {self.confirmed_at:%Y-%m-%d}"
