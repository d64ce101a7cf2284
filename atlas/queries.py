"""Read-side queries of the public Atlas pages; each runs in a constant number of SQL queries."""

import gzip
import hashlib
import json
import math
from collections import OrderedDict, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Max, Min, Q, Sum
from django.db.models.functions import Floor
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from portal.core import cache_versions
from portal.core.collation import french_key

from .models import (
    Authority,
    Contact,
    Cooperation,
    Country,
    Network,
    PartConfirmation,
    PartnerAuthority,
    Project,
    Theme,
)
from .models.records import translated_lazy

ATLAS = "atlas"


def atlas_version():
    """The version of the Atlas records, changed by every change of one: cached figures, pages and map data
    are keyed on it. It lives in the database (portal/core/cache_versions.py): every process sees an edit."""
    return cache_versions.current(ATLAS)


def bulk_change():
    """For bulk writes to the Atlas records (the seed): one version bump for the lot, in their transaction."""
    return cache_versions.bulk_change(ATLAS)


# Every record a cached Atlas page shows: a change to any of them makes every cached page stale at once.
# AtlasConfig.ready imports this module, so commands and task workers bump the version too.
cache_versions.bump_on_change(
    ATLAS,
    models=(
        Authority,
        PartnerAuthority,
        Cooperation,
        Project,
        Contact,
        Network,
        Country,
        PartConfirmation,
        Theme,
    ),
    relations=(Project.themes.through, Authority.networks.through),
)


_MISSING = object()


def cached(name, builder, timeout=600, version=None):
    """builder() once per Atlas version (or `version`); a None it answers (a panel with nothing to show) is
    kept too, or every request would build it again."""
    key = f"atlas:{name}:{version or atlas_version()}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = builder()
        cache.set(key, value, timeout)
    return value


def key_figures():
    def build():
        projects = Project.objects.values("cooperation__kind").annotate(n=Count("id"))
        by_kind = {row["cooperation__kind"]: row["n"] for row in projects}
        return {
            "authorities": Authority.objects.count(),
            "partners": PartnerAuthority.objects.count(),
            "countries": Country.objects.filter(partners__isnull=False).distinct().count(),
            "projects": by_kind.get(Cooperation.Kind.COOPERATION, 0),
            "external_actions": by_kind.get(Cooperation.Kind.EXTERNAL_ACTION, 0),
        }

    return cached("figures", build)


def _map_payload(cooperations):
    """Compact map data: points as arrays, ties as pairs of ids (names travel once)."""
    rows = cooperations.values_list(
        "authority_id",
        "authority__name",
        "authority__slug",
        "authority__latitude",
        "authority__longitude",
        "partner_id",
        "partner__name",
        "partner__country__code",
        "partner__latitude",
        "partner__longitude",
        "kind",
        "is_twinning",
    ).order_by()
    authorities, partners, ties = OrderedDict(), OrderedDict(), []
    for a_id, a_name, a_slug, a_lat, a_lng, p_id, p_name, p_country, p_lat, p_lng, kind, twinning in rows:
        if a_lat is not None and a_id not in authorities:
            authorities[a_id] = [a_id, round(a_lat, 4), round(a_lng, 4), a_name, a_slug]
        if p_lat is not None and p_id not in partners:
            partners[p_id] = [p_id, round(p_lat, 4), round(p_lng, 4), p_name, p_country]
        ties.append([a_id, p_id, 1 if kind == Cooperation.Kind.EXTERNAL_ACTION else 0, 1 if twinning else 0])
    return {"authorities": list(authorities.values()), "partners": list(partners.values()), "ties": ties}


# Up to this many markers (authorities and partners) a map answer carries them all, with their ties: the
# demo's few hundred, the full scale's 15,000 (about 370 kB gzipped). Beyond (ten times the 2012 Atlas), it
# carries clusters of a grid instead, and the map asks for the markers of its view once zoomed in
# (`?bbox=&zoom=`), every answer bounded by this limit. The setting ATLAS_MAP_MARKER_LIMIT overrides it.
MARKER_LIMIT = 20000
# A cluster covers a square of this many pixels of the map at the zoom asked for.
CELL_PIXELS = 64
WORLD_ZOOM = 2
# The most cells a view's answer covers: a 3,200 × 3,200 pixel screen.
MAX_VIEW_CELLS = 2500
MAX_ZOOM = 18


class BadView(ValueError):
    """A map view (bbox, zoom) the endpoint cannot answer: its message is for the user."""


