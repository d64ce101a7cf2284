"""PDF export of an Atlas search: title, date, filters, count, a map of the results and the project table.

The map is an inline SVG drawn here (equirectangular projection over Natural Earth country outlines read
from the vendored world-atlas TopoJSON), and WeasyPrint may read local files only: nothing is fetched from
another host while a PDF is made."""

from functools import lru_cache

from weasyprint import HTML
from weasyprint.urls import URLFetcher

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from portal.core.choropleth import world_countries
from portal.core.map_legend import MARKERS

MAP_WIDTH, MAP_HEIGHT = 1000, 420
# The map frames the points with this margin (degrees) but never shows less than this span.
MAP_MARGIN, MAP_MIN_SPAN = 4.0, 30.0


class LocalFilesOnly(URLFetcher):
    """Refuses every URL that is not a local file or inline data, so a PDF never makes a network request."""

    def fetch(self, url, headers=None):
        if not url.lower().startswith(("file:", "data:")):
            raise ValueError(f"Remote resources are not loaded in PDF exports: {url}")
        return super().fetch(url, headers)


@lru_cache(maxsize=1)
def world_outlines():
    """SVG path data of every country, in degrees: x = longitude + 180, y = 90 - latitude."""
    return tuple(
        "".join(
            "M" + "L".join(f"{lng + 180:.2f} {90 - lat:.2f}" for lng, lat in ring) + "Z" for ring in rings
        )
        for _code, rings in world_countries()
    )


def _frame(points):
    """The viewBox (in degrees) framing the points at the map's aspect ratio, within the world."""
    ratio = MAP_WIDTH / MAP_HEIGHT
    if not points:
        return 0.0, (180.0 - 360.0 / ratio) / 2, 360.0, 360.0 / ratio
    xs = [x for x, _y in points]
    ys = [y for _x, y in points]
    min_x, max_x = min(xs) - MAP_MARGIN, max(xs) + MAP_MARGIN
    min_y, max_y = min(ys) - MAP_MARGIN, max(ys) + MAP_MARGIN
    width = max(max_x - min_x, (max_y - min_y) * ratio, MAP_MIN_SPAN)
    width = min(width, 360.0)
    height = width / ratio
    centre_x, centre_y = (min_x + max_x) / 2, (min_y + max_y) / 2
    x = min(max(centre_x - width / 2, 0.0), 360.0 - width)
    y = min(max(centre_y - height / 2, 0.0), max(180.0 - height, 0.0))
    return x, y, width, height


def dots_group(marker, stroke):
    """The opening of a group of dots drawn as the web maps draw them: the legend's fill and outline."""
    return (
        f'<g fill="{marker["fill"]}" fill-opacity="0.85"'
        f' stroke="{marker["stroke"]}" stroke-width="{stroke * 2:.3f}">'
    )


def map_svg(partner_points, authority_points):
    """An SVG map of (latitude, longitude) points, in the colours of the web maps' legend (MARKERS)."""

    def project(points):
        # Many projects share a place: one dot per place keeps the SVG small.
        return sorted({(round(lng + 180, 2), round(90 - lat, 2)) for lat, lng in points})

    partners, authorities = project(partner_points), project(authority_points)
    x, y, width, height = _frame(partners + authorities)
    radius = width / 300
    stroke = width / 1500
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="map"'
        f' viewBox="{x:.2f} {y:.2f} {width:.2f} {height:.2f}"'
        f' width="{MAP_WIDTH}" height="{MAP_HEIGHT}" preserveAspectRatio="xMidYMid slice">',
        '<rect x="0" y="0" width="360" height="180" fill="#e8edff"/>',
        f'<g fill="#f6f6f6" stroke="#929292" stroke-width="{stroke:.3f}" fill-rule="evenodd">',
        *(f'<path d="{outline}"/>' for outline in world_outlines()),
        "</g>",
        dots_group(MARKERS["authority"], stroke),
        *(f'<circle cx="{cx}" cy="{cy}" r="{radius:.3f}"/>' for cx, cy in authorities),
        "</g>",
        dots_group(MARKERS["partner"], stroke),
        *(f'<circle cx="{cx}" cy="{cy}" r="{radius:.3f}"/>' for cx, cy in partners),
        "</g></svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 - built from numbers only


def render_projects_pdf(projects, filters, title, progress=None):
    """The PDF (bytes) of `projects` (from `project_queryset()`), headed by `title` and the `filters`
    ((label, value) pairs). `progress`, when given, is called with a percentage as the work advances."""
    document = render_projects_document(projects, filters, title, progress)
    return document.write_pdf()


def render_projects_document(projects, filters, title, progress=None):
    """The laid-out WeasyPrint document behind `render_projects_pdf` (tests read its text from it)."""
    projects = list(projects)
    if progress:
        progress(20)
    partner_points, authority_points = [], []
    for project in projects:
        partner, authority = project.cooperation.partner, project.cooperation.authority
        if partner.latitude is not None and partner.longitude is not None:
            partner_points.append((partner.latitude, partner.longitude))
        if authority.latitude is not None and authority.longitude is not None:
            authority_points.append((authority.latitude, authority.longitude))
    html = render_to_string(
        "atlas/pdf/projects.html",
        {
            "title": title,
            "date": timezone.localdate(),
            "filters": filters,
            "projects": projects,
            "count": len(projects),
            "map": map_svg(partner_points, authority_points),
        },
    )
    if progress:
        progress(40)
    document = HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=LocalFilesOnly(fail_on_errors=False)
    ).render()
    if progress:
        progress(90)
    return document
