"""Members' experiences, written outside the admin: creating, saving drafts, submitting to the moderators,
withdrawing, and the state the author sees. No HTTP here (tourism.contribution_views is the member's side).

An experience is a Wagtail page owned by its author. Every change is a new revision: a published experience
keeps showing its live version until the moderators approve the new one in the admin (the workflow
"Modération tourisme", tourism.moderation).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from wagtail.models import PageLogEntry, WorkflowState

from atlas.models.records import point

from .models import ExperienceAuthority, ExperienceIndexPage, ExperiencePage, ExperienceProject
from .moderation import moderator_comment

CREATE_ACTION = "wagtail.create"
# Marks the creation log entry of an experience a member wrote with the site's form. The daily limit counts
# only these: pages created for a member otherwise (the demo content, an import, the admin) are not theirs
# to answer for.
WRITTEN_BY_MEMBER = {"source": "member_form"}


class ContributionError(Exception):
    """What a member may not do now; its message is for them."""


class NotTheAuthor(ContributionError):
    pass


class DailyLimitReached(ContributionError):
    pass


class AlreadyInModeration(ContributionError):
    pass


class NotInModeration(ContributionError):
    pass


class NoModeration(ContributionError):
    pass


class Incomplete(ContributionError):
    def __init__(self, missing):
        super().__init__(", ".join(missing))
        self.missing = missing


# The daily limit --------------------------------------------------------------------------------------------


def contributions_per_day():
    return getattr(settings, "TOURISM_CONTRIBUTIONS_PER_DAY", 5)


def contributions_today(user):
    """How many experiences the member wrote with the site's form in the last 24 hours (deleted ones count
    too: the log entry stays)."""
    return PageLogEntry.objects.filter(
        action=CREATE_ACTION,
        user=user,
        data__source=WRITTEN_BY_MEMBER["source"],
        content_type=ContentType.objects.get_for_model(ExperiencePage),
        timestamp__gte=timezone.now() - timedelta(hours=24),
    ).count()


def may_create(user):
    return contributions_today(user) < contributions_per_day()


def limit_message():
    count = contributions_per_day()
    return ngettext(
        "You have already written %(count)d experience in the last 24 hours, the most allowed: "
        "you may write a new one tomorrow.",
        "You have already written %(count)d experiences in the last 24 hours, the most allowed: "
        "you may write a new one tomorrow.",
        count,
    ) % {"count": count}


def experiences_index():
    return ExperienceIndexPage.objects.live().order_by("path").first()


# Writing ----------------------------------------------------------------------------------------------------


def check_author(page, user):
    """Only the page's owner writes, submits or withdraws it (the views answer 404 to anybody else)."""
    if page.owner_id is None or page.owner_id != user.pk:
        raise NotTheAuthor(_("Only its author may change this experience."))


def draft_of(page):
    """The experience as its author last saved it (the latest revision), maybe not the live version."""
    return page.get_latest_revision_as_object()


def apply(page, form, photos):
    """Puts the form's values and the photos on the page (an unsaved object: nothing is written here)."""
    data = form.cleaned_data
    for name in ("title", "summary", "body", "country", "place_name", "results", "lessons"):
        setattr(page, name, data[name])
    if "organisation" in form.fields:
        page.organisation = data.get("organisation")
    latitude, longitude = data.get("latitude"), data.get("longitude")
    country = data.get("country")
    if latitude is None and country is not None and country.latitude is not None:
        latitude, longitude = country.latitude, country.longitude
    page.location = point(float(latitude), float(longitude)) if latitude is not None else ""
    page.latitude = page.longitude = None
    page.sync_coordinates()
    page.themes.set(data["themes"])
    page.authority_links = [
        ExperienceAuthority(authority=authority, sort_order=position)
        for position, authority in enumerate(data["authorities"])
    ]
    page.project_links = [
        ExperienceProject(project=project, sort_order=position)
        for position, project in enumerate(data["projects"])
    ]
    page.photos = photos
    return page


@transaction.atomic
def create_experience(user, form, photos):
    """A new draft experience of the member under the live index of experiences, with its first revision."""
    # One creation at a time per member, so that two quick submissions cannot both pass the limit.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if not may_create(user):
        raise DailyLimitReached(limit_message())
    index = experiences_index()
    if index is None:
        raise NoModeration(_("The platform does not take experiences yet."))
    page = ExperiencePage(owner=user, live=False, has_unpublished_changes=True)
    apply(page, form, photos)
    index.add_child(instance=page)
    # Wagtail's Page.save() logs the creation by the owner; marked as written here, the daily limit counts it.
    created = PageLogEntry.objects.filter(page=page, action=CREATE_ACTION)
    if created.exists():
        created.update(data=WRITTEN_BY_MEMBER)
    else:
        PageLogEntry.objects.log_action(page, CREATE_ACTION, user=user, data=WRITTEN_BY_MEMBER)
    page.save_revision(user=user)
    return page