def marker_limit():
    return getattr(settings, "ATLAS_MAP_MARKER_LIMIT", MARKER_LIMIT)


def cell_degrees(zoom):
    """The side of a cluster's cell in degrees at `zoom` (a Leaflet world is 256 × 2^zoom pixels wide)."""
    return 360 * CELL_PIXELS / (256 * 2**zoom)


@dataclass(frozen=True)
class MapView:
    """The part of the map a request asks for, snapped outwards to its zoom's grid: the cells of an answer
    are whole and the same from one answer to the next, and answers are cached by view."""

    west: float
    south: float
    east: float
    north: float
    zoom: int

    @classmethod
    def parse(cls, bbox, zoom):
        """From the `bbox` ("west,south,east,north" in degrees) and `zoom` parameters; BadView if unusable."""
        if bbox is None or zoom is None:
            raise BadView(_("Give both the map's bounds (bbox) and its zoom level (zoom)."))
        try:
            zoom = int(zoom)
        except ValueError:
            raise BadView(_("The zoom level must be a whole number.")) from None
        if not 0 <= zoom <= MAX_ZOOM:
            raise BadView(_("The zoom level runs from 0 to %(max)d.") % {"max": MAX_ZOOM})
        try:
            west, south, east, north = (float(part) for part in bbox.split(","))
        except ValueError:
            raise BadView(_("Give the map's bounds as four numbers: west, south, east, north.")) from None
        if not all(math.isfinite(value) for value in (west, south, east, north)):
            raise BadView(_("Give the map's bounds as four numbers: west, south, east, north."))
        if not (-90 <= south < north <= 90 and -540 <= west < east <= 540):
            raise BadView(_("The map's bounds must have south below north (-90 to 90) and west before east."))
        # A view wider than a screen at its zoom (asked by hand) is answered at a coarser zoom: no answer
        # carries more than MAX_VIEW_CELLS clusters.
        while (
            zoom > 0
            and math.ceil((east - west) / cell_degrees(zoom))
            * math.ceil((north - south) / cell_degrees(zoom))
            > MAX_VIEW_CELLS
        ):
            zoom -= 1
        cell = cell_degrees(zoom)
        west, south = math.floor(west / cell) * cell, max(-90.0, math.floor(south / cell) * cell)
        east, north = math.ceil(east / cell) * cell, min(90.0, math.ceil(north / cell) * cell)
        return cls(round(west, 6), round(south, 6), round(east, 6), round(north, 6), zoom)

    def longitude_ranges(self):
        """[(min, max)] within -180..180: a view across the antimeridian (Leaflet's world copies) is two."""
        if self.east - self.west >= 360:
            return [(-180.0, 180.0)]
        west = (self.west + 180) % 360 - 180
        east = west + (self.east - self.west)
        if east <= 180:
            return [(west, east)]
        return [(west, 180.0), (-180.0, east - 360)]

    def filter(self, queryset):
        within = Q()
        for low, high in self.longitude_ranges():
            within |= Q(longitude__gte=low, longitude__lte=high)
        return queryset.filter(within, latitude__gte=self.south, latitude__lte=self.north)

    def key(self):
        return f"{self.zoom}:{self.west}:{self.south}:{self.east}:{self.north}"


def _located(model, ids, view):
    queryset = model.objects.filter(pk__in=ids, latitude__isnull=False, longitude__isnull=False).order_by()
    return view.filter(queryset) if view else queryset


def _clusters(queryset, zoom):
    """{cell: (count, sum of latitudes, sum of longitudes)} of the grid at `zoom`, counted in the database."""
    cell = cell_degrees(zoom)
    rows = (
        queryset.annotate(cx=Floor(F("longitude") / cell), cy=Floor(F("latitude") / cell))
        .values("cx", "cy")
        .annotate(n=Count("id"), lat=Sum("latitude"), lng=Sum("longitude"))
        .values_list("cx", "cy", "n", "lat", "lng")
    )
    return {(int(cx), int(cy)): (n, lat, lng) for cx, cy, n, lat, lng in rows}


