"""The one way to address the Bourse page and its routes (the list, a Bourse project), on
portal/core/subpages.py as atlas/urls_helper.py addresses the Atlas's. Templates use `{% bourse_url %}`
(atlas/bourse/templatetags/bourse_tags.py), which calls this module."""

from portal.core.subpages import live_page, subpage_url

from .models import BoursePage


def live_bourse(request=None):
    return live_page(BoursePage, request)


def bourse_url(name, *args, request=None):
    """The address of a Bourse route: bourse_url("projects"), bourse_url("project", pk)."""
    return subpage_url(live_bourse(request), name, *args, request=request)
