"""What every product's pages share: clean addresses, the admin form, and the intro-and-body shape."""

from django.conf import settings
from django.db import models
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
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


# Search engines show about 160 characters of a description.
DESCRIPTION_LENGTH = 160
# Fields a page's description is taken from when its editor wrote no search description, in this order.
DESCRIBING_FIELDS = ("intro", "summary", "body")


def describe(*parts, limit=DESCRIPTION_LENGTH, html=False):
    """A page's meta description from texts (plain, or HTML and rich text with html=True: tags stripped),
    whitespace collapsed, cut at a word under `limit` characters. The template escapes it."""
    clean = strip_tags if html else str
    text = " ".join(" ".join(clean(str(part)).split()) for part in parts if part)
    return Truncator(text).chars(limit, truncate="…")


def _stream_text(stream):
    """The first texts of a StreamField (paragraphs, rich text), enough for a description."""
    texts = []
    for block in stream:
        value = block.value
        if hasattr(value, "source"):  # RichText
            texts.append(value.source)
        elif isinstance(value, str) and block.block_type not in ("embed", "raw_html", "html"):
            texts.append(value)
        elif hasattr(value, "get"):  # a StructBlock: its own text fields
            texts.extend(
                str(v.source if hasattr(v, "source") else v)
                for v in value.values()
                if isinstance(v, str) or hasattr(v, "source")
            )
        if sum(len(t) for t in texts) > DESCRIPTION_LENGTH * 2:
            break
    return " ".join(texts)


def page_description(page):
    """What a Wagtail page says of itself to search engines: the editor's search description, else its
    introduction, summary or body's first words."""
    # Member lists name their paginator's page `page` too: only a Wagtail page describes itself.
    if not isinstance(page, Page):
        return ""
    page = page.specific_deferred
    if page.search_description:
        return describe(page.search_description)
    # Introductions and bodies may be rich text (HTML): their tags are not the page's words.
    for name in DESCRIBING_FIELDS:
        value = getattr(page, name, None)
        if value is None:
            continue
        text = describe(_stream_text(value) if hasattr(value, "stream_block") else value, html=True)
        if text:
            return text
    return ""


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
