"""Atlas data outside the page tree: exports, open data and the read-only API (mounted at /donnees/)."""

app_name = "atlas_data"
urlpatterns = []
