"""The map data endpoint, outside the page tree so that the warm path costs no page routing."""

from django.http import HttpResponse, JsonResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from .filters import ProjectFilterSet, project_queryset
from .queries import BadView, MapView, filters_key, map_data_bytes, search_cooperations

# The parameters of the map's view; every other one is a search filter.
VIEW_PARAMETERS = ("bbox", "zoom")


@require_safe
def map_data(request):
    """Compact JSON of the authorities, partners and ties of every cooperation, or of a search's results;
    clusters beyond a few thousand markers, and the markers or clusters of one view with `bbox` and `zoom`."""
    filters = request.GET.copy()
    bbox, zoom = (filters.pop(name, [None])[-1] for name in VIEW_PARAMETERS)
    view = None
    if bbox is not None or zoom is not None:
        try:
            view = MapView.parse(bbox, zoom)
        except BadView as error:
            return JsonResponse({"errors": {"bbox": [str(error)]}}, status=400)
    cooperations = None
    if filters:
        # The search's own FilterSet: the map shows exactly the projects its list shows (every page of it).
        filterset = ProjectFilterSet(filters, queryset=project_queryset())
        if not filterset.is_valid():
            return JsonResponse({"errors": filterset.form.errors}, status=400)
        cooperations = search_cooperations(filterset)
    raw, compressed = map_data_bytes(cooperations, view, filters=filters_key(filters))
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(compressed, content_type="application/json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(raw, content_type="application/json")
    patch_vary_headers(response, ["Accept-Encoding"])
    response["Cache-Control"] = "public, max-age=300"
    return response
