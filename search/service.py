"""Site search across editorial pages and Atlas records.

Each content type is one `SearchSource` in `SOURCES`; adding a type is one
more entry. Every source is searched with Wagtail's backend (`queryset.search`), so ranking, French stemming
(PostgreSQL's `french_unaccent` configuration) and accent folding (SQLite FTS5's default `unicode61` tokenizer
removes diacritics) come from the index, which Wagtail's signal handlers keep current on save (bulk-created
rows need `manage.py update_index`).

Results of several types are not interleaved: scores from different models are not comparable, and merging
them would mean reading every hit. They are chained in the order of `SOURCES` (each ranked by relevance), so a
results page costs one count per source plus at most one slice per source, whatever the number of hits.
"""

import html
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from wagtail.models import Locale, Page
from wagtail.search import index
from wagtail.search.backends import get_search_backend

from atlas.bourse.links import live_bourse
from atlas.bourse.models import BourseProject
from atlas.models import Authority, PartnerAuthority, Project
from atlas.urls_helper import live_atlas
from portal.core.text_search import WORD_RE, fold, search_terms

EXCERPT_LENGTH = 220


def term_stem(term):
    """A crude French stem, only for highlighting: plural marks go and long words keep their beginning, so
    that "eaux" marks "eau" and "cooperation" marks "coopératives", as the PostgreSQL stemmer would match."""
    stem = fold(term)
    if len(stem) > 3:
        stem = stem.rstrip("sx")
    if len(stem) >= 7:
        stem = stem[: len(stem) - 3]
    return stem


def match_spans(text, terms):
    """Spans of the words of `text` that begin with a stem of one of `terms`, ignoring accents."""
    stems = {term_stem(term) for term in terms}
    stems.discard("")
    if not stems:
        return []
    return [m.span() for m in WORD_RE.finditer(text) if any(fold(m.group()).startswith(s) for s in stems)]


