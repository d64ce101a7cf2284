"""The dossier's admin form as a browser posts it: every field and line of the form, with changes."""

from django.forms.models import BaseModelFormSet

from wagtail.admin.viewsets import viewsets
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.funding.models import Application


def viewset():
    return next(v for v in viewsets.viewsets if isinstance(v, SnippetViewSet) and v.model is Application)


def edit_data(application, user, **changes):
    """What the dossier's edit form posts, with `changes` (budget lines given as [(category, amount)])."""
    form = viewset().get_form_class(for_update=True)(instance=application, for_user=user)
    data = {}
    for bound_field in form:
        value = bound_field.value()
        if value in (None, False):
            continue
        data[bound_field.html_name] = (
            [str(getattr(v, "pk", v)) for v in value] if isinstance(value, list | tuple) else str(value)
        )
    for formset in form.formsets.values():
        assert isinstance(formset, BaseModelFormSet)
        for bound_field in formset.management_form:
            data[bound_field.html_name] = str(bound_field.value())
        for sub_form in formset.forms:
            for bound_field in sub_form:
                if bound_field.value() not in (None, False):
                    data[bound_field.html_name] = str(getattr(bound_field.value(), "pk", bound_field.value()))
    lines = changes.pop("budget", None)
    if lines is not None:
        existing = int(data["budget_lines-TOTAL_FORMS"])
        for index in range(existing):
            data[f"budget_lines-{index}-DELETE"] = "1"
        for offset, (category, amount) in enumerate(lines):
            index = existing + offset
            data.update(
                {
                    f"budget_lines-{index}-category": category,
                    f"budget_lines-{index}-amount": str(amount),
                    f"budget_lines-{index}-label": "",
                    f"budget_lines-{index}-ORDER": str(index + 1),
                }
            )
        data["budget_lines-TOTAL_FORMS"] = str(existing + len(lines))
    data.update(changes)
    return data
