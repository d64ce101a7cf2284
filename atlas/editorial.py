"""Atlas figures shown on editorial pages (country zooms, project maps): read-only, constant query counts."""

from django.db.models import Count, Q

from .models import Authority, Cooperation, Project
from .queries import _map_payload, cached, projects_breakdown

TOP_AUTHORITIES = 10


def country_zoom_figures(country):
    """French authorities involved, projects by theme and status in a country; cached per Atlas version."""
    return cached(f"editorial:country:{country.pk}", lambda: _country_zoom_figures(country))


def _country_zoom_figures(country):
    projects = Project.objects.filter(cooperation__partner__country=country)
    involved = Authority.objects.filter(cooperations__partner__country=country)
    top = (
        involved.annotate(
            n_projects=Count("cooperations__projects", filter=Q(cooperations__partner__country=country))
        )
        .order_by("-n_projects", "name")
        .only("name", "slug")[:TOP_AUTHORITIES]
    )
    return {
        "authority_count": involved.distinct().count(),
        "authorities": [(authority.name, authority.slug, authority.n_projects) for authority in top],
        "project_count": projects.count(),
        "breakdown": projects_breakdown(projects),
    }


def projects_map_points(project_ids):
    """Map points (French authorities, partners, ties) of the cooperations of these projects: one query."""
    return _map_payload(Cooperation.objects.filter(projects__in=list(project_ids)).distinct())
