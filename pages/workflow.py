"""The editorial workflow: communication officers write, the editor-in-chief validates and publishes.

Written against an `apps` registry so that the data migration (historical models) and the demo command
(real models, once the rubric exists) share it; every step is idempotent.
"""

from portal.core.workflow import ensure_group_workflow

COMMUNICATION_GROUP = "Chargés de communication"
EDITOR_IN_CHIEF_GROUP = "Rédaction en chef"
WORKFLOW_NAME = "Validation éditoriale"
TASK_NAME = "Validation par la rédaction en chef"

PAGE_PERMISSIONS = {
    COMMUNICATION_GROUP: ["add_page", "change_page"],
    EDITOR_IN_CHIEF_GROUP: ["add_page", "change_page", "publish_page"],
}


def ensure_editorial_workflow(apps, rubric_id=None):
    """Creates the editorial groups, their permissions, the workflow and its task; attaches it to a rubric."""
    return ensure_group_workflow(
        apps,
        workflow_name=WORKFLOW_NAME,
        task_name=TASK_NAME,
        approvers=EDITOR_IN_CHIEF_GROUP,
        page_permissions=PAGE_PERMISSIONS,
        page_id=rubric_id,
    )


def rubric_id(apps):
    RubricPage = apps.get_model("pages", "RubricPage")
    return RubricPage.objects.values_list("pk", flat=True).first()
