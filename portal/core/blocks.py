"""The StreamField blocks every product's pages share (editorial pages, the Atlas and tourism pages), each
rendered with DSFR components. The editorial pages add their own (pages.blocks.EditorialBodyBlock)."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


# The block picker previews blocks that choose a record with the latest of them, as an editor would pick.
def image_preview():
    from wagtail.images import get_image_model

    return {
        "image": get_image_model().objects.order_by("-created_at").first(),
        "caption": "L’école rénovée grâce à la coopération",
        "credit": "Ville de Lyon",
    }


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"))
    level = blocks.ChoiceBlock(
        label=_("Level"), choices=[("h2", "h2"), ("h3", "h3"), ("h4", "h4")], default="h2"
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        description = _("A section heading")
        template = "pages/blocks/heading_block.html"
        preview_value = {"text": "Une coopération au service des territoires", "level": "h2"}


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    author = blocks.CharBlock(label=_("Author"), required=False)
    role = blocks.CharBlock(label=_("Author's role"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        description = _("A quotation with its author")
        template = "pages/blocks/quote_block.html"
        preview_value = {
            "text": "La coopération décentralisée rapproche les citoyens de deux territoires.",
            "author": "Marie Dupont",
            "role": "Maire adjointe chargée des relations internationales",
        }


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False)
    credit = blocks.CharBlock(label=_("Credit"), required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        description = _("An image with its caption and credit")
        template = "pages/blocks/image_block.html"
        preview_value = staticmethod(image_preview)


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        icon="pilcrow",
        description=_("Formatted text"),
        features=["bold", "italic", "link", "ol", "ul", "document-link"],
        template="pages/blocks/paragraph_block.html",
        preview_value="<p>Les collectivités françaises mènent plus de 12 000 projets dans 142 pays.</p>",
    )
    image = ImageBlock()
    quote = QuoteBlock()
