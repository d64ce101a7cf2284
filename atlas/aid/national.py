"""Read-side queries of the national development aid (APD) views: only FILED declarations count.

Who reads what is decided once, in `national_access(user)`: the Délégation, ministry and operator agents read
the whole country; prefecture agents their territory (their régions and départements); nobody else. Every
query below takes that access, so a view cannot forget the territory. Each runs in a constant number of SQL
queries whatever the number of declarations.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone
from django.utils.functional import cached_property

from wagtail.models import ModelLogEntry

from atlas.models import Authority
from portal.accounts.models import Membership
from portal.accounts.scope import scope_for
from portal.core.collation import french_key
from portal.core.territories import DEPARTEMENTS, REGIONS

from . import codes
from .models import AidDeclaration, AidLine, AidWindow

FILED = AidDeclaration.Status.FILED
DRAFT = AidDeclaration.Status.DRAFT
# The audit-log action of a reminder (Wagtail's log, shown in the authority's history and in ours).
REMINDER_ACTION = "aid.reminder"
REMINDER_INTERVAL = timedelta(days=7)


@dataclass(frozen=True)
class NationalAccess:
    """What a user reads of the national views: everything, or a prefecture's territory."""

    national: bool
    regions: frozenset = frozenset()
    departements: frozenset = frozenset()
    # Reminders are sent by the Délégation and by prefectures (to their territory); ministries and
    # operators read.
    may_remind: bool = False

    def authorities_q(self, prefix=""):
        """A condition on Authority (through `prefix`, e.g. "declaration__authority__") for the territory."""
        if self.national:
            return Q()
        return Q(**{f"{prefix}region__in": self.regions}) | Q(
            **{f"{prefix}departement__in": self.departements}
        )

    def authorities(self):
        return Authority.objects.filter(self.authorities_q())

    def admits(self, authority):
        return self.national or authority.region in self.regions or authority.departement in self.departements


def national_access(user):
    """The national views' access of `user`, or None when they may not read them."""
    scope = scope_for(user)
    if scope.is_delegation:
        return NationalAccess(national=True, may_remind=True)
    if scope.reads_national_views:
        return NationalAccess(national=True)
    if scope.is_prefecture:
        return NationalAccess(
            national=False,
            regions=frozenset(scope.prefecture_regions),
            departements=frozenset(scope.prefecture_departements),
            may_remind=True,
        )
    return None


def filed_declarations():
    return AidDeclaration.objects.filter(status=FILED)


def filed_lines():
    return AidLine.objects.filter(declaration__status=FILED)


def declaration_year():
    """The year the current window declares; between windows, the year of the last one opened; without any
    window, last year."""
    now = timezone.now()
    window = (
        AidWindow.objects.filter(opens_at__lte=now).order_by("-opens_at").first()
        or AidWindow.objects.order_by("year").first()
    )
    return window.year if window else timezone.localdate().year - 1


