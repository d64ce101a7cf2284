"""The declaration form: the declaration's own fields, and its lines as a bounded formset."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from atlas.models import Country, Project

from . import codes
from .models import AidDeclaration, AidLine

#: At most this many lines a declaration. Django's own bound is max_num + 1,000 forms built from a forged
#: TOTAL_FORMS: absolute_max makes it this one (see portal/core/admin_guards.py, BoundedInlinePanel).
AID_LINES_MAX = 300
#: Blank lines offered at the end of the form, so that a browser without JavaScript adds lines too.
BLANK_LINES = 2
LINE_FIELDS = [
    "country",
    "multilateral_body",
    "channel",
    "purpose",
    "amount",
    "project",
    *codes.MARKERS,
]


class DeclarationForm(forms.ModelForm):
    # The document is private: the page links it through the view that checks who asks, so the widget never
    # shows its address (the private storage has none), and removing it is a box of its own.
    remove_document = forms.BooleanField(label=_("Remove the supporting document"), required=False)

    class Meta:
        model = AidDeclaration
        fields = ["no_aid", "document"]
        widgets = {"document": forms.FileInput(attrs={"accept": ".pdf,.odt,.xlsx"})}


class LineForm(forms.ModelForm):
    class Meta:
        model = AidLine
        fields = LINE_FIELDS
        widgets = {"amount": forms.NumberInput(attrs={"min": 1, "step": 1, "inputmode": "numeric"})}

    def __init__(self, *args, countries=None, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The same lists for every line, read once for the formset (see LineFormSet).
        self.fields["country"].queryset = countries
        self.fields["country"].choices = [("", "---------")] + [(c.pk, c.name) for c in countries]
        self.fields["project"].queryset = projects
        self.fields["project"].choices = [("", "---------")] + [(p.pk, p.title) for p in projects]
        self.fields["country"].empty_label = None
        # The model's own validators are not the form field's: at least 1 euro is checked here (the model's
        # validation of the amount is left out, see _get_validation_exclusions).
        self.fields["amount"].validators.append(MinValueValidator(1))

    def _get_validation_exclusions(self):
        # This form checked each of these against what it offered (the year's DAC list, the authority's
        # projects, the channels and bodies, at least 1 euro) and clean() checks their combination: the
        # model need not ask the database again, three or four queries a line, 300 lines a form. Its
        # constraints still refuse a row that breaks them.
        return super()._get_validation_exclusions() | {
            "country",
            "project",
            "channel",
            "multilateral_body",
            "amount",
        }

    def clean(self):
        cleaned = super().clean()
        channel, body = cleaned.get("channel"), cleaned.get("multilateral_body")
        country = cleaned.get("country")
        if channel == codes.MULTILATERAL and not body:
            self.add_error("multilateral_body", _("Choose the multilateral body the aid goes through."))
        elif channel and channel != codes.MULTILATERAL and body:
            self.add_error("channel", _("Aid to a multilateral body goes through the multilateral channel."))
        if not country and not body and not self.has_error("multilateral_body"):
            self.add_error("country", _("Choose the recipient country, or the multilateral body."))
        return cleaned


class BaseLineFormSet(BaseInlineFormSet):
    def __init__(self, *args, year, authority, **kwargs):
        self.year = year
        self.countries = list(
            Country.objects.filter(code__in=codes.recipients_for(year))
            .only("pk", "name", "code")
            .order_by("name")
        )
        self.projects = list(
            Project.objects.filter(cooperation__authority=authority).only("pk", "title").order_by("title")
        )
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # A line's key is one of this declaration's lines, read once with them (Django asks the database for
        # each line otherwise); another declaration's line is "not a valid choice".
        if "id" in form.fields:
            form.fields["id"].queryset = CachedQuerySet(AidLine, self.existing)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # Every line's declaration is this one: a line reading it (its year, in clean()) makes no query.
        form.instance.declaration = self.instance
        return form

    @cached_property
    def existing(self):
        return list(self.get_queryset())

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["countries"] = CachedQuerySet(Country, self.countries)
        kwargs["projects"] = CachedQuerySet(Project, self.projects)
        return kwargs


class CachedQuerySet:
    """The choices of a line's select, read once for all the lines: iterating gives the objects read, and a
    posted key is checked against them (ModelChoiceField asks `.get(pk=...)`), with no query a line."""

    def __init__(self, model, objects):
        self.model = model
        self.objects = objects
        self._by_pk = {str(obj.pk): obj for obj in objects}

    def all(self):
        return self

    def none(self):
        return CachedQuerySet(self.model, [])

    def __iter__(self):
        return iter(self.objects)

    def __len__(self):
        return len(self.objects)

    def exists(self):
        return bool(self.objects)

    def get(self, **kwargs):
        (key, value), *rest = kwargs.items()
        if rest or key not in ("pk", "id"):
            raise TypeError(f"Only a lookup by primary key is cached: {kwargs}")
        try:
            return self._by_pk[str(value)]
        except KeyError:
            raise self.model.DoesNotExist from None

    def filter(self, **kwargs):
        return self.get(**kwargs)


LineFormSet = inlineformset_factory(
    AidDeclaration,
    AidLine,
    form=LineForm,
    formset=BaseLineFormSet,
    fields=LINE_FIELDS,
    extra=0,
    can_delete=True,
    can_delete_extra=True,
    max_num=AID_LINES_MAX,
    absolute_max=AID_LINES_MAX,
    validate_max=True,
)


def check_filing(declaration_form, formset):
    """The rules of a filed declaration beyond each line's own: some aid, or "no aid" said explicitly."""
    no_aid = declaration_form.cleaned_data.get("no_aid")
    lines = [form for form in formset.forms if is_kept(formset, form)]
    if no_aid and lines:
        raise ValidationError(
            _("You ticked “no aid this year” but the declaration has lines: remove one or the other.")
        )
    if not no_aid and not lines:
        raise ValidationError(_("Declare at least one line of aid, or tick “no development aid this year”."))


def is_kept(formset, form):
    """Whether a line of the posted form will exist once saved: an existing line not deleted, or a new line
    filled in and not deleted."""
    if formset.can_delete and formset._should_delete_form(form):
        return False
    return bool(form.instance.pk) or form.has_changed()
