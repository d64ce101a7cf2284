"""The e-APD part of the deterministic Atlas seed (atlas/seeding.py calls it through its "atlas_seed" hook):
ten years of FILED declarations for a realistic share of the authorities (about 1,200 declarers a year at the
2012 scale), with lines to the countries of their cooperations, channels, purposes and markers, bulk inserted.
"""

import zoneinfo
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from atlas.models import Country
from atlas.seeding import LAST_YEAR, insert

from . import codes
from .models import AidDeclaration, AidLine, AidWindow

YEARS = range(LAST_YEAR - 9, LAST_YEAR + 1)
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# Régions and départements nearly all declare; a quarter of the communes and EPCIs do (the 2012 Atlas:
# about 1,200 declarers a year); each declarer misses a year now and then.
DECLARER_SHARE = {"region": 0.9, "departement": 0.9}
OTHER_DECLARER_SHARE = 0.25
YEARLY_SHARE = 0.96
NO_AID_SHARE = 0.04
# What local authorities fund most: water, health, education, local government, agriculture, waste.
COMMON_PURPOSES = ["14031", "14032", "12220", "11220", "15112", "15185", "31120", "14050", "16010"]


def window_dates(year):
    """The circular's window for the amounts of `year`: 15 April – 31 May of the year after (Paris time)."""
    opens = datetime(year + 1, 4, 15, 0, 0, tzinfo=PARIS)
    closes = datetime(year + 1, 6, 1, 0, 0, tzinfo=PARIS)
    return opens, closes


def seed_declarations(generator, authorities, cooperations):
    """Builds the declarations of `authorities` (those that have none yet: records kept by a reset keep
    theirs), their lines and the windows of the years; returns a progress message."""
    rng = generator.rng
    purposes = [code for code in COMMON_PURPOSES if code in codes.PURPOSES] or [codes.UNSPECIFIED_PURPOSE]
    all_purposes = sorted(codes.PURPOSES)
    bodies = sorted(codes.MULTILATERAL_BODIES)
    iso = dict(Country.objects.values_list("pk", "code"))
    countries_of = {}
    for cooperation in cooperations:
        countries_of.setdefault(cooperation.authority.pk, set()).add(cooperation.partner.country_id)
    already = set(
        AidDeclaration.objects.filter(authority__in=[a.pk for a in authorities]).values_list(
            "authority_id", flat=True
        )
    )
    declarations, lines = [], []
    for authority in authorities:
        share = DECLARER_SHARE.get(authority.kind, OTHER_DECLARER_SHARE)
        if rng.random() >= share or authority.pk in already:
            continue
        weight = generator.authority_weight(authority)
        countries = sorted(countries_of.get(authority.pk, ()))
        for year in YEARS:
            if rng.random() >= YEARLY_SHARE:
                continue
            opens, closes = window_dates(year)
            filed_at = opens + timedelta(seconds=rng.randrange(int((closes - opens).total_seconds())))
            no_aid = rng.random() < NO_AID_SHARE
            declaration = AidDeclaration(
                authority=authority,
                year=year,
                status=AidDeclaration.Status.FILED,
                no_aid=no_aid,
                filed_at=filed_at,
                created_at=filed_at - timedelta(days=rng.randint(0, 20)),
            )
            declarations.append(declaration)
            if no_aid:
                continue
            eligible = [pk for pk in countries if codes.crs_recipient_code(iso[pk], year)]
            for country_id in rng.sample(eligible, min(len(eligible), rng.randint(1, 3))):
                channel = rng.choices([codes.DIRECT, codes.NGO, codes.MULTILATERAL], [70, 25, 5])[0]
                lines.append((declaration, country_id, channel, weight))
            if not eligible or rng.random() < 0.08:
                # A core contribution to a multilateral body (no country).
                lines.append((declaration, None, codes.MULTILATERAL, weight))
    insert(AidDeclaration, declarations)

    def marker():
        return rng.choices([codes.NOT_TARGETED, codes.SIGNIFICANT, codes.PRINCIPAL], [70, 22, 8])[0]

    rows = []
    for declaration, country_id, channel, weight in lines:
        row = AidLine(
            declaration_id=declaration.pk,
            country_id=country_id,
            channel=channel,
            multilateral_body=rng.choice(bodies) if channel == codes.MULTILATERAL else "",
            purpose=rng.choice(purposes) if rng.random() < 0.8 else rng.choice(all_purposes),
            amount=Decimal(round(rng.lognormvariate(8.5, 1) * weight, -2) or 100),
        )
        for field in codes.MARKERS:
            setattr(row, field, marker() if field in ("marker_gender", "marker_environment") else 0)
        rows.append(row)
    insert(AidLine, rows)
    existing = set(AidWindow.objects.values_list("year", flat=True))
    now = timezone.now()
    AidWindow.objects.bulk_create(
        [
            AidWindow(year=year, opens_at=window_dates(year)[0], closes_at=window_dates(year)[1])
            for year in YEARS
            if year not in existing and window_dates(year)[1] < now
        ]
    )
    return f"{len(declarations)} development aid declarations ({len(rows)} lines) over {len(YEARS)} years"
