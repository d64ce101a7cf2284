"""Members' comments on experiences: write, report, delete one's own; moderators hide and restore.

Every view answers a POST from a logged-in member and redirects to the experience page's comments with a
message, so that all of it works without JavaScript. A report and a deletion take two steps: the first POST
changes nothing and opens the confirmation on the page (?signaler= or ?supprimer=), the second carries
"confirm". Every refusal changes nothing; a comment that is not the member's to delete is a 404.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wagtail.log_actions import log

from portal.core.honeypot import is_robot

from .comment_forms import CommentForm, ReportForm
from .comments import (
    DELETE_PARAM,
    REPORT_PARAM,
    comments_per_day,
    hide_if_reported,
    keep_draft,
    page_link,
    review,
    tell_moderators,
    written_today,
)
from .models import CommentReport, ExperienceComment, ExperiencePage
from .moderation import may_moderate_comments

HIDDEN_ACTION = "tourism.comment_hidden"
RESTORED_ACTION = "tourism.comment_restored"


def refused_robot():
    return HttpResponseBadRequest(_("This form could not be sent."), content_type="text/plain; charset=utf-8")


@login_required
@require_POST
def add(request, pk):
    page = get_object_or_404(ExperiencePage.objects.live(), pk=pk)
    if is_robot(request):
        return refused_robot()
    back = page_link(page, request)
    body = request.POST.get("body", "")
    form = CommentForm(request.POST)
    if not form.is_valid():
        error = " ".join(form.errors.get("body", [])) or _("Your comment could not be published.")
        keep_draft(request, page, body, error)
        messages.error(request, error)
        return redirect(back)

    limit = comments_per_day()
    with transaction.atomic():
        # Locks the member's row so that simultaneous posts cannot overstep the limit together.
        get_user_model().objects.select_for_update().get(pk=request.user.pk)
        capped = written_today(request.user) >= limit
        if not capped:
            ExperienceComment.objects.create(
                experience=page, author=request.user, body=form.cleaned_data["body"]
            )
    if capped:
        error = _(
            "You have already written %(limit)d comments in the last 24 hours: this one is not published. "
            "Your text is kept below; try again tomorrow."
        ) % {"limit": limit}
        keep_draft(request, page, body, error)
        messages.error(request, error)
        return redirect(back)
    messages.success(request, _("Your comment is published."))
    return redirect(back)


@login_required
@require_POST
def report(request, pk):
    comment = get_object_or_404(
        ExperienceComment.objects.shown().select_related("experience"), pk=pk, experience__live=True
    )
    if is_robot(request):
        return refused_robot()
    page = comment.experience
    if comment.author_id == request.user.pk:
        messages.error(request, _("You cannot report your own comment."))
        return redirect(page_link(page, request))
    if CommentReport.objects.filter(comment=comment, reporter=request.user).exists():
        messages.info(request, _("You have already reported this comment: the moderators know about it."))
        return redirect(page_link(page, request))
    if not request.POST.get("confirm"):
        return redirect(page_link(page, request, f"commentaire-{comment.pk}", **{REPORT_PARAM: comment.pk}))
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("reason", [])))
        return redirect(page_link(page, request, f"commentaire-{comment.pk}", **{REPORT_PARAM: comment.pk}))

    with transaction.atomic():
        # Locks the comment so that simultaneous reports count once each and hide it once.
        comment = ExperienceComment.objects.select_for_update().get(pk=comment.pk)
        _report, created = CommentReport.objects.get_or_create(
            comment=comment, reporter=request.user, defaults={"reason": form.cleaned_data["reason"]}
        )
        hidden = created and hide_if_reported(comment)
    if not created:
        messages.info(request, _("You have already reported this comment: the moderators know about it."))
    elif hidden:
        comment.experience = page
        tell_moderators(comment, request)
        messages.success(
            request, _("Thank you for your report. The comment is hidden until a moderator looks at it.")
        )
    else:
        messages.success(request, _("Thank you for your report: the moderators will look at this comment."))
    return redirect(page_link(page, request))


@login_required
@require_POST
def delete(request, pk):
    comment = get_object_or_404(
        ExperienceComment.objects.select_related("experience"), pk=pk, author=request.user
    )
    page = comment.experience
    if not request.POST.get("confirm"):
        return redirect(page_link(page, request, f"commentaire-{comment.pk}", **{DELETE_PARAM: comment.pk}))
    comment.delete()
    messages.success(request, _("Your comment is deleted."))
    return redirect(page_link(page, request))


@login_required
@require_POST
def moderate(request, pk):
    if not may_moderate_comments(request.user):
        raise PermissionDenied
    comment = get_object_or_404(ExperienceComment.objects.select_related("experience"), pk=pk)
    action = request.POST.get("action")
    if action == "hide":
        review(comment, ExperienceComment.Status.HIDDEN, request.user)
        log(instance=comment, action=HIDDEN_ACTION, user=request.user)
        messages.success(request, _("The comment is hidden."))
    elif action == "restore":
        review(comment, ExperienceComment.Status.VISIBLE, request.user)
        log(instance=comment, action=RESTORED_ACTION, user=request.user)
        messages.success(request, _("The comment is visible again."))
    else:
        return HttpResponseBadRequest()
    return redirect(page_link(comment.experience, request))
