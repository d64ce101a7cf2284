"""The forms of the applicant side and of the Délégation's calls."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from atlas.models import PartnerAuthority
from portal.accounts.models import Organisation
from portal.accounts.scope import scope_for
from portal.core.documents import DOCUMENT_KINDS, document_kind

from .models import MAX_ATTACHMENT_BYTES, Application, Attachment, Call, DocumentKind


class CallAdminForm(WagtailAdminModelForm):
    """A call as the Délégation edits it: its dates in Paris time (the site's time zone), its rules."""

    required_documents = forms.MultipleChoiceField(
        label=_("required documents"),
        choices=DocumentKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("The call must close after it opens."))
        return cleaned


class DossierForm(WagtailAdminModelForm):
    """The dossier as its organisation's agents edit it. Which dossier and whose it is never come from the
    form: the organisation, call, lead authority and state are not fields. Foreign partners are those the
    scope lets the user choose (scope.choosable, as the Atlas's partner choices); French partners any French
    authority of the Atlas (public records)."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.scope = scope_for(for_user) if for_user is not None else None
        formset = self.formsets.get("foreign_partner_lines")
        if formset is not None and self.scope is not None:
            partners = self.scope.choosable(PartnerAuthority)
            for form in [*formset.forms, formset.empty_form]:
                form.fields["partner"].queryset = partners

    def clean(self):
        cleaned = super().clean()
        self._check_unique_lines("french_partner_lines", "authority", _("This authority is already named."))
        self._check_unique_lines("foreign_partner_lines", "partner", _("This partner is already named."))
        return cleaned

    def _check_unique_lines(self, relation, field, message):
        formset = self.formsets.get(relation)
        if formset is None:
            return
        seen = set()
        for form in formset.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            value = form.cleaned_data.get(field)
            if value is None:
                continue
            if value.pk in seen:
                form.add_error(field, message)
            seen.add(value.pk)

    def _post_clean(self):
        super()._post_clean()
        if self.scope is not None and not self.errors and not self.scope.admits(self.instance):
            self.add_error(
                None, _("This dossier cannot be changed by your organisation in its present state.")
            )


def applicant_organisations(user):
    """The local authorities' organisations the user is an approved agent of."""
    return Organisation.objects.filter(
        pk__in=scope_for(user).organisation_ids, kind=Organisation.Kind.LOCAL_AUTHORITY
    ).select_related("authority")


class StartForm(forms.Form):
    """A new dossier: for an open call, by one of the user's authorities, blank or from a past dossier."""

    call = forms.ModelChoiceField(
        label=_("Call for projects"), queryset=Call.objects.none(), empty_label=None
    )
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none(), empty_label=None
    )
    title = forms.CharField(label=_("Title of the project"), max_length=255)
    duplicate_from = forms.ModelChoiceField(
        label=_("Start from a past dossier"),
        queryset=Application.objects.none(),
        required=False,
        empty_label=_("No, a blank dossier"),
        help_text=_("Its text, partners and budget are copied into the new draft; its documents are not."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = Call.objects.open().order_by("closes_at")
        organisations = applicant_organisations(user)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = organisations[0].pk
        self.fields["duplicate_from"].queryset = (
            Application.objects.filter(organisation__in=organisations)
            .select_related("call")
            .order_by("-created_at")
        )
        self.fields["duplicate_from"].label_from_instance = lambda a: f"{a.title} — {a.call}"

    def clean(self):
        cleaned = super().clean()
        source, organisation = cleaned.get("duplicate_from"), cleaned.get("organisation")
        if source and organisation and source.organisation_id != organisation.pk:
            self.add_error("duplicate_from", _("Choose a dossier of the same authority."))
        return cleaned


def accepted_formats():
    return ", ".join(extension.upper() for extension, _type in DOCUMENT_KINDS.values())


class AttachmentForm(forms.ModelForm):
    """A document of the dossier: its type is read from its content (PDF, ODT, XLSX), never from its name."""

    class Meta:
        model = Attachment
        fields = ["kind", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("%(formats)s, at most %(size)s MB; the file stays private.") % {
            "formats": accepted_formats(),
            "size": MAX_ATTACHMENT_BYTES // (1024 * 1024),
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError(
                _("The file is too large (%(size)s MB): at most %(max)s MB."),
                params={
                    "size": f"{upload.size / 1024 / 1024:.1f}",
                    "max": MAX_ATTACHMENT_BYTES // (1024 * 1024),
                },
            )
        kind = document_kind(upload)
        if kind is None:
            raise ValidationError(
                _("This file is not a %(formats)s document (its content was checked, not its name)."),
                params={"formats": accepted_formats()},
            )
        self.detected = DOCUMENT_KINDS[kind]
        return upload

    def save(self, commit=True):
        attachment = super().save(commit=False)
        upload = self.cleaned_data["file"]
        extension, content_type = self.detected
        attachment.original_name = upload.name[-255:]
        attachment.content_type = content_type
        attachment.size = upload.size
        # The stored name takes the extension of the type found in the content.
        upload.name = f"document.{extension}"
        if commit:
            attachment.save()
        return attachment
