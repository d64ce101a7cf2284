"""How far the authorities are in a campaign, computed in the database: a few aggregate queries whatever the
number of authorities (the national dashboard reads 4,800 of them, and must hold ten times that).

An authority is *done* when its five parts were verified inside the campaign's window, *partly done* when
some were, *not started* when none was.
"""

from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from atlas.models import Authority
from portal.core.collation import french_key
from portal.core.territories import DEPARTEMENTS, REGIONS

from .models import PARTS

N_PARTS = len(PARTS.choices)

DONE, PARTLY, NOT_STARTED = "done", "partly", "not_started"
STATUS_LABELS = {
    DONE: _("done"),
    PARTLY: _("partly done"),
    NOT_STARTED: _("not started"),
}


def status_of(n_verified):
    if n_verified >= N_PARTS:
        return DONE
    return PARTLY if n_verified else NOT_STARTED


def verified_count(campaign):
    """The number of distinct parts of the outer authority confirmed inside the campaign's window."""
    parts = (
        campaign.window_confirmations()
        .filter(authority=OuterRef("pk"))
        .order_by()
        .values("authority")
        .annotate(n=Count("part", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(parts, output_field=IntegerField()), Value(0))


def with_progress(campaign, authorities):
    """The authorities annotated with n_verified (0 to 5)."""
    return authorities.annotate(n_verified=verified_count(campaign))


def only_status(authorities, status):
    """Keeps the authorities (annotated by with_progress) of one status."""
    if status == DONE:
        return authorities.filter(n_verified__gte=N_PARTS)
    if status == PARTLY:
        return authorities.filter(n_verified__gt=0, n_verified__lt=N_PARTS)
    return authorities.filter(n_verified=0)


def with_part_dates(campaign, authorities):
    """The authorities annotated with verified_<part>: the latest confirmation of each part in the window (or
    None), in one grouped query."""
    window = Q(
        confirmations__confirmed_at__gte=campaign.opens_at, confirmations__confirmed_at__lt=campaign.closes_at
    )
    return authorities.annotate(
        **{
            f"verified_{part}": Max(
                "confirmations__confirmed_at", filter=window & Q(confirmations__part=part)
            )
            for part in PARTS.values
        }
    )


class Row:
    """One line of the progress table: a département, a région or the whole of France."""

    def __init__(self, code="", name="", region="", total=0, done=0, partly=0):
        self.code, self.name, self.region = code, name, region
        self.total, self.done, self.partly = total, done, partly

    @property
    def not_started(self):
        return self.total - self.done - self.partly

    @property
    def share_done(self):
        """The percentage of authorities done, rounded down (a département reads "100" only when it is)."""
        return self.done * 100 // self.total if self.total else None

    def add(self, other):
        self.total += other.total
        self.done += other.done
        self.partly += other.partly


def progress_table(campaign, authorities=None):
    """The progress by région and département of the given authorities (all of them by default): one query.

    Returns (france, regions): `france` is the total Row; `regions` a list of (région Row, [département
    Rows]) in the French order of région names. The authorities with no département (the régions
    themselves) make a last Row of their région, code "", named "Région-level authorities"."""
    authorities = Authority.objects.all() if authorities is None else authorities
    # Grouped by the number of parts verified too: the database computes it once per authority, and the
    # few groups (at most six per département) are folded into done / partly done here.
    counts = (
        with_progress(campaign, authorities)
        .order_by()
        .values("region", "departement", "n_verified")
        .annotate(total=Count("pk"))
    )
    by_region = {}
    for line in counts:
        region, departement = line["region"], line["departement"]
        row = by_region.setdefault(region, {}).get(departement)
        if row is None:
            name = DEPARTEMENTS[departement][0] if departement in DEPARTEMENTS else ""
            row = by_region[region][departement] = Row(departement, name, region)
        status = status_of(line["n_verified"])
        row.add(
            Row(
                total=line["total"],
                done=line["total"] if status == DONE else 0,
                partly=line["total"] if status == PARTLY else 0,
            )
        )
    france = Row(name=str(_("France")))
    regions = []
    for code, name in sorted(REGIONS.items(), key=lambda item: french_key(item[1])):
        lines = by_region.get(code)
        if not lines:
            continue
        total = Row(code, name)
        for row in lines.values():
            total.add(row)
        france.add(total)
        departements = sorted(lines.values(), key=lambda row: (row.code == "", row.code))
        for row in departements:
            if not row.code:
                row.name = str(_("Région-level authorities"))
        regions.append((total, departements))
    return france, regions


def departement_rows(regions):
    """{département code: Row} from progress_table's régions (what the map colours)."""
    return {row.code: row for _total, rows in regions for row in rows if row.code}


def part_status(campaign, authority):
    """The five parts of one authority for a campaign: [(part, label, latest confirmation in the window or
    None, who confirmed it)], in the parts' order; two queries."""
    latest = {}
    for confirmation in (
        campaign.window_confirmations()
        .filter(authority=authority)
        .select_related("confirmed_by")
        .order_by("part", "-confirmed_at")
    ):
        latest.setdefault(confirmation.part, confirmation)
    return [(part, label, latest.get(part)) for part, label in PARTS.choices]


def last_full_verification(authority, campaigns):
    """(campaign, date) of the latest closed campaign in which the authority verified its five parts: the date
    is when its last part was verified. None if it never did."""
    for campaign in campaigns:
        dates = (
            campaign.window_confirmations()
            .filter(authority=authority)
            .values("part")
            .annotate(latest=Max("confirmed_at"))
            .values_list("latest", flat=True)
        )
        dates = list(dates)
        if len(dates) >= N_PARTS:
            return campaign, max(dates)
    return None
