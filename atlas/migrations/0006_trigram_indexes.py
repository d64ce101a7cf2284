"""Trigram indexes for the Atlas keyword search on PostgreSQL: `icontains` (UPPER(col) LIKE '%word%') then
reads an index instead of every row. SQLite has no equivalent and does not need one at its scale."""

from django.db import migrations

INDEXES = [
    ("atlas_project_title_trgm", "atlas_project", "title"),
    ("atlas_project_summary_trgm", "atlas_project", "summary"),
    ("atlas_authority_name_trgm", "atlas_authority", "name"),
    ("atlas_partner_name_trgm", "atlas_partnerauthority", "name"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("atlas", "0005_recent_first_index")]
    operations = [migrations.RunPython(create, drop)]
