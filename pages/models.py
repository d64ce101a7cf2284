import json

from django import forms
from django.db import models
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.forms import WagtailAdminFormPageForm
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from atlas.editorial import country_zoom_figures
from atlas.queries import key_figures
from atlas.urls_helper import live_atlas
from portal.core.forms import DsfrFormBuilder
from portal.core.honeypot import is_robot
from portal.core.maps import map_config
from portal.core.pages import CleanSlugFormMixin, IntroBodyMixin, PortalPageForm
from portal.core.subpages import subpage_url
from portal.core.translations import mark_untranslated
from tourism.listing import latest_experiences
from tourism.models import TourismHomePage

from .blocks import EditorialBodyBlock

FEATURES_PER_PAGE = 12
RELATED_LIMIT = 3
HOME_TOURISM_EXPERIENCES = 3


def first_of_month(day=None):
    """The first day of the month of `day` (today by default): features are grouped by month."""
    day = day or timezone.localdate()
    return day.replace(day=1)


class PortalFormPageForm(CleanSlugFormMixin, WagtailAdminFormPageForm):
    pass


class HomePage(Page):
    base_form_class = PortalPageForm
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    # Counted over every locale: the homes of the other languages are copies made by translation.
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().in_menu().specific()
        rubric = RubricPage.objects.live().descendant_of(self).first()
        if rubric:
            month, features = rubric.current_features()
            context.update(rubric=rubric, features_month=month, features=features)
        context["atlas"] = live_atlas(request)
        if context["atlas"]:
            context["figures"] = key_figures()
        context["tourism"] = TourismHomePage.objects.live().descendant_of(self).first()
        if context["tourism"]:
            context["tourism_experiences"] = latest_experiences(HOME_TOURISM_EXPERIENCES, within=self)
        return context


def editorial_body():
    return StreamField(EditorialBodyBlock(), verbose_name=_("body"), blank=True)


