from django.db import migrations

THEMES = [
    ("Tourisme solidaire", "tourisme-solidaire"),
    ("Écotourisme", "ecotourisme"),
    ("Patrimoine", "patrimoine"),
    ("Tourisme rural", "tourisme-rural"),
    ("Échanges de jeunes", "echanges-de-jeunes"),
]


def forwards(apps, schema_editor):
    from tourism.moderation import ensure_tourism_workflow, tourism_home_id

    TourismTheme = apps.get_model("tourism", "TourismTheme")
    for name, slug in THEMES:
        TourismTheme.objects.get_or_create(slug=slug, defaults={"name": name})
    ensure_tourism_workflow(apps, tourism_home_id(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("tourism", "0002_experiences_resources_events_comments"),
        ("pages", "0003_editorial_workflow"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
