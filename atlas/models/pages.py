from django.utils.translation import gettext_lazy as _

from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from pages.models import IntroBodyMixin


class AtlasPage(RoutablePageMixin, IntroBodyMixin, Page):
    """The Atlas: key figures, maps, authority, project and country pages, advanced search."""

    max_count = 1
    parent_page_types = ["pages.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Atlas")


class BoursePage(IntroBodyMixin, Page):
    """The Bourse-projets: foreign projects seeking a French partner (records come with the Bourse issue)."""

    max_count = 1
    parent_page_types = ["pages.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Bourse-projets")
