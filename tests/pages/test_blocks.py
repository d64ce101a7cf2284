"""The StreamField blocks of the page bodies: each one served in a real page as a reader sees it, the checks
made when an editor saves one, and what the editor sees of it in the block picker.

The block tests are parametrised over the children of every body StreamBlock the page types use, so a new
block fails them until it has a factory (tests/pages/factories.py) and a READER_CHECKS entry saying what a
reader sees.
"""

import importlib
import importlib.util
import itertools
import json
import pkgutil

import pytest
import wagtail_factories
from bs4 import BeautifulSoup

from django.urls import reverse
from django.utils import translation

from wagtail.blocks import StreamBlock, StructBlockValidationError
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.fields import StreamField
from wagtail.models import Page

import tests
from pages.blocks import CallToActionBlock
from tests.atlas.factories import AtlasPageFactory, ProjectFactory
from tests.pages.factories import CallToActionBlockFactory, StandardPageFactory, VideoBlockFactory
from tests.pages.test_page_types import PORTAL_PAGE_MODELS

# Text an editor could type anywhere: it must reach the reader as text, never as markup.
HOSTILE = '<script>alert("bloc")</script>'


def body_stream_blocks():
    """The StreamBlock of each StreamField of the page types, one per class, the richest first."""
    found = {}
    for model in PORTAL_PAGE_MODELS:
        for field in model._meta.get_fields():
            if isinstance(field, StreamField):
                found.setdefault(type(field.stream_block), field.stream_block)
    return sorted(found.values(), key=lambda block: -len(block.child_blocks))


def body_children():
    """(name, child block, its StreamBlock) for every distinct child block of the bodies."""
    children = []
    for stream_block in body_stream_blocks():
        for name, child in stream_block.child_blocks.items():
            if not any(name == known and child == known_child for known, known_child, _ in children):
                children.append((name, child, stream_block))
    return children


def factory_classes(base):
    """Every subclass of `base` defined in a tests/<app>/factories.py module."""
    for module_info in pkgutil.iter_modules(tests.__path__):
        name = f"tests.{module_info.name}.factories"
        if not module_info.ispkg or importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)  # a factories module that fails to import fails the tests
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, base) and obj.__module__ == module.__name__:
                yield obj


def stream_block_factory(stream_block):
    for candidate in factory_classes(wagtail_factories.StreamBlockFactory):
        if candidate._meta.model is type(stream_block):
            return candidate
    pytest.fail(f"No StreamBlockFactory builds {type(stream_block).__name__}")


def host_page_factory(stream_block):
    """A page factory whose `body` is built by the StreamBlockFactory of this StreamBlock."""
    stream_factory = stream_block_factory(stream_block)
    for candidate in factory_classes(wagtail_factories.PageFactory):
        body = candidate._meta.declarations.get("body")
        if getattr(body, "stream_block_factory", None) is stream_factory:
            return candidate
    pytest.fail(f"No page factory has a body made by {stream_factory.__name__}")


BODY_CHILDREN = body_children()
READER_CHECKS = {}
each_body_block = pytest.mark.parametrize(
    ("name", "child", "stream_block"), BODY_CHILDREN, ids=[name for name, _, _ in BODY_CHILDREN]
)
each_body_block_definition = pytest.mark.parametrize(
    ("name", "child"),
    [(name, child) for name, child, _ in BODY_CHILDREN],
    ids=[name for name, _, _ in BODY_CHILDREN],
)


def reader_check(name):
    def register(check):
        READER_CHECKS[name] = check
        return check

    return register


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def serve(client, home, media):
    """serve(name, stream_block, **values): a page whose body is that one block, built by its factory with
    these values, served; -> (the block's element in the page, the page's soup, the value read back)."""
    slugs = itertools.count()

    def serve(name, stream_block, **values):
        params = {f"body__0__{name}__{key}": value for key, value in values.items()} or {"body__0": name}
        page = host_page_factory(stream_block)(parent=home, slug=f"blocs-{next(slugs)}", **params)
        response = client.get(page.url)
        assert response.status_code == 200
        assert HOSTILE not in response.text
        soup = BeautifulSoup(response.text, "html.parser")
        elements = soup.select(f"main .block-{name}")
        assert len(elements) == 1, f"the page shows {len(elements)} {name} blocks"
        return elements[0], soup, Page.objects.get(pk=page.pk).specific.body[0].value

    return serve


def text(element):
    return " ".join(element.get_text(" ").split())


@pytest.mark.django_db
@each_body_block
def test_every_body_block_shows_readers_its_content(serve, home, name, child, stream_block):
    stream_factory = stream_block_factory(stream_block)
    assert name in stream_factory._meta.declarations, f"{name} has no factory in {stream_factory.__name__}"
    assert name in READER_CHECKS, f"Say in READER_CHECKS what a reader sees of the {name} block"
    READER_CHECKS[name](lambda **values: serve(name, stream_block, **values), home)


