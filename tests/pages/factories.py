import factory
import wagtail_factories

from atlas.models import Country
from pages import models


class HomePageFactory(wagtail_factories.PageFactory):
    title = "La coopération décentralisée"

    class Meta:
        model = models.HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = "À propos"
    intro = "Une page institutionnelle."

    class Meta:
        model = models.StandardPage


class RubricPageFactory(wagtail_factories.PageFactory):
    title = "Le rendez-vous du mois"

    class Meta:
        model = models.RubricPage


class CallsIndexPageFactory(wagtail_factories.PageFactory):
    title = "Appels à projets"

    class Meta:
        model = models.CallsIndexPage


class TestimonyPageFactory(wagtail_factories.PageFactory):
    title = "Un témoignage"
    intro = "Une ambassadrice raconte."
    speaker_name = "Claire Martin"
    speaker_role = "ambassador"
    pull_quote = "Les collectivités tissent des liens durables."

    class Meta:
        model = models.TestimonyPage


class CountryZoomPageFactory(wagtail_factories.PageFactory):
    title = "Zoom sur le Sénégal"
    intro = "Un pays et ses coopérations."
    country = factory.LazyFunction(lambda: Country.objects.get(code="SN"))

    class Meta:
        model = models.CountryZoomPage


class GoodPracticePageFactory(wagtail_factories.PageFactory):
    title = "Une bonne pratique"
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
