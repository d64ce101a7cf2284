"""The platform's page tree: home, members' experiences, resources and events, with an index of each."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, MultipleChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from atlas.models.records import LocatedModel
from portal.core.pages import IntroBodyMixin
from portal.core.widgets import LocalLeafletPanel

# What a member's rich text may hold; the sanitizer of contributions keeps the same set (tourism.richtext).
RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]


class TourismHomePage(IntroBodyMixin, Page):
    """The platform's home: its purpose, the latest experiences on a map, the themes and the next events."""

    # One per home, so one per locale (Wagtail's i18n: one page tree per language).
    max_count_per_parent = 1
    parent_page_types = ["pages.HomePage"]
    subpage_types = [
        "tourism.ExperienceIndexPage",
        "tourism.ResourceIndexPage",
        "tourism.EventIndexPage",
        "pages.StandardPage",
    ]

    class Meta:
        verbose_name = _("tourism platform home")

    def get_context(self, request, *args, **kwargs):
        from ..listing import home_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_context(self, request))
        return context


class TourismIndexPage(Page):
    """An index of one kind of tourism page, filtered by country and theme in the query string."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["tourism.TourismHomePage"]
    # One per home, so one per locale (Wagtail's i18n: one page tree per language).
    max_count_per_parent = 1

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        from ..listing import index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(index_context(self, request))
        return context


class ExperienceIndexPage(RoutablePageMixin, TourismIndexPage):
    """Where members' experiences live: the filterable list and map, and the RSS feed."""

    subpage_types = ["tourism.ExperiencePage"]

    class Meta:
        verbose_name = _("index of experiences")

    @path("flux/", name="feed")
    def feed(self, request):
        from ..feeds import ExperienceFeed

        return ExperienceFeed()(request, parent=self)


class ResourceIndexPage(TourismIndexPage):
    subpage_types = ["tourism.ResourcePage"]

    class Meta:
        verbose_name = _("index of resources")


class EventIndexPage(TourismIndexPage):
    subpage_types = ["tourism.EventPage"]

    class Meta:
        verbose_name = _("index of events")


class TourismPage(LocatedModel, Page):
    """What experiences, resources and events share: a summary, a rich body, a country, a place and themes."""

    summary = models.TextField(_("summary"), max_length=600, blank=True)
    body = RichTextField(_("body"), features=RICH_TEXT_FEATURES, blank=True)
    country = models.ForeignKey(
        "atlas.Country",
        verbose_name=_("country"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    place_name = models.CharField(_("place"), max_length=150, blank=True)
    themes = ParentalManyToManyField(
        "tourism.TourismTheme", verbose_name=_("themes"), blank=True, related_name="+"
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("place_name"),
        index.FilterField("country"),
    ]
    place_panels = [
        FieldRowPanel([FieldPanel("country"), FieldPanel("place_name")]),
        LocalLeafletPanel("location"),
    ]

    class Meta:
        abstract = True

    @property
    def themes_list(self):
        return list(self.themes.all())


class ExperiencePage(TourismPage):
    """A responsible-tourism experience, usually written by a member (the page owner) outside the admin."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("contributing organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    results = models.TextField(_("results"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(TourismPage.place_panels, heading=_("Place")),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        FieldPanel("organisation"),
        MultipleChooserPanel(
            "authority_links", chooser_field_name="authority", label=_("French authorities")
        ),
        MultipleChooserPanel("project_links", chooser_field_name="project", label=_("Atlas projects")),
        InlinePanel("photos", label=_("Photos")),
        FieldPanel("results"),
        FieldPanel("lessons"),
    ]
    search_fields = [*TourismPage.search_fields, index.SearchField("results"), index.SearchField("lessons")]
    parent_page_types = ["tourism.ExperienceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("responsible-tourism experience")
        verbose_name_plural = _("responsible-tourism experiences")

    def get_context(self, request, *args, **kwargs):
        from ..comments import comments_context
        from ..listing import experience_context

        context = super().get_context(request, *args, **kwargs)
        context.update(experience_context(self, request))
        context.update(comments_context(self, request))
        return context


class ExperienceAuthority(Orderable):
    page = ParentalKey(ExperiencePage, on_delete=models.CASCADE, related_name="authority_links")
    authority = models.ForeignKey(
        "atlas.Authority",
        verbose_name=_("French authority"),
        on_delete=models.CASCADE,
        related_name="tourism_links",
    )

    panels = [FieldPanel("authority")]

    class Meta(Orderable.Meta):
        verbose_name = _("French authority")


class ExperienceProject(Orderable):
    page = ParentalKey(ExperiencePage, on_delete=models.CASCADE, related_name="project_links")
    project = models.ForeignKey(
        "atlas.Project",
        verbose_name=_("Atlas project"),
        on_delete=models.CASCADE,
        related_name="tourism_links",
    )

    panels = [FieldPanel("project")]

    class Meta(Orderable.Meta):
        verbose_name = _("Atlas project")


class ExperiencePhoto(Orderable):
    page = ParentalKey(ExperiencePage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    alt_text = models.CharField(
        _("text alternative"),
        max_length=250,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    credit = models.CharField(_("credit"), max_length=150)
    caption = models.CharField(_("caption"), max_length=250, blank=True)

    panels = [FieldPanel("image"), FieldPanel("alt_text"), FieldPanel("credit"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("photo")


class ResourcePage(TourismPage):
    """A guide, a charter or a document members can use."""

    class Kind(models.TextChoices):
        GUIDE = "guide", _("guide")
        CHARTER = "charter", _("charter")
        DOCUMENT = "document", _("document")
        TOOL = "tool", _("tool")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.GUIDE)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    link = models.URLField(_("link"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldRowPanel([FieldPanel("document"), FieldPanel("link")]),
        MultiFieldPanel(TourismPage.place_panels, heading=_("Place (optional)")),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
    ]
    parent_page_types = ["tourism.ResourceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")


class EventPage(TourismPage):
    """A meeting of the platform's members: a date, a place."""

    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    registration_url = models.URLField(_("registration link"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(TourismPage.place_panels, heading=_("Place")),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        FieldPanel("registration_url"),
    ]
    parent_page_types = ["tourism.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["start_date"]

    def get_context(self, request, *args, **kwargs):
        from ..listing import event_context

        context = super().get_context(request, *args, **kwargs)
        context.update(event_context(self, request))
        return context