class StandardPage(IntroBodyMixin, Page):
    """Institutional pages: about, legal notice, accessibility statement, personal data."""

    body = editorial_body()

    subpage_types = ["pages.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


def feature_models():
    return [TestimonyPage, CountryZoomPage, GoodPracticePage]


def feature_lookup(field):
    """Page-level lookups of a field every feature type has (the abstract base has no table of its own)."""
    return [f"{model._meta.model_name}__{field}" for model in feature_models()]


def feature_pages(parent=None):
    """Live features as generic pages, annotated with their month and country for filtering and sorting."""
    queryset = Page.objects.live().type(*feature_models())
    if parent is not None:
        queryset = queryset.child_of(parent)
    return queryset.annotate(
        feature_month=Coalesce(*feature_lookup("month")),
        feature_country=Coalesce(*feature_lookup("country")),
    )


def with_theme(queryset, theme_ids):
    condition = Q()
    for lookup in feature_lookup("themes__in"):
        condition |= Q(**{lookup: theme_ids})
    return queryset.filter(condition).distinct()


def feature_cards(page_ids):
    """The specific features of these ids, in this order, with what a card shows: two queries per type."""
    from wagtail.images import get_image_model

    Image = get_image_model()
    wanted = list(page_ids)
    if not wanted:
        return []
    found = {}
    for model in feature_models():
        queryset = (
            model.objects.filter(pk__in=wanted)
            .select_related("country")
            .prefetch_related(
                models.Prefetch("listing_image", queryset=Image.objects.prefetch_renditions("fill-400x225"))
            )
        )
        found.update({page.pk: page for page in queryset})
    return mark_untranslated(found[pk] for pk in wanted if pk in found)


class RubricPage(RoutablePageMixin, IntroBodyMixin, Page):
    """The monthly rendez-vous of features: this month's set, the filterable archive and its feed."""

    body = editorial_body()

    # One per home, so one per locale (Wagtail's i18n: one page tree per language).
    max_count_per_parent = 1
    parent_page_types = ["pages.HomePage"]
    subpage_types = [
        "pages.TestimonyPage",
        "pages.CountryZoomPage",
        "pages.GoodPracticePage",
        "pages.StandardPage",
    ]

    class Meta:
        verbose_name = _("rubric")

    def current_features(self):
        """(month, features) of the latest month that has live features."""
        features = feature_pages(self)
        month = features.aggregate(latest=Max("feature_month"))["latest"]
        if month is None:
            return None, []
        ids = features.filter(feature_month=month).order_by("path").values_list("pk", flat=True)
        return month, feature_cards(ids)

    @path("")
    def index(self, request):
        from django.core.paginator import Paginator

        from .filters import FeatureFilterSet

        features = feature_pages(self)
        month, current = self.current_features()
        filterset = FeatureFilterSet(request.GET or None, queryset=features)
        # The whole archive unfiltered; nothing, with the form's error, for an invalid filter.
        archive = filterset.qs
        archive = archive.order_by("-feature_month", "-first_published_at", "pk")
        page_obj = Paginator(archive.values_list("pk", flat=True), FEATURES_PER_PAGE).get_page(
            request.GET.get("page")
        )
        page_obj.object_list = feature_cards(page_obj.object_list)
        return self.render(
            request,
            context_overrides={
                "features_month": month,
                "features": current,
                "filter": filterset,
                "page_obj": page_obj,
                "filtered": filterset.is_bound,
                "feed_url": subpage_url(self, "feed", request=request),
            },
        )

    @path("flux/", name="feed")
    def feed(self, request):
        from .feeds import RubricFeed

        return RubricFeed()(request, parent=self)


class CallsIndexPage(IntroBodyMixin, Page):
    """The former calls-for-projects page, replaced by portal.funding's CallIndexPage (the demo converts it in
    place). Kept so that a database holding one still migrates; no new one can be created."""

    body = editorial_body()

    is_creatable = False
    # One per home, so one per locale (Wagtail's i18n: one page tree per language).
    max_count_per_parent = 1
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.StandardPage"]

    class Meta:
        verbose_name = _("calls for projects")


def _json_ld(data):
    """A JSON-LD script element; <, > and & are escaped so that no text can close the element."""
    text = json.dumps(data, ensure_ascii=False).translate(
        {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
    )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


class FeaturePage(IntroBodyMixin, Page):
    """What every monthly feature shares: its month, themes, country and listing image."""

    kind_label = ""
    body = editorial_body()
    month = models.DateField(
        _("month"), default=first_of_month, help_text=_("The month this feature belongs to (its first day).")
    )
    themes = ParentalManyToManyField("atlas.Theme", verbose_name=_("themes"), blank=True)
    country = models.ForeignKey(
        "atlas.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    listing_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("listing image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    feature_panels = [
        MultiFieldPanel(
            [
                FieldPanel("month"),
                FieldPanel("country"),
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("listing_image"),
            ],
            heading=_("Feature"),
        )
    ]
    content_panels = [*IntroBodyMixin.content_panels, *feature_panels]
    search_fields = [*IntroBodyMixin.search_fields, index.FilterField("month")]
    parent_page_types = ["pages.RubricPage"]
    subpage_types = []

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.month = first_of_month(self.month) if self.month else first_of_month()
        super().save(*args, **kwargs)

    def related_features(self):
        """Up to three live features of the same country or sharing a theme, this one excluded."""
        theme_ids = [theme.pk for theme in self.themes.all()]
        condition = Q(feature_country=self.country_id) if self.country_id else Q(pk__in=[])
        for lookup in feature_lookup("themes__in"):
            if theme_ids:
                condition |= Q(**{lookup: theme_ids})
        candidates = (
            feature_pages(self.get_parent())
            .filter(condition)
            .exclude(pk=self.pk)
            .order_by("-feature_month", "-first_published_at")
            .values_list("pk", flat=True)
            .distinct()
        )
        return feature_cards(list(dict.fromkeys(candidates[: RELATED_LIMIT * 4]))[:RELATED_LIMIT])

    def structured_data(self, request):
        data = {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": self.title,
            "description": self.search_description or self.intro,
            "url": self.get_full_url(request),
            "inLanguage": "fr",
            "datePublished": (self.first_published_at or timezone.now()).isoformat(),
            "dateModified": (self.last_published_at or timezone.now()).isoformat(),
        }
        if self.country_id:
            data["contentLocation"] = {"@type": "Country", "name": self.country.local_name}
        return _json_ld(data)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related"] = self.related_features()
        context["structured_data"] = self.structured_data(request)
        context["theme_list"] = list(self.themes.all())
        return context


class TestimonyPage(FeaturePage):
    """An ambassador or an elected official tells about a cooperation."""

    class Role(models.TextChoices):
        AMBASSADOR = "ambassador", _("ambassador")
        ELECTED = "elected", _("elected official")
        OTHER = "other", _("other")

    kind_label = _("Testimony")
    speaker_name = models.CharField(_("speaker's name"), max_length=200)
    speaker_role = models.CharField(
        _("speaker's role"), max_length=20, choices=Role.choices, default=Role.OTHER
    )
    speaker_title = models.CharField(
        _("speaker's title"), max_length=255, blank=True, help_text=_("E.g. Ambassador of France to Senegal.")
    )
    speaker_authority = models.ForeignKey(
        "atlas.Authority",
        verbose_name=_("speaker's authority"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    portrait = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("portrait"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pull_quote = models.TextField(_("pull quote"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("speaker_name"), FieldPanel("speaker_role")]),
                FieldPanel("speaker_title"),
                FieldPanel("speaker_authority"),
                FieldPanel("portrait"),
                FieldPanel("pull_quote"),
            ],
            heading=_("Speaker"),
        ),
        FieldPanel("intro"),
        FieldPanel("body"),
        *FeaturePage.feature_panels,
    ]
    search_fields = [
        *FeaturePage.search_fields,
        index.SearchField("speaker_name"),
        index.SearchField("pull_quote"),
    ]

    class Meta:
        verbose_name = _("testimony")
        verbose_name_plural = _("testimonies")


class CountryZoomPage(FeaturePage):
    """A country and its cooperations, with the Atlas figures of that country kept live beside the text."""

    kind_label = _("Country zoom")

    class Meta:
        verbose_name = _("country zoom")

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if not self.country_id:
            raise ValidationError({"country": _("A country zoom needs its country.")})

    def get_context(self, request, *args, **kwargs):
        from django.urls import reverse

        context = super().get_context(request, *args, **kwargs)
        if self.country_id:
            context["figures"] = country_zoom_figures(self.country)
            context["atlas"] = live_atlas(request)
            context["map_config"] = map_config(
                request,
                data=f"{reverse('atlas_data:map_data')}?country={self.country.slug}",
                view="fit",
                cluster=True,
            )
        return context


class GoodPracticePage(FeaturePage):
    """A practice worth copying: who did it, the Atlas projects it describes and what came of it."""

    kind_label = _("Good practice")
    authorities = ParentalManyToManyField(
        "atlas.Authority", verbose_name=_("authorities involved"), blank=True
    )
    results = RichTextField(_("results"), blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = [
        *IntroBodyMixin.content_panels,
        FieldPanel("results"),
        FieldPanel("authorities"),
        InlinePanel("projects", label=_("Atlas projects"), heading=_("Atlas projects described")),
        *FeaturePage.feature_panels,
    ]
    search_fields = [*FeaturePage.search_fields, index.SearchField("results")]

    class Meta:
        verbose_name = _("good practice")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["atlas"] = live_atlas(request)
        context["authority_list"] = list(self.authorities.order_by("name").only("name", "slug"))
        context["project_list"] = [
            link.project
            for link in self.projects.select_related(
                "project__cooperation__authority", "project__cooperation__partner"
            )
        ]
        return context


class GoodPracticeProject(Orderable):
    """One Atlas project a good practice describes, picked with the snippet chooser (thousands exist)."""

    page = ParentalKey(GoodPracticePage, on_delete=models.CASCADE, related_name="projects")
    project = models.ForeignKey(
        "atlas.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("project")]

    class Meta(Orderable.Meta):
        verbose_name = _("Atlas project")
        verbose_name_plural = _("Atlas projects")


class ContactFormField(AbstractFormField):
    page = ParentalKey("ContactPage", on_delete=models.CASCADE, related_name="form_fields")


class ContactPage(AbstractEmailForm):
    """The contact form: submissions are kept in the admin and e-mailed to the team."""

    base_form_class = PortalFormPageForm
    form_builder = DsfrFormBuilder

    intro = models.TextField(_("introduction"), blank=True)
    thank_you_text = RichTextField(_("thank-you text"), blank=True, features=["bold", "italic", "link"])

    content_panels = [
        *AbstractEmailForm.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Form fields")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("E-mail"),
        ),
    ]
    parent_page_types = ["pages.HomePage"]
    subpage_types = []
    # One per home, so one per locale (Wagtail's i18n: one page tree per language).
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("contact page")

    def serve(self, request, *args, **kwargs):
        # Robots fill every field; people never see this one. Refuse before anything is saved or mailed.
        if is_robot(request):
            form = self.get_form(page=self, user=request.user)
            context = self.get_context(request)
            context["form"] = form
            context["refused"] = True
            return render(request, self.get_template(request), context, status=400)
        return super().serve(request, *args, **kwargs)
