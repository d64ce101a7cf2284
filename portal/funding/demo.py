"""Demo calls for projects: one open now, one closed and under instruction, one closed earlier, each with its
page under "Appels à projets"; the demo authority agent (Bessancourt) has a draft in the open call.

The instruction's demo (instruction_demo.py) adds dossiers in every state to the two closed calls.
Idempotent: calls are found again by their title, the draft by its call and organisation."""

import datetime
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from wagtail.models import Revision, Site

from atlas.models import Country, PartnerAuthority, Theme
from portal.accounts.models import Organisation
from portal.core.demo import ensure_child

from . import instruction_demo
from .models import Application, BudgetLine, Call, CallIndexPage, CallPage, DocumentKind, ForeignPartner

CALLS_SLUG = "appels-a-projets"
DEMO_AGENT = "demo.authority.agent"


def adopt_calls_index(home):
    """The "Appels à projets" page becomes a CallIndexPage, in place (same page, address, menu entry and
    text): it was a plain editorial page before the dossiers were filed online. Returns the page."""
    page = home.get_children().filter(slug=CALLS_SLUG).first()
    if page is None:
        return None
    # Looked up by label: the editorial pages app sits above this one and is not imported here.
    OldIndex = apps.get_model("pages", "CallsIndexPage")
    old = OldIndex.objects.filter(pk=page.pk).first()
    if old is not None:
        with transaction.atomic():
            # Only the page type's own table changes: the Page row and its tree position stay.
            CallIndexPage(page_ptr_id=page.pk, intro=old.intro, body=old.body).save_base(raw=True)
            OldIndex.objects.filter(pk=page.pk)._raw_delete(OldIndex.objects.db)
            new_type = ContentType.objects.get_for_model(CallIndexPage)
            type(page).objects.filter(pk=page.pk).update(content_type=new_type)
            Revision.objects.filter(
                base_content_type=ContentType.objects.get_for_model(type(page)), object_id=str(page.pk)
            ).update(content_type=new_type)
    return CallIndexPage.objects.get(pk=page.pk)


def demo_calls(now):
    """(open call, call under instruction, closed call), made once."""
    year = timezone.localtime(now).year
    paris = timezone.get_current_timezone()

    def at(days, hour=12):
        day = timezone.localtime(now).date() + datetime.timedelta(days=days)
        return datetime.datetime.combine(day, datetime.time(hour), tzinfo=paris)

    specs = [
        (
            f"Appel à projets annuel {year + 1}",
            {
                "year": year + 1,
                "kind": Call.Kind.ANNUAL,
                "opens_at": at(-20, 9),
                "closes_at": at(40, 12),
                "required_documents": [DocumentKind.DELIBERATION, DocumentKind.DETAILED_BUDGET],
            },
        ),
        (
            f"Appel à projets triennal {year}-{year + 2}",
            {
                "year": year,
                "kind": Call.Kind.TRIENNIAL,
                "opens_at": at(-150, 9),
                "closes_at": at(-30, 12),
                "required_documents": [DocumentKind.DELIBERATION],
            },
        ),
        (
            f"Fonds conjoint franco-sénégalais {year - 1}",
            {
                "year": year - 1,
                "kind": Call.Kind.JOINT_FUND,
                "opens_at": at(-420, 9),
                "closes_at": at(-330, 12),
                "required_documents": [DocumentKind.DELIBERATION, DocumentKind.PARTNERSHIP_AGREEMENT],
            },
        ),
    ]
    calls = []
    for title, fields in specs:
        call, created = Call.objects.get_or_create(title=title, defaults=fields)
        if created and fields["kind"] == Call.Kind.JOINT_FUND:
            call.eligible_countries.set(Country.objects.filter(code="SN"))
        calls.append(call)
    return calls


PAGE_TEXTS = {
    Call.Kind.ANNUAL: (
        "Le Ministère cofinance les projets de coopération décentralisée des collectivités françaises avec "
        "leurs partenaires étrangers.",
        "<p>L’appel est ouvert à toutes les collectivités territoriales françaises et à leurs groupements. "
        "Les projets durent d’un à trois ans ; le dossier se dépose en ligne, avec la délibération du "
        "conseil et le budget détaillé.</p>",
    ),
    Call.Kind.TRIENNIAL: (
        "Des partenariats inscrits dans la durée, sur trois ans.",
        "<p>Les dossiers de cet appel sont en cours d’instruction : les ambassades et les préfectures "
        "donnent leur avis, puis le comité décide.</p>",
    ),
    Call.Kind.JOINT_FUND: (
        "Un fonds conjoint avec le Sénégal pour les projets des collectivités des deux pays.",
        "<p>Le comité s’est prononcé sur les dossiers de cet appel.</p>",
    ),
}


def load_pages(index, calls):
    for call in calls:
        if CallPage.objects.filter(call=call).exists():
            continue
        intro, body = PAGE_TEXTS[call.kind]
        ensure_child(index, CallPage, f"appel-{call.pk}", title=call.title, call=call, intro=intro, body=body)


def load_draft(call):
    """The demo authority agent's draft: started, budget in progress, own share still too low."""
    User = get_user_model()
    agent = User.objects.filter(username=DEMO_AGENT).first()
    organisation = (
        Organisation.objects.filter(
            kind=Organisation.Kind.LOCAL_AUTHORITY, memberships__user=agent, memberships__status="approved"
        ).first()
        if agent
        else None
    )
    if organisation is None or Application.objects.filter(call=call, organisation=organisation).exists():
        return None
    partner = (
        PartnerAuthority.objects.filter(cooperations__authority=organisation.authority)
        .order_by("name")
        .first()
        or PartnerAuthority.objects.filter(country__code="SN").order_by("name").first()
    )
    application = Application.objects.create(
        call=call,
        organisation=organisation,
        lead_authority=organisation.authority,
        title="Une bibliothèque numérique partagée avec nos partenaires",
        country=partner.country if partner else None,
        summary="Numériser les fonds des deux bibliothèques et former leurs équipes.",
        objectives="Ouvrir au public un catalogue commun et des ressources en ligne.",
        activities="",
        duration_years=2,
        created_by=agent,
    )
    water = Theme.objects.order_by("name").first()
    if water:
        application.themes.add(water)
    if partner:
        ForeignPartner.objects.create(application=application, partner=partner)
    BudgetLine.objects.bulk_create(
        [
            BudgetLine(
                application=application, category="equipment", label="Scanners", amount=Decimal(18000)
            ),
            BudgetLine(application=application, category="travel", label="Missions", amount=Decimal(6000)),
            BudgetLine(application=application, category="requested", amount=Decimal(12000)),
            BudgetLine(application=application, category="own_funds", amount=Decimal(1500)),
            BudgetLine(
                application=application, category="other_funder", label="Région", amount=Decimal(10500)
            ),
        ]
    )
    application.save_revision(user=agent, log_action=True)
    return application


def load_demo():
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    index = adopt_calls_index(site.root_page) if site else None
    if index is None:
        return
    open_call, instructing, closed = calls = demo_calls(timezone.now())
    load_pages(index, calls)
    load_draft(open_call)
    instruction_demo.load_demo(instructing, closed)
