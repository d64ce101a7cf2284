from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from portal.core.maps import map_config
from portal.core.pages import IntroBodyMixin, describe
from portal.core.subpages import remember_live_page, subpage_url

from ..panels import (
    AUTHORITY_PANELS,
    AUTHORITY_SECTIONS,
    COUNTRY_TRENDS,
    HOME_PANELS,
    HOME_TRENDS,
    render_panels,
)
from .records import Authority, Country, PartnerAuthority, Project

RESULTS_PER_PAGE = 20
# Countries named in an authority's description before "…".
DESCRIBED_COUNTRIES = 4


def authority_description(authority, countries, projects):
    """What search engines show of an authority's page, e.g. Bessancourt (Val-d'Oise): 3 decentralised
    cooperation projects in Senegal, Mali."""
    place = authority.get_departement_display() or authority.get_region_display()
    countries = [country.local_name for country in countries]
    if not projects:
        return gettext(
            "%(name)s (%(place)s) in the Atlas of decentralised cooperation: partners and contacts."
        ) % {
            "name": authority.name,
            "place": place,
        }
    named = ", ".join(countries[:DESCRIBED_COUNTRIES]) + ("…" if len(countries) > DESCRIBED_COUNTRIES else "")
    return ngettext(
        "%(name)s (%(place)s): %(count)d decentralised cooperation project in %(countries)s.",
        "%(name)s (%(place)s): %(count)d decentralised cooperation projects in %(countries)s.",
        projects,
    ) % {"name": authority.name, "place": place, "count": projects, "countries": named}


def project_description(project):
    cooperation = project.cooperation
    return describe(
        gettext("%(authority)s and %(partner)s (%(country)s), since %(year)s:")
        % {
            "authority": cooperation.authority.name,
            "partner": cooperation.partner.name,
            "country": cooperation.partner.country.local_name,
            "year": project.start_year,
        },
        project.summary,
    )


def country_description(country, detail):
    return ngettext(
        "Decentralised cooperation with %(country)s: %(count)d project",
        "Decentralised cooperation with %(country)s: %(count)d projects",
        detail["project_count"],
    ) % {"country": country.local_name, "count": detail["project_count"]} + ngettext(
        " of %(authorities)d French local authority with %(partners)d local partners.",
        " of %(authorities)d French local authorities with %(partners)d local partners.",
        detail["authority_count"],
    ) % {"authorities": detail["authority_count"], "partners": detail["partner_count"]}


def partner_description(partner, detail):
    count = len(detail["cooperations"])
    return ngettext(
        "%(partner)s (%(country)s): decentralised cooperation partner of %(count)d French local authority.",
        "%(partner)s (%(country)s): decentralised cooperation partner of %(count)d French authorities.",
        count,
    ) % {"partner": partner.name, "country": partner.country.local_name, "count": count}


def atlas_search_description(page_obj, active_filters):
    """The search's description names its criteria, so that each search has its own."""
    count = page_obj.paginator.count
    criteria = ", ".join(str(value) for _label, value, *_rest in active_filters) if active_filters else ""
    text = ngettext(
        "Search the Atlas of decentralised cooperation: %(count)d project",
        "Search the Atlas of decentralised cooperation: %(count)d projects",
        count,
    ) % {"count": count}
    return f"{text} ({criteria})." if criteria else f"{text}."


class SubpageUrlsMixin(RoutablePageMixin):
    """Addresses of a routable page's sub-pages through its routes (atlas/urls_helper.py)."""

    def url_for(self, name, *args, request=None):
        """The address of route `name` with `args`, e.g. atlas.url_for("authority", slug, request=request)."""
        return subpage_url(self, name, *args, request=request)

    def serve(self, request, *args, **kwargs):
        # The templates' {% atlas_url %} / {% bourse_url %} then find this page without a query.
        remember_live_page(request, self)
        return super().serve(request, *args, **kwargs)


