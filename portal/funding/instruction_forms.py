"""The forms of the instruction: a motivation, a decision, an opinion asked or given, a report."""

import django_filters

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atlas.models import Country
from portal.accounts.models import Organisation
from portal.core.territories import REGION_CHOICES

from .instruction_models import Decision, OpinionRequest
from .models import Application, Call
from .opinions import REVIEWER_KINDS

MAX_FILE_BYTES = 10 * 1024 * 1024
# What a file starts with, by the types accepted: its name's extension is not trusted.
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"PK\x03\x04": "application/zip",  # .docx, .xlsx, .odt, .ods
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


def checked_file(upload):
    """The upload if it is a PDF, an office document or an image by its content, and at most 10 MB."""
    if upload is None:
        return upload
    if upload.size > MAX_FILE_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in SIGNATURES):
        raise ValidationError(
            _("This file is not a PDF, an office document (docx, xlsx, odt, ods) or an image (PNG, JPEG).")
        )
    return upload


class MotivationForm(forms.Form):
    motivation = forms.CharField(
        label=_("Motivation"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CorrectionForm(forms.Form):
    motivation = forms.CharField(
        label=_("What the applicant has to correct"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=Decision.Outcome.choices, widget=forms.RadioSelect
    )
    amount = forms.DecimalField(
        label=_("Amount granted (euros)"),
        required=False,
        min_value=1,
        max_digits=12,
        decimal_places=0,
        help_text=_("Only for an accepted dossier."),
    )
    committee_date = forms.DateField(
        label=_("Date of the committee"), widget=forms.DateInput(attrs={"type": "date"})
    )
    motivation = forms.CharField(
        label=_("Motivation"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.fields["committee_date"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        accepted = data.get("outcome") == Decision.Outcome.ACCEPTED
        amount = data.get("amount")
        if accepted and not amount:
            self.add_error("amount", _("An accepted dossier needs the amount granted."))
        if not accepted and amount:
            self.add_error("amount", _("A refused dossier is granted nothing: leave the amount empty."))
        if accepted and amount and self.application is not None:
            requested = self.application.budget_totals().requested
            if requested and amount > requested:
                self.add_error(
                    "amount",
                    _("The amount granted cannot exceed the amount requested (%(requested)s €).")
                    % {"requested": f"{requested:,.0f}".replace(",", "\u202f")},
                )
        return data


class OpinionRequestForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Reviewer"),
        queryset=Organisation.objects.filter(kind__in=REVIEWER_KINDS).order_by("kind", "name"),
        help_text=_("A ministry, an operator, another embassy or prefecture."),
    )
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise ValidationError(_("The due date cannot be in the past."))
        return due_on


class OpinionForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Opinion"), choices=OpinionRequest.Verdict.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    file = forms.FileField(
        label=_("File (optional)"),
        required=False,
        help_text=_("PDF, office document or image, 10 MB at most. Only the Délégation reads it."),
    )

    def clean_file(self):
        return checked_file(self.cleaned_data.get("file"))


class ReportForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of what was done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    file = forms.FileField(label=_("Report"), help_text=_("PDF, office document or image, 10 MB at most."))

    def clean_file(self):
        return checked_file(self.cleaned_data.get("file"))


class DossierFilter(django_filters.FilterSet):
    """The Délégation's list of dossiers: by call, state, country, région of the lead authority, title."""

    q = django_filters.CharFilter(label=_("Title or reference"), method="filter_q")
    call = django_filters.ModelChoiceFilter(label=_("Call"), queryset=Call.objects.order_by("-year", "title"))
    state = django_filters.ChoiceFilter(label=_("State"), choices=Application.State.choices)
    country = django_filters.ModelChoiceFilter(
        label=_("Country"), queryset=Country.objects.order_by("name"), field_name="country"
    )
    region = django_filters.ChoiceFilter(
        label=_("Région"), choices=REGION_CHOICES, field_name="lead_authority__region"
    )

    class Meta:
        model = Application
        fields = ["q", "call", "state", "country", "region"]

    def filter_q(self, queryset, name, value):
        value = value.strip()[:100]
        reference = value.upper().removeprefix("AAP-").split("-")[-1]
        if reference.isdigit():
            return queryset.filter(pk=int(reference))
        return queryset.filter(title__icontains=value)
