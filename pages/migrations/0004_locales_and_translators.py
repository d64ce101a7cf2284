from django.db import migrations


def create_locales_and_translators(apps, schema_editor):
    from pages.translation import ensure_locales, ensure_translators

    ensure_locales(apps)
    ensure_translators(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0003_editorial_workflow"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(create_locales_and_translators, migrations.RunPython.noop)]