def map_payload(cooperations, view=None):
    """The map data of `cooperations`: every marker (with the ties when no view is asked for) as long as
    they are at most marker_limit(), else clusters: [latitude, longitude, authorities, partners] per cell of
    the grid at the view's zoom (the world's zoom without a view), with that zoom and the cells' side."""
    authorities = _located(Authority, cooperations.values("authority_id"), view)
    partners = _located(PartnerAuthority, cooperations.values("partner_id"), view)
    if authorities.count() + partners.count() <= marker_limit():
        if view is None:
            return _map_payload(cooperations)
        return {
            "authorities": [
                [pk, round(lat, 4), round(lng, 4), name, slug]
                for pk, lat, lng, name, slug in authorities.values_list(
                    "pk", "latitude", "longitude", "name", "slug"
                )
            ],
            "partners": [
                [pk, round(lat, 4), round(lng, 4), name, country]
                for pk, lat, lng, name, country in partners.values_list(
                    "pk", "latitude", "longitude", "name", "country__code"
                )
            ],
            "ties": [],
        }
    zoom = view.zoom if view else WORLD_ZOOM
    by_authorities, by_partners = _clusters(authorities, zoom), _clusters(partners, zoom)
    clusters = []
    for cell in sorted(by_authorities.keys() | by_partners.keys()):
        n_a, lat_a, lng_a = by_authorities.get(cell, (0, 0.0, 0.0))
        n_p, lat_p, lng_p = by_partners.get(cell, (0, 0.0, 0.0))
        n = n_a + n_p
        clusters.append([round((lat_a + lat_p) / n, 4), round((lng_a + lng_p) / n, 4), n_a, n_p])
    return {"clusters": clusters, "zoom": zoom, "cell": round(cell_degrees(zoom), 6)}


# The parameters a search's map data ignores (the list's page and order): one answer, and one cache entry, for
# every page and order of the same search.
LIST_PARAMETERS = ("page", "sort")
# The filters that narrow the French side of a search, and those that narrow the partners' side: the map
# opens on the side a search is about (a Senegal search on Senegal, a Brittany search on Brittany), on both
# when it narrows both or neither.
FRENCH_SIDE = frozenset({"authority", "authority_kind", "region", "departement"})
PARTNER_SIDE = frozenset({"country", "continent", "partner"})


def filters_key(query):
    """A search's query (a QueryDict) as a cache key: its non-empty filters sorted, page and order left out,
    so that "?country=senegal&region=" and "?region=&country=senegal&page=2" share their map data."""
    pairs = sorted(
        (name, value)
        for name, values in query.lists()
        if name not in LIST_PARAMETERS
        for value in values
        if value != ""
    )
    return "&".join(f"{name}={value}" for name, value in pairs)


def _box(model, ids):
    row = (
        model.objects.filter(pk__in=ids, latitude__isnull=False, longitude__isnull=False)
        .order_by()
        .aggregate(south=Min("latitude"), west=Min("longitude"), north=Max("latitude"), east=Max("longitude"))
    )
    return None if row["south"] is None else row


def map_bounds(cooperations, authorities=True, partners=True):
    """[[south, west], [north, east]] of the located authorities and/or partners of `cooperations` (a query
    each), None when none is located: the view a map opens on, known to the server before any map data."""
    boxes = []
    if authorities:
        boxes.append(_box(Authority, cooperations.values("authority_id")))
    if partners:
        boxes.append(_box(PartnerAuthority, cooperations.values("partner_id")))
    return joined_boxes(boxes)


def joined_boxes(boxes):
    """The bounds covering every box ({south, west, north, east}; None for a side with nothing located)."""
    boxes = [box for box in boxes if box]
    if not boxes:
        return None
    return [
        [round(min(box["south"] for box in boxes), 4), round(min(box["west"] for box in boxes), 4)],
        [round(max(box["north"] for box in boxes), 4), round(max(box["east"] for box in boxes), 4)],
    ]


def search_sides(cleaned_data):
    """(authorities, partners): which places of a search's results its map opens on."""
    narrowed = {name for name, value in cleaned_data.items() if value not in (None, "")}
    french, abroad = bool(narrowed & FRENCH_SIDE), bool(narrowed & PARTNER_SIDE)
    return (True, True) if french == abroad else (french, abroad)


def search_cooperations(filterset):
    """The cooperations of a (valid) search's projects: what its map shows."""
    return Cooperation.objects.filter(pk__in=filterset.qs.values("cooperation_id"))


SIDES = (("authority", "cooperation__authority"), ("partner", "cooperation__partner"))


def search_summary(filterset):
    """{"count", "boxes"} of a valid search: its number of projects and the boxes of its results' located
    authorities and partners, once per Atlas version and search; None for an unbound or invalid one.

    One pass over the matches gives both: the count and each side's box used to be three passes, each of a
    third of a second for a common word at ten times the 2012 Atlas, made again after every Atlas edit."""
    if not filterset.is_bound or not filterset.is_valid():
        return None
    digest = hashlib.sha256(filters_key(filterset.data).encode()).hexdigest()[:16]
    return cached(f"search-summary:{digest}", lambda: _search_summary(filterset.qs))


