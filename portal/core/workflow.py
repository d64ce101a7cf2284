"""Approval workflows and permissions written against an `apps` registry, so that data migrations
(historical models) and demo commands (real models) share them; every step is idempotent. The editorial
workflow (pages.workflow) and the tourism moderation (tourism.moderation) are built with them."""

# Media the writers pick or upload, in every collection (granted on the root collection).
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", "add_image"),
    ("wagtailimages", "image", "choose_image"),
    ("wagtaildocs", "document", "add_document"),
    ("wagtaildocs", "document", "choose_document"),
]


def ensure_permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    # On a fresh database permissions are created after the migrations: create the one needed now.
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": codename.replace("_", " ").capitalize()},
    )
    return permission


def ensure_group_workflow(apps, *, workflow_name, task_name, approvers, page_permissions, page_id=None):
    """One approval workflow of the portal: the groups of `page_permissions` (with admin access, media and
    their page permissions on `page_id`), one group-approval task for `approvers`, attached to that page."""
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    access_admin = ensure_permission(apps, "wagtailadmin", "admin", "access_admin")
    groups = {}
    for name in page_permissions:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        groups[name] = group

    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection:
        for app_label, model, codename in COLLECTION_PERMISSIONS:
            permission = ensure_permission(apps, app_label, model, codename)
            for group in groups.values():
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )

    task = GroupApprovalTask.objects.filter(name=task_name).first()
    if task is None:
        task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
        task = GroupApprovalTask.objects.create(name=task_name, content_type=task_type, active=True)
    task.groups.add(groups[approvers])
    workflow, _ = Workflow.objects.get_or_create(name=workflow_name, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": 0})

    if page_id is not None:
        for name, codenames in page_permissions.items():
            for codename in codenames:
                GroupPagePermission.objects.get_or_create(
                    group=groups[name],
                    page_id=page_id,
                    permission=ensure_permission(apps, "wagtailcore", "page", codename),
                )
        WorkflowPage.objects.update_or_create(page_id=page_id, defaults={"workflow": workflow})
    return workflow
