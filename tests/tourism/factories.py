import datetime

import factory
import wagtail_factories

from atlas.models import Country
from tests.accounts.factories import UserFactory
from tourism import models


class TourismHomePageFactory(wagtail_factories.PageFactory):
    title = "Tourisme responsable"
    intro = "Les membres partagent leurs expériences de tourisme responsable."

    class Meta:
        model = models.TourismHomePage


class ExperienceIndexPageFactory(wagtail_factories.PageFactory):
    title = "Expériences"

    class Meta:
        model = models.ExperienceIndexPage


class ResourceIndexPageFactory(wagtail_factories.PageFactory):
    title = "Ressources"

    class Meta:
        model = models.ResourceIndexPage


class EventIndexPageFactory(wagtail_factories.PageFactory):
    title = "Événements"

    class Meta:
        model = models.EventIndexPage


class TourismThemeFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Thème {n}")

    class Meta:
        model = models.TourismTheme


def senegal():
    return Country.objects.get(code="SN")


class ExperiencePageFactory(wagtail_factories.PageFactory):
    title = "Un village d’accueil en Casamance"
    summary = "Des familles accueillent des visiteurs et financent l’école du village."
    body = "<p>Le séjour est organisé avec le comité villageois.</p>"
    country = factory.LazyFunction(senegal)
    place_name = "Oussouye"
    location = "SRID=4326;POINT(-16.54 12.48)"
    owner = factory.SubFactory(UserFactory)
    results = "Une classe construite."
    lessons = "Associer les familles dès le départ."

    class Meta:
        model = models.ExperiencePage


class ResourcePageFactory(wagtail_factories.PageFactory):
    title = "Charte du voyageur responsable"
    summary = "Dix engagements pour voyager autrement."
    kind = models.ResourcePage.Kind.CHARTER

    class Meta:
        model = models.ResourcePage


class EventPageFactory(wagtail_factories.PageFactory):
    title = "Rencontre du tourisme solidaire"
    summary = "Une journée d’échanges entre collectivités."
    start_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=30))
    country = factory.LazyFunction(lambda: Country.objects.get(code="FR"))
    place_name = "Lyon"
    location = "SRID=4326;POINT(4.83 45.76)"

    class Meta:
        model = models.EventPage


class ExperienceCommentFactory(factory.django.DjangoModelFactory):
    author = factory.SubFactory(UserFactory)
    body = "Merci pour ce partage, nous préparons un séjour semblable."

    class Meta:
        model = models.ExperienceComment