def save_draft(draft, user, form, photos):
    """A new revision of the experience; a live experience keeps its published version."""
    check_author(draft, user)
    if draft.workflow_in_progress:
        raise AlreadyInModeration(
            _("This experience is with the moderators: withdraw it first to change it.")
        )
    title_before = draft.title
    apply(draft, form, photos)
    if draft.first_published_at is None and draft.title != title_before:
        draft.slug = ""  # never published: the address follows the new title (Wagtail makes it again)
    draft.save_revision(user=user, log_action=True)
    return draft


def missing_for_submission(draft):
    """The names of the fields a submission needs and the saved draft lacks ("photos" for the photos)."""
    missing = []
    if not (draft.title or "").strip():
        missing.append("title")
    if not (draft.summary or "").strip():
        missing.append("summary")
    if not (draft.body or "").strip():
        missing.append("body")
    if draft.country_id is None:
        missing.append("country")
    if not draft.themes.all():
        missing.append("themes")
    if not draft.photos.all():
        missing.append("photos")
    return missing


@transaction.atomic
def submit(page, user):
    """Sends the latest revision to the moderators (Wagtail e-mails them); returns the workflow state."""
    page = ExperiencePage.objects.select_for_update().get(pk=page.pk)
    check_author(page, user)
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        raise AlreadyInModeration(_("This experience is already with the moderators."))
    missing = missing_for_submission(draft_of(page))
    if missing:
        raise Incomplete(missing)
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        # Sent back by a moderator: the same workflow goes on with the new revision, as in the admin.
        state.resume(user)
        return state
    workflow = page.get_workflow()
    if workflow is None:
        raise NoModeration(_("Moderation is not open yet: your draft is saved, submit it later."))
    return workflow.start(page, user)


@transaction.atomic
def withdraw(page, user):
    """The author takes the experience back from the moderators, to change it."""
    check_author(page, user)
    state = page.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_IN_PROGRESS:
        raise NotInModeration(_("This experience is not with the moderators."))
    state.cancel(user=user)
    return state


# What the author sees ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class State:
    code: str
    label: str
    badge: str  # the DSFR badge's modifier ("" for the neutral badge)
    comment: str = ""

    @property
    def in_moderation(self):
        return self.code in (IN_MODERATION, PUBLISHED_CHANGES_IN_MODERATION)

    @property
    def editable(self):
        return not self.in_moderation

    @property
    def changes_requested(self):
        return self.code in (CHANGES_REQUESTED, PUBLISHED_CHANGES_REQUESTED)

    @property
    def published(self):
        return self.code.startswith("published")


DRAFT = "draft"
IN_MODERATION = "in_moderation"
CHANGES_REQUESTED = "changes_requested"
PUBLISHED = "published"
PUBLISHED_DRAFT = "published_draft"
PUBLISHED_CHANGES_IN_MODERATION = "published_changes_in_moderation"
PUBLISHED_CHANGES_REQUESTED = "published_changes_requested"


def state_of(page):
    """Where the experience stands, for its author. Reads page.live, page.has_unpublished_changes and the
    active workflow state (prefetched by `owned_by`, else one query), and the moderator's comment."""
    workflow_state = page.current_workflow_state
    status = workflow_state.status if workflow_state else None
    comment = ""
    if status == WorkflowState.STATUS_NEEDS_CHANGES:
        # The rejected task is the current one: its comment is the moderator's (no query when prefetched).
        task_state = workflow_state.current_task_state
        comment = (task_state.comment if task_state else moderator_comment(workflow_state)) or ""
    if page.live:
        if status == WorkflowState.STATUS_IN_PROGRESS:
            label = pgettext("experience state", "Published, changes with the moderators")
            return State(PUBLISHED_CHANGES_IN_MODERATION, label, "info")
        if status == WorkflowState.STATUS_NEEDS_CHANGES:
            label = pgettext("experience state", "Published, changes requested")
            return State(PUBLISHED_CHANGES_REQUESTED, label, "warning", comment)
        if page.has_unpublished_changes:
            label = pgettext("experience state", "Published, changes not submitted")
            return State(PUBLISHED_DRAFT, label, "new")
        return State(PUBLISHED, pgettext("experience state", "Published"), "success")
    if status == WorkflowState.STATUS_IN_PROGRESS:
        return State(IN_MODERATION, pgettext("experience state", "With the moderators"), "info")
    if status == WorkflowState.STATUS_NEEDS_CHANGES:
        label = pgettext("experience state", "Changes requested")
        return State(CHANGES_REQUESTED, label, "warning", comment)
    return State(DRAFT, pgettext("experience state", "Draft"), "")


def owned_by(user):
    """The member's experiences, latest change first, with what `state_of` reads already fetched."""
    # Wagtail's prefetch_workflow_states() follows the base content type, which a queryset of ExperiencePage
    # does not match (Django ticket 31269): the specific relation is the one to prefetch here.
    active_states = WorkflowState.objects.active().select_related("current_task_state__task")
    return (
        # The English tree's aliases of the member's pages (pages/translation.py) are not his to list twice.
        ExperiencePage.objects.filter(owner=user, alias_of__isnull=True)
        .order_by("-latest_revision_created_at", "-pk")
        .prefetch_related(
            Prefetch("_specific_workflow_states", queryset=active_states, to_attr="_current_workflow_states")
        )
    )