class AtlasPage(SubpageUrlsMixin, IntroBodyMixin, Page):
    """The Atlas: key figures, maps, authority, project, partner and country pages, advanced search."""

    # One per home, so one per locale (Wagtail's i18n: one page tree per language).
    max_count_per_parent = 1
    parent_page_types = ["pages.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Atlas")

    def get_sitemap_urls(self, request=None):
        # The country index is the one sub-page that lists every partner country: search engines find the
        # countries' pages through it.
        urls = super().get_sitemap_urls(request)
        if urls:
            urls.append({"location": self.get_full_url(request) + self.reverse_subpage("countries")})
        return urls

    def render_sub(self, request, template, title, context, extra_crumbs=()):
        context = {"page": self, "sub_title": title, "extra_crumbs": list(extra_crumbs), **context}
        return TemplateResponse(request, f"atlas/{template}.html", context)

    def map_config(self, request, **config):
        """What the map script needs, handed over as JSON in a data attribute (never as inline globals)."""
        return map_config(request, **config)

    @path("")
    def home(self, request):
        from ..queries import key_figures
        from ..trends import home_trends

        context = self.get_context(request)
        context.update(
            figures=key_figures(),
            # The products' panels (development aid, campaigns…), each keyed on its own data's version.
            panels=render_panels(HOME_PANELS, request, self),
            # Projects started per year (atlas/trends.py), and the products' charts beside them.
            trends=home_trends(),
            trend_panels=render_panels(HOME_TRENDS, request),
            map_config=self.map_config(
                request, data=reverse("atlas_data:map_data"), view="world", cluster=True
            ),
        )
        return TemplateResponse(request, "atlas/atlas_page.html", context)

    @path("collectivites/", name="authorities")
    def authorities(self, request):
        """The authority selector without JavaScript, and its JSON suggestions with it."""
        from ..queries import authority_suggestions

        query = " ".join(request.GET.get("q", "").split())[:100]
        if request.GET.get("format") == "json":
            suggestions = authority_suggestions(query)
            kinds = dict(Authority.Kind.choices)
            return JsonResponse(
                {
                    "results": [
                        {
                            "name": name,
                            "kind": str(kinds[kind]),
                            "url": self.url_for("authority", slug, request=request),
                        }
                        for name, slug, kind in suggestions
                    ]
                }
            )
        exact = Authority.objects.filter(name__iexact=query).only("slug").first() if query else None
        if exact:
            return redirect(self.url_for("authority", exact.slug, request=request))
        matches = (
            Authority.objects.filter(name__icontains=query).order_by("name")
            if query
            else Authority.objects.none()
        )
        page_obj = Paginator(matches.only("name", "slug", "kind", "departement", "region"), 50).get_page(
            request.GET.get("page")
        )
        return self.render_sub(
            request,
            "authority_list",
            _("Find an authority"),
            {
                "query": query,
                "page_obj": page_obj,
                "meta_description": gettext(
                    "Find a French local authority in the Atlas of decentralised cooperation."
                ),
            },
        )

    @path("collectivites/<slug:slug>/", name="authority")
    def authority(self, request, slug):
        from ..queries import AuthorityCooperations, atlas_version, authority_detail

        authority = get_object_or_404(Authority, slug=slug)
        detail = authority_detail(authority)
        return self.render_sub(
            request,
            "authority",
            authority.name,
            {
                "authority": authority,
                # The list's fragment is keyed on the version; its cooperations are read only to render it.
                "atlas_version": atlas_version(),
                "cooperations": AuthorityCooperations(authority),
                "meta_description": authority_description(
                    authority, detail["countries"], detail["project_count"]
                ),
                **detail,
                "map_config": self.map_config(request, points=detail.pop("map"), view="fit", ties=True),
                # The products' panels (development aid, campaigns…), each keyed on its own data's version,
                # and their sections after the Atlas's own (the tourism experiences that name the authority).
                "panels": render_panels(AUTHORITY_PANELS, request, authority),
                "sections": render_panels(AUTHORITY_SECTIONS, request, authority),
            },
        )

    @path("projets/<int:pk>/", name="project")
    def project(self, request, pk):
        from ..queries import project_neighbours

        project = get_object_or_404(
            Project.objects.select_related(
                "cooperation__authority", "cooperation__partner__country"
            ).prefetch_related("themes"),
            pk=pk,
        )
        cooperation = project.cooperation
        france = {
            "authorities": [
                [
                    cooperation.authority_id,
                    cooperation.authority.latitude,
                    cooperation.authority.longitude,
                    cooperation.authority.name,
                    cooperation.authority.slug,
                ]
            ],
            "partners": [],
            "ties": [],
        }
        abroad = {
            "authorities": [],
            "partners": [
                [
                    cooperation.partner_id,
                    cooperation.partner.latitude,
                    cooperation.partner.longitude,
                    cooperation.partner.name,
                    cooperation.partner.country.code,
                ]
            ],
            "ties": [],
        }
        authority_url = self.url_for("authority", cooperation.authority.slug, request=request)
        return self.render_sub(
            request,
            "project",
            project.title,
            {
                "project": project,
                "meta_description": project_description(project),
                "cooperation": cooperation,
                **project_neighbours(project),
                "france_map": self.map_config(
                    request, points=france, view="france" if cooperation.authority.latitude else "world"
                ),
                "abroad_map": self.map_config(request, points=abroad, view="fit"),
            },
            extra_crumbs=[(authority_url, cooperation.authority.name)],
        )

    @path("pays/", name="countries")
    def countries(self, request):
        """Every partner country: a world choropleth of one measure and the sortable table of its figures."""
        from ..countries import country_index

        context, status = country_index(request, self, request.GET)
        response = self.render_sub(request, "country_index", _("Partner countries"), context)
        response.status_code = status
        return response

    @path("pays/<slug:slug>/", name="country")
    def country(self, request, slug):
        from ..queries import atlas_version, country_detail
        from ..trends import country_trends

        country = get_object_or_404(Country, slug=slug)
        detail = country_detail(country)
        return self.render_sub(
            request,
            "country",
            country.local_name,
            {
                "country": country,
                "atlas_version": atlas_version(),  # the lists' fragment is keyed on it
                "meta_description": country_description(country, detail),
                **detail,
                "trends": country_trends(country),
                "trend_panels": render_panels(COUNTRY_TRENDS, request, country),
                # A country can have thousands of points: the map fetches them, the page does not carry them.
                "map_config": self.map_config(
                    request,
                    data=f"{reverse('atlas_data:map_data')}?country={country.slug}",
                    view="fit",
                    cluster=True,
                ),
            },
            extra_crumbs=[(self.url_for("countries", request=request), _("Partner countries"))],
        )

    @path("partenaires/<int:pk>/", name="partner")
    def partner(self, request, pk):
        from ..queries import partner_detail

        partner = get_object_or_404(PartnerAuthority.objects.select_related("country"), pk=pk)
        detail = partner_detail(partner)
        country_url = self.url_for("country", partner.country.slug, request=request)
        return self.render_sub(
            request,
            "partner",
            partner.name,
            {
                "partner": partner,
                "meta_description": partner_description(partner, detail),
                **detail,
                "map_config": self.map_config(request, points=detail.pop("map"), view="fit", ties=True),
            },
            extra_crumbs=[
                (self.url_for("countries", request=request), _("Partner countries")),
                (country_url, partner.country.local_name),
            ],
        )

    @path("recherche/", name="search")
    def search(self, request):
        from ..filters import ProjectFilterSet, SearchPaginator, project_queryset
        from ..queries import filters_key, search_map_bounds, search_summary

        filterset = ProjectFilterSet(request.GET or None, queryset=project_queryset())
        queryset = filterset.qs if filterset.is_bound else project_queryset().order_by("-start_year", "title")
        if filterset.is_bound and not filterset.form.cleaned_data.get("sort"):
            queryset = queryset.order_by("-start_year", "title")
        # Its count and its map's bounds, read together once per Atlas version.
        summary = search_summary(filterset)
        page_obj = SearchPaginator(
            queryset,
            RESULTS_PER_PAGE,
            key=filters_key(request.GET),
            known_count=summary["count"] if summary else None,
        ).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        query_string = query.urlencode()
        active_filters = filterset.active_filters()
        return self.render_sub(
            request,
            "search",
            _("Advanced search"),
            {
                "filter": filterset,
                "page_obj": page_obj,
                "query_string": query_string,
                "active_filters": active_filters,
                "meta_description": atlas_search_description(page_obj, active_filters),
                # The map shows the results of every page of the list, and opens on them (bounds computed
                # here, so that its first paint is already right).
                "map_config": self.map_config(
                    request,
                    data=reverse("atlas_data:map_data") + (f"?{query_string}" if query_string else ""),
                    view="world",
                    cluster=True,
                    bounds=search_map_bounds(filterset, summary),
                ),
            },
        )
