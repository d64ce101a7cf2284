"""One way to render a form field on the public and member screens: django-dsfr's DsfrBoundField.

`{{ field.as_field_group }}` gives the DSFR markup of any field: label, hint, the input, and its errors in
`<div id="<auto_id>-desc-error">`, which the input points to with aria-describedby (and aria-invalid) once
the field has errors. Plain forms inherit dsfr.forms.DsfrBaseForm; forms that cannot (ModelForms, Django's
authentication forms, Wagtail's form builder) take DsfrFormMixin, which gives them the same rendering.

dsfr marks help texts safe: they must stay ours (written in the code, or escaped as Wagtail escapes an
editor's). Labels, typed values and error messages are escaped by the templates."""

from dsfr.forms import DsfrBaseForm, DsfrBoundField
from dsfr.utils import dsfr_input_class_attr

from django import forms

from wagtail.contrib.forms.forms import FormBuilder


class DsfrFormMixin:
    """DsfrBaseForm's rendering for a form class that must inherit another base: put it first in the bases,
    e.g. `class AlbumForm(DsfrFormMixin, forms.ModelForm)`.

    Also for a form whose __init__ sets a field's label or help text after calling super().__init__() (a
    size limit, an empty list's hint): DsfrBaseForm makes and caches the bound fields in its __init__, and a
    bound field copies its field's label and help text when it is made, so they would be shown stale."""

    template_name = DsfrBaseForm.template_name
    bound_field_class = DsfrBoundField
    # The property itself: the project's FORM_RENDERER when settings name one, dsfr's renderer otherwise.
    default_renderer = DsfrBaseForm.default_renderer

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The DSFR classes are set before any rendering, as DsfrBaseForm sets them: the field templates read
        # the group class (fr-select-group, fr-input-group) before they render the input. Through bound fields
        # made for this only, so that those the templates get are made after the subclass's own changes.
        for name, field in self.fields.items():
            dsfr_input_class_attr(self.bound_field_class(self, field, name))


class DsfrFileInput(forms.FileInput):
    """A file input as DSFR's upload field (fr-upload-group, fr-upload), which dsfr renders as a text input's
    group; its hint (accepted types, size) is the field's help text, as any field's."""

    group_class = "fr-upload-group"

    def __init__(self, attrs=None):
        super().__init__({"class": "fr-upload", **(attrs or {})})


class DsfrFormBuilder(FormBuilder):
    """Wagtail's form builder (the contact page's form), its forms rendered as every form of the portal.
    Wagtail escapes the editors' help texts unless WAGTAILFORMS_HELP_TEXT_ALLOW_HTML is set, which the portal
    never sets: dsfr may then mark them safe."""

    def get_form_class(self):
        return type("WagtailForm", (DsfrFormMixin, super().get_form_class()), {})
