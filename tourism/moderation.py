"""Moderation of the platform: the tourism workflow, who moderates, and what the author is told.

Members write experiences outside the admin; the tourism moderators approve or send them back in the
Wagtail admin with Wagtail's own workflow ("Modération tourisme", attached to the platform's home). The
author hears of the outcome from us, in French and with a link to their contributions, rather than from
Wagtail's admin notifications, which point to an admin they cannot open.
"""

from django.urls import reverse

from wagtail.admin.mail import WorkflowStateApprovalEmailNotifier, WorkflowStateRejectionEmailNotifier
from wagtail.models import Page, WorkflowState
from wagtail.signals import workflow_approved, workflow_rejected

from portal.accounts.scope import DELEGATION_GROUP
from portal.core.links import absolute
from portal.core.mail import send_mail_template
from portal.core.workflow import ensure_group_workflow, ensure_permission

MODERATORS_GROUP = "Modérateurs tourisme"
WORKFLOW_NAME = "Modération tourisme"
TASK_NAME = "Validation par la modération tourisme"
PAGE_PERMISSIONS = {MODERATORS_GROUP: ["add_page", "change_page", "publish_page"]}
# Model permissions of the moderators: comments (hide, restore) and the list of themes.
MODERATOR_PERMISSIONS = [
    ("experiencecomment", "view_experiencecomment"),
    ("experiencecomment", "change_experiencecomment"),
    ("tourismtheme", "add_tourismtheme"),
    ("tourismtheme", "change_tourismtheme"),
]
COMMENT_MODERATION_PERMISSION = "tourism.change_experiencecomment"


def ensure_tourism_workflow(apps, home_id=None):
    """Idempotent: the moderators' group and permissions, the workflow, attached to the platform's home."""
    workflow = ensure_group_workflow(
        apps,
        workflow_name=WORKFLOW_NAME,
        task_name=TASK_NAME,
        approvers=MODERATORS_GROUP,
        page_permissions=PAGE_PERMISSIONS,
        page_id=home_id,
    )
    Group = apps.get_model("auth", "Group")
    for group_name in (MODERATORS_GROUP, DELEGATION_GROUP):
        group, _ = Group.objects.get_or_create(name=group_name)
        for model, codename in MODERATOR_PERMISSIONS:
            group.permissions.add(ensure_permission(apps, "tourism", model, codename))
    return workflow


def tourism_home_id(apps):
    TourismHomePage = apps.get_model("tourism", "TourismHomePage")
    return TourismHomePage.objects.values_list("pk", flat=True).first()


def may_moderate_comments(user):
    return user.is_authenticated and user.is_active and user.has_perm(COMMENT_MODERATION_PERMISSION)


def is_contribution(obj):
    """Whether a workflow's object is a member's experience (workflows also run on snippets)."""
    from .models import ExperiencePage

    return isinstance(obj, Page) and issubclass(obj.specific_class or type(obj), ExperiencePage)


# Wagtail's notifiers, minus the members' contributions (told by `tell_author` below). They are connected
# from TourismConfig.ready() under Wagtail's own dispatch_uid, before wagtail.admin connects its own: a
# signal keeps the first receiver of a dispatch_uid, so Wagtail's plain notifiers are then not added.
class _SkipContributions:
    def can_handle(self, instance, **kwargs):
        return super().can_handle(instance, **kwargs) and not is_contribution(instance.content_object)


class ApprovalNotifier(_SkipContributions, WorkflowStateApprovalEmailNotifier):
    pass


class RejectionNotifier(_SkipContributions, WorkflowStateRejectionEmailNotifier):
    pass


approval_notifier = ApprovalNotifier()
rejection_notifier = RejectionNotifier()


def connect_notifiers():
    workflow_rejected.connect(
        rejection_notifier, sender=WorkflowState, dispatch_uid="workflow_state_rejected_email_notification"
    )
    workflow_approved.connect(
        approval_notifier, sender=WorkflowState, dispatch_uid="workflow_state_approved_email_notification"
    )
    workflow_rejected.connect(tell_author, sender=WorkflowState, dispatch_uid="tourism_tell_author_rejected")
    workflow_approved.connect(tell_author, sender=WorkflowState, dispatch_uid="tourism_tell_author_approved")


def moderator_comment(workflow_state):
    task_state = workflow_state.task_states.order_by("-finished_at", "-pk").first()
    return (task_state.comment if task_state else "") or ""


def tell_author(sender, instance, user=None, **kwargs):
    """E-mails the author of an experience when the moderator approves it or sends it back."""
    page = instance.content_object
    if not is_contribution(page):
        return
    page = page.specific
    author = instance.requested_by or page.owner
    if author is None or not author.email or author == user:
        return
    approved = instance.status == WorkflowState.STATUS_APPROVED
    context = {
        "author": author,
        "page": page,
        "approved": approved,
        "comment": moderator_comment(instance),
        "page_link": absolute(page.url) if approved and page.live and page.url else "",
        "contributions_link": absolute(reverse("tourism:contributions")),
    }
    send_mail_template("tourism/emails/moderation", context, author)
