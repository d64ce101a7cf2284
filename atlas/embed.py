"""The Atlas map other sites embed (issue 15): an authority, a région or a network shows its own cooperations
on its own site, in a frame of /donnees/atlas/carte/integrer/?collectivite=<slug> | ?region=<code> |
?reseau=<number>.

The page has no portal chrome: a title, the map, its legend, a link opening the Atlas in a new tab, and the
list of the cooperations (what the map shows, without JavaScript or for assistive technologies). Other sites
may frame it (portal.core.csp.embeddable: that view only), and it is kept in the page cache under the Atlas's
version like an Atlas page (portal.core.page_cache.cacheable). Its snippet (an <iframe>) is offered on the
authority's page and documented on the open-data page (templatetags/atlas_embed.py)."""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from portal.core.csp import embeddable
from portal.core.maps import map_config
from portal.core.page_cache import cacheable
from portal.core.territories import REGIONS

from .models import Authority, Cooperation, Network
from .queries import ATLAS, _map_payload, cached, map_bounds
from .urls_helper import atlas_url

AUTHORITY, REGION, NETWORK = "collectivite", "region", "reseau"
PARAMETERS = (AUTHORITY, REGION, NETWORK)
# The snippet's frame: as wide as the partner's column, tall enough for the map and the start of the list.
FRAME_HEIGHT = 640
# Rows of the list under the map; the Atlas link gives them all.
LIST_LIMIT = 100
SLUG = re.compile(r"[-\w]{1,255}")
REGION_CODE = re.compile(r"\w{1,3}")
NUMBER = re.compile(r"[0-9]{1,9}")


class EmbedError(Exception):
    """A request the embed cannot answer: `status` 400 (malformed) or 404 (nothing by that name)."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Scope:
    """Whose cooperations a map shows: `parameter` and `value` address it, `title` names it."""

    parameter: str
    value: str
    title: str
    cooperations: QuerySet
    # The Atlas search filter that selects the same projects (the map data endpoint's and the Atlas link's),
    # or None for one authority (its map data travels in the page, its Atlas page is the link).
    search: dict | None = None
    slug: str = ""

    @classmethod
    def of_authority(cls, authority):
        return cls(
            AUTHORITY,
            authority.slug,
            _("Decentralised cooperations of %(name)s") % {"name": authority.name},
            Cooperation.objects.filter(authority=authority),
            slug=authority.slug,
        )

    @classmethod
    def of_region(cls, code):
        return cls(
            REGION,
            code,
            _("Decentralised cooperations of the authorities of %(region)s") % {"region": REGIONS[code]},
            Cooperation.objects.filter(authority__region=code),
            search={"region": code},
        )

    @classmethod
    def of_network(cls, network):
        return cls(
            NETWORK,
            str(network.pk),
            _("Decentralised cooperations of the members of %(network)s") % {"network": network},
            Cooperation.objects.filter(authority__networks=network),
            search={"network": network.pk},
        )

    @property
    def query(self):
        return urlencode({self.parameter: self.value})

    def atlas_link(self, request=None):
        """Where the Atlas shows the same cooperations: the authority's page, or the search."""
        if self.search is None:
            return atlas_url("authority", self.slug, request=request)
        search = atlas_url("search", request=request)
        return f"{search}?{urlencode(self.search)}" if search else None

    def map_config(self, request):
        key = f"embed:{self.query}"
        bounds = cached(f"{key}:bounds", lambda: map_bounds(self.cooperations))
        if self.search is None:
            # One authority's partners, with their ties, as its Atlas page draws them.
            points = cached(f"{key}:points", lambda: _map_payload(self.cooperations))
            return map_config(request, points=points, view="fit", ties=True, bounds=bounds)
        # A région or a network may have thousands of places: the map fetches them (clustered beyond the
        # marker limit), from the endpoint of the Atlas search with the same filter.
        data = f"{reverse('atlas_data:map_data')}?{urlencode(self.search)}"
        return map_config(request, data=data, view="fit", cluster=True, bounds=bounds)


def _one(query, name, pattern):
    values = query.getlist(name)
    if len(values) != 1 or not pattern.fullmatch(values[0]):
        raise EmbedError(400, _("The parameter “%(name)s” is not valid.") % {"name": name})
    return values[0]


def scope_from(query):
    """The Scope a query asks for; EmbedError when it asks for none, several, or an unknown one."""
    unknown = sorted(name for name in query if name not in PARAMETERS)
    if unknown:
        raise EmbedError(400, _("Unknown parameter: %(names)s.") % {"names": ", ".join(unknown)})
    given = [name for name in PARAMETERS if name in query]
    if len(given) != 1:
        raise EmbedError(
            400, _("Give one of the parameters collectivite, region or reseau (and only one of them).")
        )
    if given[0] == AUTHORITY:
        authority = Authority.objects.filter(slug=_one(query, AUTHORITY, SLUG)).only("name", "slug").first()
        if authority is None:
            raise EmbedError(404, _("No authority of the Atlas has this address."))
        return Scope.of_authority(authority)
    if given[0] == REGION:
        code = _one(query, REGION, REGION_CODE)
        if code not in REGIONS:
            raise EmbedError(404, _("No région has this code."))
        return Scope.of_region(code)
    network = Network.objects.filter(pk=int(_one(query, NETWORK, NUMBER))).first()
    if network is None:
        raise EmbedError(404, _("No network of the Atlas has this number."))
    return Scope.of_network(network)


def embed_url(request, scope):
    return request.build_absolute_uri(f"{reverse('atlas_data:embed_map')}?{scope.query}")


def snippet(request, scope):
    """The HTML a partner pastes in its page: a lazy frame with an accessible name."""
    return format_html(
        '<iframe src="{}" title="{}" width="100%" height="{}" loading="lazy"></iframe>',
        embed_url(request, scope),
        scope.title,
        FRAME_HEIGHT,
    )


@embeddable()
@cacheable(ATLAS)
@require_safe
def embed_map(request):
    try:
        scope = scope_from(request.GET)
    except EmbedError as error:
        # An answer the partner's frame can show (framing allowed), in the visitor's language.
        return TemplateResponse(request, "atlas/embed_map.html", {"error": error}, status=error.status)
    rows = scope.cooperations.select_related("authority", "partner__country").order_by(
        "partner__country__name", "partner__name", "authority__name"
    )
    return TemplateResponse(
        request,
        "atlas/embed_map.html",
        {
            "scope": scope,
            "title": scope.title,
            "one_authority": scope.search is None,
            "map_config": scope.map_config(request),
            "cooperations": list(rows[:LIST_LIMIT]),
            "count": scope.cooperations.count(),
            "atlas_link": scope.atlas_link(request),
        },
    )
