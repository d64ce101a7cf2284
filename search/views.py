from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from .forms import SearchForm
from .service import SOURCE_KEYS, SiteSearch, promotions, record_hit

RESULTS_PER_PAGE = 10


def search(request):
    """Site search over pages and Atlas records. A blank, absurd or overlong query yields a helpful page."""
    form = SearchForm(request.GET or None)
    context = {"form": form, "query": None}
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        type_key = request.GET.get("type")
        site_search = SiteSearch(request, query, type_key if type_key in SOURCE_KEYS else None)
        # get_page: a page number out of range gives the last page, a non-numeric one the first.
        page_obj = Paginator(site_search, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        if page_obj.number == 1:
            record_hit(query)
        context.update(
            query=query,
            type_key=site_search.type_key if site_search.type_key in site_search.counts else None,
            total=sum(site_search.counts.values()),
            facets=site_search.facets,
            page_obj=page_obj,
            promotions=promotions(query) if page_obj.number == 1 else [],
        )
    return TemplateResponse(request, "search/search.html", context)
