"""The site search's index rebuilt in bulk SQL after a seed.

Wagtail's `update_index` builds each entry in Python and, with the database backend, recomputes the title
norms of the whole index after every chunk: at ten times the 2012 Atlas (about 300,000 entries) that is
quadratic and took 25 minutes. Here a model whose search fields are plain columns (of its own table or of
a forward foreign key) is indexed by one `INSERT … SELECT`: PostgreSQL computes the same tsvectors as the
backend would (same text search configurations, same weights from the same boosts, same order of fields,
values stripped and empty ones left out), and the title norms are recomputed once at the end, as
`update_index` does last. Models whose search fields are anything else (many-to-many, callables, page
inheritance) go through the backend's own `add_items`. On SQLite (small scales, tests) `update_index` runs
as before.
"""

from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend
from modelsearch.backends.database.postgres.weights import get_weight
from modelsearch.index import AutocompleteField, Indexed, RelatedFields, SearchField, get_indexed_models
from modelsearch.utils import get_content_type_pk

from django.core.management import call_command
from django.db import connection, models

from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

# update_index's chunk for the models indexed in Python: 3,000 rows stay below PostgreSQL's 65,535 parameters.
INDEX_CHUNK = 3000
# The characters Python's str.strip() removes that text can hold; to_tsvector and the plain texts must see
# the same stripped value as the backend's ObjectIndexer.
WHITESPACE = " \t\n\r\x0b\x0c"


class NotBulkIndexable(Exception):
    """A search field this module cannot express as a column: the model goes through `add_items`."""


def _column(model, name, alias):
    """The SQL of a non-null text column of `model` under the table alias `alias`."""
    try:
        field = model._meta.get_field(name)
    except models.FieldDoesNotExist as error:
        raise NotBulkIndexable(name) from error
    # A null value would be indexed as the text "None"; a choice field's value is what it stores either way,
    # but other types (dates, numbers, JSON) are formatted by Python: those stay with add_items.
    if not isinstance(field, (models.CharField, models.TextField)) or field.null:
        raise NotBulkIndexable(name)
    return f'{alias}."{field.column}"'


def _texts(model, search_fields, alias, joins):
    """[(kind, field name, weight, column SQL)] in the order ObjectIndexer reads them; `joins` collects the
    LEFT JOINs forward relations need."""
    texts = []
    for field in search_fields:
        if isinstance(field, SearchField):
            texts.append(
                ("search", field.field_name, get_weight(field.boost), _column(model, field.field_name, alias))
            )
        elif isinstance(field, AutocompleteField):
            texts.append(("autocomplete", field.field_name, "D", _column(model, field.field_name, alias)))
        elif isinstance(field, RelatedFields):
            relation = model._meta.get_field(field.field_name)
            if not (relation.many_to_one or relation.one_to_one) or not relation.concrete:
                raise NotBulkIndexable(field.field_name)
            target = relation.related_model
            joined = f"r{len(joins)}"
            joins.append(
                f'LEFT JOIN "{target._meta.db_table}" {joined} '
                f'ON {joined}."{relation.target_field.column}" = {alias}."{relation.column}"'
            )
            texts.extend(_texts(target, field.fields, joined, joins))
    return texts


def _stripped(column):
    return f"btrim({column}, E'{WHITESPACE.encode('unicode_escape').decode()}')"


def _vector(texts, config_param):
    """A tsvector as ObjectIndexer.as_vector builds it: weighted to_tsvector of each non-empty stripped
    text, concatenated in order (an empty text contributes nothing, as the backend leaves it out)."""
    if not texts:
        return "to_tsvector('')"
    parts = [
        f"(CASE WHEN {_stripped(column)} = '' THEN ''::tsvector "
        f"ELSE setweight(to_tsvector({config_param}::regconfig, {_stripped(column)}), '{weight}') END)"
        for column, weight in texts
    ]
    return " || ".join(parts)


def _plain(texts):
    """The plain text of fields for fuzzy search: the non-empty stripped values joined by a space."""
    if not texts:
        return "''"
    return (
        "concat_ws(' ', " + ", ".join(f"NULLIF({_stripped(column)}, '')" for column, _weight in texts) + ")"
    )


def bulk_statement(model, backend):
    """(sql, params) of the INSERT … SELECT that indexes every row of `model`, or None when its entries
    must be built by the backend in Python."""
    if (
        model._meta.parents
        or model._meta.proxy
        or model.get_indexed_objects.__func__ is not Indexed.get_indexed_objects.__func__
        or any(other is not model and issubclass(other, model) for other in get_indexed_models())
    ):
        return None
    joins = []
    try:
        texts = _texts(model, model.get_search_fields(), "t", joins)
    except NotBulkIndexable:
        return None
    if not texts:
        return None
    title = [(column, weight) for kind, name, weight, column in texts if kind == "search" and name == "title"]
    body = [(column, weight) for kind, name, weight, column in texts if kind == "search" and name != "title"]
    autocomplete = [(column, weight) for kind, _name, weight, column in texts if kind == "autocomplete"]
    pk = model._meta.pk.column
    sql = f"""
        INSERT INTO "{IndexEntry._meta.db_table}"
            (content_type_id, object_id, title, autocomplete, body, title_norm, title_text, body_text)
        SELECT %(content_type)s, t."{pk}"::text, {_vector(title, "%(config)s")},
               {_vector(autocomplete, "%(autocomplete_config)s")}, {_vector(body, "%(config)s")}, 1.0,
               {_plain(title)}, {_plain(body)}
        FROM "{model._meta.db_table}" t {" ".join(joins)}
        ON CONFLICT (content_type_id, object_id)
        DO UPDATE SET title = EXCLUDED.title, title_norm = 1.0, autocomplete = EXCLUDED.autocomplete,
                      body = EXCLUDED.body, title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text
    """  # noqa: S608 - table and column names come from the models, values are parameters
    params = {
        "content_type": get_content_type_pk(model),
        "config": backend.config or "simple",
        "autocomplete_config": backend.autocomplete_config,
    }
    return sql, params


def _chunks(queryset, size):
    start = 0
    while chunk := list(queryset[start : start + size]):
        yield chunk
        start += size


def rebuild(log=None):
    """Rebuild the default search backend's index, the Atlas' models in bulk SQL where PostgreSQL's backend
    is used; returns the names of the models indexed in bulk."""
    backend = get_search_backend()
    if connection.vendor != "postgresql" or not isinstance(backend, PostgresSearchBackend):
        call_command("update_index", verbosity=0, chunk_size=INDEX_CHUNK)
        return []
    indexed = get_indexed_models()
    rebuilder = backend.rebuilder_class(backend.get_index_for_model(indexed[0]))
    index = rebuilder.start()
    bulk = []
    for model in indexed:
        index.add_model(model)
        statement = bulk_statement(model, backend)
        if statement:
            with connection.cursor() as cursor:
                cursor.execute(*statement)
                if log:
                    log(f"{model._meta.label}: {cursor.rowcount} entries in bulk")
            bulk.append(model._meta.label)
            continue
        for chunk in _chunks(model.get_indexed_objects().order_by("pk"), INDEX_CHUNK):
            index.add_items(model, chunk)
    rebuilder.finish()
    return bulk