def _search_summary(projects):
    aggregates = {"count": Count("pk")}
    for side, path in SIDES:
        # Each project has one cooperation, one authority and one partner: the joins repeat no project.
        located = Q(**{f"{path}__latitude__isnull": False, f"{path}__longitude__isnull": False})
        aggregates.update(
            {
                f"{side}_south": Min(f"{path}__latitude", filter=located),
                f"{side}_west": Min(f"{path}__longitude", filter=located),
                f"{side}_north": Max(f"{path}__latitude", filter=located),
                f"{side}_east": Max(f"{path}__longitude", filter=located),
            }
        )
    row = projects.order_by().aggregate(**aggregates)
    boxes = {
        side: {edge: row[f"{side}_{edge}"] for edge in ("south", "west", "north", "east")}
        for side, _path in SIDES
        if row[f"{side}_south"] is not None
    }
    return {"count": row["count"], "boxes": boxes}


def search_map_bounds(filterset, summary):
    """The bounds of a search's results on its map (see search_sides), from its `summary` (search_summary,
    None for an unbound or invalid search); None for the whole Atlas (no filter) or a search without
    results."""
    if summary is None or not filters_key(filterset.data):
        return None
    sides = search_sides(filterset.form.cleaned_data)
    wanted = dict(zip((side for side, _path in SIDES), sides, strict=True))
    return joined_boxes([box for side, box in summary["boxes"].items() if wanted[side]])


def _encode(payload):
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return raw, gzip.compress(raw, 6)


def map_data_bytes(cooperations=None, view=None, filters=""):
    """(json bytes, gzipped bytes) of the map data of `cooperations` (all of them if None, `filters` being
    the key of the query that selected them: filters_key()), for the whole map or a `view`. The full map is
    built once per Atlas version, a search's map and the answers for a view are cached per version (a
    search is shared as a link, and the map asks for the same cells again)."""
    digest = hashlib.sha256(filters.encode()).hexdigest()[:16]
    queryset = Cooperation.objects.all() if cooperations is None else cooperations
    if view is not None:
        return cached(
            f"map:{marker_limit()}:{digest}:{view.key()}", lambda: _encode(map_payload(queryset, view))
        )
    if cooperations is None:
        # The full map is the hottest read of the Atlas: keep this process's copy for the current version
        # (one small query per request to learn the version, so every process sees an edit at its commit).
        version, limit = atlas_version(), marker_limit()
        if (version, limit) not in _full_map:
            _full_map.clear()
            _full_map[version, limit] = cached(
                f"map:{limit}", lambda: _encode(map_payload(Cooperation.objects.all())), version=version
            )
        return _full_map[version, limit]
    return cached(f"map:{marker_limit()}:{digest}:all", lambda: _encode(map_payload(queryset)))


# {(Atlas version, marker limit): (json bytes, gzipped bytes)} of the full map, in this process only.
_full_map = {}


def authority_detail(authority):
    """What an authority's page shows besides its cooperations' list, cached per Atlas version: light to read
    back from the cache (a few objects), since a région's page lists hundreds of projects. The list itself
    is rendered once per version as a template fragment (templates/atlas/authority.html), from
    `authority_cooperations` only when that fragment is not cached."""
    return cached(f"authority:{authority.pk}", lambda: _authority_detail(authority))


def _authority_detail(authority):
    # Its partners' countries, each with its number of projects (the filter, then the count, on the same
    # join: only this authority's cooperations count), for the page's description.
    countries = sorted(
        Country.objects.filter(
            partners__cooperations__authority=authority,
            partners__cooperations__kind__in=[
                kind for kind in Cooperation.Kind.values if kind != Cooperation.Kind.EXTERNAL_ACTION
            ],
        ).annotate(projects=Count("partners__cooperations__projects")),
        key=lambda country: french_key(country.name),
    )
    return {
        "contacts": list(authority.contacts.all()),
        "last_confirmation": authority.confirmations.order_by("-confirmed_at").first(),
        "networks": list(authority.networks.all()),
        "countries": countries,
        "project_count": sum(country.projects for country in countries),
        "map": _map_payload(authority.cooperations.all()),
    }


