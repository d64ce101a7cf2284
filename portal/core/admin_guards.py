"""The parameters a few Wagtail admin views trust, checked before the view reads them: a 404 or a French 400.

Wagtail 7.4 trusts a few values only a forged request sends, and ends in a server error on them: a chooser's
"chosen" address whose key is not a key of the model ("é", "../etc"), its "chosen-multiple" list of ids
("nan"), a workflow's page number ("nan", beyond the last page), the ordering of the root page (which has no
parent), the import of redirects posted without its signed hidden fields, the page chooser's `target_pages[]`.
AdminInputGuardMiddleware (in settings.MIDDLEWARE) looks at the view the address resolved to and, for these
views only, checks the one parameter each trusts; everything else reaches the view untouched. Wagtail's
"failwhale" page, which answers a 500 to anybody on purpose (to try error reporting), answers a 404.

BoundedInlinePanel: an InlinePanel whose formset builds at most `max_num` forms; Django's own bound is
max_num + 1,000, and a forged TOTAL_FORMS made the admin build and render a thousand lines.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404

from modelcluster.forms import BaseChildFormSet
from wagtail.admin.panels import InlinePanel
from wagtail.admin.views.generic.chooser import ChosenMultipleViewMixin, ChosenViewMixin
from wagtail.models import Page

from .middleware import bad_request


def model_of(view_func):
    """The model a Wagtail chooser view works on (its `model` may be a class or an "app.Model" string)."""
    return view_func.view_class(**view_func.view_initkwargs).model_class


def is_key(model, value):
    """Whether `value` (text from an address) can be a primary key of `model`."""
    field = model._meta.pk
    if value in field.empty_values:
        return False
    try:
        field.to_python(value)
    except (ValidationError, ValueError, TypeError):
        return False
    return True


def chosen(request, view_func, kwargs):
    if not is_key(model_of(view_func), unquote(str(kwargs.get("pk", "")))):
        raise Http404


def chosen_multiple(request, view_func, kwargs):
    model = model_of(view_func)
    if not all(is_key(model, value) for value in request.GET.getlist("id")):
        return bad_request(request)
    return None


def page_ids(request, view_func, kwargs):
    """The page chooser reads `target_pages[]` (the pages being moved) with int()."""
    if not all(is_key(Page, value) for value in request.GET.getlist("target_pages[]") if value):
        return bad_request(request)
    return None


def workflow_page_number(request, view_func, kwargs):
    """The workflow's list of pages reads `p` with int() and Paginator.page(): a page that exists, or 404."""
    if "p" in request.GET:
        pages = Paginator(
            Page.objects.filter(workflowpage__workflow=kwargs["pk"]), view_func.view_class.MAX_PAGES
        )
        try:
            pages.validate_number(request.GET["p"])
        except InvalidPage as error:
            raise Http404 from error


def movable_page(request, view_func, kwargs):
    """The root page has no parent whose permissions the ordering view could check."""
    if Page.objects.filter(pk=kwargs["page_to_move_id"], depth=1).exists():
        raise Http404


def signed_import(request, view_func, kwargs):
    """The confirmation step of an import of redirects posts back the file's signed name and format."""
    if request.method == "POST" and not all(
        request.POST.get(name) for name in ("import_file_name", "input_format")
    ):
        return bad_request(request)
    return None


def not_found(request, view_func, kwargs):
    raise Http404


GUARDS_BY_NAME = {
    "wagtailadmin_choose_page": page_ids,
    "wagtailadmin_choose_page_child": page_ids,
    "wagtailadmin_choose_page_search": page_ids,
    "wagtailadmin_workflows:edit": workflow_page_number,
    "wagtailadmin_pages:set_page_position": movable_page,
    "wagtailredirects:process_import": signed_import,
    "wagtailadmin_error_test": not_found,
}


def guard_for(request, view_func):
    view_class = getattr(view_func, "view_class", None)
    if view_class is not None and issubclass(view_class, ChosenViewMixin):
        return chosen  # every "chosen" URL of a generic chooser: documents, images, snippets
    if view_class is not None and issubclass(view_class, ChosenMultipleViewMixin):
        return chosen_multiple
    match = request.resolver_match
    return GUARDS_BY_NAME.get(match.view_name) if match else None


class AdminInputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        guard = guard_for(request, view_func)
        return guard(request, view_func, view_kwargs) if guard else None


class BoundedChildFormSet(BaseChildFormSet):
    """A child formset that never builds more than `max_num` forms: a larger posted TOTAL_FORMS is refused
    by Django's own check ("Please submit at most N forms") with no form built from it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_num is not None:
            self.absolute_max = self.max_num

    def total_form_count(self):
        if self.is_bound and self.management_form.cleaned_data["TOTAL_FORMS"] > self.absolute_max:
            return 0  # only a forged form sends more; its error is in non_form_errors()
        return super().total_form_count()


class BoundedInlinePanel(InlinePanel):
    def __init__(self, relation_name, *args, max_num, **kwargs):
        super().__init__(relation_name, *args, max_num=max_num, **kwargs)

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["formset"] = BoundedChildFormSet
        return options