@reader_check("heading")
def heading_is_a_title_of_its_level(serve, home):
    block, _, _ = serve(text=f"Nos partenaires {HOSTILE}", level="h3")
    (heading,) = block.find_all(["h2", "h3", "h4"])
    assert heading.name == "h3"
    assert heading.get_text() == f"Nos partenaires {HOSTILE}"


@reader_check("paragraph")
def paragraph_keeps_its_formatting_and_links(serve, home):
    block, _, _ = serve(
        value=f'<p>Des <b>collectivités</b> et <a href="https://example.org/">leurs partenaires</a>, '
        f'voir <a linktype="page" id="{home.pk}">l’accueil</a>.</p>'
    )
    assert text(block) == "Des collectivités et leurs partenaires , voir l’accueil ."
    assert block.find("b").get_text() == "collectivités"
    assert [(a.get_text(), a["href"]) for a in block.find_all("a")] == [
        ("leurs partenaires", "https://example.org/"),
        ("l’accueil", "/"),
    ]


@reader_check("image")
def image_has_its_alternative_caption_and_credit(serve, home):
    block, _, value = serve(caption=f"L’école {HOSTILE}", credit="Ville de Lyon")
    image = block.find("img")
    assert image["alt"] == "Des élèves devant l’école de Ziguinchor"
    assert image["src"].startswith("/media/images/")
    assert int(image["width"]) <= 1200
    assert text(block.find("figcaption")) == f"L’école {HOSTILE} — © Ville de Lyon"
    assert block.find("figure")["aria-label"] == f"L’école {HOSTILE} — © Ville de Lyon"

    block, _, _ = serve(caption="", credit="Ville de Lyon")
    assert text(block.find("figcaption")) == "© Ville de Lyon"
    assert block.find("figure")["aria-label"] == "© Ville de Lyon"

    block, _, _ = serve(caption="Sans crédit", credit="")
    assert block.find("figure")["aria-label"] == "Sans crédit"


@reader_check("quote")
def quote_has_its_author_and_role(serve, home):
    block, _, _ = serve(
        text=f"Deux territoires {HOSTILE}\nun projet", author=f"Marie {HOSTILE}", role="Maire"
    )
    paragraph = block.select_one("blockquote p")
    assert text(paragraph) == f"« Deux territoires {HOSTILE} un projet »"
    assert paragraph.find("br"), "the quote keeps its line breaks"
    assert block.select_one(".fr-quote__author").get_text() == f"Marie {HOSTILE}"
    assert text(block.select_one(".fr-quote__source")) == "Maire"


@reader_check("video")
def video_is_a_link_not_a_player(serve, home):
    block, soup, _ = serve(title=f"Le jumelage {HOSTILE}")
    (link,) = block.find_all("a")
    assert link["href"] == "https://www.dailymotion.com/video/x8example"
    assert text(link) == f"Le jumelage {HOSTILE} (3 min 20 s) — vidéo sur un autre site"
    assert not soup.find(["iframe", "video", "embed", "object"])


@reader_check("document")
def document_is_a_download_link_with_format_and_size(serve, home):
    block, _, value = serve()
    (link,) = block.find_all("a")
    document = value["document"]
    assert link["href"] == document.url
    assert link.has_attr("download")
    assert text(link) == "Rapport annuel 2025 PDF – 2,0 Kio"

    block, _, _ = serve(title=f"Le rapport {HOSTILE}")
    assert text(block.find("a")) == f"Le rapport {HOSTILE} PDF – 2,0 Kio"


@reader_check("key_figures")
def key_figures_list_numbers_with_labels(serve, home):
    block, _, _ = serve(figures__1__label=f"pays {HOSTILE}")
    assert [text(item) for item in block.find_all("li")] == [
        "4 800 collectivités engagées",
        f"142 pays {HOSTILE}",
    ]


@reader_check("call_to_action")
def call_to_action_is_a_button_to_its_address(serve, home):
    block, _, _ = serve(text=f"Votre collectivité {HOSTILE}", label=f"Mettre à jour {HOSTILE}")
    assert text(block.select_one(".fr-callout__text")) == f"Votre collectivité {HOSTILE}"
    (button,) = block.find_all("a")
    assert (button["href"], button.get_text()) == ("https://example.org/atlas/", f"Mettre à jour {HOSTILE}")

    block, _, _ = serve(page=home, url="")
    assert block.find("a")["href"] == "/"


@reader_check("projects_map")
def projects_map_draws_the_chosen_projects(serve, home):
    atlas = AtlasPageFactory(parent=home, slug="atlas")
    chosen = ProjectFactory(title=f"Des puits {HOSTILE}")
    ProjectFactory()  # not chosen: neither on the map nor in the list
    block, soup, _ = serve(title=f"L’eau {HOSTILE}", projects=[chosen])

    figure = block.find("figure")
    assert figure["aria-label"] == f"L’eau {HOSTILE}"
    config = json.loads(block.select_one("[data-map]")["data-map"])
    cooperation = chosen.cooperation
    assert [point[0] for point in config["points"]["authorities"]] == [cooperation.authority_id]
    assert [point[0] for point in config["points"]["partners"]] == [cooperation.partner_id]
    assert (config["view"], config["ties"]) == ("fit", True)
    # The map script puts each marker's slug in place of "{}".
    assert block.select_one("[data-map]")["data-url-authority"] == f"{atlas.url}collectivites/{{}}/"
    # Without JavaScript the list says the same: each project, linked to its Atlas page.
    assert [(a.get_text(), a["href"]) for a in block.select("ul a")] == [
        (f"Des puits {HOSTILE}", f"{atlas.url}projets/{chosen.pk}/")
    ]
    # The page loads the map scripts because its body has a map.
    assert soup.find("script", src=lambda src: src and src.endswith("atlas/js/atlas-map.js"))


