"""What readers see of the platform: its home, its three indexes and an experience's page.

Every list is read in a fixed number of queries whatever its length: countries are joined, themes and the
first photo (with its card rendition) are prefetched, and map points are read as plain values. Only live
pages outside private sections are shown."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from wagtail.images import get_image_model

from atlas.models.records import local_country_name
from atlas.urls_helper import atlas_url
from portal.core.maps import map_config
from portal.core.subpages import subpage_url

from .filters import EventFilterSet, ExperienceFilterSet, ResourceFilterSet, upcoming_q
from .models import (
    EventIndexPage,
    EventPage,
    ExperienceIndexPage,
    ExperiencePage,
    ExperiencePhoto,
    ResourceIndexPage,
    ResourcePage,
    TourismTheme,
)

ITEMS_PER_PAGE = 12
HOME_EXPERIENCES = 6
HOME_EVENTS = 3
CARD_RENDITION = "fill-400x225"
GALLERY_RENDITION = "max-800x600"

# The index of each kind: its pages, its filters, and its heading on the platform's home.
INDEXES = {
    ExperienceIndexPage: (ExperiencePage, ExperienceFilterSet),
    ResourceIndexPage: (ResourcePage, ResourceFilterSet),
    EventIndexPage: (EventPage, EventFilterSet),
}
INDEX_KEYS = {ExperienceIndexPage: "experiences", ResourceIndexPage: "resources", EventIndexPage: "events"}


def visible(model):
    """The pages of `model` a reader may see: live, and outside any private section."""
    return model.objects.live().public()


def themes_prefetch():
    return Prefetch("themes", queryset=TourismTheme.objects.all(), to_attr="theme_list")


def with_cards(experiences):
    """Experiences with what a card shows: country, themes, and photos with the card rendition of their image
    (the card shows the first: `experience.card_photos.0`)."""
    Image = get_image_model()
    photos = ExperiencePhoto.objects.order_by("sort_order", "pk").prefetch_related(
        Prefetch("image", queryset=Image.objects.prefetch_renditions(CARD_RENDITION))
    )
    return experiences.select_related("country").prefetch_related(
        themes_prefetch(), Prefetch("photos", queryset=photos, to_attr="card_photos")
    )


def place_label(place_name, country_name):
    return ", ".join(part for part in (place_name, country_name) if part)


def map_places(experiences, index_url):
    """The map points of these experiences, `[lat, lng, title, url, subtitle]`, read as plain values.

    An experience's address is its index's followed by its slug (Wagtail's URLs follow the page tree), so no
    page is built for the map."""
    rows = (
        experiences.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("-first_published_at", "pk")
        .values_list("latitude", "longitude", "title", "slug", "place_name", "country__code", "country__name")
    )
    return [
        [
            lat,
            lng,
            title,
            f"{index_url}{slug}/" if index_url else "",
            place_label(place, local_country_name(code, country) if country else ""),
        ]
        for lat, lng, title, slug, place, code, country in rows
    ]


def places_config(request, places):
    return map_config(request, points={"places": places}, view="fit" if places else "world", cluster=True)


def share_url(request):
    """The member form for a new experience; anonymous readers sign in first and come back to it."""
    create = reverse("tourism:create")
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return create
    return f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': create})}"


def index_pages(home):
    """The platform's three indexes under its home, as {"experiences": page or None, ...}."""
    found = dict.fromkeys(INDEX_KEYS.values())
    for child in home.get_children().live().type(*INDEXES).specific():
        found[INDEX_KEYS[type(child)]] = child
    return found


def theme_counts(experiences):
    """The themes that have experiences among `experiences`, each with its number of them (`theme.count`)."""
    field = ExperiencePage._meta.get_field("themes")
    page_field, theme_field = field.m2m_field_name(), field.m2m_reverse_field_name()
    counts = dict(
        field.remote_field.through.objects.filter(**{f"{page_field}__in": experiences.values("pk")})
        .values(theme_field)
        .annotate(count=Count(page_field, distinct=True))
        .values_list(theme_field, "count")
    )
    themes = list(TourismTheme.objects.filter(pk__in=counts))
    for theme in themes:
        theme.count = counts[theme.pk]
    return themes


def latest_experiences(limit, within=None):
    """The latest live experiences with what their cards show, newest first (the platform's home, the
    portal's home)."""
    experiences = visible(ExperiencePage)
    if within is not None:
        experiences = experiences.descendant_of(within)
    return list(with_cards(experiences.order_by("-first_published_at", "-pk"))[:limit])


def home_context(page, request):
    indexes = index_pages(page)
    experiences_index = indexes["experiences"]
    experiences = visible(ExperiencePage).descendant_of(page)
    events = (
        visible(EventPage)
        .descendant_of(page)
        .filter(upcoming_q())
        .select_related("country")
        .order_by("start_date", "end_date", "title")[:HOME_EVENTS]
    )
    index_url = experiences_index.get_url(request) if experiences_index else ""
    places = map_places(experiences, index_url)
    return {
        "indexes": indexes,
        "index_list": [index for index in indexes.values() if index],
        "latest_experiences": latest_experiences(HOME_EXPERIENCES, within=page),
        "themes": theme_counts(experiences),
        "upcoming_events": list(events),
        "experiences_index_url": index_url,
        "places_count": len(places),
        "map_config": places_config(request, places),
        "share_url": share_url(request),
    }


def index_context(page, request):
    model, filterset_class = INDEXES[type(page)]
    pages = visible(model).child_of(page).order_by("-first_published_at", "-pk")
    # Always bound: no query string means no filter (and upcoming events, the events' default).
    filterset = filterset_class(request.GET, queryset=pages, request=request)
    results = filterset.qs
    if model is ExperiencePage:
        listed = with_cards(results)
    else:
        listed = results.select_related("country").prefetch_related(themes_prefetch())
        if model is ResourcePage:
            listed = listed.select_related("document")
    page_obj = Paginator(listed, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "filtered": filterset.filtered,
        "page_obj": page_obj,
        "query_string": query.urlencode(),
        "index_url": page.get_url(request),
    }
    if model is ExperiencePage:
        places = map_places(results, context["index_url"])
        context.update(
            places_count=len(places),
            map_config=places_config(request, places),
            feed_url=subpage_url(page, "feed", request=request),
            share_url=share_url(request),
        )
    return context


def atlas_links(page, request):
    """The French authorities and Atlas projects the experience names, each with the address of its Atlas
    page (`atlas_url`, empty when there is no live Atlas)."""

    authorities = [link.authority for link in page.authority_links.select_related("authority")]
    projects = [link.project for link in page.project_links.select_related("project")]
    if not authorities and not projects:
        return [], []
    for authority in authorities:
        authority.atlas_url = atlas_url("authority", authority.slug, request=request)
    for project in projects:
        project.atlas_url = atlas_url("project", project.pk, request=request)
    return authorities, projects


def gallery(page):
    Image = get_image_model()
    photos = page.photos.all()
    if hasattr(photos, "prefetch_related"):
        photos = photos.prefetch_related(
            Prefetch("image", queryset=Image.objects.prefetch_renditions(GALLERY_RENDITION))
        )
    return list(photos)


def point_map_config(page, request):
    """The map of one page's own point (an experience, an event), or "" when it has none."""
    if page.latitude is None or page.longitude is None:
        return ""
    country = page.country.local_name if page.country_id else ""
    places = [[page.latitude, page.longitude, page.title, "", place_label(page.place_name, country)]]
    return map_config(request, points={"places": places}, view="fit")


def event_context(page, request):
    return {"map_config": point_map_config(page, request)}


def experience_context(page, request):
    index = page.get_parent()
    index_url = index.get_url(request) if index else ""
    authorities, projects = atlas_links(page, request)
    return {
        "index_url": index_url,
        "themes": list(page.themes.all()),
        "photos": gallery(page),
        "authorities": authorities,
        "projects": projects,
        "map_config": point_map_config(page, request),
        "map_label": _("Location of the experience"),
    }
