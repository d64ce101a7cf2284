"""Many dossiers at once, for the bench (bench/run.py): `seed_dossiers(2000)` spreads them over the existing
calls, authorities with an organisation, countries and states, with budget lines and opinions, in bulk
(a few dozen queries, deterministic). Idempotent: it tops the filed dossiers up to `count`."""

import random
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from atlas.models import Authority, Country
from portal.accounts.models import Organisation

from .instruction import FILED_STATES
from .instruction_models import Decision, OpinionRequest
from .models import Application, BudgetLine, Call

State = Application.State
STATES = list(FILED_STATES)
GRANTED = (State.ACCEPTED, State.REPORTING, State.CLOSED)
DECIDED = (*GRANTED, State.REFUSED)
BATCH = 500


def applicant_organisations(count):
    """Organisations of local authorities, made for authorities without one when too few exist."""
    organisations = list(Organisation.objects.filter(kind=Organisation.Kind.LOCAL_AUTHORITY)[:count])
    missing = count - len(organisations)
    if missing > 0:
        authorities = Authority.objects.filter(organisation__isnull=True).order_by("pk")[:missing]
        Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"{authority.name} ({authority.pk})",
                    kind=Organisation.Kind.LOCAL_AUTHORITY,
                    authority=authority,
                )
                for authority in authorities
            ],
            ignore_conflicts=True,
        )
        organisations = list(Organisation.objects.filter(kind=Organisation.Kind.LOCAL_AUTHORITY)[:count])
    return organisations


@transaction.atomic
def seed_dossiers(count=2000, seed=2026):
    existing = Application.objects.exclude(state=State.DRAFT).count()
    if existing >= count:
        return 0
    rng = random.Random(seed)
    now = timezone.now()
    calls = list(Call.objects.all()) or [
        Call.objects.create(
            title="Appel à projets du banc d’essai",
            year=now.year,
            opens_at=now - timedelta(days=200),
            closes_at=now - timedelta(days=100),
        )
    ]
    organisations = applicant_organisations(300)
    countries = list(Country.objects.filter(partners__isnull=False).distinct()[:60])
    countries = countries or list(Country.objects.all()[:60])
    reviewers = list(Organisation.objects.filter(kind=Organisation.Kind.EMBASSY)[:20])
    made = []
    for n in range(existing, count):
        organisation = rng.choice(organisations)
        state = STATES[n % len(STATES)]
        made.append(
            Application(
                call=rng.choice(calls),
                organisation=organisation,
                lead_authority_id=organisation.authority_id,
                country=rng.choice(countries) if countries else None,
                title=f"Projet de coopération n° {n + 1}",
                summary="Un projet de coopération décentralisée du banc d’essai.",
                duration_years=1 + n % 3,
                state=state,
                filed_at=now - timedelta(days=30 + n % 300),
                amount_granted=Decimal(10000 + 1000 * (n % 40)) if state in GRANTED else None,
            )
        )
    applications = Application.objects.bulk_create(made, batch_size=BATCH)
    lines, opinions, decisions = [], [], []
    for n, application in enumerate(applications):
        requested = Decimal(10000 + 1000 * (n % 40))
        lines += [
            BudgetLine(application=application, category="equipment", amount=requested * 3, sort_order=0),
            BudgetLine(application=application, category="requested", amount=requested, sort_order=1),
            BudgetLine(application=application, category="own_funds", amount=requested * 2, sort_order=2),
        ]
        if reviewers and application.state != State.FILED:
            opinions.append(
                OpinionRequest(
                    application=application,
                    organisation=reviewers[n % len(reviewers)],
                    due_on=(now + timedelta(days=21)).date(),
                    automatic=True,
                )
            )
        if application.state in DECIDED:
            accepted = application.state != State.REFUSED
            decisions.append(
                Decision(
                    application=application,
                    outcome=Decision.Outcome.ACCEPTED if accepted else Decision.Outcome.REFUSED,
                    amount=application.amount_granted if accepted else None,
                    motivation="Décision du banc d’essai.",
                    committee_date=(application.filed_at + timedelta(days=60)).date(),
                    decided_at=application.filed_at + timedelta(days=60),
                )
            )
    BudgetLine.objects.bulk_create(lines, batch_size=BATCH)
    OpinionRequest.objects.bulk_create(opinions, batch_size=BATCH, ignore_conflicts=True)
    Decision.objects.bulk_create(decisions, batch_size=BATCH)
    return len(applications)


def bench_pages(count=2000):
    """The Délégation's pages the bench measures, at `count` dossiers: (user, session cookie, [(name, path)]).
    The cookie is a real session of the demo Délégation administrator, kept in the database like any other."""
    seed_dossiers(count)
    user = get_user_model().objects.filter(username="demo.delegation.admin").first()
    if user is None:
        return None, "", []
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    dossier = Application.objects.exclude(state=State.DRAFT).order_by("pk").first()
    pages = [
        ("funding_dossiers", reverse("funding_dossiers")),
        ("funding_dossier", reverse("funding_dossier", args=[dossier.pk])),
    ]
    return user, f"{settings.SESSION_COOKIE_NAME}={session.session_key}", pages
