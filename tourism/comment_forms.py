"""The forms of members' comments: writing one, reporting one, and the moderator's decision in the admin."""

from dsfr.forms import DsfrBaseForm

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from .models import CommentReport, ExperienceComment

COMMENT_MAX_LENGTH = ExperienceComment._meta.get_field("body").max_length
REASON_MAX_LENGTH = CommentReport._meta.get_field("reason").max_length


class PlainTextField(forms.CharField):
    """A text kept as typed, with its line breaks counted as one character, as the browser counts them."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


class CommentForm(DsfrBaseForm):
    body = PlainTextField(
        label=_("Your comment"),
        help_text=_(
            "Plain text, at most 2,000 characters. It is published at once, under your first name and "
            "the initial of your last name."
        ),
        max_length=COMMENT_MAX_LENGTH,
        error_messages={"required": _("Write your comment before sending it.")},
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "comment_%s")
        super().__init__(*args, **kwargs)

    @classmethod
    def given_back(cls, draft):
        """The form as the member left it when the comment was refused (the draft kept in the session across
        the redirect): the text as typed, and under it the reason it was not published."""
        if not draft:
            return cls()
        form = cls(data={"body": draft.get("body", "")})
        form.is_valid()
        # The view's own reason (a daily limit reached is not a fault of the text), in place of the form's.
        form.errors.clear()
        if draft.get("error"):
            form.add_error("body", draft["error"])
        return form


class ReportForm(DsfrBaseForm):
    reason = forms.CharField(
        label=_("Why? (optional)"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        help_text=_("For example: insulting, advertising, off topic."),
    )


class CommentModerationForm(WagtailAdminModelForm):
    """The moderator's only choice in the admin: show the comment or hide it. Saving records the review."""

    MODERATOR_CHOICES = [
        (ExperienceComment.Status.VISIBLE, _("Visible to everyone")),
        (ExperienceComment.Status.HIDDEN, _("Hidden by the moderator")),
    ]

    class Meta:
        model = ExperienceComment
        fields = ["status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        field.choices = self.MODERATOR_CHOICES
        field.widget = forms.RadioSelect(choices=self.MODERATOR_CHOICES)
        field.label = _("Moderator's decision")
        if self.instance.pk and self.instance.status == ExperienceComment.Status.REPORTED:
            # Hidden by reports: the moderator decides, nothing is ticked in advance.
            self.initial["status"] = None
            field.help_text = _(
                "Hidden after reports, awaiting your decision: restore it or confirm that it stays hidden."
            )

    def save(self, commit=True):
        self.instance.reviewed_at = timezone.now()
        self.instance.reviewed_by = self.for_user
        return super().save(commit=commit)