def filed_years(access):
    """The years that have at least one filed declaration in the access' territory, newest first."""
    return list(
        filed_declarations()
        .filter(access.authorities_q("authority__"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


def totals_by_year(lines, declarations):
    """[{year, total, declarers, lines}] oldest first: amounts from `lines`, declaring authorities (explicit
    "no aid" declarations included) from `declarations`; two queries."""
    amounts = {
        row["declaration__year"]: row
        for row in lines.order_by()
        .values("declaration__year")
        .annotate(total=Sum("amount"), n_lines=Count("id"))
    }
    declarers = dict(declarations.order_by().values_list("year").annotate(n=Count("id")))
    return [
        {
            "year": year,
            "total": amounts.get(year, {}).get("total") or 0,
            "lines": amounts.get(year, {}).get("n_lines") or 0,
            "declarers": declarers.get(year, 0),
        }
        for year in sorted(set(amounts) | set(declarers))
    ]


def _label_sorted(rows):
    return sorted(rows, key=lambda row: french_key(str(row["label"])))


def _rows(lines, group_by, label):
    """[{key, label, total, declarers, lines}] of `lines` grouped by the `group_by` fields; one query."""
    rows = []
    for row in (
        lines.order_by()
        .values(*group_by)
        .annotate(
            total=Sum("amount"), declarers=Count("declaration__authority", distinct=True), n=Count("id")
        )
    ):
        rows.append(
            {
                "key": tuple(row[name] for name in group_by),
                "label": label(row),
                "total": row["total"] or 0,
                "declarers": row["declarers"],
                "lines": row["n"],
            }
        )
    return rows


def _recipient_label(row):
    if row["country__name"]:
        return row["country__name"]
    return str(codes.MULTILATERAL_BODIES.get(row["body"], row["body"] or "—"))


def _region_label(row):
    code = row["declaration__authority__region"]
    return REGIONS.get(code, code or "—")


def _departement_label(row):
    code = row["declaration__authority__departement"]
    return f"{code} – {DEPARTEMENTS[code][0]}" if code in DEPARTEMENTS else "—"


def _sector_label(row):
    sector = row["sector"]
    return f"{sector} – {codes.SECTOR_NAMES[sector]}" if sector in codes.SECTOR_NAMES else sector


def with_sector(lines):
    """The lines with their DAC sector, the first 3 digits of their CRS purpose code."""
    return lines.annotate(sector=Substr("purpose", 1, 3))


def with_recipient(lines):
    """The lines with `body`: the multilateral body of a core contribution (no country), else "": aid
    earmarked for a country through a body counts for the country."""
    return lines.annotate(
        body=Case(When(country__isnull=True, then=F("multilateral_body")), default=Value(""))
    )


def breakdowns(lines):
    """The year's lines by région, département, recipient, DAC sector and channel: five tables, each sorted
    alphabetically in French order; five queries."""
    return {
        "region": _label_sorted(_rows(lines, ["declaration__authority__region"], _region_label)),
        "departement": _label_sorted(
            _rows(lines, ["declaration__authority__departement"], _departement_label)
        ),
        "recipient": _label_sorted(_rows(with_recipient(lines), ["country__name", "body"], _recipient_label)),
        "sector": _label_sorted(_rows(with_sector(lines), ["sector"], _sector_label)),
        "channel": _label_sorted(
            _rows(
                lines, ["channel"], lambda row: str(codes.CHANNELS.get(row["channel"], (row["channel"],))[0])
            )
        ),
    }


@dataclass
class DeclarerStatus:
    """One authority's state for the year, as the "who has declared" list shows it."""

    authority: Authority
    status: str  # "filed", "draft" or "none"
    agents: int
    last_reminder: object = None

    @cached_property
    def may_be_reminded(self):
        return self.status != "filed" and self.agents > 0 and not reminded_recently(self.last_reminder)


def reminded_recently(last_reminder, now=None):
    return last_reminder is not None and last_reminder > (now or timezone.now()) - REMINDER_INTERVAL


def declarers(access, year):
    """The authorities of the access' territory annotated with their declaration's state for `year` and
    their number of approved agents (a queryset: the view filters and paginates it)."""
    declaration = AidDeclaration.objects.filter(authority=OuterRef("pk"), year=year)
    agents = (
        Membership.objects.approved()
        .filter(organisation__authority=OuterRef("pk"))
        .order_by()
        .values("organisation__authority")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        access.authorities()
        .annotate(
            has_filed=Exists(declaration.filter(status=FILED)),
            has_draft=Exists(declaration.filter(status=DRAFT)),
            agents=Coalesce(Subquery(agents, output_field=IntegerField()), Value(0)),
        )
        .only("name", "slug", "kind", "region", "departement", "code")
    )


def last_reminders(authority_ids):
    """{authority id: time of its last reminder}; one query."""
    content_type = ContentType.objects.get_for_model(Authority)
    rows = (
        ModelLogEntry.objects.filter(
            content_type=content_type, action=REMINDER_ACTION, object_id__in=[str(pk) for pk in authority_ids]
        )
        .values_list("object_id")
        .annotate(last=Max("timestamp"))
    )
    return {int(object_id): last for object_id, last in rows}


def statuses(page_of_authorities):
    """DeclarerStatus of each authority of a page of `declarers()`: one query for their reminders."""
    authorities = list(page_of_authorities)
    reminders = last_reminders([authority.pk for authority in authorities])
    return [
        DeclarerStatus(
            authority=authority,
            status="filed" if authority.has_filed else "draft" if authority.has_draft else "none",
            agents=authority.agents,
            last_reminder=reminders.get(authority.pk),
        )
        for authority in authorities
    ]


def declarers_summary(queryset):
    """{total, filed, draft, none} of a `declarers()` queryset; one query."""
    counts = queryset.order_by().aggregate(
        total=Count("pk"),
        filed=Count("pk", filter=Q(has_filed=True)),
        draft=Count("pk", filter=Q(has_filed=False, has_draft=True)),
    )
    counts["none"] = counts["total"] - counts["filed"] - counts["draft"]
    return counts
