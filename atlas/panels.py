"""Panels that the products (e-APD, campaigns…) add to the public Atlas pages, through Wagtail hooks.

The Atlas imports no product: a product registers a function in its wagtail_hooks.py and the Atlas calls it
where it renders the page.

- "atlas_authority_panels": fn(request, authority) -> HTML (a safe string) or None, shown on an authority's
  page after the Atlas' own parts;
- "atlas_authority_sections": fn(request, authority) -> HTML or None, whole sections at the end of an
  authority's page (the responsible-tourism experiences that name it);
- "atlas_home_panels": fn(request, page) -> HTML or None, shown on the Atlas home after the key figures;
- "atlas_open_data_panels": fn(request) -> HTML or None, shown on the open-data page after the Atlas
  downloads (a product's own datasets);
- "atlas_home_trends": fn(request) -> HTML or None, and "atlas_country_trends": fn(request, country) -> HTML
  or None: a chart beside the Atlas' trends (atlas/trends.py), as one column of their DSFR grid row (e.g.
  <div class="fr-col-12 fr-col-lg-6">…</div>), drawn with portal/core/charts.py (the development aid
  declared per year).

The panels are rendered on every request, outside the Atlas' cached details: a panel that caches its data
must key it on the version of that data (atlas.queries.cached keys on the Atlas version; a product whose
records do not bump it registers them with portal.core.cache_versions.bump_on_change under its own name),
so that a change shows at once, in every process.
"""

from django.utils.safestring import mark_safe

from wagtail import hooks

AUTHORITY_PANELS = "atlas_authority_panels"
AUTHORITY_SECTIONS = "atlas_authority_sections"
HOME_PANELS = "atlas_home_panels"
OPEN_DATA_PANELS = "atlas_open_data_panels"
HOME_TRENDS = "atlas_home_trends"
COUNTRY_TRENDS = "atlas_country_trends"


def render_panels(hook_name, *args):
    """The HTML of every panel registered under `hook_name`, in the hooks' order (Wagtail's `order`
    argument), those that answer None or "" left out; one safe string."""
    parts = [fn(*args) for fn in hooks.get_hooks(hook_name)]
    # Each panel renders its own template (auto-escaped); the Atlas only puts them side by side.
    return mark_safe("".join(str(part) for part in parts if part))  # noqa: S308