def highlight(text, terms, length=EXCERPT_LENGTH):
    """A short excerpt of plain `text` around the first matched word, as safe HTML with the matches in <mark>.

    Every piece of text is escaped before it is joined to the <mark> tags, so nothing in a record or in the
    query can inject markup.
    """
    text = " ".join((text or "").split())
    if not text:
        return ""
    spans = match_spans(text, terms)
    start = 0
    if spans and spans[0][0] > length // 3:
        # Start at a word boundary a little before the first match.
        start = text.rfind(" ", 0, spans[0][0] - length // 4) + 1
    end = len(text)
    if end - start > length:
        # Stop at the last word boundary within the length, or cut the one overlong word.
        end = text.rfind(" ", start, start + length)
        end = end if end > start else start + length
    parts = ["… " if start else ""]
    position = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        parts.append(escape(text[position:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(escape(text[position:end]))
    if end < len(text):
        parts.append(" …")
    return mark_safe("".join(parts))  # noqa: S308 - every piece was escaped above


def mark_title(title, terms):
    """The whole title, escaped, with matched words in <mark>."""
    position, parts = 0, []
    for start, end in match_spans(title, terms):
        parts += [escape(title[position:start]), f"<mark>{escape(title[start:end])}</mark>"]
        position = end
    parts.append(escape(title[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece was escaped above


def indexed_text(obj, skip=("title", "name", "slug")):
    """The text Wagtail indexes for `obj` (its SearchFields), as plain text: a generic excerpt source."""
    texts = []
    for field in obj.get_search_fields():
        if type(field) is not index.SearchField or field.field_name in skip:
            continue
        value = field.get_value(obj)
        if isinstance(value, (list, tuple)):
            value = " ".join(str(v) for v in value)
        if value:
            texts.append(html.unescape(strip_tags(str(value))))
    return " ".join(texts)


@dataclass(frozen=True)
class SearchSource:
    """One searchable content type.

    queryset_fn(request) returns the queryset to search, or None when the type has nowhere to be shown (no
    live Atlas page, for example); url_fn(obj, context), title_fn(obj) and excerpt_fn(obj) describe a hit;
    context_fn(request) computes once per request what the URLs need (the Atlas page)."""

    key: str
    label: str
    queryset_fn: Callable
    url_fn: Callable
    excerpt_fn: Callable
    title_fn: Callable = str
    context_fn: Callable = lambda request: None
    details_fn: Callable = lambda obj: ""


# --- Editorial pages ---------------------------------------------------------------------------------------


def pages_queryset(request, context):
    # depth > 1 leaves out the tree's root, which is no page of the site. Each language has its page tree
    # (Wagtail's i18n): the active language's pages only, so that a page and its English twin (an alias of
    # it until translated) are not listed twice.
    pages = Page.objects.live().public().filter(depth__gt=1)
    locale = active_locale()
    if locale is not None:
        pages = pages.filter(locale=locale)
    return pages.specific()


def active_locale():
    """The active language's Locale, the default one (French) when that language has none."""
    try:
        return Locale.get_active()
    except Locale.DoesNotExist:
        return Locale.objects.filter(language_code=settings.LANGUAGE_CODE).first()


def page_url(page, request, context):
    return page.get_url(request)


def page_excerpt(page):
    return page.search_description or indexed_text(page)


# --- Atlas records -----------------------------------------------------------------------------------------


def public_only(page):
    """The page if everyone may see it (no view restriction on it or an ancestor): search shows no hit the
    visitor could not open."""
    return page if page is not None and not page.get_view_restrictions().exists() else None


def atlas_page(request):
    return public_only(live_atlas(request))


def atlas_queryset(model_fn):
    def queryset(request, context):
        return model_fn() if context is not None else None

    return queryset


def subpage_url(route, arg):
    def url(obj, request, context):
        return context.url_for(route, arg(obj), request=request)

    return url


def authorities():
    return Authority.objects.only("pk", "name", "slug", "kind", "departement", "region")


def partners():
    return PartnerAuthority.objects.select_related("country")


def projects():
    return Project.objects.select_related("cooperation__authority", "cooperation__partner__country")


def authority_details(authority):
    place = authority.get_departement_display() or authority.get_region_display()
    return f"{authority.get_kind_display()} · {place}" if place else authority.get_kind_display()


def partner_details(partner):
    return f"{partner.get_level_display()} · {partner.country.local_name}"


def project_details(project):
    cooperation = project.cooperation
    partner = cooperation.partner
    return f"{cooperation.authority.name} – {partner.name} ({partner.country.local_name})"


def bourse_page(request):
    return public_only(live_bourse(request))


def bourse_projects():
    """What the Bourse shows the public (published, still seeking a partner, not expired): never a draft."""

    return BourseProject.objects.visible().select_related("partner", "country")


def bourse_details(project):
    return f"{project.partner.name} ({project.country.local_name})"


SOURCES = [
    SearchSource(
        key="page",
        label=_("Pages"),
        queryset_fn=pages_queryset,
        url_fn=page_url,
        excerpt_fn=page_excerpt,
        title_fn=lambda page: page.title,
    ),
    SearchSource(
        key="authority",
        label=_("French authorities"),
        context_fn=atlas_page,
        queryset_fn=atlas_queryset(authorities),
        url_fn=subpage_url("authority", lambda obj: obj.slug),
        excerpt_fn=lambda obj: "",
        title_fn=lambda obj: obj.name,
        details_fn=authority_details,
    ),
    SearchSource(
        key="partner",
        label=_("Partner authorities"),
        context_fn=atlas_page,
        queryset_fn=atlas_queryset(partners),
        url_fn=subpage_url("partner", lambda obj: obj.pk),
        excerpt_fn=lambda obj: "",
        title_fn=lambda obj: obj.name,
        details_fn=partner_details,
    ),
    SearchSource(
        key="project",
        label=_("Projects"),
        context_fn=atlas_page,
        queryset_fn=atlas_queryset(projects),
        url_fn=subpage_url("project", lambda obj: obj.pk),
        excerpt_fn=lambda obj: f"{obj.summary} {obj.description}",
        title_fn=lambda obj: obj.title,
        details_fn=project_details,
    ),
    SearchSource(
        key="bourse",
        label=_("Projects of the Bourse"),
        context_fn=bourse_page,
        queryset_fn=atlas_queryset(bourse_projects),
        url_fn=subpage_url("project", lambda obj: obj.pk),
        excerpt_fn=lambda obj: f"{obj.summary} {obj.description}",
        title_fn=lambda obj: obj.title,
        details_fn=bourse_details,
    ),
]
SOURCE_KEYS = [source.key for source in SOURCES]


@dataclass
class Hit:
    source: SearchSource
    title: str
    url: str
    excerpt: str
    details: str


@dataclass
class Facet:
    key: str
    label: str
    count: int
    active: bool


class SiteSearch:
    """The search of one request: per-type counts, and the hits of any slice of the chained results.

    Behaves as a sequence for Django's Paginator (len() and slicing), so pagination stays in the view.
    """

    def __init__(self, request, query, type_key=None, sources=None):
        self.request = request
        self.terms = search_terms(query)
        self.type_key = type_key
        self.sources = SOURCES if sources is None else sources
        self._contexts = {}

    def context(self, source):
        # Sources sharing a context function (the Atlas page) look it up once.
        if source.context_fn not in self._contexts:
            self._contexts[source.context_fn] = source.context_fn(self.request)
        return self._contexts[source.context_fn]

    @cached_property
    def results(self):
        """(source, Wagtail search results) of every available source, for every type (facets need them)."""
        if not self.terms:
            return []
        text = " ".join(self.terms)
        # The backend, not queryset.search(): Atlas models have plain managers without the search method.
        backend = get_search_backend()
        found = []
        for source in self.sources:
            queryset = source.queryset_fn(self.request, self.context(source))
            if queryset is not None:
                found.append((source, backend.search(text, queryset, operator="and")))
        return found

    @cached_property
    def counts(self):
        return {source.key: results.count() for source, results in self.results}

    @cached_property
    def facets(self):
        return [
            Facet(source.key, source.label, self.counts[source.key], source.key == self.type_key)
            for source, _results in self.results
        ]

    @property
    def selected(self):
        if self.type_key in self.counts:
            return [(s, r) for s, r in self.results if s.key == self.type_key]
        return self.results

    def __len__(self):
        return sum(self.counts[source.key] for source, _results in self.selected)

    def count(self):
        return len(self)

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item : item + 1][0]
        start, stop = item.start or 0, item.stop if item.stop is not None else len(self)
        hits, offset = [], 0
        for source, results in self.selected:
            count = self.counts[source.key]
            lo, hi = max(start - offset, 0), min(stop - offset, count)
            if lo < hi:
                hits += [self.hit(source, obj) for obj in results[lo:hi]]
            offset += count
            if offset >= stop:
                break
        return hits

    def hit(self, source, obj):
        context = self.context(source)
        return Hit(
            source=source,
            title=mark_title(source.title_fn(obj), self.terms),
            url=source.url_fn(obj, self.request, context),
            excerpt=highlight(source.excerpt_fn(obj), self.terms),
            details=source.details_fn(obj),
        )


def promotions(query):
    """Editors' promoted results for this exact query (wagtail.contrib.search_promotions), live pages only."""
    from wagtail.contrib.search_promotions.models import SearchPromotion
    from wagtail.search.utils import normalise_query_string

    picks = SearchPromotion.objects.filter(query__query_string=normalise_query_string(query)).select_related(
        "page"
    )
    return [pick for pick in picks.order_by("sort_order") if pick.page is None or pick.page.live]


def record_hit(query):
    """Counts the query for the admin's "popular searches" report, where editors pick what to promote."""
    from wagtail.contrib.search_promotions.models import Query

    Query.get(query).add_hit()
