"""Members' comments on experiences: what the page shows, the daily cap, reports and the moderators' review.

Who sees what on the experience page:
- everyone sees the visible comments;
- the author also sees their own comment when it is hidden, marked as seen by them only (so that a comment
  does not seem lost, and its author can still delete it);
- a moderator sees every comment, the hidden ones marked with their status and their number of reports.

Reports hide a comment: when TOURISM_REPORTS_TO_HIDE members have reported a visible comment *since the
last review by a moderator* (every report when no moderator has looked at it yet), it is hidden ("reported",
awaiting a moderator) and the moderators get one e-mail. Reports arriving afterwards, while it is hidden,
send nothing. A moderator who restores it records the review: the earlier reports then no longer count, and
it takes TOURISM_REPORTS_TO_HIDE new reports, made after the review, to hide it again (with a new e-mail).
A comment the moderator hid stays hidden whatever the reports.
"""

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.links import absolute
from portal.core.mail import send_mail_template

from .comment_forms import CommentForm, ReportForm
from .models import CommentReport, ExperienceComment
from .moderation import MODERATORS_GROUP, may_moderate_comments

DRAFT_SESSION_KEY = "tourism_comment_draft"
DRAFT_MAX_LENGTH = 10_000  # what a refused comment keeps in the session to give back, at most
ANCHOR = "commentaires"
# The query-string parameters that open the confirmation step of a report or a deletion, without JavaScript.
REPORT_PARAM = "signaler"
DELETE_PARAM = "supprimer"
ADMIN_INDEX_URL_NAME = "tourism_comments:index"
ADMIN_EDIT_URL_NAME = "tourism_comments:edit"


def comments_per_day():
    return settings.TOURISM_COMMENTS_PER_DAY


def reports_to_hide():
    return settings.TOURISM_REPORTS_TO_HIDE