# Links and records that went away --------------------------------------------------------------------------


def body_page(home, **params):
    return StandardPageFactory(parent=home, slug="blocs", **params)


def served_block(client, page, name):
    response = client.get(page.url)
    assert response.status_code == 200
    return BeautifulSoup(response.text, "html.parser").select_one(f"main .block-{name}")


@pytest.mark.django_db
def test_call_to_action_to_an_unpublished_or_deleted_page_shows_no_button(client, home):
    target = StandardPageFactory(parent=home, slug="cible", title="Cible")
    page = body_page(home, body__0__call_to_action__page=target, body__0__call_to_action__url="")
    assert served_block(client, page, "call_to_action").find("a")["href"] == "/cible/"

    target.unpublish()
    block = served_block(client, page, "call_to_action")
    assert block.find("a") is None
    assert "Faites-la connaître" in text(block)

    target.delete()
    assert served_block(client, page, "call_to_action").find("a") is None


@pytest.mark.django_db
def test_a_deleted_image_or_document_leaves_no_empty_figure_or_link(client, home, media):
    page = body_page(home, body__0="image", body__1="document")
    page.body[0].value["image"].delete()
    page.body[1].value["document"].delete()
    response = client.get(page.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    assert not soup.select("main .block-image figure")
    assert not soup.select("main .block-document a")


# Validation when an editor saves a block -------------------------------------------------------------------


def call_to_action_errors(**values):
    block = CallToActionBlock()
    with translation.override("fr"):
        try:
            block.clean(CallToActionBlockFactory.build(**values))
        except StructBlockValidationError as error:
            return {name: [str(message) for message in e.messages] for name, e in error.block_errors.items()}
    return {}


@pytest.mark.django_db
def test_call_to_action_needs_a_page_or_an_address_not_both(home):
    assert call_to_action_errors(page=None, url="") == {
        "url": ["Choisissez une page ou saisissez une adresse pour le bouton."]
    }
    assert call_to_action_errors(page=home, url="https://example.org/") == {
        "url": ["Choisissez une page ou une adresse, pas les deux."]
    }
    assert call_to_action_errors(page=None, url="https://example.org/") == {}
    assert call_to_action_errors(page=home, url="") == {}


@pytest.mark.django_db
def test_call_to_action_refuses_a_script_address_and_a_missing_label():
    errors = call_to_action_errors(url="javascript:alert(1)", label="")
    assert errors == {"url": ["Saisissez une URL valide."], "label": ["Champ requis."]}


@pytest.mark.django_db
def test_every_body_block_clean_accepts_its_factory_value():
    """What a factory builds is what an editor could save."""
    # The video block checks its address with the video host, which answers once and is remembered.
    video = VideoBlockFactory.build()["video"].url
    Embed.objects.create(hash=get_embed_hash(video), url=video, html="<iframe></iframe>", type="video")
    for name, child, stream_block in BODY_CHILDREN:
        child_factory = stream_block_factory(stream_block)._meta.declarations[name].get_factory()
        child.clean(child_factory())


# What the editor sees in the block picker -----------------------------------------------------------------


@pytest.mark.django_db
@each_body_block_definition
def test_every_body_block_has_an_icon_a_description_and_a_preview(admin_client, media, name, child):
    # Blocks that choose a record preview the latest one, as in a library an editor has filled.
    wagtail_factories.ImageFactory()
    wagtail_factories.DocumentFactory()
    ProjectFactory()
    assert child.meta.icon != "placeholder", f"{name} has the default icon"
    assert str(child.get_description()), f"{name} has no description"
    assert child.is_previewable, f"{name} shows no preview in the block picker"
    response = admin_client.get(reverse("wagtailadmin_block_preview"), {"id": child.definition_prefix})
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find("link", href=lambda href: href and "dsfr" in href), "the preview has the site's styles"
    assert text(soup.select_one(f".block-{name}")), f"the preview of {name} is empty"


def test_streamblocks_of_the_bodies_are_found():
    """The parametrised tests above see both bodies, so they cannot pass by testing nothing."""
    assert {type(block).__name__ for block in body_stream_blocks()} >= {"BodyBlock", "EditorialBodyBlock"}
    assert isinstance(body_stream_blocks()[0], StreamBlock)
    assert {name for name, _, _ in BODY_CHILDREN} >= {"heading", "paragraph", "video", "projects_map"}
