"""Words of a query and the rows Wagtail's search index matches for them, the same way everywhere: the site
search (search.service) and the Atlas keyword filter (atlas.filters) both ask this module."""

import re
import unicodedata

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import BigIntegerField, BooleanField, Expression, F, Q
from django.db.models.functions import Cast

from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

MAX_TERMS = 12
WORD_RE = re.compile(r"\w+", re.UNICODE)


def fold(text):
    """Lower case without accents: "Coopération" -> "cooperation"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search_terms(query):
    """The words of a query, without the punctuation that full-text query syntaxes would interpret.

    Quotes, operators and percent signs never reach the backend: "' OR 1=1 --" is searched as "OR 1 1".
    """
    return WORD_RE.findall(query)[:MAX_TERMS]


def significant_terms(terms):
    """The `terms` the index can match: on PostgreSQL, French stop words ("de", "la") have no lexeme and are
    dropped from a query, as the site search's own AND query drops them; SQLite's index keeps every word."""
    backend = get_search_backend()
    if connection.vendor != "postgresql" or not terms:
        return list(terms)
    config = getattr(backend, "config", None)
    tsquery = "plainto_tsquery(%s::regconfig, term)" if config else "plainto_tsquery(term)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT term FROM unnest(%s::text[]) WITH ORDINALITY AS t(term, n) "  # noqa: S608 - constant
            f"WHERE numnode({tsquery}) > 0 ORDER BY n",
            [list(terms), config] if config else [list(terms)],
        )
        return [row[0] for row in cursor.fetchall()]


def matching_pks(queryset, term):
    """The primary keys of the rows of `queryset` the site search finds for one word, as a subquery.

    This is how other lists (the Atlas keyword filter) match words exactly as the site search does: whole
    words, accents ignored, French stems on PostgreSQL; "eau" finds "eaux" but never "Bordeaux". The index is
    Wagtail's, kept current on save and rebuilt after bulk inserts; the query reads it through its
    full-text indexes, never row by row in Python."""
    backend = get_search_backend()
    if connection.vendor == "postgresql":
        entries = _postgres_entries(queryset.model, term, getattr(backend, "config", None))
        target = entries.annotate(target=Cast("object_id", BigIntegerField())).values("target")
        return queryset.filter(pk__in=target).order_by().values("pk")
    results = backend.search(term, queryset, operator="and", order_by_relevance=False)
    return results.get_queryset().order_by().values("pk")


def matching(model, term, outer="pk"):
    """A condition on another query's rows: the `model` row its `outer` field points to (its own primary key
    by default, e.g. "cooperation__authority_id") is found by the site search for one word.

    On PostgreSQL an EXISTS on the index entry of that row (found by its unique key), so that a list read in
    its own order stops after a page: the first twenty of a word found in thirty thousand projects are
    checked one by one in a few milliseconds, where matching every row first took a third of a second at ten
    times the 2012 Atlas. On SQLite the rows' keys are matched through `matching_pks`."""
    if connection.vendor != "postgresql":
        return Q(**{f"{outer}__in": matching_pks(model._default_manager.all(), term)})
    content_type = ContentType.objects.get_for_model(model)  # kept by Django after the first
    return Q(IndexEntryExists(outer, content_type.pk, term, getattr(get_search_backend(), "config", None)))


class IndexEntryExists(Expression):
    """PostgreSQL: the site search's test for one word (see _postgres_entries) on the index entry of the row
    that the field `outer` points to, by the entry's unique key.

    The SQL the ORM made of `Exists(_postgres_entries(...).filter(object_id=Cast(OuterRef(outer))))`, written
    here once: building and compiling those querysets, three per word of an Atlas search, took a sixth of the
    search's time. The inner table has an alias of its own, which no alias of an outer query can shadow
    (Django names its subqueries' tables U0, U1…)."""

    conditional = True
    ALIAS = '"portal_search_entry"'

    def __init__(self, outer, content_type_id, term, config):
        super().__init__(output_field=BooleanField())
        self.outer = F(outer) if isinstance(outer, str) else outer
        self.content_type_id, self.term, self.config = content_type_id, term, config

    def get_source_expressions(self):
        return [self.outer]

    def set_source_expressions(self, exprs):
        (self.outer,) = exprs

    def as_sql(self, compiler, connection):
        outer_sql, outer_params = compiler.compile(self.outer)
        table, entry = connection.ops.quote_name(IndexEntry._meta.db_table), self.ALIAS
        if self.config:
            tsquery, query_params = "plainto_tsquery(%s::regconfig, %s)", [self.config, self.term]
        else:
            tsquery, query_params = "plainto_tsquery(%s)", [self.term]
        # Constant text, the model's table and the compiled outer column; the values are parameters.
        sql = (
            f'EXISTS(SELECT 1 FROM {table} {entry} WHERE {entry}."content_type_id" = %s'  # noqa: S608
            f' AND ({entry}."title" @@ ({tsquery}) OR {entry}."body" @@ ({tsquery}))'
            f' AND {entry}."object_id" = ({outer_sql})::text LIMIT 1)'
        )
        return sql, (self.content_type_id, *query_params, *query_params, *outer_params)


def _postgres_entries(model, term, config):
    """The site search's own test for one word (its tsquery against the entry's title and body), asked of
    the title and the body separately: each has a GIN index, which the backend's `title || body` cannot use,
    and for a single word both tests are the same."""
    query = SearchQuery(term, config=config, search_type="plain") if config else SearchQuery(term)
    return IndexEntry.objects.filter(content_type=ContentType.objects.get_for_model(model)).filter(
        Q(title=query) | Q(body=query)
    )
