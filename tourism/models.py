from django.utils.translation import gettext_lazy as _

from wagtail.models import Page

from pages.models import IntroBodyMixin


class TourismHomePage(IntroBodyMixin, Page):
    """Home of the responsible-tourism platform; experiences and resources arrive with the tourism issue."""

    max_count = 1
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.StandardPage"]

    class Meta:
        verbose_name = _("tourism platform home")
