"""The responsible-tourism platform in the Wagtail admin: one "Tourisme responsable" menu with the themes
and the members' comments, and the count of comments awaiting a moderator on the dashboard.

Comments are written on the site and deleted only by their author: the admin lists them and lets a
moderator (model permission tourism.change_experiencecomment) show or hide each one. Nobody adds or deletes
a comment here, not even a superuser.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList, Panel
from wagtail.admin.site_summary import SummaryItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import EditView, IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet

from atlas.panels import AUTHORITY_SECTIONS
from portal.accounts.choosers import ScopedChooserMixin

from .comment_filters import CommentFilterSet
from .comment_forms import CommentModerationForm
from .comment_views import HIDDEN_ACTION, RESTORED_ACTION
from .comments import ADMIN_INDEX_URL_NAME, with_report_counts
from .links import experiences_about
from .models import ExperienceComment, TourismTheme
from .moderation import may_moderate_comments

# Themes ----------------------------------------------------------------------------------------------------


class TourismThemeViewSet(ScopedChooserMixin, SnippetViewSet):
    model = TourismTheme
    icon = "tag"
    menu_label = _("Themes")
    menu_item_is_registered = True  # in the "Tourisme responsable" menu, not under Snippets
    list_display = ["name", "slug"]
    search_fields = ["name"]
    search_backend_name = None
    panels = [FieldPanel("name"), FieldPanel("slug")]


# Comments --------------------------------------------------------------------------------------------------


class CommentPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, except that nobody adds or deletes a comment from the admin."""

    REFUSED = {"add", "delete"}

    def user_has_permission(self, user, action):
        return action not in self.REFUSED and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action not in self.REFUSED]
        if not actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(actions)


def excerpt(comment):
    return Truncator(" ".join(comment.body.split())).chars(80)


def author_name(comment):
    return comment.author.get_full_name() or comment.author.get_username()


class CommentIndexView(IndexView):
    def get_base_queryset(self):
        return with_report_counts(super().get_base_queryset().select_related("experience", "author"))

    @cached_property
    def columns(self):
        return [
            self._get_title_column("body", accessor=excerpt),
            Column(
                "experience", label=_("experience"), accessor="experience.title", sort_key="experience__title"
            ),
            Column("author", label=_("author"), accessor=author_name, sort_key="author__last_name"),
            DateColumn("created_at", label=_("written at"), sort_key="created_at"),
            Column("status", label=_("status"), accessor="get_status_display", sort_key="status"),
            Column("report_count", label=_("Number of reports"), sort_key="report_count"),
        ]


class CommentEditView(EditView):
    success_message = _("The moderator's decision is saved.")

    def get_object(self, queryset=None):
        return super().get_object(
            ExperienceComment.objects.select_related("experience", "author", "reviewed_by")
        )

    def save_instance(self):
        instance = self.form.save()
        self.has_content_changes = self.form.has_changed()
        hidden = instance.status == ExperienceComment.Status.HIDDEN
        log(instance=instance, action=HIDDEN_ACTION if hidden else RESTORED_ACTION, user=self.request.user)
        return instance


class CommentSummaryPanel(Panel):
    """What the moderator decides on, read only: the comment, its page and author, its reports."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "tourism/admin/comment_summary_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            comment = self.instance
            context["comment"] = comment
            context["reports"] = (
                list(comment.reports.select_related("reporter").order_by("created_at")) if comment.pk else []
            )
            context["page_url"] = comment.experience.url if comment.pk else ""
            return context


class ExperienceCommentViewSet(ModelViewSet):
    model = ExperienceComment
    name = "tourism_comments"
    url_prefix = "tourisme/commentaires"
    icon = "comment"
    menu_label = _("Members’ comments")
    index_view_class = CommentIndexView
    edit_view_class = CommentEditView
    copy_view_enabled = False
    ordering = ["-created_at"]
    filterset_class = CommentFilterSet
    search_fields = ["body"]
    search_backend_name = None
    add_to_reference_index = False
    edit_handler = ObjectList(
        [CommentSummaryPanel(heading=_("The comment")), FieldPanel("status")],
        base_form_class=CommentModerationForm,
    )

    @property
    def permission_policy(self):
        return CommentPermissionPolicy(self.model)

    def get_urlpatterns(self):
        return [pattern for pattern in super().get_urlpatterns() if pattern.name not in ("add", "delete")]

    def get_permissions_to_register(self):
        content_type = ContentType.objects.get_for_model(self.model)
        return Permission.objects.filter(
            content_type=content_type, codename__in=["view_experiencecomment", "change_experiencecomment"]
        )


class TourismViewSetGroup(ViewSetGroup):
    menu_label = _("Responsible tourism")
    menu_icon = "site"
    menu_order = 250
    items = (ExperienceCommentViewSet, TourismThemeViewSet)


@hooks.register("register_admin_viewset")
def register_tourism_viewsets():
    return TourismViewSetGroup()


@hooks.register("register_log_actions")
def register_comment_log_actions(actions):
    actions.register_action(HIDDEN_ACTION, _("Comment hidden"), _("Comment hidden by a moderator"))
    actions.register_action(RESTORED_ACTION, _("Comment shown"), _("Comment shown by a moderator"))


# Dashboard -------------------------------------------------------------------------------------------------


class CommentsAwaitingSummaryItem(SummaryItem):
    order = 400
    template_name = "tourism/admin/comments_summary.html"

    def is_shown(self):
        return may_moderate_comments(self.request.user)

    def get_context_data(self, parent_context):
        return {
            "count": ExperienceComment.objects.awaiting_moderator().count(),
            "url": reverse(ADMIN_INDEX_URL_NAME) + "?awaiting=true",
        }


@hooks.register("construct_homepage_summary_items")
def add_comments_summary_item(request, items):
    items.append(CommentsAwaitingSummaryItem(request))


@hooks.register(AUTHORITY_SECTIONS)
def authority_experiences(request, authority):
    """The Atlas authority page's section listing the live experiences that name the authority."""
    experiences = experiences_about(authority)
    if experiences:
        return render_to_string(
            "tourism/includes/authority_experiences.html",
            {"tourism_experiences": experiences},
            request=request,
        )
    return None
