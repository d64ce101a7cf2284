"""Demo dossiers in every state of the instruction, in the call under instruction and in the closed call, so
that each demo role has something to do: the embassy in Senegal and the prefecture of Bretagne have opinions
awaiting them, the Délégation dossiers to put under instruction, decide and follow, Bessancourt's agent a
released opinion to read and a final report to file.

Idempotent: a dossier is made once, found again by its title. The history is written as the steps would
write it, without sending the e-mails of the steps (a demo loads quietly)."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from atlas.models import Authority, PartnerAuthority
from portal.accounts.models import Organisation

from .instruction import atlas_project_for, create_tranches
from .instruction_models import Decision, OpinionRequest, Report
from .models import Application, ApplicationEvent, BudgetLine, Call
from .opinions import automatic_reviewers

State = Application.State
DEMO_COUNTRY = "SN"
DEMO_REGION = "53"
# A minimal PDF for the demo reports and opinion files.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# (title, applicant: "region" (Région Bretagne) or "agent" (the demo authority agent's), call: "instructing"
# or "closed", final state, requested euros)
DOSSIERS = [
    ("Eau potable et assainissement à Ziguinchor", "region", "instructing", State.UNDER_INSTRUCTION, 60000),
    ("Formation des agents de l’état civil de Saint-Louis", "agent", "instructing", State.FILED, 25000),
    ("Gestion des déchets ménagers à Thiès", "region", "instructing", State.CORRECTION_REQUESTED, 45000),
    ("Maraîchage et circuits courts à Kaolack", "agent", "instructing", State.UNDER_INSTRUCTION, 30000),
    ("Électrification solaire des écoles de Fatick", "region", "closed", State.ACCEPTED, 80000),
    ("Jumelage des bibliothèques de Bessancourt et Podor", "agent", "closed", State.REPORTING, 20000),
    ("Tourisme solidaire dans le delta du Saloum", "region", "closed", State.REFUSED, 50000),
    ("Festival des cultures urbaines de Dakar", "agent", "closed", State.WITHDRAWN, 15000),
    ("Cadastre numérique de Rufisque", "region", "closed", State.CLOSED, 40000),
]
# The steps from filing to each state (each step one event of the history).
PATHS = {
    State.FILED: [],
    State.UNDER_INSTRUCTION: [State.UNDER_INSTRUCTION],
    State.CORRECTION_REQUESTED: [State.UNDER_INSTRUCTION, State.CORRECTION_REQUESTED],
    State.ACCEPTED: [State.UNDER_INSTRUCTION, State.ACCEPTED],
    State.REPORTING: [State.UNDER_INSTRUCTION, State.ACCEPTED, State.REPORTING],
    State.REFUSED: [State.UNDER_INSTRUCTION, State.REFUSED],
    State.WITHDRAWN: [State.WITHDRAWN],
    State.CLOSED: [State.UNDER_INSTRUCTION, State.ACCEPTED, State.REPORTING, State.CLOSED],
}
MOTIVATIONS = {
    State.CORRECTION_REQUESTED: "Joindre la délibération du conseil et préciser les dépenses de personnel.",
    State.ACCEPTED: "Projet solide, partenariat ancien, cofinancement conforme aux priorités de l’appel.",
    State.REFUSED: "Le projet relève d’une démarche commerciale plus que de la coopération décentralisée.",
    State.WITHDRAWN: "Le partenaire a reporté l’événement à l’an prochain.",
}


def demo_calls():
    """(the call under instruction, the closed call): the two latest calls already closed."""
    closed = list(Call.objects.closed().order_by("-closes_at")[:2])
    if not closed:
        return None, None
    return closed[0], closed[1] if len(closed) > 1 else closed[0]


def applicant_organisations():
    """{"region": the Région Bretagne's organisation, "agent": the demo authority agent's}."""
    organisations = {}
    region = Authority.objects.filter(kind=Authority.Kind.REGION, region=DEMO_REGION).first()
    if region is not None:
        organisations["region"] = (
            Organisation.objects.filter(authority=region).first()
            or Organisation.objects.get_or_create(
                name=region.name, defaults={"kind": Organisation.Kind.LOCAL_AUTHORITY, "authority": region}
            )[0]
        )
    agent = (
        Organisation.objects.filter(
            kind=Organisation.Kind.LOCAL_AUTHORITY,
            memberships__user__username="demo.authority.agent",
        )
        .select_related("authority")
        .first()
    )
    if agent is not None:
        organisations["agent"] = agent
    return organisations


def load_demo(instructing=None, closed=None):
    """Called by demo.load_demo() with its call under instruction and its closed call."""
    if instructing is None:
        instructing, closed = demo_calls()
    organisations = applicant_organisations()
    partners = list(PartnerAuthority.objects.filter(country__code=DEMO_COUNTRY).order_by("name")[:12])
    delegation = get_user_model().objects.filter(username="demo.delegation.admin").first()
    if instructing is None or not partners or delegation is None:
        return []
    calls = {"instructing": instructing, "closed": closed}
    made = []
    for index, (title, who, call_key, state, requested) in enumerate(DOSSIERS):
        organisation = organisations.get(who)
        if organisation is None or Application.objects.filter(title=title).exists():
            continue
        with transaction.atomic():
            made.append(
                make_dossier(
                    calls[call_key],
                    organisation,
                    partners[index % len(partners)],
                    title,
                    state,
                    requested,
                    delegation,
                    index,
                )
            )
    return made


def make_dossier(call, organisation, partner, title, state, requested, delegation, index):
    agent = get_user_model().objects.filter(memberships__organisation=organisation).order_by("pk").first()
    filed_at = min(call.closes_at, timezone.now()) - timedelta(days=10 + index)
    application = Application.objects.create(
        call=call,
        organisation=organisation,
        lead_authority=organisation.authority,
        country=partner.country,
        title=title,
        summary=f"{title} : un projet mené avec {partner.name}.",
        objectives="Renforcer les services rendus à la population et les compétences des agents partenaires.",
        activities="Diagnostic partagé, missions d’échange, équipements, formation, évaluation finale.",
        duration_years=2 if index % 2 else 1,
        state=State.FILED,
        filed_at=filed_at,
        created_by=agent,
    )
    application.foreign_partners.add(partner)
    total = Decimal(requested * 3)
    BudgetLine.objects.bulk_create(
        [
            BudgetLine(
                application=application, category="equipment", label="Équipements", amount=total * 2 / 3
            ),
            BudgetLine(application=application, category="travel", label="Missions", amount=total / 3),
            BudgetLine(application=application, category="requested", amount=Decimal(requested)),
            BudgetLine(application=application, category="own_funds", amount=total - requested),
        ]
    )
    ApplicationEvent.objects.create(
        application=application, user=agent, at=filed_at, from_state=State.DRAFT, to_state=State.FILED
    )
    at = filed_at
    for step in PATHS[state]:
        at += timedelta(days=7)
        user = agent if step == State.WITHDRAWN else delegation
        ApplicationEvent.objects.create(
            application=application,
            user=user,
            at=at,
            from_state=application.state,
            to_state=step,
            motivation=MOTIVATIONS.get(step, ""),
        )
        application.state = step
        if step == State.UNDER_INSTRUCTION:
            ask_opinions(application, delegation, at, given=state != State.UNDER_INSTRUCTION or index % 2)
        elif step == State.CORRECTION_REQUESTED:
            application.correction_request = MOTIVATIONS[step]
        elif step == State.ACCEPTED:
            decide(application, delegation, requested, at)
    application.save()
    if state in (State.REPORTING, State.CLOSED):
        add_reports(application, agent, delegation, at, final=state == State.CLOSED)
    if application.state == State.REFUSED:
        Decision.objects.create(
            application=application,
            outcome=Decision.Outcome.REFUSED,
            motivation=MOTIVATIONS[State.REFUSED],
            committee_date=at.date(),
            decided_by=delegation,
            decided_at=at,
        )
    return application


def ask_opinions(application, delegation, at, given):
    """The embassy and the prefecture asked; when `given`, the embassy has answered and the Délégation has
    shown its opinion to the applicant."""
    for organisation in automatic_reviewers(application):
        opinion = OpinionRequest.objects.create(
            application=application,
            organisation=organisation,
            automatic=True,
            requested_by=delegation,
            requested_at=at,
            due_on=max(at.date(), timezone.localdate()) + timedelta(days=21),
        )
        if given and organisation.kind == Organisation.Kind.EMBASSY:
            reviewer = get_user_model().objects.filter(memberships__organisation=organisation).first()
            opinion.verdict = OpinionRequest.Verdict.FAVOURABLE
            opinion.comment = "Partenaire fiable, projet attendu par la population ; l’ambassade le soutient."
            opinion.given_by, opinion.given_at = reviewer, at + timedelta(days=3)
            opinion.released_to_applicant = True
            opinion.file.save(f"avis-{application.pk}.pdf", ContentFile(PDF), save=False)
            opinion.save()


def decide(application, delegation, amount, at):
    decision = Decision.objects.create(
        application=application,
        outcome=Decision.Outcome.ACCEPTED,
        amount=Decimal(amount),
        motivation=MOTIVATIONS[State.ACCEPTED],
        committee_date=at.date(),
        decided_by=delegation,
        decided_at=at,
    )
    application.amount_granted = Decimal(amount)
    create_tranches(application, amount, released_at=at)
    application.save()
    decision.project = atlas_project_for(application)
    decision.save(update_fields=["project"])


def add_reports(application, agent, delegation, at, final):
    """The interim reports filed and approved (their tranches released); the final one too when `final`."""
    years = application.duration_years or 1
    kinds = [(Report.Kind.INTERIM, year) for year in range(1, years)]
    if final:
        kinds.append((Report.Kind.FINAL, years))
    for kind, year in kinds:
        report = Report(
            application=application,
            kind=kind,
            year=year,
            summary="Activités de l’année réalisées ; dépenses conformes au budget.",
            submitted_by=agent,
            submitted_at=at,
            approved_by=delegation,
            approved_at=at + timedelta(days=5),
        )
        report.file.save(f"rapport-{application.pk}-{kind}-{year}.pdf", ContentFile(PDF), save=False)
        report.save()
        tranches = application.tranches.filter(released_by_kind=kind)
        if kind == Report.Kind.INTERIM:
            tranches = tranches.filter(released_by_year=year)
        tranches.update(released_at=at + timedelta(days=5))
