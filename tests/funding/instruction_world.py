"""The world the instruction tests share: an authority of Bretagne applying for a project in Senegal, the
embassy in Senegal, the prefecture of Bretagne, a ministry, an operator, and people who have nothing to do
with the dossier (an embassy in Mali, the prefecture of another région, another authority)."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from atlas.models import Country, Theme
from portal.accounts.models import Organisation
from portal.accounts.scope import DELEGATION_GROUP
from portal.funding.models import Application, BudgetLine, Call
from tests.accounts.factories import EmbassyFactory, OrganisationFactory, UserFactory, agent_of
from tests.atlas.factories import AuthorityFactory, PartnerAuthorityFactory, ThemeFactory

Kind = Organisation.Kind


@dataclass
class World:
    call: Call
    application: Application
    applicant: object
    colleague: object
    embassy_agent: object
    prefecture_agent: object
    ministry_agent: object
    other_embassy_agent: object
    other_prefecture_agent: object
    other_authority_agent: object
    delegation: object
    member: object
    embassy: Organisation
    prefecture: Organisation
    ministry: Organisation
    operator: Organisation


def make_call(**values):
    now = timezone.now()
    defaults = {
        "title": "Appel à projets annuel",
        "year": now.year,
        "opens_at": now - timedelta(days=90),
        "closes_at": now - timedelta(days=30),
    }
    return Call.objects.create(**{**defaults, **values})


def make_application(call, organisation, partner, state=Application.State.FILED, requested=40000, **values):
    application = Application.objects.create(
        call=call,
        organisation=organisation,
        lead_authority=organisation.authority,
        country=partner.country,
        title=values.pop("title", "Eau potable à Ziguinchor"),
        summary="Accès à l’eau potable dans trois quartiers.",
        objectives="Raccorder 2 000 foyers.",
        activities="Études, travaux, formation des techniciens.",
        duration_years=values.pop("duration_years", 2),
        state=state,
        filed_at=values.pop("filed_at", timezone.now() - timedelta(days=20)),
        **values,
    )
    application.foreign_partners.add(partner)
    BudgetLine.objects.bulk_create(
        [
            BudgetLine(application=application, category="equipment", amount=Decimal(100000)),
            BudgetLine(application=application, category="requested", amount=Decimal(requested)),
            BudgetLine(application=application, category="own_funds", amount=Decimal(100000 - requested)),
        ]
    )
    return application


def country(code, name):
    return Country.objects.get_or_create(
        code=code, defaults={"name": name, "slug": name.lower(), "continent": "AF"}
    )[0]


def build_world(state=Application.State.FILED):
    senegal, mali = country("SN", "Sénégal"), country("ML", "Mali")
    authority = AuthorityFactory(name="Rennes", region="53", departement="35", kind="commune")
    partner = PartnerAuthorityFactory(name="Ziguinchor", country=senegal)
    applicant_org = OrganisationFactory(name="Ville de Rennes", authority=authority)
    applicant = agent_of(applicant_org)
    colleague = agent_of(applicant_org)
    embassy = EmbassyFactory(name="Ambassade de France au Sénégal", countries=[senegal])
    other_embassy = EmbassyFactory(name="Ambassade de France au Mali", countries=[mali])
    prefecture = OrganisationFactory(
        name="Préfecture de la région Bretagne", kind=Kind.PREFECTURE, authority=None, region="53"
    )
    other_prefecture = OrganisationFactory(
        name="Préfecture de la région Occitanie", kind=Kind.PREFECTURE, authority=None, region="76"
    )
    ministry = OrganisationFactory(name="Ministère de l’Europe", kind=Kind.MINISTRY, authority=None)
    operator = OrganisationFactory(
        name="Agence française de développement", kind=Kind.OPERATOR, authority=None
    )
    other_authority_org = OrganisationFactory(name="Ville de Lyon")
    delegation = UserFactory(username="delegation@example.org")
    group = Group.objects.get_or_create(name=DELEGATION_GROUP)[0]
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    delegation.groups.add(group)
    call = make_call()
    application = make_application(call, applicant_org, partner, state=state)
    application.themes.add(Theme.objects.first() or ThemeFactory())
    return World(
        call=call,
        application=application,
        applicant=applicant,
        colleague=colleague,
        embassy_agent=agent_of(embassy),
        prefecture_agent=agent_of(prefecture),
        ministry_agent=agent_of(ministry),
        other_embassy_agent=agent_of(other_embassy),
        other_prefecture_agent=agent_of(other_prefecture),
        other_authority_agent=agent_of(other_authority_org),
        delegation=delegation,
        member=UserFactory(),
        embassy=embassy,
        prefecture=prefecture,
        ministry=ministry,
        operator=operator,
    )
