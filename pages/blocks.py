"""StreamField blocks for editorial pages, each rendered with DSFR components."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from atlas.editorial import projects_map_points
from atlas.models import Project
from atlas.urls_helper import live_atlas
from portal.core.blocks import BodyBlock
from portal.core.maps import map_config

PREVIEW_PROJECTS = 3


# The block picker previews blocks that choose a record with the latest of them, as an editor would pick.
def document_preview():
    from wagtail.documents import get_document_model

    return {"document": get_document_model().objects.order_by("-created_at").first(), "title": ""}


def projects_map_preview():
    projects = Project.objects.filter(cooperation__partner__latitude__isnull=False).order_by("-pk")
    return {"title": "Des projets de l’Atlas", "projects": list(projects[:PREVIEW_PROJECTS])}


class VideoBlock(blocks.StructBlock):
    """A video hosted elsewhere, shown as a link: no page of the portal loads another host's player."""

    video = EmbedBlock(label=_("Video address"), help_text=_("E.g. a YouTube, Vimeo or Dailymotion address."))
    title = blocks.CharBlock(label=_("Title"))
    duration = blocks.CharBlock(label=_("Duration"), required=False, help_text=_("E.g. 3 min 20 s."))

    class Meta:
        icon = "media"
        label = _("Video")
        description = _("A link to a video hosted on another site")
        template = "pages/blocks/video_block.html"
        preview_value = {
            "video": "https://www.dailymotion.com/video/x8example",
            "title": "Le jumelage Dakar – Lyon en images",
            "duration": "3 min 20 s",
        }


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Title"), required=False, help_text=_("The document's own title if empty.")
    )

    class Meta:
        icon = "doc-full"
        label = _("Document")
        description = _("A document to download, with its format and size")
        template = "pages/blocks/document_block.html"
        preview_value = staticmethod(document_preview)


class KeyFigureBlock(blocks.StructBlock):
    number = blocks.CharBlock(label=_("Number"), max_length=20)
    label = blocks.CharBlock(label=_("Label"), max_length=120)


class KeyFiguresBlock(blocks.StructBlock):
    figures = blocks.ListBlock(KeyFigureBlock(), label=_("Figures"), min_num=1, max_num=6)

    class Meta:
        icon = "list-ol"
        label = _("Key figures")
        description = _("A few numbers with their labels")
        template = "pages/blocks/key_figures_block.html"
        preview_value = {
            "figures": [
                {"number": "4 800", "label": "collectivités engagées"},
                {"number": "142", "label": "pays partenaires"},
                {"number": "12 476", "label": "projets de coopération"},
            ]
        }


class CallToActionBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Text"), required=False)
    label = blocks.CharBlock(label=_("Button label"), max_length=80)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("or address"), required=False)

    class Meta:
        icon = "link"
        label = _("Call to action")
        description = _("A short text and a button leading to a page or an address")
        template = "pages/blocks/call_to_action_block.html"
        preview_value = {
            "text": "Votre collectivité mène une coopération ? Faites-la connaître dans l’Atlas.",
            "label": "Mettre à jour l’Atlas",
            "url": "https://example.org/atlas/",
        }

    def clean(self, value):
        result = super().clean(value)
        if result.get("page") and result.get("url"):
            message = _("Choose either a page or an address.")
        elif not result.get("page") and not result.get("url"):
            message = _("Choose a page or enter an address for the button.")
        else:
            return result
        raise blocks.StructBlockValidationError(block_errors={"url": ValidationError(message)})

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        # A page chosen once may since have been unpublished or deleted: no button then, rather than one
        # leading to a missing page (or, with no address at all, back to this one).
        page = value.get("page")
        request = (parent_context or {}).get("request")
        context["href"] = page.get_url(request) if page and page.live else value.get("url")
        return context


class ProjectsMapBlock(blocks.StructBlock):
    """A map of chosen Atlas projects; the points travel in the page (a few projects, a few points)."""

    title = blocks.CharBlock(label=_("Title"))
    projects = blocks.ListBlock(SnippetChooserBlock("atlas.Project"), label=_("Atlas projects"), min_num=1)

    class Meta:
        icon = "site"
        label = _("Map of Atlas projects")
        description = _("The French and partner authorities of chosen Atlas projects, on a map")
        template = "pages/blocks/projects_map_block.html"
        preview_value = staticmethod(projects_map_preview)

    def get_preview_context(self, value, parent_context=None):
        # The block picker's preview page loads the map scripts only for the blocks that draw a map.
        return {**super().get_preview_context(value, parent_context=parent_context), "needs_map": True}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        projects = [project for project in value["projects"] if project]
        context["project_list"] = projects
        context["atlas"] = live_atlas(request)
        context["map_config"] = map_config(
            request, points=projects_map_points(p.pk for p in projects), view="fit", ties=True
        )
        return context


class EditorialBodyBlock(BodyBlock):
    """The body of the editorial pages: the shared blocks plus media, figures and Atlas maps.

    A subclass rather than new children of BodyBlock, whose shape other apps' pages and migrations share.
    """

    video = VideoBlock()
    document = DocumentBlock()
    key_figures = KeyFiguresBlock()
    call_to_action = CallToActionBlock()
    projects_map = ProjectsMapBlock()
