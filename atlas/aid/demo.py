"""Demo e-APD: the window of last year's aid open today, the filed declaration of the year before of the demo
authority (so that its form opens prefilled), a few other authorities filed, and next year's window.

Safe to run again: windows and declarations are looked up by what identifies them, and nothing already there
is changed (a demo database someone has used keeps its declarations)."""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from atlas.models import Authority, Country, Project
from portal.accounts.models import Membership, Organisation

from . import codes
from .models import AidDeclaration, AidHistory, AidLine, AidWindow

DEMO_AGENT = "demo.authority.agent"
OTHER_DECLARERS = 6
PURPOSES = ["14031", "14032", "11220", "12220", "15112", "31161", "43030", "41030", "99820", "91010"]


def paris(day, hour=0):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def demo_authority():
    """The authority the demo authority agent acts for (None before the demo accounts exist)."""
    membership = (
        Membership.objects.approved()
        .filter(user__username=DEMO_AGENT, organisation__kind=Organisation.Kind.LOCAL_AUTHORITY)
        .select_related("organisation__authority")
        .first()
    )
    return membership.organisation.authority if membership else None


def ensure_windows(today):
    """The window of last year's aid, open today (30 days ago to 60 days ahead), and next year's, from
    15 April to 31 May as the circular says."""
    declared = today.year - 1
    current, _ = AidWindow.objects.get_or_create(
        year=declared,
        defaults={
            "opens_at": paris(today - timedelta(days=30)),
            "closes_at": paris(today + timedelta(days=60), 23),
        },
    )
    following = today.year
    opening = datetime(following + 1, 4, 15).date()
    if current.closes_at < paris(opening):
        AidWindow.objects.get_or_create(
            year=following,
            defaults={
                "opens_at": paris(opening),
                "closes_at": paris(datetime(following + 1, 5, 31).date(), 23),
            },
        )
    return current


def recipients_of(authority, year):
    """The DAC recipients among the authority's partners' countries (Senegal when it has none)."""
    dac = codes.recipients_for(year)
    countries = list(
        Country.objects.filter(partners__cooperations__authority=authority, code__in=list(dac))
        .distinct()
        .order_by("name")[:3]
    )
    return countries or list(Country.objects.filter(code="SN"))


def file_with_lines(authority, year, rng, filed_at):
    """A filed declaration of `year` with a line for each recipient (left alone when one exists)."""
    declaration, created = AidDeclaration.objects.get_or_create(
        authority=authority,
        year=year,
        defaults={"status": AidDeclaration.Status.FILED, "filed_at": filed_at},
    )
    if not created:
        if not declaration.is_filed and not declaration.history.exists():
            # A seeded declaration (from before the e-APD): it counts as filed.
            declaration.status = AidDeclaration.Status.FILED
            declaration.filed_at = declaration.filed_at or filed_at
            declaration.save(update_fields=["status", "filed_at", "updated_at"])
        return declaration
    for country in recipients_of(authority, year):
        project = (
            Project.objects.filter(cooperation__authority=authority, cooperation__partner__country=country)
            .order_by("pk")
            .first()
        )
        AidLine.objects.create(
            declaration=declaration,
            country=country,
            channel=rng.choice([codes.DIRECT, codes.DIRECT, codes.NGO]),
            purpose=rng.choice(PURPOSES),
            amount=Decimal(rng.randrange(20, 400) * 100),
            project=project,
            marker_gender=rng.choice([0, 0, 1, 2]),
            marker_climate_adaptation=rng.choice([0, 0, 1]),
        )
    AidHistory.objects.create(declaration=declaration, action=AidHistory.Action.FILED, at=filed_at)
    return declaration


@transaction.atomic
def load_demo(today=None):
    today = today or timezone.localdate()
    rng = random.Random(2026)
    window = ensure_windows(today)
    authority = demo_authority()
    if authority is not None:
        # Last year's filed declaration of the demo authority: its lines are proposed in this year's form.
        file_with_lines(authority, window.year - 1, rng, paris(datetime(window.year, 5, 20).date(), 10))
    others = (
        Authority.objects.filter(
            cooperations__partner__country__code__in=list(codes.recipients_for(window.year))
        )
        .exclude(pk=getattr(authority, "pk", None))
        .distinct()
        .order_by("name")[:OTHER_DECLARERS]
    )
    for index, other in enumerate(others):
        file_with_lines(other, window.year, rng, window.opens_at + timedelta(days=2 + index))
    return window
