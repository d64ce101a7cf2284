"""The "french" collation of portal/core/collation.py: ICU's French on PostgreSQL. CreateCollation does nothing on
SQLite, where portal/core/collation.py registers a Python function under the same name on each connection."""

from django.contrib.postgres.operations import CreateCollation
from django.db import migrations

from portal.core.collation import FRENCH


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [CreateCollation(FRENCH, locale="fr", provider="icu")]
