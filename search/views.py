from django.core.paginator import EmptyPage, Paginator
from django.template.response import TemplateResponse

from wagtail.models import Page

from .forms import SearchForm

RESULTS_PER_PAGE = 10


def search(request):
    """Site search over published pages. A blank, absurd or overlong query yields a helpful page."""
    form = SearchForm(request.GET or None)
    query = results = page_obj = None
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        results = Page.objects.live().public().specific().search(query)
        paginator = Paginator(results, RESULTS_PER_PAGE)
        try:
            page_obj = paginator.page(request.GET.get("page") or 1)
        except (EmptyPage, ValueError):
            page_obj = paginator.page(paginator.num_pages or 1)
    return TemplateResponse(
        request,
        "search/search.html",
        {"form": form, "query": query, "page_obj": page_obj, "results": results},
    )
