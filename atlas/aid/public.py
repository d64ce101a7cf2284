"""The public side of the e-APD: the declared totals on the authority page, the last national total on the
Atlas home, and the national dataset on the open-data page. Only FILED declarations are ever shown; an
unfiled draft stays between the authority and the Délégation.

The panels are registered into the Atlas' hooks (atlas/panels.py) by national_hooks.py. Their data is cached
under the Atlas version, which every change of a declaration, a line or a window bumps (`watch_declarations`,
called by AidConfig.ready), so a filing shows at once in every process.
"""

import csv

from django.db.models import Count, Sum
from django.http import Http404, StreamingHttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from atlas.queries import ATLAS, cached
from atlas.trends import window_years
from portal.core import cache_versions, charts
from portal.core.territories import REGIONS
from portal.templatetags.portal_tags import thousands

from .models import AidDeclaration, AidLine, AidWindow
from .national import filed_declarations, filed_lines

# The longest bar leaves room for its amount beside it.
BAR_MAX_PERCENT = 80
# Excel only reads a CSV file as UTF-8 when it starts with a byte order mark.
BOM = "\ufeff"


def watch_declarations():
    """Every change of a declaration, a line or a window makes the cached Atlas data (the panels below)
    stale, as a change of any Atlas record does."""
    cache_versions.bump_on_change(ATLAS, models=(AidDeclaration, AidLine, AidWindow))


def authority_totals(authority):
    """[{year, total, percent, no_aid}] of the authority's FILED declarations, oldest first."""

    def build():
        totals = dict(
            filed_lines()
            .filter(declaration__authority=authority)
            .order_by()
            .values_list("declaration__year")
            .annotate(total=Sum("amount"))
        )
        years = (
            filed_declarations().filter(authority=authority).order_by("year").values_list("year", flat=True)
        )
        peak = max(totals.values(), default=0) or 1
        return [
            {
                "year": year,
                "total": totals.get(year, 0),
                "percent": round(BAR_MAX_PERCENT * totals.get(year, 0) / peak),
                "no_aid": not totals.get(year),
            }
            for year in years
        ]

    return cached(f"aid:authority:{authority.pk}", build)


def authority_panel(request, authority):
    return render_to_string(
        "aid/national/public/authority_panel.html",
        {"aid_bars": authority_totals(authority), "authority": authority},
        request=request,
    )


def published_year():
    """The last year whose national total is complete: the year of the last window closed; without any
    window, the last year with a filed declaration. Cached per Atlas version for a few minutes at most: a
    window also closes by the clock."""

    def build():
        closed = AidWindow.objects.filter(closes_at__lte=timezone.now())
        window = closed.order_by("-year").only("year").first()
        if window:
            return window.year
        return filed_declarations().order_by("-year").values_list("year", flat=True).first()

    return cached("aid:published-year", build, timeout=300)


def national_total(year):
    def build():
        declarations = filed_declarations().filter(year=year)
        return {
            "year": year,
            # The totals per year are read once for the charts (declared_by_year): no query of its own.
            "total": declared_by_year().get(year, 0),
            "declarers": declarations.count(),
        }

    return cached(f"aid:national:{year}", build)


def home_panel(request, page):
    year = published_year()
    if year is None:
        return None
    return render_to_string(
        "aid/national/public/home_panel.html",
        {"national": national_total(year), "dataset_url": reverse("aid_public_dataset", args=[year])},
        request=request,
    )


def declared_by_year(country=None):
    """{year: euros} of the FILED lines (to `country`, or all), in one query, kept per Atlas version."""

    def build():
        lines = filed_lines()
        if country is not None:
            lines = lines.filter(country=country)
        return dict(lines.order_by().values_list("declaration__year").annotate(total=Sum("amount")))

    return cached(f"aid:by-year:{country.pk if country else 'all'}", build)


