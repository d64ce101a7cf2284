from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BodyBlock


class IntroBodyMixin(models.Model):
    """An introduction and a StreamField body: the shape of most editorial pages."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        abstract = True


class HomePage(Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().in_menu().specific()
        return context


class StandardPage(IntroBodyMixin, Page):
    """Institutional pages: about, legal notice, accessibility statement, personal data."""

    subpage_types = ["pages.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


class RubricPage(IntroBodyMixin, Page):
    """The monthly rendez-vous of features. Its feature page types arrive with the editorial rubric."""

    max_count = 1
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.StandardPage"]

    class Meta:
        verbose_name = _("rubric")


class CallsIndexPage(IntroBodyMixin, Page):
    """The calls for projects: one editorial page per call beneath it."""

    max_count = 1
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.StandardPage"]

    class Meta:
        verbose_name = _("calls for projects")
