"""The seed indexes the Atlas for the site search in bulk SQL on PostgreSQL: the entries must be exactly
those Wagtail's `update_index` writes, or searches would find other records after a seed than after an
edit. Run with DATABASE_URL pointing to PostgreSQL; on SQLite the seed runs update_index itself."""

from io import StringIO

import pytest

from django.core.management import call_command
from django.db import connection

from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from atlas import search_index, seeding
from atlas.models import Authority, PartnerAuthority, Project
from tests.atlas.factories import (
    AuthorityFactory,
    CooperationFactory,
    PartnerAuthorityFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the bulk index is PostgreSQL's (SQLite keeps update_index)"
)

TABLE = IndexEntry._meta.db_table


def entries():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT content_type_id, object_id, title::text, autocomplete::text, body::text, "  # noqa: S608
            f"round(title_norm::numeric, 9), title_text, body_text FROM {TABLE} "
            "ORDER BY content_type_id, object_id"
        )
        return cursor.fetchall()


@pytest.fixture
def records(db):
    seeding.seed(seeding.SCALES["small"], log=lambda message: None)
    # Texts that test the edges of the backend's own indexing: surrounding whitespace, an empty or
    # stop-words-only field, accents, apostrophes, hyphens, digits.
    cooperation = CooperationFactory(
        authority=AuthorityFactory(name="  Saint-Étienne-du-Rouvray ", code="76575"),
        partner=PartnerAuthorityFactory(name="L’Haÿ-les-Roses\t"),
    )
    ProjectFactory(
        title="\nAccès à l’eau  potable ", summary="de la", description="", cooperation=cooperation
    )
    ProjectFactory(
        title="Les eaux de Thiès – phase 2", summary=" ", description="Forages\n\n", cooperation=cooperation
    )


def test_the_bulk_index_equals_update_index(records):
    call_command("update_index", verbosity=0)
    expected = entries()
    assert len(expected) > Project.objects.count() + Authority.objects.count()

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
    bulk = search_index.rebuild()

    assert {"atlas.Authority", "atlas.PartnerAuthority", "atlas.Project"} <= set(bulk)
    assert entries() == expected


def test_the_bulk_index_updates_entries_that_are_already_there(records):
    project = Project.objects.get(title__contains="Thiès")
    call_command("update_index", verbosity=0)
    expected = entries()
    with connection.cursor() as cursor:
        # An entry left by a record the reset kept, out of date.
        cursor.execute(
            f"UPDATE {TABLE} SET title = to_tsvector('obsolete'), title_text = 'obsolete' "  # noqa: S608
            "WHERE object_id = %s",
            [str(project.pk)],
        )
    search_index.rebuild()
    assert entries() == expected


def test_a_seeded_record_is_found_by_the_site_search(records):
    search_index.rebuild()
    partner = PartnerAuthority.objects.get(name__startswith="L’Haÿ")
    backend = get_search_backend()
    assert [found.pk for found in backend.search("hay roses", PartnerAuthority)] == [partner.pk]
    titles = {found.title for found in backend.search("eau", Project)}
    assert {"\nAccès à l’eau  potable ", "Les eaux de Thiès – phase 2"} <= titles


def test_seed_atlas_indexes_and_analyzes_what_it_built(db):
    call_command("seed_atlas", scale="small", reset=True, stdout=StringIO())
    project = Project.objects.order_by("pk").first()
    word = project.title.split()[-1]
    found = get_search_backend().search(word, Project)
    assert project.pk in {result.pk for result in found}
    # The planner knows the new rows at once (ANALYZE; a fresh table has reltuples -1 until analyzed).
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'atlas_project'")
        assert cursor.fetchone()[0] == Project.objects.count()
