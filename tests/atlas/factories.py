import factory
import wagtail_factories

from atlas import models
from atlas.aid import models as aid_models
from atlas.bourse import models as bourse_models


class AtlasPageFactory(wagtail_factories.PageFactory):
    title = "Atlas de la coopération décentralisée"

    class Meta:
        model = models.AtlasPage


class BoursePageFactory(wagtail_factories.PageFactory):
    title = "Bourse-projets"

    class Meta:
        model = bourse_models.BoursePage


class CountryFactory(factory.django.DjangoModelFactory):
    """Countries come from a data migration: most tests fetch one; this makes fictional ones when needed."""

    code = factory.Sequence(lambda n: f"Q{chr(65 + n % 26)}")
    name = factory.Sequence(lambda n: f"Pays {n}")
    slug = factory.Sequence(lambda n: f"pays-{n}")
    continent = "AF"
    latitude = 12.0
    longitude = -1.5

    class Meta:
        model = models.Country
        django_get_or_create = ("code",)


class ThemeFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Thématique {n}")
    slug = factory.Sequence(lambda n: f"thematique-{n}")

    class Meta:
        model = models.Theme


class NetworkFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Réseau {n}")
    acronym = factory.Sequence(lambda n: f"R{n}")

    class Meta:
        model = models.Network


class AuthorityFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Ville de Test {n}")
    kind = models.Authority.Kind.COMMUNE
    region = "84"
    departement = "69"
    latitude = 45.76
    longitude = 4.83

    class Meta:
        model = models.Authority


class PartnerAuthorityFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Commune partenaire {n}")
    country = factory.LazyFunction(lambda: models.Country.objects.get(code="BF"))
    latitude = 12.37
    longitude = -1.52

    class Meta:
        model = models.PartnerAuthority


class CooperationFactory(factory.django.DjangoModelFactory):
    authority = factory.SubFactory(AuthorityFactory)
    partner = factory.SubFactory(PartnerAuthorityFactory)
    kind = models.Cooperation.Kind.COOPERATION
    since_year = 2005

    class Meta:
        model = models.Cooperation


class ProjectFactory(factory.django.DjangoModelFactory):
    cooperation = factory.SubFactory(CooperationFactory)
    title = factory.Sequence(lambda n: f"Projet d’accès à l’eau n° {n}")
    summary = "Amélioration de l’accès à l’eau potable dans les quartiers périphériques."
    status = models.Project.Status.ONGOING
    start_year = 2018

    class Meta:
        model = models.Project
        skip_postgeneration_save = True

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class ContactFactory(factory.django.DjangoModelFactory):
    authority = factory.SubFactory(AuthorityFactory)
    first_name = "Claire"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    title = "Adjointe aux relations internationales"
    email = factory.Sequence(lambda n: f"contact{n}@example.org")
    kind = models.Contact.Kind.ELECTED

    class Meta:
        model = models.Contact


class AidDeclarationFactory(factory.django.DjangoModelFactory):
    authority = factory.SubFactory(AuthorityFactory)
    year = 2024
    # Declarations made here stand for the ones filed (the public figures count filed declarations only).
    status = "filed"

    class Meta:
        model = aid_models.AidDeclaration


class AidLineFactory(factory.django.DjangoModelFactory):
    declaration = factory.SubFactory(AidDeclarationFactory)
    country = factory.LazyFunction(lambda: models.Country.objects.get(code="BF"))
    amount = 15000

    class Meta:
        model = aid_models.AidLine


class BourseProjectFactory(factory.django.DjangoModelFactory):
    """A Bourse project, published (live) and open for a year unless told otherwise."""

    partner = factory.SubFactory(
        PartnerAuthorityFactory, country=factory.LazyFunction(lambda: models.Country.objects.get(code="SN"))
    )
    title = factory.Sequence(lambda n: f"Recherche d’un partenaire pour le marché n° {n}")
    summary = "Réhabilitation du marché central et gestion de ses déchets."
    expires_on = factory.Faker("date_between", start_date="+300d", end_date="+400d")
    status = bourse_models.BourseProject.Status.OPEN
    live = True

    class Meta:
        model = bourse_models.BourseProject
        skip_postgeneration_save = True

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)
            self.save()  # a ParentalManyToManyField is written on save
