"""The one way to address the Atlas and Bourse sub-pages (an authority, a project, a country, a partner, the
advanced search, a Bourse project).

Built on portal/core/subpages.py (routes reversed under the live page's address in the active language, the
live page kept on the request). Templates use the tags of atlas/templatetags/atlas_urls.py, which call this
module.
"""

from portal.core.subpages import live_page, subpage_url


def live_atlas(request=None):
    from .models import AtlasPage

    return live_page(AtlasPage, request)


def live_bourse(request=None):
    from .models import BoursePage

    return live_page(BoursePage, request)


def atlas_url(name, *args, request=None):
    """The address of an Atlas route: atlas_url("authority", slug), atlas_url("search"), ..."""
    return subpage_url(live_atlas(request), name, *args, request=request)


def bourse_url(name, *args, request=None):
    """The address of a Bourse route: bourse_url("projects"), bourse_url("project", pk)."""
    return subpage_url(live_bourse(request), name, *args, request=request)
