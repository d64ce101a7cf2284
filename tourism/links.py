"""Links from the rest of the portal to the platform."""


def experiences_about(authority):
    """The live experiences that name this French authority, newest first, with their country: one query.

    Called by the Atlas authority page's view, outside the authority's cached detail, so that an experience
    shows there as soon as it is published."""
    from .models import ExperiencePage

    return list(
        ExperiencePage.objects.live()
        .filter(authority_links__authority=authority)
        .select_related("country")
        .order_by("-first_published_at", "-pk")
        .distinct()
    )