class AuthorityCooperations:
    """An authority's cooperations by partner country, and its external actions, read from the database the
    first time the template asks (so never when the list's fragment is cached)."""

    def __init__(self, authority):
        self.authority = authority

    @cached_property
    def _lists(self):
        cooperations = list(
            self.authority.cooperations.select_related("partner__country")
            .prefetch_related("projects__themes")
            .order_by("partner__country__name", "partner__name")
        )
        by_country = defaultdict(list)
        external = []
        for cooperation in cooperations:
            (
                external
                if cooperation.kind == Cooperation.Kind.EXTERNAL_ACTION
                else by_country[cooperation.partner.country]
            ).append(cooperation)
        return sorted(by_country.items(), key=lambda item: french_key(item[0].name)), external

    @property
    def by_country(self):
        return self._lists[0]

    @property
    def external_actions(self):
        return self._lists[1]


def project_neighbours(project, limit=12):
    """For mutualisation: other French authorities with the same partner, and in the same country on a
    shared theme; kept per Atlas version (two DISTINCT joins over the whole Atlas: a third of a project
    sheet's time at ten times the 2012 size), as their names and slugs only."""
    return cached(f"neighbours:{project.pk}", lambda: _project_neighbours(project, limit))


def _project_neighbours(project, limit):
    cooperation = project.cooperation
    same_partner = (
        Authority.objects.filter(cooperations__partner_id=cooperation.partner_id)
        .exclude(pk=cooperation.authority_id)
        .distinct()
        .order_by("name")[:limit]
    )
    theme_ids = [theme.pk for theme in project.themes.all()]
    same_theme = (
        Authority.objects.filter(
            cooperations__partner__country_id=cooperation.partner.country_id,
            cooperations__projects__themes__in=theme_ids,
        )
        .exclude(pk=cooperation.authority_id)
        .distinct()
        .order_by("name")[:limit]
    )
    return {
        "same_partner": list(same_partner.values("name", "slug")),
        "same_country_theme": list(same_theme.values("name", "slug")),
    }


def projects_breakdown(projects):
    """Counts of projects by theme and by status, for country and partner pages."""
    by_status = dict(projects.values_list("status").annotate(n=Count("id")).order_by())
    by_theme = (
        projects.values("themes__name", "themes__translations")
        .annotate(n=Count("id"))
        .exclude(themes__name=None)
        .order_by("-n", "themes__name")
    )
    return {
        "by_status": [(label, by_status.get(value, 0)) for value, label in Project.Status.choices],
        # Lazy names: the breakdown is cached for every language, each page shows its reader's.
        "by_theme": [
            (translated_lazy(row["themes__name"], row["themes__translations"]), row["n"]) for row in by_theme
        ],
    }


LIST_LIMIT = 100


def country_detail(country):
    return cached(f"country:{country.pk}", lambda: _country_detail(country))


def _country_detail(country):
    """The most active authorities and partners first; the full lists are one search away."""
    projects = Project.objects.filter(cooperation__partner__country=country)
    authorities = (
        Authority.objects.filter(cooperations__partner__country=country)
        .annotate(
            n_projects=Count("cooperations__projects", filter=Q(cooperations__partner__country=country))
        )
        .order_by("-n_projects", "name")
        .only("name", "slug")
    )
    partners = (
        country.partners.annotate(n=Count("cooperations")).order_by("-n", "name").only("name", "country_id")
    )
    return {
        # Plain values rather than records: read back from the cache on every visit of the page.
        "authorities": list(authorities[:LIST_LIMIT].values("name", "slug", "n_projects")),
        "authority_count": Authority.objects.filter(cooperations__partner__country=country)
        .distinct()
        .count(),
        "partners": list(partners[:LIST_LIMIT].values("pk", "name")),
        "partner_count": country.partners.count(),
        "breakdown": projects_breakdown(projects),
        "project_count": projects.count(),
    }


def partner_detail(partner):
    return cached(f"partner:{partner.pk}", lambda: _partner_detail(partner))


def _partner_detail(partner):
    cooperations = partner.cooperations.select_related("authority").prefetch_related("projects__themes")
    projects = Project.objects.filter(cooperation__partner=partner)
    return {
        "cooperations": list(cooperations.order_by("authority__name")),
        "breakdown": projects_breakdown(projects),
        "map": _map_payload(partner.cooperations.all()),
    }


def authority_suggestions(query, limit=10):
    if not query:
        return []
    return list(
        Authority.objects.filter(name__icontains=query)
        .order_by("name")
        .values_list("name", "slug", "kind")[:limit]
    )
