import factory
import wagtail_factories

from wagtail import blocks as wagtail_blocks

from atlas.models import Country
from pages import blocks, models
from portal.core import blocks as core_blocks
from tests.atlas.factories import ProjectFactory

# StreamField blocks ---------------------------------------------------------------------------------------
# One factory per child of the body StreamBlocks, gathered in BodyBlockFactory and EditorialBodyBlockFactory:
# tests/pages/test_blocks.py fails when a child block has none. The values read like an editor's.


class StructBlockFactory(wagtail_factories.StructBlockFactory):
    """A StructBlock value whose children are the types the block itself gives them when read from the
    database (an EmbedValue from an address, a ListValue from a list, RichText from HTML)."""

    class Meta:
        abstract = True

    @classmethod
    def _construct_struct_value(cls, block_class, params):
        return block_class().normalize(params)


class HeadingBlockFactory(StructBlockFactory):
    text = "Une coopération au service des territoires"
    level = "h2"

    class Meta:
        model = core_blocks.HeadingBlock


class ParagraphBlockFactory(wagtail_factories.blocks.BlockFactory):
    """The body's paragraph, a RichTextBlock declared inline: `value` is its HTML."""

    value = "<p>Les collectivités françaises mènent plus de 12 000 projets dans 142 pays.</p>"

    class Meta:
        model = wagtail_blocks.RichTextBlock

    @classmethod
    def _construct_block(cls, block_class, *args, **kwargs):
        return block_class().normalize(kwargs["value"])


class ImageBlockFactory(StructBlockFactory):
    image = factory.SubFactory(
        wagtail_factories.ImageChooserBlockFactory,
        image__title="ecole-ziguinchor.jpg",
        image__description="Des élèves devant l’école de Ziguinchor",
    )
    caption = "L’école rénovée grâce à la coopération"
    credit = "Ville de Lyon"

    class Meta:
        model = core_blocks.ImageBlock


class QuoteBlockFactory(StructBlockFactory):
    text = "La coopération décentralisée rapproche les citoyens de deux territoires."
    author = "Marie Dupont"
    role = "Maire adjointe chargée des relations internationales"

    class Meta:
        model = core_blocks.QuoteBlock


class VideoBlockFactory(StructBlockFactory):
    video = "https://www.dailymotion.com/video/x8example"
    title = "Le jumelage Dakar – Lyon en images"
    duration = "3 min 20 s"

    class Meta:
        model = blocks.VideoBlock


class DocumentBlockFactory(StructBlockFactory):
    document = factory.SubFactory(
        wagtail_factories.DocumentChooserBlockFactory,
        document__title="Rapport annuel 2025",
        document__file=factory.django.FileField(filename="rapport-2025.pdf", data=b"%PDF-1.4 " + b"x" * 2048),
    )
    title = ""

    class Meta:
        model = blocks.DocumentBlock


class KeyFigureBlockFactory(StructBlockFactory):
    number = "4 800"
    label = "collectivités engagées"

    class Meta:
        model = blocks.KeyFigureBlock


class KeyFiguresBlockFactory(StructBlockFactory):
    figures = wagtail_factories.ListBlockFactory(
        KeyFigureBlockFactory, **{"0__number": "4 800", "1__number": "142", "1__label": "pays partenaires"}
    )

    class Meta:
        model = blocks.KeyFiguresBlock


class CallToActionBlockFactory(StructBlockFactory):
    text = "Votre collectivité mène une coopération ? Faites-la connaître dans l’Atlas."
    label = "Mettre à jour l’Atlas"
    page = None
    url = "https://example.org/atlas/"

    class Meta:
        model = blocks.CallToActionBlock


class ProjectsMapBlockFactory(StructBlockFactory):
    title = "Les projets de l’eau au Burkina Faso"
    projects = factory.LazyFunction(lambda: [ProjectFactory()])

    class Meta:
        model = blocks.ProjectsMapBlock


class BodyBlockFactory(wagtail_factories.StreamBlockFactory):
    heading = factory.SubFactory(HeadingBlockFactory)
    paragraph = factory.SubFactory(ParagraphBlockFactory)
    image = factory.SubFactory(ImageBlockFactory)
    quote = factory.SubFactory(QuoteBlockFactory)

    class Meta:
        model = core_blocks.BodyBlock


class EditorialBodyBlockFactory(BodyBlockFactory):
    video = factory.SubFactory(VideoBlockFactory)
    document = factory.SubFactory(DocumentBlockFactory)
    key_figures = factory.SubFactory(KeyFiguresBlockFactory)
    call_to_action = factory.SubFactory(CallToActionBlockFactory)
    projects_map = factory.SubFactory(ProjectsMapBlockFactory)

    class Meta:
        model = blocks.EditorialBodyBlock


# Pages ----------------------------------------------------------------------------------------------------


class HomePageFactory(wagtail_factories.PageFactory):
    title = "La coopération décentralisée"

    class Meta:
        model = models.HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = "À propos"
    intro = "Une page institutionnelle."
    body = wagtail_factories.StreamFieldFactory(EditorialBodyBlockFactory)

    class Meta:
        model = models.StandardPage


class RubricPageFactory(wagtail_factories.PageFactory):
    title = "Le rendez-vous du mois"
    body = wagtail_factories.StreamFieldFactory(EditorialBodyBlockFactory)

    class Meta:
        model = models.RubricPage


class CallsIndexPageFactory(wagtail_factories.PageFactory):
    title = "Appels à projets"
    body = wagtail_factories.StreamFieldFactory(EditorialBodyBlockFactory)

    class Meta:
        model = models.CallsIndexPage


class TestimonyPageFactory(wagtail_factories.PageFactory):
    title = "Un témoignage"
    body = wagtail_factories.StreamFieldFactory(EditorialBodyBlockFactory)
    intro = "Une ambassadrice raconte."
    speaker_name = "Claire Martin"
    speaker_role = "ambassador"
    pull_quote = "Les collectivités tissent des liens durables."

    class Meta:
        model = models.TestimonyPage


class CountryZoomPageFactory(wagtail_factories.PageFactory):
    title = "Zoom sur le Sénégal"
    body = wagtail_factories.StreamFieldFactory(EditorialBodyBlockFactory)
    intro = "Un pays et ses coopérations."
    country = factory.LazyFunction(lambda: Country.objects.get(code="SN"))

    class Meta:
        model = models.CountryZoomPage


class GoodPracticePageFactory(wagtail_factories.PageFactory):
    title = "Une bonne pratique"
    body = wagtail_factories.StreamFieldFactory(EditorialBodyBlockFactory)
    intro = "Le 1 % eau."
    results = "<p>Des habitants desservis.</p>"

    class Meta:
        model = models.GoodPracticePage


class ContactPageFactory(wagtail_factories.PageFactory):
    title = "Contact"
    to_address = "equipe@example.org"
    from_address = "ne-pas-repondre@example.org"
    subject = "Contact"

    class Meta:
        model = models.ContactPage
        skip_postgeneration_save = True

    @factory.post_generation
    def fields(obj, create, extracted, **kwargs):
        if not create:
            return
        for order, (label, field_type) in enumerate([("Nom", "singleline"), ("Message", "multiline")]):
            models.ContactFormField.objects.create(
                page=obj, sort_order=order, label=label, field_type=field_type, required=True
            )
