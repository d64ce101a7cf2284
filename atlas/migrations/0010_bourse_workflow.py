"""The moderation of the Bourse-projets: embassies submit, the Délégation validates and publishes."""

from django.db import migrations

DELEGATION_GROUP = "Administrateurs de la Délégation"
WORKFLOW_NAME = "Validation Bourse-projets"
TASK_NAME = "Validation par la Délégation"
# The workflow publishes as the approving user, through Wagtail's model permission "publish": the Délégation
# group must hold it (the admin's scoped policy decides everything else).
PERMISSIONS = ["add", "change", "delete", "publish", "lock", "unlock", "view"]


def create_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    Permission = apps.get_model("auth", "Permission")

    delegation, _ = Group.objects.get_or_create(name=DELEGATION_GROUP)
    project_type, _ = ContentType.objects.get_or_create(app_label="atlas", model="bourseproject")
    for action in PERMISSIONS:
        # On a fresh database permissions are created after the migrations: create the ones needed now.
        permission, _ = Permission.objects.get_or_create(
            content_type=project_type,
            codename=f"{action}_bourseproject",
            defaults={"name": f"Can {action} Bourse project"},
        )
        delegation.permissions.add(permission)
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    task.groups.add(delegation)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": 0})
    WorkflowContentType.objects.update_or_create(content_type=project_type, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("atlas", "0009_bourse"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(create_workflow, migrations.RunPython.noop)]
