from django.db import migrations


def create_workflow(apps, schema_editor):
    from pages.workflow import ensure_editorial_workflow, rubric_id

    ensure_editorial_workflow(apps, rubric_id(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0002_feature_pages_and_contact"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_workflow, migrations.RunPython.noop)]