def _count(queryset):
    return Coalesce(
        Subquery(queryset.order_by().values("comment").annotate(n=Count("pk")).values("n")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def with_report_counts(queryset):
    """Each comment's number of reports, and of reports since the moderator's last review (subqueries, so
    that filters on the reports elsewhere cannot change the counts)."""
    reports = CommentReport.objects.filter(comment=OuterRef("pk"))
    since_review = reports.filter(
        Q(comment__reviewed_at__isnull=True) | Q(created_at__gt=OuterRef("reviewed_at"))
    )
    return queryset.annotate(report_count=_count(reports), new_report_count=_count(since_review))


def public_name(user):
    """First name and initial of the last name, as comments are signed: never the e-mail or username."""
    first = (user.first_name or "").strip()
    last = (user.last_name or "").strip()
    if not first:
        return _("A member")
    return f"{first} {last[0]}." if last else first


def written_today(user):
    return ExperienceComment.objects.filter(
        author=user, created_at__gte=timezone.now() - timedelta(days=1)
    ).count()


def page_link(page, request, fragment=ANCHOR, **query):
    """The experience page's address with its comments' anchor, for the views' redirects."""
    url = page.get_url(request=request) or "/"
    if query:
        url += "?" + urlencode(query)
    return f"{url}#{fragment}" if fragment else url


def _int_param(request, name):
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return None


# The draft given back when a comment is refused --------------------------------------------------------


def keep_draft(request, page, body, error):
    request.session[DRAFT_SESSION_KEY] = {"page": page.pk, "body": body[:DRAFT_MAX_LENGTH], "error": error}


def take_draft(request, page):
    session = getattr(request, "session", None)
    if session is None:
        return None
    draft = session.get(DRAFT_SESSION_KEY)
    if not isinstance(draft, dict) or draft.get("page") != page.pk:
        return None
    del session[DRAFT_SESSION_KEY]
    return draft


# The page's context -------------------------------------------------------------------------------------


def visible_to(user, page, may_moderate):
    comments = ExperienceComment.objects.filter(experience=page)
    if may_moderate:
        return comments
    if user.is_authenticated:
        return comments.filter(Q(status=ExperienceComment.Status.VISIBLE) | Q(author=user))
    return comments.shown()


def comments_context(page, request):
    """What templates/tourism/includes/comments.html needs, in a fixed number of queries."""
    user = request.user
    if page.pk is None:  # the preview of a page never saved
        return {"comments": [], "comment_count": 0, "may_comment": False, "may_moderate": False}
    may_moderate = may_moderate_comments(user)
    comments = list(
        with_report_counts(visible_to(user, page, may_moderate))
        .select_related("author")
        .order_by("created_at", "pk")
    )
    for comment in comments:
        comment.author_name = public_name(comment.author)
        comment.is_mine = comment.author_id == user.pk
        comment.is_visible = comment.status == ExperienceComment.Status.VISIBLE
        # What this user may do with it, set below for members.
        comment.reported_by_me = comment.may_report = comment.may_delete = comment.has_buttons = False

    context = {
        "comments": comments,
        "comment_count": sum(1 for comment in comments if comment.is_visible),
        "may_moderate": may_moderate,
        "may_comment": False,
        "comment_form": None,
        "comment_cap_reached": False,
        "comments_per_day": comments_per_day(),
        "reported_comment_ids": set(),
        "report_comment_id": None,
        "report_form": None,
        "delete_comment_id": None,
        "comments_anchor": ANCHOR,
        "comment_page_url": page.get_url(request=request) or "",
    }
    if not user.is_authenticated:
        next_url = page_link(page, request)
        context["login_url"] = f"{reverse('accounts:login')}?{urlencode({'next': next_url})}"
        return context

    context["reported_comment_ids"] = set(
        CommentReport.objects.filter(reporter=user, comment__experience=page).values_list(
            "comment_id", flat=True
        )
    )
    reportable = {comment.pk for comment in comments if comment.is_visible and not comment.is_mine}
    report_id = _int_param(request, REPORT_PARAM)
    if report_id in reportable and report_id not in context["reported_comment_ids"]:
        context["report_comment_id"] = report_id
        context["report_form"] = ReportForm(auto_id=f"report_{report_id}_%s")
    delete_id = _int_param(request, DELETE_PARAM)
    if any(comment.pk == delete_id and comment.is_mine for comment in comments):
        context["delete_comment_id"] = delete_id
    for comment in comments:
        comment.reported_by_me = comment.pk in context["reported_comment_ids"]
        comment.may_report = (
            comment.is_visible
            and not comment.is_mine
            and not comment.reported_by_me
            and comment.pk != context["report_comment_id"]
        )
        comment.may_delete = comment.is_mine and comment.pk != context["delete_comment_id"]
        comment.has_buttons = (
            comment.may_report or comment.reported_by_me or comment.may_delete or may_moderate
        )

    if page.live and not getattr(request, "is_preview", False):
        draft = take_draft(request, page)
        context["may_comment"] = True
        context["comment_cap_reached"] = written_today(user) >= comments_per_day()
        context["comment_form"] = CommentForm.given_back(draft)
    return context


# Reports and reviews ------------------------------------------------------------------------------------


def hide_if_reported(comment):
    """Hides a visible comment reported enough since the last review; True when it is hidden now."""
    if comment.status != ExperienceComment.Status.VISIBLE:
        return False
    reports = comment.reports.all()
    if comment.reviewed_at is not None:
        reports = reports.filter(created_at__gt=comment.reviewed_at)
    if reports.count() < reports_to_hide():
        return False
    comment.status = ExperienceComment.Status.REPORTED
    comment.save(update_fields=["status"])
    return True


def review(comment, status, moderator):
    """A moderator's decision, from the page or the admin: the status, and when and by whom."""
    comment.status = status
    comment.reviewed_at = timezone.now()
    comment.reviewed_by = moderator
    comment.save(update_fields=["status", "reviewed_at", "reviewed_by"])


def moderators():
    """The active tourism moderators with an address (the mailer sends one message per address)."""
    users = get_user_model().objects.filter(groups__name=MODERATORS_GROUP, is_active=True).exclude(email="")
    return list(users.distinct().order_by("email", "pk"))


def tell_moderators(comment, request=None):
    """One e-mail to each tourism moderator when reports have just hidden a comment."""
    recipients = moderators()
    if not recipients:
        return
    page = comment.experience
    context = {
        "comment": comment,
        "page": page,
        "author_name": public_name(comment.author),
        "reports": list(comment.reports.order_by("created_at")),
        "page_link": absolute(page.url, request) if page.url else "",
        "edit_link": absolute(reverse(ADMIN_EDIT_URL_NAME, args=[comment.pk]), request),
        "listing_link": absolute(reverse(ADMIN_INDEX_URL_NAME) + "?awaiting=true", request),
    }
    send_mail_template("tourism/emails/comment_hidden", context, recipients)
