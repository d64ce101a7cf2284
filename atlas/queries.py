"""Read-side queries of the public Atlas pages; each runs in a constant number of SQL queries."""

import gzip
import json
from collections import OrderedDict, defaultdict

from django.core.cache import cache
from django.db.models import Count, Q

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


def cached(name, builder, timeout=600, version=None):
    key = f"atlas:{name}:{version or atlas_version()}"
    value = cache.get(key)
    if value is None:
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


def map_data_bytes(cooperations=None):
    """(json bytes, gzipped bytes) of the map data; the full map is built once per Atlas version."""

    def build(queryset):
        raw = json.dumps(_map_payload(queryset), ensure_ascii=False, separators=(",", ":")).encode()
        return raw, gzip.compress(raw, 6)

    if cooperations is None:
        # The full map is the hottest read of the Atlas: keep this process's copy for the current version
        # (one small query per request to learn the version, so every process sees an edit at its commit).
        version = atlas_version()
        if version not in _full_map:
            _full_map.clear()
            _full_map[version] = cached("map", lambda: build(Cooperation.objects.all()), version=version)
        return _full_map[version]
    return build(cooperations)


# {Atlas version: (json bytes, gzipped bytes)} of the full map, in this process only.
_full_map = {}


def authority_detail(authority):
    return cached(f"authority:{authority.pk}", lambda: _authority_detail(authority))


def _authority_detail(authority):
    cooperations = list(
        authority.cooperations.select_related("partner__country")
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
    return {
        "contacts": list(authority.contacts.all()),
        "last_confirmation": authority.confirmations.order_by("-confirmed_at").first(),
        "networks": list(authority.networks.all()),
        "cooperations_by_country": sorted(by_country.items(), key=lambda item: french_key(item[0].name)),
        "external_actions": external,
        "map": _map_payload(authority.cooperations.all()),
    }


def project_neighbours(project, limit=12):
    """For mutualisation: other French authorities with the same partner, and in the same country on a
    shared theme."""
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
    return {"same_partner": list(same_partner), "same_country_theme": list(same_theme)}


def projects_breakdown(projects):
    """Counts of projects by theme and by status, for country and partner pages."""
    by_status = dict(projects.values_list("status").annotate(n=Count("id")).order_by())
    by_theme = (
        projects.values("themes__name")
        .annotate(n=Count("id"))
        .exclude(themes__name=None)
        .order_by("-n", "themes__name")
    )
    return {
        "by_status": [(label, by_status.get(value, 0)) for value, label in Project.Status.choices],
        "by_theme": [(row["themes__name"], row["n"]) for row in by_theme],
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
        "authorities": list(authorities[:LIST_LIMIT]),
        "authority_count": Authority.objects.filter(cooperations__partner__country=country)
        .distinct()
        .count(),
        "partners": list(partners[:LIST_LIMIT]),
        "partner_count": country.partners.count(),
        "breakdown": projects_breakdown(projects),
        "project_count": projects.count(),
    }


def partner_detail(partner):
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
