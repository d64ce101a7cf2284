"""The one way to address the Atlas sub-pages (an authority, a project, a country, a partner, the advanced
search); the Bourse's are in atlas/bourse/links.py.

Built on portal/core/subpages.py (routes reversed under the live page's address in the active language, the
live page kept on the request). Templates use the tags of atlas/templatetags/atlas_urls.py, which call this
module.
"""

from portal.core.subpages import live_page, subpage_url


def live_atlas(request=None):
    from .models import AtlasPage

    return live_page(AtlasPage, request)


def atlas_url(name, *args, request=None):
    """The address of an Atlas route: atlas_url("authority", slug), atlas_url("search"), ..."""
    return subpage_url(live_atlas(request), name, *args, request=request)
