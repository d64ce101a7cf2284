from django.db import migrations

def forwards(apps, schema_editor):
    from tourism.models.themes import ensure_default_themes
    from tourism.moderation import ensure_tourism_workflow, tourism_home_id

    ensure_default_themes(apps.get_model("tourism", "TourismTheme"))
    ensure_tourism_workflow(apps, tourism_home_id(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("tourism", "0002_experiences_resources_events_comments"),
        ("pages", "0003_editorial_workflow"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