def declared_chart(country=None):
    """The aid declared per year (to `country`, or all) as bars (portal/core/charts.py), over the Atlas
    trends' window ending with the last published year (a window still open would show a part of the year),
    from the first year declared in it; None before any year is published."""
    last = published_year()
    if last is None:
        return None
    totals = declared_by_year(country)
    years = window_years(last)
    declared = [year for year in years if totals.get(year)]
    years = years[years.index(declared[0]) :] if declared else years
    values = [totals.get(year, 0) for year in years]
    if country is None:
        title = gettext("Development aid declared per year")
    else:
        title = gettext("Development aid declared per year: %(country)s") % {"country": str(country)}
    total = sum(values)
    if total:
        peak = max(range(len(years)), key=lambda index: (values[index], years[index]))
        desc = gettext(
            "From %(first)s to %(last)s, %(total)s euros of development aid declared; the highest year is "
            "%(peak)s with %(peak_total)s euros."
        ) % {
            "first": years[0],
            "last": years[-1],
            "total": thousands(total),
            "peak": years[peak],
            "peak_total": thousands(values[peak]),
        }
    else:
        desc = gettext("No development aid declared from %(first)s to %(last)s.") % {
            "first": years[0],
            "last": years[-1],
        }
    return charts.bars(
        id=f"trend-aid-{country.pk}" if country else "trend-aid",
        title=title,
        desc=desc,
        caption=gettext("%(title)s, in euros") % {"title": title},
        categories=years,
        values=values,
        label=gettext("Amount (euros)"),
        short=charts.compact_euros,
    )


def trend_panel(request, country=None):
    """Beside the Atlas' trends (home, country page): the aid declared per year, drawn once per Atlas
    version, published year and language (drawing is most of its cost)."""
    year = published_year()
    if year is None:
        return None

    def draw():
        chart = declared_chart(country)
        if chart is None:
            return None
        return render_to_string("aid/national/public/trend_panel.html", {"chart": chart}, request=request)

    return cached(f"aid:trend-panel:{country.pk if country else 'all'}:{year}:{get_language()}", draw)


def home_trend_panel(request):
    return trend_panel(request)


def country_trend_panel(request, country):
    return trend_panel(request, country)


def dataset_years():
    return cached(
        "aid:dataset-years",
        lambda: list(filed_declarations().order_by("-year").values_list("year", flat=True).distinct()),
    )


DATASET_COLUMNS = [
    ("year", "integer", _("Year of the aid declared")),
    ("authority_name", "string", _("Name of the French local authority")),
    ("authority_code", "string", _("INSEE or SIREN code of the French authority")),
    ("authority_kind", "string", _("Kind of French authority: region, departement, commune, epci or other")),
    ("authority_region", "string", _("Région of the French authority")),
    ("authority_departement", "string", _("Département of the French authority (INSEE code)")),
    (
        "recipient_code",
        "string",
        _("ISO 3166-1 alpha-2 code of the recipient country (empty for a multilateral body)"),
    ),
    (
        "recipient_name",
        "string",
        _("Recipient country or multilateral body (empty when the authority declared no aid)"),
    ),
    ("amount_eur", "integer", _("Amount declared, in euros")),
]


def open_data_panel(request):
    return render_to_string(
        "aid/national/public/open_data_panel.html",
        {"years": dataset_years(), "columns": DATASET_COLUMNS},
        request=request,
    )


class _Echo:
    def write(self, value):
        return value


def dataset_rows(year):
    """The year's dataset: the FILED amounts summed per authority and recipient, then the authorities that
    declared "no aid" (amount 0); two queries, streamed in chunks."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([name for name, _type, _description in DATASET_COLUMNS])
    prefix = "declaration__authority__"
    rows = (
        filed_lines()
        .filter(declaration__year=year)
        .order_by()
        .values(
            f"{prefix}name",
            f"{prefix}code",
            f"{prefix}kind",
            f"{prefix}region",
            f"{prefix}departement",
            "country__code",
            "country__name",
            "multilateral_body",
        )
        .annotate(total=Sum("amount"))
        .order_by(f"{prefix}name", f"{prefix}pk", "country__name", "multilateral_body")
    )
    for row in rows.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                year,
                row[f"{prefix}name"],
                row[f"{prefix}code"],
                row[f"{prefix}kind"],
                REGIONS.get(row[f"{prefix}region"], row[f"{prefix}region"]),
                row[f"{prefix}departement"],
                row["country__code"] or "",
                row["country__name"] or row["multilateral_body"],
                int(row["total"]),
            ]
        )
    no_aid = (
        filed_declarations()
        .filter(year=year)
        .annotate(n_lines=Count("lines"))
        .filter(n_lines=0)
        .select_related("authority")
        .order_by("authority__name", "authority__pk")
    )
    for declaration in no_aid.iterator(chunk_size=2000):
        authority = declaration.authority
        yield writer.writerow(
            [
                year,
                authority.name,
                authority.code,
                authority.kind,
                REGIONS.get(authority.region, authority.region),
                authority.departement,
                "",
                "",
                0,
            ]
        )


@require_safe
def dataset(request, year):
    """The national dataset of one year as CSV (public, no document, no draft)."""
    if year not in dataset_years():
        raise Http404
    response = StreamingHttpResponse(dataset_rows(year), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="apd-collectivites-{year}.csv"'
    return response
