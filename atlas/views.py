"""The map data endpoint, outside the page tree so that the warm path costs no page routing."""

from django.http import HttpResponse, JsonResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from .filters import ProjectFilterSet, project_queryset
from .models import Cooperation
from .queries import map_data_bytes


@require_safe
def map_data(request):
    """Compact JSON of the authorities, partners and ties of every cooperation, or of a search's results."""
    if request.GET:
        filterset = ProjectFilterSet(request.GET, queryset=project_queryset())
        if not filterset.is_valid():
            return JsonResponse({"errors": filterset.form.errors}, status=400)
        raw, compressed = map_data_bytes(
            Cooperation.objects.filter(pk__in=filterset.qs.values("cooperation_id"))
        )
    else:
        raw, compressed = map_data_bytes()
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(compressed, content_type="application/json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(raw, content_type="application/json")
    patch_vary_headers(response, ["Accept-Encoding"])
    response["Cache-Control"] = "public, max-age=300"
    return response
