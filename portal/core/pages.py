"""What every product's pages share: clean addresses, the admin form, and the intro-and-body shape."""

from django.conf import settings
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BodyBlock


def free_child_slug(parent, slug):
    """`slug`, or the first of `slug`-2, `slug`-3… that no child of `parent` has (drafts included)."""
    taken = set(parent.get_children().filter(slug__startswith=slug).values_list("slug", flat=True))
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


class CleanSlugFormMixin:
    """Page addresses made of letters, digits and dashes: « », quotes and other punctuation are dropped
    (the admin's script keeps some: "-le-marché-de-dakar"). A new page is never stopped by a sibling's
    address, often an abandoned draft the editor does not see in the menu: it takes the first free -2, -3…;
    an existing page keeps Wagtail's check, since its address is already published or shared."""

    def clean(self):
        slug = self.cleaned_data.get("slug")
        if slug:
            slug = slugify(slug, allow_unicode=getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)) or slug
            if self.instance._state.adding and self.parent_page is not None:
                slug = free_child_slug(self.parent_page, slug)
            self.cleaned_data["slug"] = slug
        return super().clean()


class PortalPageForm(CleanSlugFormMixin, WagtailAdminPageForm):
    pass


class IntroBodyMixin(models.Model):
    """An introduction and a StreamField body: the shape of most editorial pages."""

    base_form_class = PortalPageForm

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        abstract = True

    @property
    def body_has_map(self):
        """Whether the body holds an Atlas map, so that the page loads the map scripts only when needed."""
        return any(block.block_type == "projects_map" for block in self.body)
