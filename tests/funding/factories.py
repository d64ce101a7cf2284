import datetime
from decimal import Decimal

import factory
import wagtail_factories

from django.utils import timezone

from atlas.aid.models import AidDeclaration
from atlas.models import Country
from portal.funding import models
from tests.accounts.factories import OrganisationFactory
from tests.atlas.factories import PartnerAuthorityFactory


class CallFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Appel à projets {n}")
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    kind = models.Call.Kind.ANNUAL
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=20))
    required_documents = factory.LazyFunction(lambda: [models.DocumentKind.DELIBERATION])

    class Meta:
        model = models.Call


class CallIndexPageFactory(wagtail_factories.PageFactory):
    title = "Appels à projets"
    intro = "Les appels à projets du ministère, ouverts, à venir et clos."

    class Meta:
        model = models.CallIndexPage


class CallPageFactory(wagtail_factories.PageFactory):
    title = factory.SelfAttribute("call.title")
    call = factory.SubFactory(CallFactory)
    intro = "Un appel ouvert aux collectivités et à leurs partenaires."

    class Meta:
        model = models.CallPage


class ApplicationFactory(factory.django.DjangoModelFactory):
    call = factory.SubFactory(CallFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    lead_authority = factory.SelfAttribute("organisation.authority")
    title = factory.Sequence(lambda n: f"Accès à l’eau à Kaolack {n}")

    class Meta:
        model = models.Application


def complete(application, requested=20000, own_funds=15000, in_kind=5000, other=10000):
    """Fills in every section of a dossier with a balanced budget (50 000 € of expenses by default)."""
    application.country = Country.objects.get(code="SN")
    application.summary = "Un réseau d’eau potable pour trois quartiers."
    application.objectives = "Desservir 12 000 habitants."
    application.activities = "Études, travaux, formation des fontainiers."
    application.duration_years = 2
    application.save()
    models.ForeignPartner.objects.create(
        application=application, partner=PartnerAuthorityFactory(name="Kaolack", country=application.country)
    )
    lines = [
        ("equipment", 40000),
        ("travel", 10000),
        ("requested", requested),
        ("own_funds", own_funds),
        ("in_kind", in_kind),
        ("other_funder", other),
    ]
    for category, amount in lines:
        if amount:
            models.BudgetLine.objects.create(
                application=application, category=category, amount=Decimal(amount)
            )
    return application


def file_aid(authority, year=None):
    return AidDeclaration.objects.create(
        authority=authority, year=year or timezone.localdate().year - 1, status="filed"
    )
